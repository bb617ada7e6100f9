// step_deployment_package, FINN's step of that name: the bitfile and the driver gathered into
// deploy/. Declared for planning only: Finn has no tool for it yet (builtin_steps.def).
#include "builtin_steps.h"

namespace finn::steps {

const StepDeclaration deployment_package{
    .name = "step_deployment_package",
    .summary = "gather the deployment package",
    .product = {{DataflowOutputType::DEPLOYMENT_PACKAGE, "deploy"}},
};

} // namespace finn::steps
