// FINN's mem_mode of layers with weights or thresholds (MVAU, VVAU, Thresholding) and the legacy
// values that files from FINN before v0.10 carry.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace finn::hw {

// {legacy value, current value}: const -> internal_embedded, decoupled -> internal_decoupled.
const std::vector<std::pair<std::string, std::string>>& legacy_mem_modes();
// mem_mode with a legacy value mapped to today's; other values unchanged.
std::string canonical_mem_mode(const std::string& mem_mode);

} // namespace finn::hw
