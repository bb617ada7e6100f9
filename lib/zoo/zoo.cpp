#include "finn/zoo/zoo.h"

#include "builder.h"
#include "finn/core/error.h"

#include <functional>

namespace finn {

namespace {

struct ZooEntry {
    std::string name;
    // width multiplies every hidden layer's channels or neurons (1 = the original topology).
    std::function<Model(const std::string&, std::uint32_t, int width)> make;
    bool scalable = true;
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
                list.push_back(
                    {std::string(mlp.name) + "_" + p.suffix,
                     [mlp, p](const std::string& name, std::uint32_t seed, int width) {
                         const int w = mlp.width * width;
                         return zoo::make_mlp(name, {w, w, w}, p.weight_bits, p.act_bits, seed);
                     }});
        for (const auto& p : precisions)
            list.push_back({std::string("cnv_") + p.suffix,
                            [p](const std::string& name, std::uint32_t seed, int width) {
                                return zoo::make_cnv(name, p.weight_bits, p.act_bits, seed, width);
                            }});
        // Fixed-size blocks and small convnets (no width multiplier).
        auto fixed = [&list](const char* name, Model (*make)(const std::string&, std::uint32_t)) {
            list.push_back(
                {name,
                 [make](const std::string& n, std::uint32_t seed, int) { return make(n, seed); },
                 false});
        };
        fixed("residual_w4a4", [](const std::string& n, std::uint32_t seed) {
            return zoo::make_residual(n, seed, {1, 16, 16, 16}, 0);
        });
        fixed("dwsep_w4a4", [](const std::string& n, std::uint32_t seed) {
            return zoo::make_dwsep(n, seed, {1, 16, 16, 16}, 0);
        });
        // Conv -> flatten -> FC at a spatial size larger than 1x1.
        fixed("lenet_w4a4", zoo::make_lenet);
        fixed("strided_w4a4", zoo::make_strided);
        fixed("dwsepfc_w4a4", [](const std::string& n, std::uint32_t seed) {
            return zoo::make_dwsep(n, seed, {1, 8, 6, 6}, 10);
        });
        fixed("residualfc_w4a4", [](const std::string& n, std::uint32_t seed) {
            return zoo::make_residual(n, seed, {1, 8, 6, 6}, 10);
        });
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

Model make_zoo_model(const std::string& name, std::uint32_t seed, int width) {
    if (width < 1 || width > 16)
        throw Error("zoo width multiplier " + std::to_string(width) + " is not in 1..16");
    for (const auto& entry : zoo_entries()) {
        if (entry.name != name) continue;
        if (width != 1 && !entry.scalable)
            throw Error("zoo model '" + name +
                        "' has a fixed size; a width multiplier applies to tfc/sfc/lfc and cnv");
        return entry.make(name, seed, width);
    }
    std::string known;
    for (const auto& entry : zoo_entries())
        known += (known.empty() ? "" : ", ") + entry.name;
    throw Error("unknown zoo model '" + name + "'; known models: " + known);
}

Tensor make_zoo_input(const Model& model, std::uint32_t seed) {
    return zoo::random_input(model, seed, 1);
}

} // namespace finn
