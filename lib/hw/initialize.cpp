#include "finn/initialize.h"

#include "finn/hw/layer_definition.h"

#include <mutex>

namespace finn {

void initialize() {
    static std::once_flag once;
    std::call_once(once, [] { hw::register_hardware_dialect(); });
}

} // namespace finn
