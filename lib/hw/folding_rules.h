// The steps FINN's SetFolding takes for several layers (private to lib/hw/).
#pragma once

#include "finn/hw/hw_layer.h"

#include <cstdint>
#include <string>

namespace finn::hw {

// FINN's optimize_attribute_val: the smallest divisor of `max` that meets the target (or max).
void fold_to_target(HwLayer& layer, const std::string& attr, std::int64_t max, std::int64_t target);

// VVAU and Pool: PE over the channels, then (VVAU) SIMD over the window; the depthwise SWG in
// front must stream exactly PE channels per word, and needs its parallel window for SIMD > 1.
void fold_depthwise(Model& model, HwLayer& layer, std::int64_t target);

} // namespace finn::hw
