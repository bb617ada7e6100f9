// step_qonnx_to_finn, FINN's step of that name: a QONNX model (Quant/BipolarQuant/Trunc nodes as
// Brevitas exports them) is cleaned up and converted to FINN-ONNX: quantized weights folded into
// integer initializers, activation quantizers into MultiThresholds. A model without quantizers
// passes through untouched. Verification hook: finn_onnx_python (file tag qonnx_to_finn_python,
// as FINN main writes it).
#include "finn/transform/qonnx_to_finn.h"

#include "builtin_steps.h"
#include "finn/step/step_tool.h"

namespace finn::steps {
namespace {

constexpr StepVerification kVerification{VerificationStepType::QONNX_TO_FINN_PYTHON,
                                         "qonnx_to_finn_python"};

void run(StepContext& ctx) {
    if (!has_qonnx_quantizers(ctx.model())) {
        ctx.skip_verification(kVerification, "the model has no QONNX quantizers to convert");
        return;
    }
    qonnx_to_finn_step_pipeline(ctx.config().max_multithreshold_bit_width,
                                [&](const std::string& warning) { ctx.log(warning); })
        .run(ctx.model());
    ctx.verify_if_requested(kVerification);
}

} // namespace

const StepDeclaration qonnx_to_finn{
    .name = "step_qonnx_to_finn",
    .summary = "QONNX (Brevitas export) to FINN-ONNX conversion",
    .reads = {"max_multithreshold_bit_width"},
    .verification = kVerification,
    .run = run,
};

} // namespace finn::steps
