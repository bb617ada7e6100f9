// step_hw_codegen, FINN's step of that name: code generation of every hardware layer (HLS or RTL
// sources). Declared for planning only: Finn has no tool for it yet (builtin_steps.def).
#include "builtin_steps.h"

namespace finn::steps {

const StepDeclaration hw_codegen{
    .name = "step_hw_codegen",
    .summary = "generate the sources of every hardware layer",
    .aliases = {"step_hls_codegen"},
    .reads = with_part_keys({"synth_clk_period_ns", "hls_clk_period_ns"}),
};

} // namespace finn::steps
