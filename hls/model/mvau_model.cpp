#include "finn/hls/mvau_model.h"

#include <stdexcept>
#include <string>

namespace finn::hls {

MvauModel::MvauModel(MvauParams params) : p_(std::move(params)) {
    if (p_.simd == 0 || p_.pe == 0 || p_.mw % p_.simd != 0 || p_.mh % p_.pe != 0)
        throw std::invalid_argument("MVAU: SIMD must divide MW and PE must divide MH");
    if (p_.weights.size() != static_cast<std::size_t>(p_.mw) * p_.mh)
        throw std::invalid_argument("MVAU: " + std::to_string(p_.weights.size()) +
                                    " weights for a " + std::to_string(p_.mw) + " x " +
                                    std::to_string(p_.mh) + " matrix");
    for (std::int64_t w : p_.weights)
        if (!p_.weight.allows(w))
            throw std::invalid_argument("MVAU: weight " + std::to_string(w) + " is not a " +
                                        p_.weight.name() + " value");
    if (p_.xnor && (p_.input.bits != 1 || p_.weight.bits != 1))
        throw std::invalid_argument("MVAU: binaryXnorMode needs 1-bit inputs and weights");
    if (p_.xnor && p_.depthwise)
        throw std::invalid_argument("VVAU: no binaryXnorMode (FINN's VVAU has none)");
    if (p_.depthwise && p_.simd > 1 && p_.pe != p_.mh)
        throw std::invalid_argument("VVAU: SIMD " + std::to_string(p_.simd) +
                                    " > 1 needs PE = " + "Channels (" + std::to_string(p_.mh) +
                                    "), not PE " + std::to_string(p_.pe) +
                                    ": the input's (k, C) order folds into tiles only then");
    if (!p_.no_activation) p_.thresholds.check(p_.mh);
}

std::int64_t MvauModel::accumulate(const std::int64_t* vector, unsigned column) const {
    const bool popcount = p_.xnor || (p_.input.bipolar && p_.weight.bipolar);
    std::int64_t acc = 0;
    for (unsigned i = 0; i < p_.mw; ++i) {
        const std::int64_t x = vector[i],
                           w = p_.weights[static_cast<std::size_t>(i) * p_.mh + column];
        acc += popcount ? (x == w ? 1 : 0) : x * w;
    }
    return acc;
}

WordStream MvauModel::run(const WordStream& input) const {
    const unsigned sf = p_.mw / p_.simd, nf = p_.mh / p_.pe;
    const unsigned words_per_vector = p_.depthwise ? sf * nf : sf;
    if (input.size() % words_per_vector != 0)
        throw std::invalid_argument(
            (p_.depthwise ? "VVAU: " : "MVAU: ") + std::to_string(input.size()) +
            " words are not whole vectors of " + std::to_string(words_per_vector));
    const unsigned out_bits = p_.output.bits;
    const std::uint64_t mask =
        out_bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << out_bits) - 1;
    const auto x = unpack_elements(input, p_.input, p_.depthwise ? p_.simd * p_.pe : p_.simd);
    const std::size_t vector_size = p_.depthwise ? std::size_t{p_.mw} * p_.mh : p_.mw;
    std::vector<std::int64_t> lane(p_.mw); // depthwise: one channel's k inputs
    WordStream output;
    output.reserve(input.size() / words_per_vector * nf);
    for (std::size_t v = 0; v < x.size(); v += vector_size) {
        for (unsigned f = 0; f < nf; ++f) {
            PackedWord word(padded_width(p_.pe * out_bits));
            for (unsigned p = 0; p < p_.pe; ++p) {
                const unsigned column = f * p_.pe + p;
                const std::int64_t* vector = x.data() + v;
                if (p_.depthwise) {
                    for (unsigned i = 0; i < p_.mw; ++i)
                        lane[i] = x[v + std::size_t{i} * p_.mh + column];
                    vector = lane.data();
                }
                const std::int64_t acc = accumulate(vector, column);
                std::int64_t y = acc;
                if (!p_.no_activation) {
                    const std::int64_t count = p_.thresholds.count(acc, column);
                    y = p_.output.bipolar ? count : p_.act_val + count;
                }
                word.set_bits(p * out_bits, out_bits, static_cast<std::uint64_t>(y) & mask);
            }
            output.push_back(std::move(word));
        }
    }
    return output;
}

WordStream MvauModel::weight_memory() const {
    const unsigned sf = p_.mw / p_.simd, nf = p_.mh / p_.pe, wb = p_.weight.bits;
    WordStream image;
    image.reserve(static_cast<std::size_t>(sf) * nf);
    for (unsigned t = 0; t < sf * nf; ++t) {
        // Tile order: nf outer (MVAU), or sf outer (VVAU: the input's (k, C) order).
        const unsigned f = p_.depthwise ? t % nf : t / sf, s = p_.depthwise ? t / nf : t % sf;
        PackedWord word(p_.pe * p_.simd * wb);
        for (unsigned p = 0; p < p_.pe; ++p)
            for (unsigned k = 0; k < p_.simd; ++k) {
                const std::size_t row = static_cast<std::size_t>(s) * p_.simd + k;
                const unsigned column = f * p_.pe + p;
                word.set_bits((p * p_.simd + k) * wb, wb,
                              p_.weight.encode(p_.weights[row * p_.mh + column]));
            }
        image.push_back(std::move(word));
    }
    return image;
}

} // namespace finn::hls
