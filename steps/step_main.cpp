// The main() of every built-in step tool: steps/CMakeLists.txt compiles it once per FINN_STEP line
// of builtin_steps.def, with FINN_STEP_ID naming the step's declaration.
#include "builtin_steps.h"
#include "finn/step/step_tool.h"

int main(int argc, char** argv) {
    return finn::run_step_tool(finn::steps::FINN_STEP_ID, argc, argv);
}
