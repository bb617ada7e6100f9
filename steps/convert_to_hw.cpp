// finn-step-convert-to-hw: FINN's step_convert_to_hw — streamlined operators become FINN's
// hardware layers (MVAU, Thresholding, LabelSelect, ConvolutionInputGenerator, FMPadding,
// StreamingMaxPool) in finn.custom_op.fpgadataflow. A node that cannot become hardware and is
// not allowed glue at the graph's edges stops the step with an error naming it.
#include "finn/transform/convert_to_hw.h"

#include "finn/step/step_tool.h"

int main(int argc, char** argv) {
    finn::StepDefinition step{
        "step_convert_to_hw", "conversion to FINN hardware layers", [](finn::StepContext& ctx) {
            finn::convert_to_hw_step_pipeline(ctx.config().standalone_thresholds).run(ctx.model());
        }};
    return finn::run_step_tool(step, argc, argv);
}
