// A deliberate wrong arrow (the IR using a hardware layer) that include_direction.cmake must
// reject; this file is never compiled.
#include "finn/hw/registry.h"
