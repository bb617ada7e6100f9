#include "finn/core/error.h"
#include "finn/transform/tidy_up.h"

#include <iterator>
#include <map>
#include <set>

namespace finn {

namespace {

// The name qonnx's sequence of renames ends up giving each tensor. qonnx renames one tensor at a
// time, later renames winning; here the final names are worked out first and applied at once,
// which gives the same result without the intermediate names ever colliding.
std::map<std::string, std::string> readable_names(Model& model) {
    std::map<std::string, std::string> name;
    auto assign = [&](const std::string& tensor, const std::string& readable) {
        if (!tensor.empty()) name[tensor] = readable;
    };

    // qonnx first gives every tensor with a ValueInfo "tensor_<i>" (GiveUniqueTensorNames), i
    // counting value_info, then inputs, then outputs; only tensors that none of the later rules
    // reaches keep such a name.
    std::vector<std::string> with_value_info = model.value_info_names();
    for (const auto& n : model.graph_input_names())
        with_value_info.push_back(n);
    for (const auto& n : model.output_names())
        with_value_info.push_back(n);
    std::size_t i = 0;
    for (; i < with_value_info.size(); ++i)
        if (!name.count(with_value_info[i]))
            assign(with_value_info[i], "tensor_" + std::to_string(i));
    // Initializers without a ValueInfo keep their old names in qonnx; an unused one could then
    // clash with a new name, so they are numbered on.
    for (const auto& n : model.initializer_names())
        if (!name.count(n)) assign(n, "tensor_" + std::to_string(i++));

    for (Node node : model.nodes()) {
        if (node.name().empty())
            throw Error("GiveReadableTensorNames: node " + node.describe() +
                        " has no name; run GiveUniqueNodeNames first");
        for (int k = 0; k < node.output_count(); ++k)
            assign(node.output(k), node.name() + "_out" + std::to_string(k));
        // The parameter index counts this node's initializer inputs only (qonnx), so the
        // thresholds of MultiThreshold(x, T) are "<node>_param0".
        int param = 0;
        std::set<std::string> seen;
        for (const auto& in : node.inputs())
            if (model.has_initializer(in) && seen.insert(in).second)
                assign(in, node.name() + "_param" + std::to_string(param++));
    }

    const auto inputs = model.graph_input_names();
    for (std::size_t k = 0; k < inputs.size(); ++k)
        assign(inputs[k], k == 0 ? "global_in" : "global_in_" + std::to_string(k));
    const auto outputs = model.output_names();
    for (std::size_t k = 0; k < outputs.size(); ++k)
        assign(outputs[k], k == 0 ? "global_out" : "global_out_" + std::to_string(k));
    return name;
}

} // namespace

bool GiveReadableTensorNames::run(Model& model) {
    std::map<std::string, std::string> renames = readable_names(model);
    // Two tensors must never end up with one name (duplicate node names would do that).
    std::map<std::string, std::string> owner;
    for (const auto& tensor : model.tensor_names()) {
        auto it = renames.find(tensor);
        const std::string& target = it == renames.end() ? tensor : it->second;
        auto [pos, inserted] = owner.emplace(target, tensor);
        if (!inserted)
            throw Error("GiveReadableTensorNames: tensors '" + pos->second + "' and '" + tensor +
                        "' would both be named '" + target +
                        "'; node names must be unique (run GiveUniqueNodeNames first)");
    }
    for (auto it = renames.begin(); it != renames.end();)
        it = it->first == it->second ? renames.erase(it) : std::next(it);
    if (renames.empty()) return false;
    model.rename_tensors(renames);
    return true;
}

} // namespace finn
