#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/qonnx_to_finn.h"
#include "finn/transform/tidy_up.h"

namespace finn {

bool CleanupModel::run(Model& model) {
    bool changed = false;
    // qonnx's "temporary fix for QONNX op domains": Brevitas exports them as onnx.brevitas.
    for (Node node : model.nodes()) {
        const std::string& op = node.op_type();
        if ((op == "Quant" || op == "Trunc" || op == "BipolarQuant") &&
            node.domain() != domains::kQonnxGeneral) {
            node.set_domain(domains::kQonnxGeneral);
            changed = true;
        }
    }
    if (changed) model.add_missing_opset_imports();
    Pipeline cleanup;
    cleanup.add(std::make_unique<InferShapes>())
        .add(std::make_unique<GiveUniqueParameterTensors>())
        .add(std::make_unique<FoldConstants>(FoldConstants::quant_op_types()))
        .add(std::make_unique<FoldTransposeIntoQuantInit>())
        .add(std::make_unique<RemoveUnusedTensors>())
        .add(std::make_unique<RemoveStaticGraphInputs>())
        .add(std::make_unique<GiveUniqueNodeNames>())
        .add(std::make_unique<GiveReadableTensorNames>());
    return cleanup.run(model) || changed;
}

} // namespace finn
