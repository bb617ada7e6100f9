#include "finn/hls/add_streams_model.h"

#include <stdexcept>
#include <string>

namespace finn::hls {

AddStreamsModel::AddStreamsModel(AddStreamsParams params) : p_(params) {
    if (p_.pe == 0 || p_.channels % p_.pe != 0)
        throw std::invalid_argument("AddStreams: PE must divide NumChannels");
    if (p_.input.bipolar || p_.output.bipolar)
        throw std::invalid_argument("AddStreams: BIPOLAR streams are not added (integers only)");
    // FINN's output type (the smallest holding twice the input's extreme) misses 2 * max for
    // TERNARY (INT2 cannot hold 1 + 1): refused rather than wrapped.
    const std::int64_t lo = 2 * p_.input.min(), hi = 2 * p_.input.max();
    if (!p_.output.allows(lo) || !p_.output.allows(hi))
        throw std::invalid_argument(
            "AddStreams: output type " + p_.output.name() + " cannot hold every sum of two " +
            p_.input.name() + " values (" + std::to_string(lo) + " .. " + std::to_string(hi) + ")");
}

WordStream AddStreamsModel::run(const WordStream& a, const WordStream& b) const {
    const unsigned per_vector = p_.channels / p_.pe;
    if (a.size() != b.size() || a.size() % per_vector != 0)
        throw std::invalid_argument("AddStreams: inputs of " + std::to_string(a.size()) + " and " +
                                    std::to_string(b.size()) + " words, expected equal whole " +
                                    "vectors of " + std::to_string(per_vector));
    const auto x = unpack_elements(a, p_.input, p_.pe), y = unpack_elements(b, p_.input, p_.pe);
    const unsigned bits = p_.output.bits;
    const std::uint64_t mask = bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
    WordStream out;
    out.reserve(a.size());
    for (std::size_t w = 0; w < a.size(); ++w) {
        PackedWord word(padded_width(p_.pe * bits));
        for (unsigned p = 0; p < p_.pe; ++p) {
            const std::size_t i = w * p_.pe + p;
            word.set_bits(p * bits, bits, static_cast<std::uint64_t>(x[i] + y[i]) & mask);
        }
        out.push_back(std::move(word));
    }
    return out;
}

} // namespace finn::hls
