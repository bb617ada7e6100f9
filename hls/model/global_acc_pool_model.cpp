#include "finn/hls/global_acc_pool_model.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace finn::hls {

GlobalAccPoolModel::GlobalAccPoolModel(GlobalAccPoolParams params) : p_(std::move(params)) {
    if (p_.pe == 0 || p_.channels % p_.pe != 0)
        throw std::invalid_argument("GlobalAccPool: PE " + std::to_string(p_.pe) +
                                    " does not divide " + std::to_string(p_.channels) +
                                    " channels");
    if (p_.pixels == 0) throw std::invalid_argument("GlobalAccPool: a frame needs a pixel");
    // FINN's output type holds every sum (H*W times the input's extreme; a TERNARY input's
    // extremes are narrower than its two bits'), so only a type no sum fits is refused.
    if (p_.output.bipolar || p_.output.bits < p_.input.bits || p_.output.bits > 64)
        throw std::invalid_argument("GlobalAccPool: output type " + p_.output.name() +
                                    " cannot hold sums of " + p_.input.name() + " values");
    // FINN sizes the output by H*W times the input's minimum, which for BIPOLAR (-1) leaves out
    // the largest sum +H*W: its datatype cannot carry that sum, so the hardware is refused.
    if (p_.input.bipolar && !p_.output.allows(static_cast<std::int64_t>(p_.pixels)))
        throw std::invalid_argument("GlobalAccPool: output type " + p_.output.name() +
                                    " (FINN's choice for BIPOLAR input) cannot hold the sum " +
                                    std::to_string(p_.pixels) + " of " + std::to_string(p_.pixels) +
                                    " BIPOLAR +1 values");
}

WordStream GlobalAccPoolModel::run(const WordStream& input) const {
    const std::size_t folds = p_.channels / p_.pe;
    const std::size_t frame = folds * p_.pixels;
    if (input.size() % frame != 0)
        throw std::invalid_argument("GlobalAccPool: " + std::to_string(input.size()) +
                                    " words are not whole frames of " + std::to_string(frame));
    const auto x = unpack_elements(input, p_.input, p_.pe);
    std::vector<std::int64_t> sums;
    for (std::size_t start = 0; start < x.size(); start += frame * p_.pe) {
        std::vector<std::int64_t> frame_sums(p_.channels, 0);
        for (std::size_t i = 0; i < frame * p_.pe; ++i)
            frame_sums[i % p_.channels] += x[start + i];
        sums.insert(sums.end(), frame_sums.begin(), frame_sums.end());
    }
    // The sums' low output bits, as the hardware's accumulators of that width hold them.
    const unsigned bits = p_.output.bits;
    const std::uint64_t mask = bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
    WordStream output;
    for (std::size_t first = 0; first < sums.size(); first += p_.pe) {
        PackedWord word(padded_width(p_.pe * bits));
        for (unsigned p = 0; p < p_.pe; ++p)
            word.set_bits(p * bits, bits, static_cast<std::uint64_t>(sums[first + p]) & mask);
        output.push_back(std::move(word));
    }
    return output;
}

} // namespace finn::hls
