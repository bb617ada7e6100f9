// Bit-accurate model of FINN's Pool (hls/rtl/pool/pool.sv): per output pixel, k*channels input
// elements in Im2Col order (window element i of channel c at i*channels + c) in words of PE, out
// channels results in words of PE: the window's max (MaxPool) or its sum shifted right
// arithmetically by `shift` (QuantAvgPool), emitted as the low bits of the output type (FINN's
// HLS assigns to ap_int the same way).
#pragma once

#include "finn/hls/element_packing.h"
#include "finn/hls/packed_word.h"

#include <cstdint>

namespace finn::hls {

struct PoolParams {
    unsigned channels = 1, pe = 1;
    unsigned kernel = 1;  // prod(KernelSize): elements per window
    bool average = false; // Function QuantAvgPool (else MaxPool)
    unsigned shift = 0;   // QuantAvgPool's right shift
    ElementType input;    // InputDataType
    ElementType output;   // OutputDataType

    // QuantAvgPool's shift (spec finn-ops.md §2.8): so that the largest window sum of unsigned
    // `input_bits` values fits in `output_bits`.
    static unsigned quant_avg_shift(unsigned input_bits, unsigned output_bits, unsigned kernel);
};

class PoolModel {
public:
    // Throws std::invalid_argument for inconsistent parameters.
    explicit PoolModel(PoolParams params);

    // Whole output pixels: the word count must be a multiple of kernel * channels/PE.
    WordStream run(const WordStream& input) const;

private:
    PoolParams p_;
};

} // namespace finn::hls
