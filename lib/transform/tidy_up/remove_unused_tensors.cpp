#include "finn/transform/tidy_up.h"

#include <set>

namespace finn {

bool RemoveUnusedTensors::run(Model& model) {
    // Used: read or written by a node. Graph outputs and (non-static) graph inputs count as used
    // too: qonnx would drop an initializer that is only a graph output, leaving it dangling.
    std::set<std::string> used;
    for (Node node : model.nodes()) {
        for (const auto& in : node.inputs())
            used.insert(in);
        for (const auto& out : node.outputs())
            used.insert(out);
    }
    for (const auto& name : model.input_names())
        used.insert(name);
    for (const auto& name : model.output_names())
        used.insert(name);

    std::set<std::string> unused;
    for (const auto& names :
         {model.initializer_names(), model.value_info_names(), model.annotated_tensor_names()})
        for (const auto& name : names)
            if (!used.count(name)) unused.insert(name);
    // Removes initializer, value_info and annotations alike (and a static input's input entry).
    for (const auto& name : unused)
        model.remove_tensor_if_unused(name);
    return !unused.empty();
}

} // namespace finn
