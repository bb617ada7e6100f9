// step_make_pynq_driver, FINN's step of that name: the PYNQ Python driver (driver/driver.py, I/O
// shapes and packing). Declared for planning only: Finn has no tool for it yet (builtin_steps.def).
#include "builtin_steps.h"

namespace finn::steps {

const StepDeclaration make_pynq_driver{
    .name = "step_make_pynq_driver",
    .summary = "write the PYNQ driver",
    .aliases = {"step_make_driver"},
    .reads = {"board", "shell_flow_type"},
    .product = {{DataflowOutputType::PYNQ_DRIVER, "driver"}},
};

} // namespace finn::steps
