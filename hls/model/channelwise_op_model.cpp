#include "finn/hls/channelwise_op_model.h"

#include <stdexcept>

namespace finn::hls {

ChannelwiseOpModel::ChannelwiseOpModel(ChannelwiseOpParams params) : p_(std::move(params)) {
    if (p_.pe == 0 || p_.channels % p_.pe != 0)
        throw std::invalid_argument("ChannelwiseOp: PE must divide NumChannels");
    if (p_.func != "add" && p_.func != "mul" && p_.func != "cmp_le" && p_.func != "cmp_ge")
        throw std::invalid_argument("ChannelwiseOp: Func '" + p_.func +
                                    "' is not add, mul, cmp_le or cmp_ge");
    if (p_.input.bipolar || p_.param.bipolar || p_.output.bipolar)
        throw std::invalid_argument("ChannelwiseOp: BIPOLAR operands are not supported");
    if (p_.params.size() != 1 && p_.params.size() != p_.channels)
        throw std::invalid_argument("ChannelwiseOp: " + std::to_string(p_.params.size()) +
                                    " parameters, expected 1 or " + std::to_string(p_.channels));
    for (std::int64_t v : p_.params)
        if (!p_.param.allows(v))
            throw std::invalid_argument("ChannelwiseOp: parameter " + std::to_string(v) +
                                        " is not a " + p_.param.name() + " value");
}

WordStream ChannelwiseOpModel::run(const WordStream& input) const {
    if (input.size() % (p_.channels / p_.pe) != 0)
        throw std::invalid_argument("ChannelwiseOp: " + std::to_string(input.size()) +
                                    " words are not whole vectors of " +
                                    std::to_string(p_.channels / p_.pe));
    const auto x = unpack_elements(input, p_.input, p_.pe);
    const unsigned bits = p_.output.bits;
    const std::uint64_t mask = bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
    WordStream out;
    out.reserve(input.size());
    for (std::size_t w = 0; w < input.size(); ++w) {
        PackedWord word(padded_width(p_.pe * bits));
        for (unsigned lane = 0; lane < p_.pe; ++lane) {
            const std::size_t i = w * p_.pe + lane;
            const std::int64_t p = p_.params[shared() ? 0 : i % p_.channels];
            std::int64_t y = 0;
            if (p_.func == "add")
                y = p + x[i];
            else if (p_.func == "mul")
                y = p * x[i];
            else if (p_.func == "cmp_le")
                y = p <= x[i] ? 1 : 0;
            else
                y = p >= x[i] ? 1 : 0;
            word.set_bits(lane * bits, bits, static_cast<std::uint64_t>(y) & mask);
        }
        out.push_back(std::move(word));
    }
    return out;
}

WordStream ChannelwiseOpModel::param_memory() const {
    const unsigned b = p_.param.bits;
    if (shared()) {
        PackedWord word(b);
        word.set_bits(0, b, p_.param.encode(p_.params[0]));
        return {word};
    }
    WordStream image;
    for (unsigned f = 0; f < p_.channels / p_.pe; ++f) {
        PackedWord word(p_.pe * b);
        for (unsigned lane = 0; lane < p_.pe; ++lane)
            word.set_bits(lane * b, b, p_.param.encode(p_.params[f * p_.pe + lane]));
        image.push_back(std::move(word));
    }
    return image;
}

} // namespace finn::hls
