#include "builtin_steps.h"

namespace finn {

const StepCatalog& builtin_step_catalog() {
    static const StepDeclaration* const steps[] = {
#define FINN_STEP(id) &steps::id,
#define FINN_PLANNED_STEP(id) &steps::id,
#include "builtin_steps.def"
#undef FINN_STEP
#undef FINN_PLANNED_STEP
    };
    static const StepCatalog catalog(steps);
    return catalog;
}

} // namespace finn
