// Bit-accurate model of FINN's ConvolutionInputGenerator (sliding window generator, spec
// finn-ops.md §3.4, hls/rtl/convolution_input_generator): words of SIMD elements in, pixel by
// pixel (C/SIMD words a pixel); out the windows in Im2Col order (oy, ox, ky, kx, channel fold),
// one input word per output word, or with the parallel window one word of kh*kw*SIMD elements
// per window (element (ky*kw + kx)*SIMD + s). The depthwise generator emits the same order (the
// normal order between nodes, lib/include/finn/hw/layer_definition.h).
#pragma once

#include "finn/hls/packed_word.h"

namespace finn::hls {

struct SlidingWindowParams {
    unsigned ifm_h = 1, ifm_w = 1;           // IFMDim
    unsigned kernel_h = 1, kernel_w = 1;     // ConvKernelDim
    unsigned stride_h = 1, stride_w = 1;     // Stride
    unsigned dilation_h = 1, dilation_w = 1; // Dilation
    unsigned channels = 1, simd = 1;         // IFMChannels, SIMD
    unsigned bits = 1;                       // bitwidth(inputDataType)
    bool parallel_window = false;            // needs simd == channels

    unsigned ofm_h() const;
    unsigned ofm_w() const;
};

class SlidingWindowModel {
public:
    // Throws std::invalid_argument for inconsistent parameters.
    explicit SlidingWindowModel(SlidingWindowParams params);

    // Whole frames: the word count must be a multiple of ifm_h*ifm_w*channels/simd.
    WordStream run(const WordStream& input) const;

private:
    SlidingWindowParams p_;
};

} // namespace finn::hls
