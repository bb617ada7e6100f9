#include "finn/hls/pool_model.h"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>
#include <vector>

namespace finn::hls {

unsigned PoolParams::quant_avg_shift(unsigned input_bits, unsigned output_bits, unsigned kernel) {
    if (input_bits > 32)
        throw std::invalid_argument("QuantAvgPool: the input type must have at most 32 bits");
    const std::uint64_t largest_sum = ((std::uint64_t{1} << input_bits) - 1) * kernel;
    const unsigned sum_bits = static_cast<unsigned>(std::bit_width(largest_sum));
    return sum_bits > output_bits ? sum_bits - output_bits : 0;
}

PoolModel::PoolModel(PoolParams params) : p_(std::move(params)) {
    if (p_.pe == 0 || p_.channels % p_.pe != 0)
        throw std::invalid_argument("Pool: PE " + std::to_string(p_.pe) + " does not divide " +
                                    std::to_string(p_.channels) + " channels");
    if (p_.kernel == 0) throw std::invalid_argument("Pool: a window needs an element");
    if (p_.average) {
        // FINN's shift is sized for unsigned sums: with a signed input (or a signed output of an
        // unsigned one) the shifted extremes can leave the output type, where the hardware's low
        // bits would disagree with the reference; such a node is refused.
        const std::int64_t k = p_.kernel;
        const std::int64_t lowest = (p_.input.min() * k) >> p_.shift;
        const std::int64_t highest = (p_.input.max() * k) >> p_.shift;
        if (p_.input.bits > 32 || !p_.output.allows(lowest) || !p_.output.allows(highest))
            throw std::invalid_argument("QuantAvgPool: output type " + p_.output.name() +
                                        " cannot hold the window sums of " + std::to_string(k) +
                                        " " + p_.input.name() + " values shifted right by " +
                                        std::to_string(p_.shift) + " (" + std::to_string(lowest) +
                                        " to " + std::to_string(highest) + ")");
    }
    if (!p_.average && (p_.output.bits != p_.input.bits || p_.output.bipolar != p_.input.bipolar))
        throw std::invalid_argument("Pool: MaxPool's output type " + p_.output.name() +
                                    " is not its input type " + p_.input.name());
}

WordStream PoolModel::run(const WordStream& input) const {
    const std::size_t c = p_.channels, window = p_.kernel * c;
    const std::size_t words = window / p_.pe;
    if (input.size() % words != 0)
        throw std::invalid_argument("Pool: " + std::to_string(input.size()) +
                                    " words are not whole windows of " + std::to_string(words));
    const auto x = unpack_elements(input, p_.input, p_.pe);
    const unsigned out_bits = p_.output.bits;
    const std::uint64_t mask =
        out_bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << out_bits) - 1;
    WordStream output;
    for (std::size_t start = 0; start < x.size(); start += window)
        for (std::size_t first = 0; first < c; first += p_.pe) {
            PackedWord word(padded_width(p_.pe * out_bits));
            for (unsigned p = 0; p < p_.pe; ++p) {
                const std::int64_t* element = x.data() + start + first + p;
                std::int64_t r = element[0];
                for (std::size_t i = 1; i < p_.kernel; ++i)
                    r = p_.average ? r + element[i * c] : std::max(r, element[i * c]);
                if (p_.average) r >>= p_.shift; // arithmetic: floor division by 2^shift
                // A BIPOLAR max travels as its bit (+1 -> 1).
                const std::uint64_t bits =
                    p_.output.bipolar ? (r > 0 ? 1 : 0) : static_cast<std::uint64_t>(r) & mask;
                word.set_bits(p * out_bits, out_bits, bits);
            }
            output.push_back(std::move(word));
        }
    return output;
}

} // namespace finn::hls
