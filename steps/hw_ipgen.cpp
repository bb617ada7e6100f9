// step_hw_ipgen, FINN's step of that name: every hardware layer built into its own IP block.
// Declared for planning only: Finn has no tool for it yet (builtin_steps.def).
#include "builtin_steps.h"

namespace finn::steps {

const StepDeclaration hw_ipgen{
    .name = "step_hw_ipgen",
    .summary = "build the IP block of every hardware layer",
    .aliases = {"step_hls_ipgen"},
    .reads = with_part_keys({"synth_clk_period_ns", "hls_clk_period_ns"}),
    .pool = StepPool::Heavy,
};

} // namespace finn::steps
