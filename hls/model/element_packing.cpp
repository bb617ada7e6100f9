#include "finn/hls/element_packing.h"

#include <charconv>
#include <stdexcept>

namespace finn::hls {

namespace {

unsigned parse_bits(std::string_view digits, std::string_view name) {
    unsigned bits = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (error != std::errc{} || end != digits.data() + digits.size() || bits < 1 || bits > 64)
        throw std::invalid_argument("not an integer FINN datatype: " + std::string(name));
    return bits;
}

} // namespace

ElementType ElementType::parse(std::string_view name) {
    if (name == "BIPOLAR") return {1, true, true};
    if (name == "BINARY") return {1, false, false};
    if (name == "TERNARY") return {2, true, false};
    if (name.starts_with("UINT")) return {parse_bits(name.substr(4), name), false, false};
    if (name.starts_with("INT")) return {parse_bits(name.substr(3), name), true, false};
    throw std::invalid_argument("not an integer FINN datatype: " + std::string(name));
}

std::string ElementType::name() const {
    if (bipolar) return "BIPOLAR";
    if (!is_signed && bits == 1) return "BINARY";
    return (is_signed ? "INT" : "UINT") + std::to_string(bits);
}

std::int64_t ElementType::min() const {
    if (bipolar) return -1;
    if (!is_signed) return 0;
    return bits == 64 ? INT64_MIN : -(std::int64_t{1} << (bits - 1));
}

std::int64_t ElementType::max() const {
    if (bipolar) return 1;
    if (is_signed) return bits == 64 ? INT64_MAX : (std::int64_t{1} << (bits - 1)) - 1;
    return bits >= 63 ? INT64_MAX : (std::int64_t{1} << bits) - 1;
}

bool ElementType::allows(std::int64_t value) const {
    if (bipolar) return value == -1 || value == 1;
    return value >= min() && value <= max();
}

std::uint64_t ElementType::encode(std::int64_t value) const {
    if (!allows(value))
        throw std::invalid_argument(std::to_string(value) + " is not a " + name() + " value");
    if (bipolar) return value > 0 ? 1 : 0;
    const std::uint64_t mask = bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
    return static_cast<std::uint64_t>(value) & mask;
}

std::int64_t ElementType::decode(std::uint64_t pattern) const {
    if (bipolar) return (pattern & 1) ? 1 : -1;
    if (bits == 64) return static_cast<std::int64_t>(pattern);
    pattern &= (std::uint64_t{1} << bits) - 1;
    const bool negative = is_signed && ((pattern >> (bits - 1)) & 1);
    return negative ? static_cast<std::int64_t>(pattern) - (std::int64_t{1} << bits)
                    : static_cast<std::int64_t>(pattern);
}

WordStream pack_elements(std::span<const std::int64_t> values, ElementType type,
                         unsigned elements_per_word) {
    if (elements_per_word == 0 || values.size() % elements_per_word != 0)
        throw std::invalid_argument("pack_elements: " + std::to_string(values.size()) +
                                    " values do not fill words of " +
                                    std::to_string(elements_per_word) + " elements");
    const unsigned width = padded_width(elements_per_word * type.bits);
    WordStream words;
    words.reserve(values.size() / elements_per_word);
    for (std::size_t first = 0; first < values.size(); first += elements_per_word) {
        PackedWord word(width);
        for (unsigned i = 0; i < elements_per_word; ++i)
            word.set_bits(i * type.bits, type.bits, type.encode(values[first + i]));
        words.push_back(std::move(word));
    }
    return words;
}

std::vector<std::int64_t> unpack_elements(const WordStream& words, ElementType type,
                                          unsigned elements_per_word) {
    std::vector<std::int64_t> values;
    values.reserve(words.size() * elements_per_word);
    for (const PackedWord& word : words) {
        if (word.width() < elements_per_word * type.bits)
            throw std::invalid_argument(
                "unpack_elements: a " + std::to_string(word.width()) + "-bit word cannot hold " +
                std::to_string(elements_per_word) + " " + type.name() + " elements");
        for (unsigned i = 0; i < elements_per_word; ++i)
            values.push_back(type.decode(word.bits(i * type.bits, type.bits)));
    }
    return values;
}

} // namespace finn::hls
