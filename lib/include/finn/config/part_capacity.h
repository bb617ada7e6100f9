// What an FPGA part offers to a dataflow design: LUTs, BRAM_18K, URAM and DSP slices of the
// parts in FINN's board tables, from Xilinx's product tables. The estimate report holds the sum
// of the per-layer estimates against these (FINN itself never does).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace finn {

struct PartCapacity {
    std::string_view device; // the part name up to the package, e.g. "xc7z020"
    std::int64_t lut;
    std::int64_t bram_18k; // block RAM in 18 Kb halves (a 36 Kb block counts 2), as FINN counts
    std::int64_t uram;
    std::int64_t dsp;
    std::string_view source; // the Xilinx data sheet the figures come from
};

std::span<const PartCapacity> part_capacities();

// The capacity of `fpga_part` (a full part name such as "xc7z020clg400-1"), nullptr for a part
// not in the table.
const PartCapacity* find_part_capacity(std::string_view fpga_part);

} // namespace finn
