// Bit-accurate model of FINN's FMPadding (spec finn-ops.md §3.5, hls/rtl/fmpadding): words of SIMD
// elements in, pixel by pixel (C/SIMD words a pixel), the zero-padded map's words out. Zero words
// are all-zero bit patterns: the value 0 of every type that holds it (BIPOLAR does not).
#pragma once

#include "finn/hls/packed_word.h"

namespace finn::hls {

struct FmPaddingParams {
    unsigned height = 1, width = 1;                    // ImgDim
    unsigned top = 0, left = 0, bottom = 0, right = 0; // Padding
    unsigned channels = 1, simd = 1;                   // NumChannels, SIMD
    unsigned bits = 1;                                 // bitwidth(inputDataType)
};

class FmPaddingModel {
public:
    // Throws std::invalid_argument for inconsistent parameters.
    explicit FmPaddingModel(FmPaddingParams params);

    // Whole frames: the word count must be a multiple of height*width*channels/simd.
    WordStream run(const WordStream& input) const;

private:
    FmPaddingParams p_;
};

} // namespace finn::hls
