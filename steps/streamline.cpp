// step_streamline, FINN's step of that name: moves and absorbs the linear operations into
// thresholds, bipolar MatMuls to XNOR-popcount, scalar Mul/Add into TopK. Verification hook:
// streamlined_python.
#include "finn/transform/streamline.h"

#include "builtin_steps.h"
#include "finn/step/step_tool.h"

namespace finn::steps {
namespace {

constexpr StepVerification kVerification{VerificationStepType::STREAMLINED_PYTHON,
                                         "streamlined_python"};

void run(StepContext& ctx) {
    streamline_step_pipeline().run(ctx.model());
    ctx.verify_if_requested(kVerification);
}

} // namespace

const StepDeclaration streamline{
    .name = "step_streamline",
    .summary = "streamlining: linear operations absorbed into multi-thresholds",
    .verification = kVerification,
    .run = run,
};

} // namespace finn::steps
