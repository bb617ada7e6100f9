// Bit-accurate model of FINN's LabelSelect (finn-hlslib's LabelSelect_Batch, spec finn-ops.md
// §3.7): words of PE input elements in (Labels/PE per vector), K words of one label index each out
// (outputDataType bits), the index of the highest value first.
//
// The hardware keeps a sorted list of K (value, label) entries initialised to (the input type's
// minimum, label 0) and lets an element in only when it is strictly greater than an entry, so
// among equal values the lowest index wins. One consequence differs from ONNX TopK (the reference
// execution): when fewer than K elements of a vector exceed the input type's minimum, the
// remaining outputs are label 0, not the indices of the minimal elements.
#pragma once

#include "finn/hls/element_packing.h"
#include "finn/hls/packed_word.h"

#include <cstdint>
#include <vector>

namespace finn::hls {

struct LabelSelectParams {
    unsigned labels = 1, pe = 1, k = 1;
    ElementType input;  // inputDataType
    ElementType output; // outputDataType: must hold Labels - 1
};

class LabelSelectModel {
public:
    // Throws std::invalid_argument for inconsistent parameters.
    explicit LabelSelectModel(LabelSelectParams params);

    // Whole vectors: the word count must be a multiple of Labels/PE.
    WordStream run(const WordStream& input) const;
    // The K labels of one vector (Labels values), highest first, as the hardware selects them.
    std::vector<std::int64_t> select(const std::int64_t* vector) const;

private:
    LabelSelectParams p_;
};

} // namespace finn::hls
