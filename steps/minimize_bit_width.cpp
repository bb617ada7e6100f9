// step_minimize_bit_width, FINN's step of that name: when minimize_bit_width (default true):
// MinimizeWeightBitWidth, MinimizeAccumulatorWidth, InferDataTypes. The model computes exactly
// what it computed before (see minimize_bit_width.cpp for the differences from FINN).
#include "builtin_steps.h"
#include "finn/step/step_tool.h"
#include "finn/transform/folding.h"
#include "finn/transform/tidy_up.h"

namespace finn::steps {
namespace {

void run(StepContext& ctx) {
    if (!ctx.config().minimize_bit_width) return;
    auto log = [&ctx](const std::string& line) { ctx.log("Warning: " + line); };
    MinimizeWeightBitWidth().run(ctx.model());
    MinimizeAccumulatorWidth(log).run(ctx.model());
    InferDataTypes().run(ctx.model());
}

} // namespace

const StepDeclaration minimize_bit_width{
    .name = "step_minimize_bit_width",
    .summary = "shrink weight and accumulator datatypes to what they need",
    .reads = {"minimize_bit_width"},
    .run = run,
};

} // namespace finn::steps
