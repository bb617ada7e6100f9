// FINN's choice between the HLS and RTL variants of the layers with weights (private to
// lib/hw/): MVAU and VVAU take the RTL variant by default only when it fits the DSP blocks.
#pragma once

#include "finn/hw/layer_definition.h"

namespace finn::hw {

// Both operands at least 4 bits wide (below that the HLS variant is FINN's default).
bool weights_and_inputs_at_least_4_bits(const Node& node);

// Without a preference: rtl when `default_rtl` (evaluated only then), else hls. Preferring rtl:
// rtl when `rtl_possible`, else hls with FINN's warning (plus `note`). Preferring hls: hls.
std::string choose_weight_layer_impl(const ImplRequest& request,
                                     const std::function<bool()>& default_rtl,
                                     const std::function<bool()>& rtl_possible,
                                     const std::string& note);

} // namespace finn::hw
