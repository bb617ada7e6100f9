// Bit-accurate model of FINN's DownSampler (hls/rtl/downsampler/downsampler.sv): an image of
// height x width pixels, each channels/SIMD words, keeps the pixels whose row and column are
// multiples of the stride; the kept words pass unchanged.
#pragma once

#include "finn/hls/packed_word.h"

namespace finn::hls {

struct DownSamplerParams {
    unsigned height = 1, width = 1; // the input image
    unsigned channels = 1, simd = 1;
    unsigned stride = 1;
};

class DownSamplerModel {
public:
    // Throws std::invalid_argument for inconsistent parameters.
    explicit DownSamplerModel(DownSamplerParams params);

    // Whole frames: the word count must be a multiple of height * width * channels/SIMD.
    WordStream run(const WordStream& input) const;

private:
    DownSamplerParams p_;
};

} // namespace finn::hls
