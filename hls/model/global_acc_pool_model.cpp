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
    const std::int64_t n = p_.pixels;
    if (p_.output.bipolar || !p_.output.allows(n * p_.input.min()) ||
        !p_.output.allows(n * p_.input.max()))
        throw std::invalid_argument("GlobalAccPool: output type " + p_.output.name() +
                                    " cannot hold the sum of " + std::to_string(n) + " " +
                                    p_.input.name() + " values");
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
    return pack_elements(sums, p_.output, p_.pe);
}

} // namespace finn::hls
