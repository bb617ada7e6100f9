#include "finn/hls/streaming_fifo_model.h"

#include <algorithm>
#include <stdexcept>

namespace finn::hls {

StreamingFifoModel::StreamingFifoModel(unsigned depth, unsigned width)
    : depth_(depth), width_(width) {
    if (depth == 0 || width == 0)
        throw std::invalid_argument("StreamingFifoModel: depth and width must be at least 1");
}

void StreamingFifoModel::push(const PackedWord& word) {
    if (!can_push()) throw std::logic_error("StreamingFifoModel: push into a full FIFO");
    // Only the stream width is stored; the padding reads back as zero.
    PackedWord stored(padded_width(width_));
    for (unsigned offset = 0; offset < width_; offset += 64) {
        const unsigned count = std::min(64u, width_ - offset);
        stored.set_bits(offset, count, word.bits(offset, count));
    }
    words_.push_back(std::move(stored));
    max_count_ = std::max(max_count_, words_.size());
}

PackedWord StreamingFifoModel::pop() {
    if (!can_pop()) throw std::logic_error("StreamingFifoModel: pop from an empty FIFO");
    PackedWord word = std::move(words_.front());
    words_.pop_front();
    return word;
}

WordStream StreamingFifoModel::run(const WordStream& input) {
    WordStream output;
    output.reserve(input.size());
    for (const PackedWord& word : input) {
        push(word);
        output.push_back(pop());
    }
    return output;
}

} // namespace finn::hls
