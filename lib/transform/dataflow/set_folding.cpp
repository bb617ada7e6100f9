#include "finn/hw/registry.h"
#include "finn/transform/folding.h"
#include "finn/transform/tidy_up.h"

namespace finn {

// Each layer folds itself by FINN's rule for its op (HwLayer::fold, in the layer's definition).
void SetFolding::fold_pass(Model& model, std::int64_t target) {
    const hw::FoldingGoal goal{target, mvau_wwidth_max_};
    for (int i = 0; i < model.node_count(); ++i) {
        Node node = model.node(i);
        auto layer = hw::make_layer(model, node);
        // Only specialized layers are folded; unknown specialized ops are reported.
        const bool specialized = layer && layer->impl() != hw::Impl::Abstract;
        const bool known = specialized ? layer->fold(goal)
                                       : !(node.domain() == domains::kFpgaDataflowHls ||
                                           node.domain() == domains::kFpgaDataflowRtl);
        if (!known) warn("SetFolding doesn't know how to handle op_type " + node.op_type());
    }
}

bool SetFolding::run(Model& model) {
    const std::string before = model.serialize();
    // Named first, so that warnings name nodes as the folding config will.
    GiveUniqueNodeNames().run(model);
    fold_pass(model, target_);
    GiveUniqueNodeNames().run(model);
    AnnotateCycles().run(model);
    if (two_pass_) {
        DataflowPerformance perf = dataflow_performance(model);
        if (perf.max_cycles > target_) {
            warn("Node " + perf.max_cycles_node_name + " is bottleneck with " +
                 std::to_string(perf.max_cycles) + " cycles, running second pass");
            SetFolding(perf.max_cycles, mvau_wwidth_max_, false, forward_warnings()).run(model);
        }
    }
    return model.serialize() != before;
}

} // namespace finn
