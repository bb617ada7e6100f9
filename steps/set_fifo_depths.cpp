// step_set_fifo_depths, FINN's step of that name: the depths of the FIFOs between the layers, sized
// by simulation or taken from the folding config. Declared for planning only: Finn has no tool for
// it yet (builtin_steps.def).
#include "builtin_steps.h"

namespace finn::steps {

const StepDeclaration set_fifo_depths{
    .name = "step_set_fifo_depths",
    .summary = "size the FIFOs between the hardware layers",
    .reads = with_part_keys({"auto_fifo_depths", "auto_fifo_strategy", "split_large_fifos",
                             "force_python_rtlsim", "large_fifo_mem_style", "default_swg_exception",
                             "folding_config_file", "synth_clk_period_ns", "hls_clk_period_ns"}),
    .pool = StepPool::Heavy,
};

} // namespace finn::steps
