#include "finn/hls/thresholding_model.h"

#include <stdexcept>
#include <string>

namespace finn::hls {

ThresholdingModel::ThresholdingModel(ThresholdingParams params) : p_(std::move(params)) {
    if (p_.pe == 0 || p_.channels % p_.pe != 0)
        throw std::invalid_argument("Thresholding: PE " + std::to_string(p_.pe) +
                                    " does not divide " + std::to_string(p_.channels) +
                                    " channels");
    p_.thresholds.check(p_.channels);
}

WordStream ThresholdingModel::run(const WordStream& input) const {
    const unsigned folds = p_.channels / p_.pe;
    if (input.size() % folds != 0)
        throw std::invalid_argument("Thresholding: " + std::to_string(input.size()) +
                                    " words are not whole frames of " + std::to_string(folds));
    const unsigned out_bits = p_.output.bits;
    const std::uint64_t mask =
        out_bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << out_bits) - 1;
    WordStream output;
    output.reserve(input.size());
    for (std::size_t w = 0; w < input.size(); ++w) {
        const auto x = unpack_elements({input[w]}, p_.input, p_.pe);
        PackedWord word(padded_width(p_.pe * out_bits));
        for (unsigned p = 0; p < p_.pe; ++p) {
            const unsigned channel = static_cast<unsigned>(w % folds) * p_.pe + p;
            const std::int64_t y = p_.act_val + p_.thresholds.count(x[p], channel);
            // The low bits, as the hardware emits them: a BIPOLAR output's bit is y itself.
            word.set_bits(p * out_bits, out_bits, static_cast<std::uint64_t>(y) & mask);
        }
        output.push_back(std::move(word));
    }
    return output;
}

} // namespace finn::hls
