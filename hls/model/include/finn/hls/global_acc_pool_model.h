// Bit-accurate model of FINN's GlobalAccPool (hls/rtl/global_acc_pool/global_acc_pool.sv): per
// frame of `pixels` pixels (channels/PE words of PE elements each), one pixel of per-channel sums.
#pragma once

#include "finn/hls/element_packing.h"
#include "finn/hls/packed_word.h"

namespace finn::hls {

struct GlobalAccPoolParams {
    unsigned pixels = 1; // H*W
    unsigned channels = 1, pe = 1;
    ElementType input;  // inputDataType
    ElementType output; // holds every sum (FINN's output type); emitted as its low bits
};

class GlobalAccPoolModel {
public:
    // Throws std::invalid_argument for inconsistent parameters.
    explicit GlobalAccPoolModel(GlobalAccPoolParams params);

    // Whole frames: the word count must be a multiple of pixels * channels/PE.
    WordStream run(const WordStream& input) const;

private:
    GlobalAccPoolParams p_;
};

} // namespace finn::hls
