#include "finn/transform/tidy_up.h"

namespace finn {

bool RemoveStaticGraphInputs::run(Model& model) {
    bool changed = false;
    for (const auto& name : model.graph_input_names()) {
        if (!model.has_initializer(name)) continue;
        model.remove_graph_input(name);
        changed = true;
    }
    return changed;
}

} // namespace finn
