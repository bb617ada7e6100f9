// Bit-accurate model of FINN's StreamingFIFO (hls/rtl/common/streaming_fifo.sv): a bounded queue
// of `depth` words. Values pass unchanged; the padding bits above the stream width come out as
// zero, because the hardware does not store them.
#pragma once

#include "finn/hls/packed_word.h"

#include <cstddef>
#include <deque>

namespace finn::hls {

class StreamingFifoModel {
public:
    // width: folded_shape[-1] * bitwidth, before padding; depth >= 1.
    StreamingFifoModel(unsigned depth, unsigned width);

    bool can_push() const { return words_.size() < depth_; }
    bool can_pop() const { return !words_.empty(); }
    // Throws std::logic_error when full (push) or empty (pop).
    void push(const PackedWord& word);
    PackedWord pop();

    std::size_t count() const { return words_.size(); }
    // The highest occupancy so far (the hardware's `maxcount` depth monitor).
    std::size_t max_count() const { return max_count_; }

    // The whole stream through the FIFO (a consumer that is always ready).
    WordStream run(const WordStream& input);

private:
    unsigned depth_;
    unsigned width_;
    std::deque<PackedWord> words_;
    std::size_t max_count_ = 0;
};

} // namespace finn::hls
