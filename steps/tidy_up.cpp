// finn-step-tidy-up: FINN's step_tidy_up — shape inference, constant folding, qonnx's node and
// tensor names, datatype inference, static inputs removed. Verification hook: initial_python.
#include "finn/transform/tidy_up.h"

#include "finn/step/step_tool.h"

int main(int argc, char** argv) {
    finn::StepDefinition step{
        "step_tidy_up",
        "shape inference, constant folding, unique readable names, datatype inference",
        [](finn::StepContext& ctx) {
            finn::tidy_up_step_pipeline().run(ctx.model());
            ctx.verify_if_requested(finn::VerificationStepType::TIDY_UP_PYTHON, "initial_python");
        }};
    return finn::run_step_tool(step, argc, argv);
}
