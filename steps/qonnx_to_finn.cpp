// finn-step-qonnx-to-finn: FINN's step_qonnx_to_finn — a QONNX model (Quant/BipolarQuant/Trunc
// nodes as Brevitas exports them) is cleaned up and converted to FINN-ONNX: quantized weights
// folded into integer initializers, activation quantizers into MultiThresholds. A model without
// quantizers passes through untouched. Verification hook: finn_onnx_python (file tag
// qonnx_to_finn_python, as FINN main writes it).
#include "finn/transform/qonnx_to_finn.h"

#include "finn/step/step_tool.h"

int main(int argc, char** argv) {
    finn::StepDefinition step{
        "step_qonnx_to_finn", "QONNX (Brevitas export) to FINN-ONNX conversion",
        [](finn::StepContext& ctx) {
            if (!finn::has_qonnx_quantizers(ctx.model())) return;
            finn::qonnx_to_finn_step_pipeline(ctx.config().max_multithreshold_bit_width,
                                              [&](const std::string& warning) { ctx.log(warning); })
                .run(ctx.model());
            ctx.verify_if_requested(finn::VerificationStepType::QONNX_TO_FINN_PYTHON,
                                    "qonnx_to_finn_python");
        }};
    return finn::run_step_tool(step, argc, argv);
}
