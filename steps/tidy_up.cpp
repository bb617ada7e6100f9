// step_tidy_up, FINN's step of that name: shape inference, constant folding, qonnx's node and
// tensor names, datatype inference, static inputs removed. Verification hook: initial_python.
#include "finn/transform/tidy_up.h"

#include "builtin_steps.h"
#include "finn/step/step_tool.h"

namespace finn::steps {
namespace {

constexpr StepVerification kVerification{VerificationStepType::TIDY_UP_PYTHON, "initial_python"};

void run(StepContext& ctx) {
    tidy_up_step_pipeline().run(ctx.model());
    ctx.verify_if_requested(kVerification);
}

} // namespace

const StepDeclaration tidy_up{
    .name = "step_tidy_up",
    .summary = "shape inference, constant folding, unique readable names, datatype inference",
    .verification = kVerification,
    .run = run,
};

} // namespace finn::steps
