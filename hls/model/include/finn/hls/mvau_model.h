// Bit-accurate model of FINN's MVAU (hls/rtl/mvau/mvau.sv): words of SIMD input elements in
// (MW/SIMD per vector), words of PE outputs out (MH/PE per vector), y = x @ W with FINN's fold
// order, then the accumulator (noActivation) or the MultiThreshold activation.
#pragma once

#include "finn/hls/element_packing.h"
#include "finn/hls/packed_word.h"
#include "finn/hls/threshold_table.h"

#include <cstdint>
#include <vector>

namespace finn::hls {

struct MvauParams {
    unsigned mw = 1, mh = 1, pe = 1, simd = 1;
    ElementType input;  // inputDataType
    ElementType weight; // weightDataType
    // binaryXnorMode: BINARY operands, acc = #{i : x_i == w_i}. BIPOLAR x BIPOLAR counts the
    // same way: acc = (x . w + MW) / 2.
    bool xnor = false;
    std::vector<std::int64_t> weights; // W as in ONNX: MW rows x MH columns, row-major
    bool no_activation = true;
    // noActivation: the accumulator in the output type's bits. Otherwise ActVal + count in its
    // bits; a BIPOLAR output is the count bit (FINN's 2*count-1; ActVal unused).
    ElementType output;
    std::int64_t act_val = 0;
    ThresholdTable thresholds; // type = accDataType; unused with no_activation
    // FINN's VVAU (hls/rtl/vvau/vvau.sv): mw is the kernel size k, mh the channel count C, W the
    // (k, C) matrix W[i][c]; output channel c reads input channel c only. Input words hold SIMD*PE
    // consecutive elements of each pixel's Im2Col order (k, C) (SIMD > 1 needs PE = C), and the
    // weight image's tiles follow that order: word sf*NF + nf. No xnor.
    bool depthwise = false;
};

class MvauModel {
public:
    // Throws std::invalid_argument for inconsistent parameters.
    explicit MvauModel(MvauParams params);

    // Whole vectors: the word count must be a multiple of MW/SIMD (depthwise: MW/SIMD * MH/PE
    // words per pixel).
    WordStream run(const WordStream& input) const;
    // The WEIGHT_FILE image: word nf*SF+sf (depthwise: sf*NF+nf) holds W^T[nf*PE+p][sf*SIMD+s]
    // at bits [(p*SIMD+s)*wbits, +wbits) (FINN's decoupled weight stream word).
    WordStream weight_memory() const;
    // The THRESH_FILE image (noActivation 0).
    WordStream threshold_memory() const { return p_.thresholds.memory(p_.mh, p_.pe); }

    // The accumulator of output channel `column` for one input vector (MW values).
    std::int64_t accumulate(const std::int64_t* vector, unsigned column) const;

private:
    MvauParams p_;
};

} // namespace finn::hls
