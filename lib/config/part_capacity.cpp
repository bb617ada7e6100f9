#include "finn/config/part_capacity.h"

#include <array>
#include <cctype>

namespace finn {
namespace {

// The devices of FINN's Zynq and Alveo board tables (finn/util/basic.py). Alveo figures are the
// whole device; the card's shell takes a part of it.
constexpr std::array<PartCapacity, 12> kPartCapacities{{
    {"xc7z020", 53200, 280, 0, 220, "DS190 (Zynq-7000)"},
    {"xczu3eg", 70560, 432, 0, 360, "DS891 (Zynq UltraScale+ MPSoC)"},
    {"xczu7ev", 230400, 624, 96, 1728, "DS891 (Zynq UltraScale+ MPSoC)"},
    {"xczu9eg", 274080, 1824, 0, 2520, "DS891 (Zynq UltraScale+ MPSoC)"},
    {"xczu28dr", 425280, 2160, 80, 4272, "DS889 (Zynq UltraScale+ RFSoC)"},
    {"xczu48dr", 425280, 2160, 80, 4272, "DS889 (Zynq UltraScale+ RFSoC)"},
    {"xck26", 117120, 288, 64, 1248, "DS987 (Kria K26 SOM)"},
    {"xcu50", 871680, 2688, 640, 5952, "DS965 (Alveo U50)"},
    {"xcu200", 1182240, 4320, 960, 6840, "DS962 (Alveo U200/U250)"},
    {"xcu250", 1728000, 5376, 1280, 12288, "DS962 (Alveo U200/U250)"},
    {"xcu280", 1303680, 4032, 960, 9024, "DS963 (Alveo U280)"},
    {"xcu55c", 1303680, 4032, 960, 9024, "Alveo U55C data sheet"},
}};

} // namespace

std::span<const PartCapacity> part_capacities() {
    return kPartCapacities;
}

const PartCapacity* find_part_capacity(std::string_view fpga_part) {
    // The device name is followed by the package ("xc7z020" + "clg400-1"), which starts with a
    // letter: "xcu50" must not match "xcu500...".
    for (const PartCapacity& part : kPartCapacities)
        if (fpga_part.size() > part.device.size() && fpga_part.starts_with(part.device) &&
            !std::isdigit(static_cast<unsigned char>(fpga_part[part.device.size()])))
            return &part;
    return nullptr;
}

} // namespace finn
