// Bit-accurate model of FINN's StreamingMaxPool (hls/rtl/streaming_maxpool/streaming_maxpool.sv):
// max pooling with stride = kernel over a height x width image of channels/PE words per pixel.
// Without ceil mode trailing rows/columns that fill no whole window are dropped; with it a last
// partial window takes the max of what it covers.
#pragma once

#include "finn/hls/element_packing.h"
#include "finn/hls/packed_word.h"

namespace finn::hls {

struct StreamingMaxPoolParams {
    unsigned height = 1, width = 1;      // ImgDim
    unsigned kernel_h = 1, kernel_w = 1; // PoolDim
    bool ceil_mode = false;              // CeilMode
    unsigned channels = 1, pe = 1;       // NumChannels, elements per word
    ElementType type;                    // dataType

    unsigned out_height() const;
    unsigned out_width() const;
};

class StreamingMaxPoolModel {
public:
    // Throws std::invalid_argument for inconsistent parameters.
    explicit StreamingMaxPoolModel(StreamingMaxPoolParams params);

    // Whole frames: the word count must be a multiple of height * width * channels/PE.
    WordStream run(const WordStream& input) const;

private:
    StreamingMaxPoolParams p_;
};

} // namespace finn::hls
