// step_synthesize_bitfile, FINN's step of that name: the stitched IP placed into the shell and
// synthesized into a bitfile. Declared for planning only: Finn has no tool for it yet
// (builtin_steps.def).
#include "builtin_steps.h"

namespace finn::steps {

const StepDeclaration synthesize_bitfile{
    .name = "step_synthesize_bitfile",
    .summary = "synthesize the bitfile",
    .reads = with_part_keys({"synth_clk_period_ns", "enable_hw_debug", "vitis_platform",
                             "vitis_floorplan_file", "vitis_opt_strategy"}),
    .product = {{DataflowOutputType::BITFILE, "bitfile"}},
    .pool = StepPool::VendorConsole,
};

} // namespace finn::steps
