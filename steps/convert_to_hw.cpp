// step_convert_to_hw, FINN's step of that name: streamlined operators become FINN's hardware
// layers (MVAU, Thresholding, LabelSelect, ConvolutionInputGenerator, FMPadding, DownSampler,
// StreamingMaxPool, ...) in finn.custom_op.fpgadataflow. A node that cannot become hardware and is
// not allowed glue at the graph's edges stops the step with an error naming it.
#include "finn/transform/convert_to_hw.h"

#include "builtin_steps.h"
#include "finn/step/step_tool.h"

namespace finn::steps {
namespace {

void run(StepContext& ctx) {
    convert_to_hw_step_pipeline(ctx.config().standalone_thresholds).run(ctx.model());
}

} // namespace

const StepDeclaration convert_to_hw{
    .name = "step_convert_to_hw",
    .summary = "conversion to FINN hardware layers",
    .aliases = {"step_convert_to_hls"},
    .reads = {"standalone_thresholds"},
    .run = run,
};

} // namespace finn::steps
