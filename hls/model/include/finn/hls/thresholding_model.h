// Bit-accurate model of FINN's Thresholding layer (hls/rtl/thresholding/thresholding.sv): words
// of PE input elements in, words of PE outputs out, y = ActVal + #{s : x >= T[c, s]} emitted as
// its low output-type bits (a BIPOLAR output is the bit y, i.e. 2y-1 in FINN's model).
#pragma once

#include "finn/hls/element_packing.h"
#include "finn/hls/packed_word.h"
#include "finn/hls/threshold_table.h"

#include <cstdint>

namespace finn::hls {

struct ThresholdingParams {
    unsigned channels = 1; // NumChannels
    unsigned pe = 1;
    ElementType input;  // inputDataType
    ElementType output; // outputDataType
    std::int64_t act_val = 0;
    ThresholdTable thresholds; // type = weightDataType
};

class ThresholdingModel {
public:
    // Throws std::invalid_argument for inconsistent parameters.
    explicit ThresholdingModel(ThresholdingParams params);

    // Whole frames: the word count must be a multiple of channels/PE.
    WordStream run(const WordStream& input) const;
    // The THRESH_FILE image.
    WordStream threshold_memory() const { return p_.thresholds.memory(p_.channels, p_.pe); }

private:
    ThresholdingParams p_;
};

} // namespace finn::hls
