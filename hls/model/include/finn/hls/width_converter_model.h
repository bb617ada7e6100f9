// Bit-accurate model of FINN's StreamingDataWidthConverter (hls/rtl/common/streaming_dwc.sv) for
// any input and output widths: the stream is one sequence of bits, each word's least significant
// bit first, cut into output words of out_width bits (padded with zeros to whole bytes).
#pragma once

#include "finn/hls/packed_word.h"

#include <cstddef>
#include <optional>
#include <vector>

namespace finn::hls {

class WidthConverterModel {
public:
    // Widths before padding: the node attributes inWidth and outWidth.
    WidthConverterModel(unsigned in_width, unsigned out_width);

    // Takes the low in_width bits of `word` (the rest is padding).
    void push(const PackedWord& word);
    // The next output word once out_width bits are pending.
    std::optional<PackedWord> pop();
    // Bits received but not yet sent (always < out_width after popping everything).
    std::size_t pending_bits() const { return pending_.size() - head_; }

    // A whole stream; throws std::invalid_argument when its bits do not fill whole output words.
    WordStream run(const WordStream& input);

private:
    unsigned in_width_;
    unsigned out_width_;
    std::vector<bool> pending_;
    std::size_t head_ = 0; // first pending bit
};

} // namespace finn::hls
