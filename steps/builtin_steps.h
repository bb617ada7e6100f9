// The built-in steps: one StepDeclaration per line of builtin_steps.def, defined in
// steps/<id>.cpp, and the catalog of them in FINN main's order.
#pragma once

#include "finn/config/step_catalog.h"

namespace finn {
namespace steps {

#define FINN_STEP(id) extern const StepDeclaration id;
#define FINN_PLANNED_STEP(id) extern const StepDeclaration id;
#include "builtin_steps.def"
#undef FINN_STEP
#undef FINN_PLANNED_STEP

} // namespace steps

// Every built-in step, FINN main's default order.
const StepCatalog& builtin_step_catalog();

} // namespace finn
