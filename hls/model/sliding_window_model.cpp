#include "finn/hls/sliding_window_model.h"

#include "word_bits.h"

#include <stdexcept>
#include <string>

namespace finn::hls {

namespace {

unsigned window_count(unsigned in, unsigned kernel, unsigned stride, unsigned dilation) {
    return (in - dilation * (kernel - 1) - 1) / stride + 1;
}

} // namespace

unsigned SlidingWindowParams::ofm_h() const {
    return window_count(ifm_h, kernel_h, stride_h, dilation_h);
}

unsigned SlidingWindowParams::ofm_w() const {
    return window_count(ifm_w, kernel_w, stride_w, dilation_w);
}

SlidingWindowModel::SlidingWindowModel(SlidingWindowParams params) : p_(params) {
    auto fail = [](const std::string& what) {
        throw std::invalid_argument("ConvolutionInputGenerator: " + what);
    };
    if (p_.simd == 0 || p_.channels % p_.simd != 0)
        fail("SIMD " + std::to_string(p_.simd) + " does not divide " + std::to_string(p_.channels) +
             " channels");
    if (p_.kernel_h == 0 || p_.kernel_w == 0 || p_.stride_h == 0 || p_.stride_w == 0 ||
        p_.dilation_h == 0 || p_.dilation_w == 0 || p_.bits == 0)
        fail("kernel, stride, dilation and element bits must be at least 1");
    if (p_.ifm_h < p_.dilation_h * (p_.kernel_h - 1) + 1 ||
        p_.ifm_w < p_.dilation_w * (p_.kernel_w - 1) + 1)
        fail("the dilated kernel " + std::to_string(p_.kernel_h) + "x" +
             std::to_string(p_.kernel_w) + " does not fit the image " + std::to_string(p_.ifm_h) +
             "x" + std::to_string(p_.ifm_w));
    if (p_.parallel_window && p_.simd != p_.channels)
        fail("parallel_window needs SIMD = IFMChannels (" + std::to_string(p_.channels) +
             "), got SIMD " + std::to_string(p_.simd));
}

WordStream SlidingWindowModel::run(const WordStream& input) const {
    const std::size_t fold = p_.channels / p_.simd;
    const std::size_t frame = std::size_t{p_.ifm_h} * p_.ifm_w * fold;
    if (input.size() % frame != 0)
        throw std::invalid_argument("ConvolutionInputGenerator: " + std::to_string(input.size()) +
                                    " words are not whole frames of " + std::to_string(frame));
    const unsigned unit = p_.simd * p_.bits, kernel = p_.kernel_h * p_.kernel_w;
    const unsigned per_word = p_.parallel_window ? kernel : 1;
    WordStream output;
    PackedWord word(padded_width(per_word * unit));
    unsigned filled = 0;
    for (std::size_t f = 0; f < input.size() / frame; ++f)
        for (unsigned oy = 0; oy < p_.ofm_h(); ++oy)
            for (unsigned ox = 0; ox < p_.ofm_w(); ++ox)
                for (unsigned ky = 0; ky < p_.kernel_h; ++ky)
                    for (unsigned kx = 0; kx < p_.kernel_w; ++kx) {
                        const std::size_t y = oy * p_.stride_h + ky * p_.dilation_h;
                        const std::size_t x = ox * p_.stride_w + kx * p_.dilation_w;
                        const std::size_t pixel = f * frame + (y * p_.ifm_w + x) * fold;
                        for (std::size_t c = 0; c < fold; ++c) {
                            detail::copy_bits(word, filled * unit, input[pixel + c], 0, unit);
                            if (++filled == per_word) {
                                output.push_back(word);
                                word = PackedWord(padded_width(per_word * unit));
                                filled = 0;
                            }
                        }
                    }
    return output;
}

} // namespace finn::hls
