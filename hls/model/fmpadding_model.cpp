#include "finn/hls/fmpadding_model.h"

#include "word_bits.h"

#include <stdexcept>
#include <string>

namespace finn::hls {

FmPaddingModel::FmPaddingModel(FmPaddingParams params) : p_(params) {
    if (p_.simd == 0 || p_.channels % p_.simd != 0)
        throw std::invalid_argument("FMPadding: SIMD " + std::to_string(p_.simd) +
                                    " does not divide " + std::to_string(p_.channels) +
                                    " channels");
    if (p_.height == 0 || p_.width == 0 || p_.bits == 0)
        throw std::invalid_argument("FMPadding: empty image or zero-bit elements");
}

WordStream FmPaddingModel::run(const WordStream& input) const {
    const std::size_t fold = p_.channels / p_.simd;
    const std::size_t frame = std::size_t{p_.height} * p_.width * fold;
    if (input.size() % frame != 0)
        throw std::invalid_argument("FMPadding: " + std::to_string(input.size()) +
                                    " words are not whole frames of " + std::to_string(frame));
    const unsigned unit = p_.simd * p_.bits;
    const unsigned out_h = p_.height + p_.top + p_.bottom, out_w = p_.width + p_.left + p_.right;
    WordStream output;
    output.reserve(input.size() / frame * out_h * out_w * fold);
    std::size_t next = 0;
    for (std::size_t f = 0; f < input.size() / frame; ++f)
        for (unsigned y = 0; y < out_h; ++y)
            for (unsigned x = 0; x < out_w; ++x) {
                const bool in_image =
                    y >= p_.top && y < p_.top + p_.height && x >= p_.left && x < p_.left + p_.width;
                for (std::size_t c = 0; c < fold; ++c) {
                    PackedWord word(padded_width(unit));
                    if (in_image) detail::copy_bits(word, 0, input[next++], 0, unit);
                    output.push_back(std::move(word));
                }
            }
    return output;
}

} // namespace finn::hls
