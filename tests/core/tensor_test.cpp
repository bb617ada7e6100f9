#include "finn/core/error.h"
#include "finn/core/tensor.h"

#include <cmath>
#include <cstring>
#include <gtest/gtest.h>
#include <limits>
#include <string>

namespace finn {
namespace {

const ElementType kAllTypes[] = {
    ElementType::Float32, ElementType::Float64, ElementType::Float16, ElementType::Int8,
    ElementType::Int16,   ElementType::Int32,   ElementType::Int64,   ElementType::UInt8,
    ElementType::UInt16,  ElementType::UInt32,  ElementType::UInt64,  ElementType::Bool,
};

// Expects `statement` to throw finn::Error whose message contains `substring`.
#define EXPECT_ERROR(statement, substring)                                                         \
    do {                                                                                           \
        try {                                                                                      \
            statement;                                                                             \
            ADD_FAILURE() << "expected finn::Error containing '" << (substring) << "'";            \
        } catch (const Error& error) {                                                             \
            EXPECT_NE(std::string(error.what()).find(substring), std::string::npos)                \
                << "message: " << error.what();                                                    \
        }                                                                                          \
    } while (false)

float from_bits(std::uint32_t bits) {
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

TEST(ElementType, SizesAndNumpyNames) {
    EXPECT_EQ(element_size(ElementType::Float16), 2u);
    EXPECT_EQ(element_size(ElementType::Float64), 8u);
    EXPECT_EQ(element_size(ElementType::Bool), 1u);
    EXPECT_EQ(element_size(ElementType::UInt32), 4u);
    EXPECT_EQ(element_type_name(ElementType::Float32), "float32");
    EXPECT_EQ(element_type_name(ElementType::Float16), "float16");
    EXPECT_EQ(element_type_name(ElementType::UInt64), "uint64");
    EXPECT_EQ(element_type_name(ElementType::Int8), "int8");
    EXPECT_EQ(element_type_name(ElementType::Bool), "bool");
    EXPECT_TRUE(is_floating(ElementType::Float16));
    EXPECT_TRUE(is_floating(ElementType::Float64));
    EXPECT_FALSE(is_floating(ElementType::Int32));
    EXPECT_FALSE(is_floating(ElementType::Bool));
}

TEST(Shape, SizeAndString) {
    EXPECT_EQ(shape_size({}), 1);
    EXPECT_EQ(shape_size({0}), 0);
    EXPECT_EQ(shape_size({2, 3, 4}), 24);
    EXPECT_EQ(shape_to_string({1, 784}), "(1, 784)");
    EXPECT_EQ(shape_to_string({3}), "(3,)");
    EXPECT_EQ(shape_to_string({}), "()");
    EXPECT_ERROR(shape_size({2, -1}), "dimension -1 is negative");
    EXPECT_ERROR(shape_size({1LL << 40, 1LL << 40}), "overflows");
}

TEST(Tensor, DefaultIsFloat32ScalarZero) {
    Tensor tensor;
    EXPECT_EQ(tensor.type(), ElementType::Float32);
    EXPECT_EQ(tensor.rank(), 0);
    EXPECT_EQ(tensor.size(), 1);
    EXPECT_EQ(tensor.get(0), 0.0);
}

TEST(Tensor, ConstructionIsZeroFilled) {
    for (ElementType type : kAllTypes) {
        Tensor tensor(type, {2, 3});
        EXPECT_EQ(tensor.size(), 6);
        EXPECT_EQ(tensor.byte_size(), 6 * element_size(type));
        for (double value : tensor.to_doubles())
            EXPECT_EQ(value, 0.0) << element_type_name(type);
    }
    EXPECT_EQ(Tensor(ElementType::Int8, {0}).size(), 0);
    EXPECT_ERROR(Tensor(ElementType::Int8, {-3}), "negative");
}

TEST(Tensor, FactoriesCheckTheValueCount) {
    Tensor floats = Tensor::from_floats({2}, {1.5f, -2.0f});
    EXPECT_EQ(floats.type(), ElementType::Float32);
    EXPECT_EQ(floats.data<float>()[1], -2.0f);
    Tensor ints = Tensor::from_int64s({3}, {1, -2, std::numeric_limits<std::int64_t>::max()});
    EXPECT_EQ(ints.type(), ElementType::Int64);
    EXPECT_EQ(ints.to_int64s()[2], std::numeric_limits<std::int64_t>::max());
    Tensor doubles = Tensor::from_doubles(ElementType::Int16, {2}, {-7.9, 300});
    EXPECT_EQ(doubles.data<std::int16_t>()[0], -7);
    EXPECT_EQ(doubles.data<std::int16_t>()[1], 300);

    EXPECT_ERROR(Tensor::from_floats({2, 2}, {1, 2, 3}), "shape (2, 2) needs 4 values, got 3");
    EXPECT_ERROR(Tensor::from_int64s({}, {}), "shape () needs 1 values, got 0");
    EXPECT_ERROR(Tensor::from_doubles(ElementType::Bool, {3}, {1}), "needs 3 values, got 1");
}

TEST(Tensor, TypedAccessChecksTheType) {
    Tensor tensor(ElementType::Float32, {2});
    tensor.data<float>()[1] = 4.0f;
    EXPECT_EQ(tensor.get(1), 4.0);
    EXPECT_ERROR(tensor.data<std::int8_t>(), "tensor element type is float32, requested int8");
    const Tensor& constant = tensor;
    EXPECT_ERROR(constant.data<double>(), "tensor element type is float32, requested float64");
    EXPECT_ERROR(throw_type_mismatch("bool", "uint16"), "element type is uint16, requested bool");
}

TEST(Tensor, GetAndSetConvert) {
    Tensor ints(ElementType::Int32, {3});
    ints.set(0, -3.99);
    ints.set(1, 3.99);
    ints.set(2, 1e6);
    EXPECT_EQ(ints.to_int64s(), (std::vector<std::int64_t>{-3, 3, 1000000}));

    Tensor bytes(ElementType::UInt8, {2});
    bytes.set(0, 255);
    bytes.set(1, -1); // wraps like numpy's astype(uint8) on x86
    EXPECT_EQ(bytes.get(0), 255.0);
    EXPECT_EQ(bytes.get(1), 255.0);

    Tensor flags(ElementType::Bool, {3});
    flags.set(0, 0.25);
    flags.set(2, std::nan(""));
    EXPECT_EQ(flags.to_doubles(), (std::vector<double>{1, 0, 1}));

    Tensor halves(ElementType::Float16, {2});
    halves.set(0, 0.1);
    halves.set(1, 1e6);
    EXPECT_EQ(halves.get(0), static_cast<double>(half_to_float(0x2e66)));
    EXPECT_TRUE(std::isinf(halves.get(1)));

    EXPECT_ERROR(ints.get(3), "tensor index 3 is out of range for shape (3,)");
    EXPECT_ERROR(ints.set(-1, 0), "tensor index -1 is out of range");
}

TEST(Tensor, ConversionsToVectors) {
    Tensor tensor = Tensor::from_doubles(ElementType::Float64, {4}, {-1.5, 0, 2.75, 1e300});
    EXPECT_EQ(tensor.to_doubles(), (std::vector<double>{-1.5, 0, 2.75, 1e300}));
    std::vector<float> floats = tensor.to_floats();
    EXPECT_EQ(floats[2], 2.75f);
    EXPECT_TRUE(std::isinf(floats[3]));
    EXPECT_EQ(tensor.to_int64s()[0], -1);
    // Saturates instead of undefined behaviour.
    EXPECT_EQ(tensor.to_int64s()[3], std::numeric_limits<std::int64_t>::max());

    // Large 64-bit integers convert exactly, without a detour through double.
    Tensor big(ElementType::UInt64, {1});
    big.data<std::uint64_t>()[0] = (1ULL << 63) + 1;
    EXPECT_EQ(big.to_int64s()[0], std::numeric_limits<std::int64_t>::min() + 1);
}

TEST(Tensor, CastFollowsNumpyAstype) {
    Tensor floats = Tensor::from_floats({6}, {-2.7f, -0.5f, 0.0f, 0.5f, 2.7f, 300.0f});
    EXPECT_EQ(floats.cast(ElementType::Int32).to_int64s(),
              (std::vector<std::int64_t>{-2, 0, 0, 0, 2, 300}));
    EXPECT_EQ(floats.cast(ElementType::Int8).to_int64s(),
              (std::vector<std::int64_t>{-2, 0, 0, 0, 2, 44})); // 300 wraps to 44
    EXPECT_EQ(floats.cast(ElementType::Bool).to_int64s(),
              (std::vector<std::int64_t>{1, 1, 0, 1, 1, 1}));

    Tensor ints = Tensor::from_int64s({4}, {-1, 0, 256, 70000});
    EXPECT_EQ(ints.cast(ElementType::UInt8).to_int64s(),
              (std::vector<std::int64_t>{255, 0, 0, 112}));
    EXPECT_EQ(ints.cast(ElementType::UInt16).to_int64s(),
              (std::vector<std::int64_t>{65535, 0, 256, 4464}));
    EXPECT_EQ(ints.cast(ElementType::UInt64).data<std::uint64_t>()[0],
              std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(ints.cast(ElementType::Float16).to_doubles(),
              (std::vector<double>{-1, 0, 256, std::numeric_limits<double>::infinity()}));

    Tensor bools = Tensor::from_doubles(ElementType::Bool, {2}, {1, 0});
    EXPECT_EQ(bools.cast(ElementType::Float32).to_floats(), (std::vector<float>{1, 0}));

    // Exact between 64-bit integer types.
    Tensor big = Tensor::from_int64s({1}, {(1LL << 62) + 1});
    EXPECT_EQ(big.cast(ElementType::UInt64).data<std::uint64_t>()[0], (1ULL << 62) + 1);

    // float16 -> other types goes through the exact float value.
    Tensor half = Tensor::from_doubles(ElementType::Float16, {2}, {-3.5, 65504});
    EXPECT_EQ(half.cast(ElementType::Int32).to_int64s(), (std::vector<std::int64_t>{-3, 65504}));
    EXPECT_EQ(half.cast(ElementType::Float64).to_doubles(), (std::vector<double>{-3.5, 65504}));

    // Casting keeps the shape; casting to the same type is a copy.
    Tensor shaped(ElementType::Int16, {2, 1, 3});
    EXPECT_EQ(shaped.cast(ElementType::Float32).shape(), (Shape{2, 1, 3}));
    EXPECT_EQ(shaped.cast(ElementType::Int16), shaped);
}

TEST(Tensor, ReshapedChecksTheSize) {
    Tensor tensor = Tensor::from_floats({2, 3}, {1, 2, 3, 4, 5, 6});
    Tensor flat = tensor.reshaped({6});
    EXPECT_EQ(flat.shape(), (Shape{6}));
    EXPECT_EQ(flat.to_floats(), tensor.to_floats());
    EXPECT_EQ(Tensor().reshaped({1, 1}).shape(), (Shape{1, 1}));
    EXPECT_ERROR(tensor.reshaped({4}),
                 "cannot reshape tensor of shape (2, 3) (6 elements) to (4,)");
    EXPECT_ERROR(tensor.reshaped({-6}), "negative");
}

TEST(Tensor, EqualityComparesTypeShapeAndBytes) {
    Tensor a = Tensor::from_floats({2}, {1, 2});
    EXPECT_EQ(a, Tensor::from_floats({2}, {1, 2}));
    EXPECT_NE(a, Tensor::from_floats({2}, {1, 3}));
    EXPECT_NE(a, Tensor::from_floats({1, 2}, {1, 2}));
    EXPECT_NE(Tensor(ElementType::Int32, {1}), Tensor(ElementType::UInt32, {1}));
    // Bytes, not values: -0.0 differs from 0.0.
    EXPECT_NE(Tensor::from_floats({1}, {0.0f}), Tensor::from_floats({1}, {-0.0f}));
}

TEST(Float16, EdgeCases) {
    EXPECT_EQ(float_to_half(0.0f), 0x0000);
    EXPECT_EQ(float_to_half(-0.0f), 0x8000);
    EXPECT_EQ(float_to_half(1.0f), 0x3c00);
    EXPECT_EQ(float_to_half(-2.0f), 0xc000);
    EXPECT_EQ(float_to_half(65504.0f), 0x7bff); // largest finite half
    EXPECT_EQ(float_to_half(65519.0f), 0x7bff); // below the midpoint to 65536
    EXPECT_EQ(float_to_half(65520.0f), 0x7c00); // the tie rounds to even = inf
    EXPECT_EQ(float_to_half(1e10f), 0x7c00);
    EXPECT_EQ(float_to_half(-std::numeric_limits<float>::infinity()), 0xfc00);
    EXPECT_EQ(float_to_half(std::ldexp(1.0f, -14)), 0x0400);    // smallest normal
    EXPECT_EQ(float_to_half(std::ldexp(1023.0f, -24)), 0x03ff); // largest subnormal
    EXPECT_EQ(float_to_half(std::ldexp(1.0f, -24)), 0x0001);    // smallest subnormal
    EXPECT_EQ(float_to_half(std::ldexp(1.0f, -25)), 0x0000);    // tie to even: zero
    EXPECT_EQ(float_to_half(std::ldexp(1.5f, -25)), 0x0001);    // above the tie
    EXPECT_EQ(float_to_half(std::ldexp(3.0f, -25)), 0x0002);    // 1.5 ulp: tie up to even
    EXPECT_EQ(float_to_half(std::ldexp(2047.0f, -25)), 0x0400); // rounds up into normals
    EXPECT_EQ(float_to_half(-std::ldexp(1.0f, -30)), 0x8000);   // underflow keeps the sign
    EXPECT_EQ(float_to_half(std::numeric_limits<float>::denorm_min()), 0x0000);
    // Ties between normals: 1 + 2^-11 is halfway between 1 and 1 + 2^-10.
    EXPECT_EQ(float_to_half(1.0f + std::ldexp(1.0f, -11)), 0x3c00); // down to even
    EXPECT_EQ(float_to_half(1.0f + std::ldexp(3.0f, -11)), 0x3c02); // up to even
    EXPECT_EQ(float_to_half(1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20)), 0x3c01);
    EXPECT_EQ(float_to_half(2049.0f), 0x6800); // 2048
    EXPECT_EQ(float_to_half(2051.0f), 0x6802); // 2052
    EXPECT_EQ(float_to_half(0.1f), 0x2e66);

    const std::uint16_t nan_bits = float_to_half(std::numeric_limits<float>::quiet_NaN());
    EXPECT_EQ(nan_bits & 0x7c00, 0x7c00);
    EXPECT_NE(nan_bits & 0x03ff, 0);
    // A signalling NaN whose payload sits only in the low bits must stay a NaN, not become inf.
    EXPECT_NE(float_to_half(from_bits(0x7f800001u)) & 0x03ff, 0);

    EXPECT_EQ(half_to_float(0x7bff), 65504.0f);
    EXPECT_EQ(half_to_float(0x0001), std::ldexp(1.0f, -24));
    EXPECT_EQ(half_to_float(0x03ff), std::ldexp(1023.0f, -24));
    EXPECT_EQ(half_to_float(0x8001), -std::ldexp(1.0f, -24));
    EXPECT_TRUE(std::signbit(half_to_float(0x8000)));
    EXPECT_EQ(half_to_float(0x7c00), std::numeric_limits<float>::infinity());
    EXPECT_EQ(half_to_float(0xfc00), -std::numeric_limits<float>::infinity());
    EXPECT_TRUE(std::isnan(half_to_float(0x7e00)));
    EXPECT_TRUE(std::isnan(half_to_float(0x7c01)));
}

TEST(Float16, EveryHalfRoundTripsThroughFloat) {
    for (std::uint32_t bits = 0; bits <= 0xffff; ++bits) {
        const auto half = static_cast<std::uint16_t>(bits);
        const float value = half_to_float(half);
        if (std::isnan(value))
            EXPECT_TRUE(std::isnan(half_to_float(float_to_half(value)))) << std::hex << bits;
        else
            EXPECT_EQ(float_to_half(value), half) << std::hex << bits;
    }
}

TEST(Float16, DoubleToHalfRoundsOnce) {
    // Just above the tie between 1 and 1 + 2^-10: rounding to float first would land exactly on
    // the tie and then round down to 1; a single rounding goes up.
    const double above_tie = 1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40);
    Tensor tensor = Tensor::from_doubles(ElementType::Float64, {1}, {above_tie});
    Tensor half = tensor.cast(ElementType::Float16);
    std::uint16_t bits;
    std::memcpy(&bits, half.bytes(), sizeof bits);
    EXPECT_EQ(bits, 0x3c01);
    EXPECT_EQ(Tensor::from_doubles(ElementType::Float16, {1}, {above_tie}), half);
}

} // namespace
} // namespace finn
