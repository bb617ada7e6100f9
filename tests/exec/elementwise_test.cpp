// Element-wise kernels, each run as a one-node model through the executor.
#include "exec_test_support.h"
#include "finn/core/error.h"
#include "finn/exec/kernel.h"

#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <optional>
#include <vector>

namespace finn {
namespace {

using testing::NodeSpec;
using testing::run_node;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

const KernelRegistry& registry() {
    static const KernelRegistry r = testing::make_registry(register_elementwise_kernels);
    return r;
}

Tensor run(const NodeSpec& spec, const std::vector<std::optional<Tensor>>& inputs) {
    return run_node(spec, inputs, registry()).at(0);
}

Tensor f32(Shape shape, std::vector<float> values) {
    return Tensor::from_floats(std::move(shape), values);
}
Tensor i64(Shape shape, std::vector<std::int64_t> values) {
    return Tensor::from_int64s(std::move(shape), values);
}

using testing::expect_floats;
using testing::expect_int64s;

void expect_bools(const Tensor& t, const Shape& shape, const std::vector<std::int64_t>& expected) {
    ASSERT_EQ(t.type(), ElementType::Bool);
    ASSERT_EQ(t.shape(), shape);
    EXPECT_EQ(t.to_int64s(), expected);
}

// ---------------------------------------------------------------------------------------------
// Binary arithmetic

TEST(ElementwiseKernels, AddBroadcasts1x3x1With2x1x4) {
    Tensor a = f32({1, 3, 1}, {1, 2, 3});
    Tensor b = f32({2, 1, 4}, {10, 20, 30, 40, 100, 200, 300, 400});
    expect_floats(run({"Add"}, {a, b}), {2, 3, 4},
                  {11,  21,  31,  41,  12,  22,  32,  42,  13,  23,  33,  43,
                   101, 201, 301, 401, 102, 202, 302, 402, 103, 203, 303, 403});
}

TEST(ElementwiseKernels, ScalarOperands) {
    expect_floats(run({"Mul"}, {f32({}, {2.5f}), f32({2, 2}, {1, 2, 3, 4})}), {2, 2},
                  {2.5f, 5, 7.5f, 10});
    expect_floats(run({"Sub"}, {f32({2}, {5, 1}), f32({}, {2})}), {2}, {3, -1});
    expect_floats(run({"Add"}, {f32({}, {1.5f}), f32({}, {2})}), {}, {3.5f});
}

TEST(ElementwiseKernels, FloatDiv) {
    expect_floats(run({"Div"}, {f32({3}, {1, 3, 1}), f32({3}, {4, 2, 0})}), {3},
                  {0.25f, 1.5f, std::numeric_limits<float>::infinity()});
}

TEST(ElementwiseKernels, Int64AddIsExactBeyondDoublePrecision) {
    // 2^53 + 1 is not a double; computing through double would give 2^53.
    Tensor a = i64({2}, {9007199254740992, -5});
    Tensor b = i64({2}, {1, 3});
    expect_int64s(run({"Add"}, {a, b}), {2}, {9007199254740993, -2});
    expect_int64s(run({"Mul"}, {i64({1}, {3037000499}), i64({1}, {3037000499})}), {1},
                  {9223372030926249001});
}

TEST(ElementwiseKernels, Int64DivTruncatesTowardZero) {
    Tensor a = i64({4}, {7, -7, 7, -7});
    Tensor b = i64({4}, {2, 2, -2, -2});
    expect_int64s(run({"Div"}, {a, b}), {4}, {3, -3, -3, 3});
    expect_int64s(run({"Div"}, {i64({2}, {9007199254740993, 10}), i64({}, {1})}), {2},
                  {9007199254740993, 10});
}

TEST(ElementwiseKernels, IntegerDivisionByZeroFails) {
    EXPECT_THROW(run({"Div"}, {i64({2}, {1, 2}), i64({2}, {1, 0})}), Error);
}

TEST(ElementwiseKernels, Int8AddWrapsLikeNumpy) {
    Tensor a = Tensor::from_doubles(ElementType::Int8, {2}, {100, -100});
    Tensor b = Tensor::from_doubles(ElementType::Int8, {2}, {100, -100});
    Tensor out = run({"Add"}, {a, b});
    ASSERT_EQ(out.type(), ElementType::Int8);
    EXPECT_EQ(out.to_int64s(), (std::vector<std::int64_t>{-56, 56}));
}

TEST(ElementwiseKernels, Float16StaysFloat16) {
    Tensor a = Tensor::from_doubles(ElementType::Float16, {2}, {1.5, -2});
    Tensor b = Tensor::from_doubles(ElementType::Float16, {2}, {0.25, 0.5});
    Tensor out = run({"Add"}, {a, b});
    ASSERT_EQ(out.type(), ElementType::Float16);
    EXPECT_EQ(out.to_doubles(), (std::vector<double>{1.75, -1.5}));
}

TEST(ElementwiseKernels, MismatchedTypesOrShapesFail) {
    EXPECT_THROW(run({"Add"}, {f32({1}, {1}), i64({1}, {1})}), Error);
    EXPECT_THROW(run({"Add"}, {f32({2, 3}, {1, 2, 3, 4, 5, 6}), f32({4}, {1, 2, 3, 4})}), Error);
}

TEST(ElementwiseKernels, Pow) {
    expect_floats(run({"Pow"}, {f32({2}, {2, 3}), f32({2}, {3, 0.5f})}), {2}, {8, 1.7320508f});
    // Exponent of another type than the base; the result keeps the base type.
    expect_floats(run({"Pow"}, {f32({2, 2}, {1, -2, 3, 4}), i64({}, {2})}), {2, 2}, {1, 4, 9, 16});
    expect_int64s(run({"Pow"}, {i64({4}, {3, 3, 3, -2}), i64({4}, {0, 1, 4, 3})}), {4},
                  {1, 3, 81, -8});
    // 3^34 > 2^53: exact integer multiplication.
    expect_int64s(run({"Pow"}, {i64({1}, {3}), i64({1}, {34})}), {1}, {16677181699666569});
    // A negative exponent gives 0.5, truncated to the integer type.
    expect_int64s(run({"Pow"}, {i64({1}, {2}), f32({1}, {-1})}), {1}, {0});
}

// ---------------------------------------------------------------------------------------------
// Variadic

TEST(ElementwiseKernels, MaxAndMinAreVariadicWithBroadcasting) {
    Tensor a = f32({2, 2}, {1, 5, 3, -2});
    Tensor b = f32({2}, {2, 4});
    Tensor c = f32({}, {3});
    expect_floats(run({"Max"}, {a, b, c}), {2, 2}, {3, 5, 3, 4});
    expect_floats(run({"Min"}, {a, b, c}), {2, 2}, {1, 3, 2, -2});
    expect_floats(run({"Max"}, {a}), {2, 2}, {1, 5, 3, -2});
}

TEST(ElementwiseKernels, MaxPropagatesNaN) {
    expect_floats(run({"Max"}, {f32({2}, {kNaN, 1}), f32({2}, {1, kNaN})}), {2}, {kNaN, kNaN});
    expect_floats(run({"Min"}, {f32({2}, {kNaN, 1}), f32({2}, {1, kNaN})}), {2}, {kNaN, kNaN});
}

TEST(ElementwiseKernels, Int64MaxIsExact) {
    expect_int64s(
        run({"Max"}, {i64({2}, {9007199254740993, -1}), i64({2}, {9007199254740992, -7})}), {2},
        {9007199254740993, -1});
}

TEST(ElementwiseKernels, SumAndMean) {
    Tensor a = f32({2}, {1, 2});
    Tensor b = f32({2}, {3, 4});
    Tensor c = f32({2}, {5, 6});
    expect_floats(run({"Sum"}, {a, b, c}), {2}, {9, 12});
    expect_floats(run({"Mean"}, {a, b, c}), {2}, {3, 4});
}

// ---------------------------------------------------------------------------------------------
// Comparisons

TEST(ElementwiseKernels, ComparisonsGiveBool) {
    Tensor a = f32({3}, {1, 2, 3});
    Tensor two = f32({}, {2});
    expect_bools(run({"Equal"}, {a, two}), {3}, {0, 1, 0});
    expect_bools(run({"Less"}, {a, two}), {3}, {1, 0, 0});
    expect_bools(run({"Greater"}, {a, two}), {3}, {0, 0, 1});
    expect_bools(run({"LessOrEqual"}, {a, two}), {3}, {1, 1, 0});
    expect_bools(run({"GreaterOrEqual"}, {a, two}), {3}, {0, 1, 1});
    // (2,1) against (1,2).
    expect_bools(run({"Less"}, {f32({2, 1}, {1, 3}), f32({1, 2}, {2, 4})}), {2, 2}, {1, 1, 0, 1});
    // 2^53 + 1 vs 2^53 differ only in exact int64 comparison.
    expect_bools(run({"Greater"}, {i64({1}, {9007199254740993}), i64({1}, {9007199254740992})}),
                 {1}, {1});
}

// ---------------------------------------------------------------------------------------------
// Unary

TEST(ElementwiseKernels, Relu) {
    expect_floats(run({"Relu"}, {f32({3}, {-1, 0, 2.5f})}), {3}, {0, 0, 2.5f});
    expect_int64s(run({"Relu"}, {i64({2}, {-3, 4})}), {2}, {0, 4});
}

TEST(ElementwiseKernels, SigmoidIsStableForLargeMagnitudes) {
    expect_floats(run({"Sigmoid"}, {f32({4}, {0, 1, 1000, -1000})}), {4},
                  {0.5f, 0.7310585786f, 1, 0});
}

TEST(ElementwiseKernels, Tanh) {
    expect_floats(run({"Tanh"}, {f32({3}, {0, 1, -1})}), {3}, {0, 0.7615941560f, -0.7615941560f});
}

TEST(ElementwiseKernels, FloatOnlyOperatorsRejectIntegers) {
    EXPECT_THROW(run({"Sigmoid"}, {i64({1}, {1})}), Error);
    EXPECT_THROW(run({"Sqrt"}, {i64({1}, {4})}), Error);
}

TEST(ElementwiseKernels, LeakyRelu) {
    expect_floats(run({"LeakyRelu"}, {f32({3}, {-2, 0, 3})}), {3}, {-0.02f, 0, 3});
    NodeSpec spec{"LeakyRelu"};
    spec.attributes = [](Node& n) { n.set_attr_float("alpha", 0.5f); };
    expect_floats(run(spec, {f32({2}, {-2, 3})}), {2}, {-1, 3});
}

TEST(ElementwiseKernels, Sign) {
    expect_floats(run({"Sign"}, {f32({4}, {-3.5f, 0, 2, kNaN})}), {4}, {-1, 0, 1, kNaN});
    expect_int64s(run({"Sign"}, {i64({3}, {-5, 0, 7})}), {3}, {-1, 0, 1});
}

TEST(ElementwiseKernels, RoundHalfToEven) {
    Tensor out =
        run({"Round"}, {f32({9}, {0.5f, 1.5f, 2.5f, -2.5f, -0.5f, 2.4f, 2.6f, -1.5f, -3.7f})});
    expect_floats(out, {9}, {0, 2, 2, -2, 0, 2, 3, -2, -4});
    EXPECT_TRUE(std::signbit(out.to_floats()[4])); // -0.5 rounds to -0, as numpy
}

TEST(ElementwiseKernels, FloorAndCeil) {
    Tensor x = f32({4}, {-1.5f, 1.5f, 2, -0.2f});
    expect_floats(run({"Floor"}, {x}), {4}, {-2, 1, 2, -1});
    expect_floats(run({"Ceil"}, {x}), {4}, {-1, 2, 2, 0});
}

TEST(ElementwiseKernels, NegAndAbs) {
    expect_floats(run({"Neg"}, {f32({2}, {1, -2})}), {2}, {-1, 2});
    expect_floats(run({"Abs"}, {f32({2}, {1, -2})}), {2}, {1, 2});
    expect_int64s(run({"Neg"}, {i64({2}, {5, -9223372036854775807})}), {2},
                  {-5, 9223372036854775807});
    expect_int64s(run({"Abs"}, {i64({2}, {-9007199254740993, 4})}), {2}, {9007199254740993, 4});
}

TEST(ElementwiseKernels, IdentityKeepsTypeAndValues) {
    Tensor x = Tensor::from_doubles(ElementType::Int32, {2, 1}, {7, -3});
    EXPECT_EQ(run({"Identity"}, {x}), x);
}

TEST(ElementwiseKernels, SqrtExpLogErf) {
    expect_floats(run({"Sqrt"}, {f32({3}, {4, 2.25f, -1})}), {3}, {2, 1.5f, kNaN});
    expect_floats(run({"Exp"}, {f32({2}, {0, 1})}), {2}, {1, 2.7182818f});
    expect_floats(run({"Log"}, {f32({2}, {1, 2.7182818f})}), {2}, {0, 1});
    expect_floats(run({"Erf"}, {f32({3}, {0, 1, -1})}), {3}, {0, 0.8427007929f, -0.8427007929f});
}

// ---------------------------------------------------------------------------------------------
// Clip

TEST(ElementwiseKernels, ClipWithInputBounds) {
    Tensor x = f32({3}, {-2, 0.5f, 3});
    Tensor lo = f32({}, {0});
    Tensor hi = f32({}, {1});
    expect_floats(run({"Clip"}, {x, lo, hi}), {3}, {0, 0.5f, 1});
    expect_floats(run({"Clip"}, {x, std::nullopt, hi}), {3}, {-2, 0.5f, 1}); // no min
    expect_floats(run({"Clip"}, {x, lo}), {3}, {0, 0.5f, 3});                // no max
    expect_floats(run({"Clip"}, {x}), {3}, {-2, 0.5f, 3});
    // min > max: everything becomes max.
    expect_floats(run({"Clip"}, {x, f32({}, {2}), hi}), {3}, {1, 1, 1});
}

TEST(ElementwiseKernels, ClipBoundsAsInitializersAndIntegers) {
    NodeSpec spec{"Clip"};
    spec.initializer_inputs = {1, 2};
    expect_int64s(run(spec, {i64({3}, {-5, 5, 10}), i64({}, {0}), i64({}, {7})}), {3}, {0, 5, 7});
}

TEST(ElementwiseKernels, ClipWithAttributesBeforeOpset11) {
    NodeSpec spec{"Clip"};
    spec.opset = 6;
    spec.attributes = [](Node& n) {
        n.set_attr_float("min", -1);
        n.set_attr_float("max", 1);
    };
    expect_floats(run(spec, {f32({3}, {-2, 0.5f, 3})}), {3}, {-1, 0.5f, 1});
    spec.attributes = [](Node& n) { n.set_attr_float("min", 0); };
    expect_floats(run(spec, {f32({3}, {-2, 0.5f, 3})}), {3}, {0, 0.5f, 3});
}

TEST(ElementwiseKernels, ClipRejectsNonScalarBound) {
    EXPECT_THROW(run({"Clip"}, {f32({2}, {1, 2}), f32({2}, {0, 0})}), Error);
}

// ---------------------------------------------------------------------------------------------
// Cast

NodeSpec cast_to(int onnx_type) {
    NodeSpec spec{"Cast"};
    spec.attributes = [onnx_type](Node& n) { n.set_attr_int("to", onnx_type); };
    return spec;
}

TEST(ElementwiseKernels, CastFloatToInt64Truncates) {
    expect_int64s(run(cast_to(7), {f32({5}, {-1.7f, 1.7f, -0.5f, 2.999f, -3})}), {5},
                  {-1, 1, 0, 2, -3});
}

TEST(ElementwiseKernels, CastToAndFromBool) {
    expect_bools(run(cast_to(9), {f32({4}, {0, 2, -0.5f, kNaN})}), {4}, {0, 1, 1, 1});
    Tensor flags = Tensor::from_doubles(ElementType::Bool, {2}, {1, 0});
    expect_floats(run(cast_to(1), {flags}), {2}, {1, 0});
}

TEST(ElementwiseKernels, CastThroughFloat16) {
    Tensor half = run(cast_to(10), {f32({2}, {1.0f / 3, 65504})});
    ASSERT_EQ(half.type(), ElementType::Float16);
    // 1/3 rounds to 0x3555 = 1365/4096.
    expect_floats(run(cast_to(1), {half}), {2}, {0.333251953125f, 65504});
}

TEST(ElementwiseKernels, CastIntegerNarrowingWraps) {
    Tensor out = run(cast_to(3), {i64({2}, {300, -129})}); // INT8
    ASSERT_EQ(out.type(), ElementType::Int8);
    EXPECT_EQ(out.to_int64s(), (std::vector<std::int64_t>{44, 127}));
}

TEST(ElementwiseKernels, CastRejectsUnsupportedOrMissingTarget) {
    EXPECT_THROW(run(cast_to(8), {f32({1}, {1})}), Error); // STRING
    EXPECT_THROW(run({"Cast"}, {f32({1}, {1})}), Error);
}

} // namespace
} // namespace finn
