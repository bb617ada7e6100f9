// Bit-accurate model of FINN's ChannelwiseOp (hls/rtl/channelwise_op/channelwise_op.sv): words of
// PE elements in, y = Func(p[c], x) out in the output type's bits.
#pragma once

#include "finn/hls/element_packing.h"
#include "finn/hls/packed_word.h"

#include <cstdint>
#include <string>
#include <vector>

namespace finn::hls {

struct ChannelwiseOpParams {
    unsigned channels = 1, pe = 1;    // NumChannels, PE
    std::string func = "add";         // Func: add (p + x), mul (p * x), cmp_le (p <= x), cmp_ge
    ElementType input;                // inputDataType
    ElementType param;                // paramDataType
    ElementType output;               // outputDataType: the result's low bits are emitted
    std::vector<std::int64_t> params; // one per channel, or one shared by every channel
};

class ChannelwiseOpModel {
public:
    // Throws std::invalid_argument for inconsistent parameters (BIPOLAR operands included).
    explicit ChannelwiseOpModel(ChannelwiseOpParams params);
    // Whole vectors: the word count must be a multiple of channels/PE.
    WordStream run(const WordStream& input) const;
    // The PARAM_FILE image: shared, one word of the parameter; otherwise channels/PE words, word
    // f holds channel f*PE + p's parameter at bits [p*b, +b) (FINN's interleave over PE).
    WordStream param_memory() const;
    bool shared() const { return p_.params.size() == 1; }

private:
    ChannelwiseOpParams p_;
};

} // namespace finn::hls
