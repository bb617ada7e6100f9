// step_create_stitched_ip, FINN's step of that name: the layers and their FIFOs stitched into one
// IP. Verification hook: stitched_ip_rtlsim. Declared for planning only: Finn has no tool for it
// yet (builtin_steps.def).
#include "builtin_steps.h"

namespace finn::steps {

const StepDeclaration create_stitched_ip{
    .name = "step_create_stitched_ip",
    .summary = "stitch the hardware layers into one IP",
    .reads = with_part_keys({"synth_clk_period_ns", "stitched_ip_gen_dcp", "signature",
                             "verify_save_rtlsim_waveforms", "rtlsim_use_vivado_comps",
                             "save_intermediate_models"}),
    .product = {{DataflowOutputType::STITCHED_IP, "stitched_ip"}},
    .verification = {{VerificationStepType::STITCHED_IP_RTLSIM, "stitched_ip_rtlsim"}},
    .pool = StepPool::Heavy,
};

} // namespace finn::steps
