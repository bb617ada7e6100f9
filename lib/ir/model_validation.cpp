// Model::validate_structure: the graph invariants every transformation assumes. A model that
// breaks one (a cycle, a tensor written twice, a dangling input) would otherwise make a step
// produce a silently wrong model instead of an error.
#include "finn/core/datatype.h"
#include "finn/core/error.h"
#include "finn/ir/model.h"

#include <map>
#include <set>

namespace finn {

void Model::validate_structure(std::string_view source) const {
    const std::string where(source);
    const onnx::GraphProto& g = graph();
    if (g.output_size() == 0) throw Error(where + ": the graph has no outputs");

    // Who provides each tensor: a graph input, an initializer or exactly one node.
    std::map<std::string, std::string> provider;
    for (const auto& input : g.input())
        provider[input.name()] = "graph input";
    for (const auto& init : g.initializer())
        provider[init.name()] = "initializer";
    for (const auto& node : g.node()) {
        for (const auto& out : node.output()) {
            if (out.empty()) continue;
            auto [it, fresh] = provider.emplace(out, "node " + node.name());
            if (!fresh)
                throw Error(where + ": tensor '" + out + "' is written by node " + node.name() +
                            " and by " + it->second + "; each tensor has one producer");
        }
    }
    for (const auto& node : g.node())
        for (const auto& in : node.input())
            if (!in.empty() && !provider.count(in))
                throw Error(where + ": node " + node.name() + " (" + node.op_type() +
                            ") reads tensor '" + in +
                            "', which no node, graph input or initializer provides");
    for (const auto& out : g.output())
        if (!provider.count(out.name()))
            throw Error(where + ": graph output '" + out.name() + "' is not computed by any node");

    try {
        topological_order();
    } catch (const Error& e) {
        throw Error(where + ": " + e.what());
    }

    for (const auto& tensor : annotated_tensor_names()) {
        auto text = annotation(tensor, "finn_datatype");
        DataType parsed = DataType::float32();
        if (text && !DataType::try_parse(*text, parsed))
            throw Error(where + ": tensor '" + tensor + "' has finn_datatype '" + *text +
                        "', which is not a FINN datatype (e.g. INT8, UINT4, BIPOLAR, FLOAT32)");
    }
}

} // namespace finn
