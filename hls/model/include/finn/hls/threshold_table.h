// The thresholds of a MultiThreshold activation (Thresholding, MVAU): one row of `steps` values
// per channel, or one row shared by every channel. Counts reached thresholds as the hardware
// does and lays the rows out as the components' threshold memory (hls/README.md, "Memory files").
#pragma once

#include "finn/hls/element_packing.h"
#include "finn/hls/packed_word.h"

#include <cstdint>
#include <vector>

namespace finn::hls {

struct ThresholdTable {
    unsigned rows = 1; // 1 (shared) or the channel count
    unsigned steps = 1;
    ElementType type;                 // the thresholds' datatype (bit layout in memory)
    std::vector<std::int64_t> values; // rows x steps, row-major

    bool shared() const { return rows == 1; }
    // #{s : value >= T[c, s]}, c = channel or 0 when shared.
    unsigned count(std::int64_t value, unsigned channel) const;
    // Throws std::invalid_argument unless values has rows*steps entries that `type` allows and
    // rows is 1 or `channels`.
    void check(unsigned channels) const;
    // The memory image for PE lanes: shared, one word of the row; otherwise word f holds the rows
    // of channels f*PE .. f*PE+PE-1, channel f*PE+p's step s at bits [(p*steps+s)*b, +b).
    WordStream memory(unsigned channels, unsigned pe) const;
};

} // namespace finn::hls
