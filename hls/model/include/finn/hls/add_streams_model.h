// Bit-accurate model of FINN's AddStreams (hls/rtl/add_streams/add_streams.sv): two streams of
// words of PE elements in, their element-wise sums out in the output type's bits.
#pragma once

#include "finn/hls/element_packing.h"
#include "finn/hls/packed_word.h"

namespace finn::hls {

struct AddStreamsParams {
    unsigned channels = 1, pe = 1; // NumChannels, PE
    ElementType input;             // inputDataType of both inputs
    ElementType output;            // one bit wider (FINN), holding every sum
};

class AddStreamsModel {
public:
    // Throws std::invalid_argument for inconsistent parameters: BIPOLAR inputs (FINN's
    // AddStreams adds integers) and an output type that cannot hold every sum (TERNARY with
    // FINN's INT2) included.
    explicit AddStreamsModel(AddStreamsParams params);
    // Whole vectors on both inputs, the same number of words.
    WordStream run(const WordStream& a, const WordStream& b) const;

private:
    AddStreamsParams p_;
};

} // namespace finn::hls
