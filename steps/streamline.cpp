// finn-step-streamline: FINN's step_streamline — moves and absorbs the linear operations into
// thresholds, bipolar MatMuls to XNOR-popcount, scalar Mul/Add into TopK. Verification hook:
// streamlined_python.
#include "finn/transform/streamline.h"

#include "finn/step/step_tool.h"

int main(int argc, char** argv) {
    finn::StepDefinition step{
        "step_streamline", "streamlining: linear operations absorbed into multi-thresholds",
        [](finn::StepContext& ctx) {
            finn::streamline_step_pipeline().run(ctx.model());
            ctx.verify_if_requested(finn::VerificationStepType::STREAMLINED_PYTHON,
                                    "streamlined_python");
        }};
    return finn::run_step_tool(step, argc, argv);
}
