// FINN's packing of integer tensor elements into stream words (spec finn-ops.md §4.3): element i
// of a word occupies bits [i*b, (i+1)*b), element 0 in the least significant bits; signed values
// are two's complement truncated to b bits; BIPOLAR travels as one bit (+1 -> 1, -1 -> 0); each
// word is padded with zero bits to a multiple of 8.
#pragma once

#include "finn/hls/packed_word.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace finn::hls {

// The integer FINN datatypes a stream carries: BINARY, BIPOLAR, TERNARY, UINTn, INTn (n <= 64).
struct ElementType {
    unsigned bits = 1;
    bool is_signed = false;
    bool bipolar = false;

    // FINN's name (e.g. "INT4", "BIPOLAR"); throws std::invalid_argument for anything else.
    static ElementType parse(std::string_view name);
    std::string name() const;
    std::int64_t min() const;
    std::int64_t max() const;
    bool allows(std::int64_t value) const;

    // The element's bit pattern in a stream word; throws when the type cannot hold `value`.
    std::uint64_t encode(std::int64_t value) const;
    // The value of a bit pattern (only the low `bits` bits are read).
    std::int64_t decode(std::uint64_t pattern) const;
};

// Packs values (innermost dimension folded into words of `elements_per_word`) into words of
// padded_width(elements_per_word * bits) bits. values.size() must be a multiple of it.
WordStream pack_elements(std::span<const std::int64_t> values, ElementType type,
                         unsigned elements_per_word);

// The inverse: every word's elements, in stream order. Throws if a word is narrower than
// elements_per_word * bits.
std::vector<std::int64_t> unpack_elements(const WordStream& words, ElementType type,
                                          unsigned elements_per_word);

} // namespace finn::hls
