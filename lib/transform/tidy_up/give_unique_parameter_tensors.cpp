#include "finn/transform/tidy_up.h"

#include <set>

namespace finn {

bool GiveUniqueParameterTensors::run(Model& model) {
    std::set<std::string> seen;
    bool changed = false;
    for (Node node : model.nodes()) {
        for (int i = 0; i < node.input_count(); ++i) {
            const std::string param = node.input(i);
            if (!model.has_initializer(param)) continue;
            if (seen.insert(param).second) continue; // the first use keeps the original
            // qonnx picks a random name; a fresh "<param>_<k>" is deterministic.
            std::string copy = model.fresh_name(param + "_");
            model.set_initializer(copy, model.initializer(param));
            if (model.has_datatype(param)) model.set_datatype(copy, model.datatype(param));
            node.set_input(i, copy);
            changed = true;
        }
    }
    return changed;
}

} // namespace finn
