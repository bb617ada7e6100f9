// step_measure_rtlsim_performance, FINN's step of that name: throughput and latency of the stitched
// IP measured in RTL simulation. Declared for planning only: Finn has no tool for it yet
// (builtin_steps.def).
#include "builtin_steps.h"

namespace finn::steps {

const StepDeclaration measure_rtlsim_performance{
    .name = "step_measure_rtlsim_performance",
    .summary = "measure the performance of the stitched IP in RTL simulation",
    .reads = with_part_keys({"synth_clk_period_ns", "force_python_rtlsim", "rtlsim_batch_size",
                             "verify_save_rtlsim_waveforms", "rtlsim_use_vivado_comps"}),
    .product = {{DataflowOutputType::RTLSIM_PERFORMANCE, "rtlsim"}},
    .requires_products = {DataflowOutputType::STITCHED_IP},
    .pool = StepPool::Heavy,
};

} // namespace finn::steps
