// An include that points down, which the check accepts; this file is never compiled.
#include "finn/core/tensor.h"
