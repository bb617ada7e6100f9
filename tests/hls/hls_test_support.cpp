#include "hls_test_support.h"

#include <numeric>
#include <string>

namespace finn::hls::test {

::testing::AssertionResult streams_equal(const WordStream& actual, const WordStream& expected) {
    if (actual.size() != expected.size())
        return ::testing::AssertionFailure()
               << actual.size() << " words instead of " << expected.size();
    for (std::size_t i = 0; i < actual.size(); ++i)
        if (!(actual[i] == expected[i]))
            return ::testing::AssertionFailure()
                   << "word " << i << " is 0x" << actual[i].to_hex() << " (" << actual[i].width()
                   << " bits), expected 0x" << expected[i].to_hex() << " (" << expected[i].width()
                   << " bits)";
    return ::testing::AssertionSuccess();
}

ElementType random_element_type(std::mt19937_64& rng, unsigned divisor) {
    std::vector<ElementType> candidates;
    for (const char* name : {"BIPOLAR", "BINARY", "TERNARY"})
        candidates.push_back(ElementType::parse(name));
    for (unsigned bits = 2; bits <= 8; ++bits) {
        candidates.push_back(ElementType::parse("INT" + std::to_string(bits)));
        candidates.push_back(ElementType::parse("UINT" + std::to_string(bits)));
    }
    std::erase_if(candidates, [&](const ElementType& t) { return divisor % t.bits != 0; });
    return candidates[rng() % candidates.size()];
}

std::vector<std::int64_t> random_values(std::mt19937_64& rng, ElementType type, std::size_t count) {
    std::vector<std::int64_t> values(count);
    const auto span = static_cast<std::uint64_t>(type.max() - type.min()) + 1;
    for (auto& v : values)
        v = type.bipolar ? (rng() % 2 ? 1 : -1) // BIPOLAR has no 0
                         : type.min() + static_cast<std::int64_t>(rng() % span);
    return values;
}

unsigned gcd(unsigned a, unsigned b) {
    return std::gcd(a, b);
}

} // namespace finn::hls::test
