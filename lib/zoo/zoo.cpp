#include "finn/zoo/zoo.h"

#include "builder.h"
#include "finn/core/error.h"

#include <functional>

namespace finn {

namespace {

struct ZooEntry {
    std::string name;
    std::function<Model(const std::string&, std::uint32_t)> make;
};

const std::vector<ZooEntry>& zoo_entries() {
    static const std::vector<ZooEntry> entries = [] {
        std::vector<ZooEntry> list;
        struct Precision {
            const char* suffix;
            int weight_bits, act_bits;
        };
        const Precision precisions[] = {{"w1a1", 1, 1}, {"w1a2", 1, 2}, {"w2a2", 2, 2}};
        struct Mlp {
            const char* name;
            int width;
        };
        for (const Mlp mlp : {Mlp{"tfc", 64}, Mlp{"sfc", 256}, Mlp{"lfc", 1024}})
            for (const auto& p : precisions)
                list.push_back({std::string(mlp.name) + "_" + p.suffix,
                                [mlp, p](const std::string& name, std::uint32_t seed) {
                                    return zoo::make_mlp(name, {mlp.width, mlp.width, mlp.width},
                                                         p.weight_bits, p.act_bits, seed);
                                }});
        for (const auto& p : precisions)
            list.push_back(
                {std::string("cnv_") + p.suffix, [p](const std::string& name, std::uint32_t seed) {
                     return zoo::make_cnv(name, p.weight_bits, p.act_bits, seed);
                 }});
        list.push_back({"residual_w4a4", zoo::make_residual});
        list.push_back({"dwsep_w4a4", zoo::make_dwsep});
        return list;
    }();
    return entries;
}

} // namespace

std::vector<std::string> zoo_model_names() {
    std::vector<std::string> names;
    for (const auto& entry : zoo_entries())
        names.push_back(entry.name);
    return names;
}

Model make_zoo_model(const std::string& name, std::uint32_t seed) {
    for (const auto& entry : zoo_entries())
        if (entry.name == name) return entry.make(name, seed);
    std::string known;
    for (const auto& entry : zoo_entries())
        known += (known.empty() ? "" : ", ") + entry.name;
    throw Error("unknown zoo model '" + name + "'; known models: " + known);
}

Tensor make_zoo_input(const Model& model, std::uint32_t seed) {
    return zoo::random_input(model, seed, 1);
}

} // namespace finn
