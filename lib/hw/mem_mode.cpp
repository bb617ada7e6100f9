#include "finn/hw/mem_mode.h"

namespace finn::hw {

const std::vector<std::pair<std::string, std::string>>& legacy_mem_modes() {
    static const std::vector<std::pair<std::string, std::string>> modes = {
        {"const", "internal_embedded"}, {"decoupled", "internal_decoupled"}};
    return modes;
}

std::string canonical_mem_mode(const std::string& mem_mode) {
    for (const auto& [legacy, current] : legacy_mem_modes())
        if (mem_mode == legacy) return current;
    return mem_mode;
}

} // namespace finn::hw
