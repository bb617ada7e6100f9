#include "finn/transform/tidy_up.h"

#include <map>

namespace finn {

bool GiveUniqueNodeNames::run(Model& model) {
    std::map<std::string, int> count_per_op_type;
    bool changed = false;
    for (Node node : model.nodes()) {
        int& k = count_per_op_type[node.op_type()];
        std::string name = prefix_ + node.op_type() + "_" + std::to_string(k++);
        if (node.name() == name) continue;
        node.set_name(name);
        changed = true;
    }
    return changed;
}

} // namespace finn
