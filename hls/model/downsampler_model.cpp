#include "finn/hls/downsampler_model.h"

#include <stdexcept>
#include <string>

namespace finn::hls {

DownSamplerModel::DownSamplerModel(DownSamplerParams params) : p_(params) {
    if (p_.simd == 0 || p_.channels % p_.simd != 0)
        throw std::invalid_argument("DownSampler: SIMD " + std::to_string(p_.simd) +
                                    " does not divide " + std::to_string(p_.channels) +
                                    " channels");
    if (p_.stride == 0 || p_.height == 0 || p_.width == 0)
        throw std::invalid_argument("DownSampler: stride and image size must be positive");
}

WordStream DownSamplerModel::run(const WordStream& input) const {
    const std::size_t folds = p_.channels / p_.simd;
    const std::size_t frame = folds * p_.height * p_.width;
    if (input.size() % frame != 0)
        throw std::invalid_argument("DownSampler: " + std::to_string(input.size()) +
                                    " words are not whole frames of " + std::to_string(frame));
    WordStream output;
    for (std::size_t w = 0; w < input.size(); ++w) {
        const std::size_t pixel = w % frame / folds;
        if (pixel / p_.width % p_.stride == 0 && pixel % p_.width % p_.stride == 0)
            output.push_back(input[w]);
    }
    return output;
}

} // namespace finn::hls
