// finn-step-minimize-bit-width: FINN's step_minimize_bit_width — when minimize_bit_width (default
// true): MinimizeWeightBitWidth, MinimizeAccumulatorWidth, InferDataTypes. The model computes
// exactly what it computed before (see minimize_bit_width.cpp for the differences from FINN).
#include "finn/step/step_tool.h"
#include "finn/transform/folding.h"
#include "finn/transform/tidy_up.h"

int main(int argc, char** argv) {
    finn::StepDefinition step{
        "step_minimize_bit_width", "shrink weight and accumulator datatypes to what they need",
        [](finn::StepContext& ctx) {
            if (!ctx.config().minimize_bit_width) return;
            auto log = [&ctx](const std::string& line) { ctx.log("Warning: " + line); };
            finn::MinimizeWeightBitWidth().run(ctx.model());
            finn::MinimizeAccumulatorWidth(log).run(ctx.model());
            finn::InferDataTypes().run(ctx.model());
        }};
    return finn::run_step_tool(step, argc, argv);
}
