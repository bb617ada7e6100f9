// Helpers shared by the hls tests: comparing word streams and drawing random element data.
#pragma once

#include "finn/hls/element_packing.h"
#include "finn/hls/packed_word.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <random>
#include <vector>

namespace finn::hls::test {

// Equal streams, or a message naming the first differing word (index and both values in hex).
::testing::AssertionResult streams_equal(const WordStream& actual, const WordStream& expected);

// An element type among BIPOLAR, BINARY, TERNARY, INT2..INT8, UINT2..UINT8 whose bitwidth divides
// `divisor` (every stream width of the layer must hold whole elements).
ElementType random_element_type(std::mt19937_64& rng, unsigned divisor);

// `count` random values that `type` allows.
std::vector<std::int64_t> random_values(std::mt19937_64& rng, ElementType type, std::size_t count);

unsigned gcd(unsigned a, unsigned b);

} // namespace finn::hls::test
