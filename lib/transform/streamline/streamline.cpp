// FINN's Streamline: the reorder/collapse/absorb passes in FINN's order, each followed by the
// tidy-up FINN runs after it.
#include "finn/transform/streamline.h"

#include "finn/transform/tidy_up.h"

#include <memory>
#include <vector>

namespace finn {

bool Streamline::run(Model& model) {
    std::vector<std::unique_ptr<Transformation>> passes;
    passes.push_back(std::make_unique<ConvertSubToAdd>());
    passes.push_back(std::make_unique<ConvertDivToMul>());
    passes.push_back(std::make_unique<BatchNormToAffine>());
    passes.push_back(std::make_unique<ConvertSignToThres>());
    passes.push_back(std::make_unique<MoveMulPastMaxPool>());
    passes.push_back(std::make_unique<MoveScalarLinearPastInvariants>());
    passes.push_back(std::make_unique<AbsorbSignBiasIntoMultiThreshold>());
    passes.push_back(std::make_unique<MoveAddPastMul>());
    passes.push_back(std::make_unique<MoveScalarAddPastMatMul>());
    passes.push_back(std::make_unique<MoveAddPastConv>());
    passes.push_back(std::make_unique<MoveScalarMulPastMatMul>());
    passes.push_back(std::make_unique<MoveScalarMulPastConv>());
    passes.push_back(std::make_unique<MoveAddPastMul>());
    passes.push_back(std::make_unique<CollapseRepeatedAdd>());
    passes.push_back(std::make_unique<CollapseRepeatedMul>());
    passes.push_back(std::make_unique<MoveMulPastMaxPool>());
    passes.push_back(std::make_unique<AbsorbAddIntoMultiThreshold>());
    passes.push_back(std::make_unique<FactorOutMulSignMagnitude>());
    passes.push_back(std::make_unique<AbsorbMulIntoMultiThreshold>());
    passes.push_back(std::make_unique<Absorb1BitMulIntoMatMul>());
    passes.push_back(std::make_unique<Absorb1BitMulIntoConv>());
    passes.push_back(std::make_unique<RoundAndClipThresholds>());

    RemoveIdentityOps remove_identity_ops;
    GiveUniqueNodeNames give_unique_node_names;
    GiveReadableTensorNames give_readable_tensor_names;
    InferDataTypes infer_data_types;
    bool changed = false;
    // The tidy-up passes are idempotent, so after a pass that changed nothing the model is as
    // tidy as the previous tidy-up left it and FINN's repeated tidy-up would change nothing.
    bool tidy = false;
    for (const auto& pass : passes) {
        const bool pass_changed = pass->run(model);
        changed |= pass_changed;
        if (tidy && !pass_changed) continue;
        changed |= remove_identity_ops.run(model);
        changed |= give_unique_node_names.run(model);
        changed |= give_readable_tensor_names.run(model);
        changed |= infer_data_types.run(model);
        tidy = true;
    }
    return changed;
}

} // namespace finn
