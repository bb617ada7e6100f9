#include "finn/hls/width_converter_model.h"

#include <stdexcept>
#include <string>

namespace finn::hls {

WidthConverterModel::WidthConverterModel(unsigned in_width, unsigned out_width)
    : in_width_(in_width), out_width_(out_width) {
    if (in_width == 0 || out_width == 0)
        throw std::invalid_argument("WidthConverterModel: widths must be at least 1");
}

void WidthConverterModel::push(const PackedWord& word) {
    for (unsigned i = 0; i < in_width_; ++i)
        pending_.push_back(word.bit(i));
}

std::optional<PackedWord> WidthConverterModel::pop() {
    if (pending_bits() < out_width_) return std::nullopt;
    PackedWord word(padded_width(out_width_));
    for (unsigned i = 0; i < out_width_; ++i)
        if (pending_[head_ + i]) word.set_bits(i, 1, 1);
    head_ += out_width_;
    // Drop consumed bits now and then, so a long stream does not keep them all.
    if (head_ > 4096 && head_ * 2 > pending_.size()) {
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(head_));
        head_ = 0;
    }
    return word;
}

WordStream WidthConverterModel::run(const WordStream& input) {
    WordStream output;
    for (const PackedWord& word : input) {
        push(word);
        while (auto out = pop())
            output.push_back(std::move(*out));
    }
    if (pending_bits() != 0)
        throw std::invalid_argument("WidthConverterModel: " + std::to_string(pending_bits()) +
                                    " bits left over; the stream does not fill whole " +
                                    std::to_string(out_width_) + "-bit output words");
    return output;
}

} // namespace finn::hls
