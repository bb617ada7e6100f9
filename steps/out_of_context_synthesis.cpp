// step_out_of_context_synthesis, FINN's step of that name: out-of-context synthesis of the stitched
// IP for resource and timing figures. Declared for planning only: Finn has no tool for it yet
// (builtin_steps.def).
#include "builtin_steps.h"

namespace finn::steps {

const StepDeclaration out_of_context_synthesis{
    .name = "step_out_of_context_synthesis",
    .summary = "synthesize the stitched IP out of context",
    .reads = with_part_keys({"synth_clk_period_ns"}),
    .product = {{DataflowOutputType::OOC_SYNTH, "ooc_synth"}},
    .requires_products = {DataflowOutputType::STITCHED_IP},
    .pool = StepPool::Heavy,
};

} // namespace finn::steps
