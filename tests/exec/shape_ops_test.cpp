// The shape kernels (kernels/shape_ops.cpp), each run as a one-node model through the executor.
#include "../test_support.h"
#include "exec_test_support.h"
#include "finn/core/error.h"
#include "finn/exec/kernel.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <numeric>

namespace finn {
namespace {

using testing::NodeSpec;
using testing::run_node;
using Ints = std::vector<std::int64_t>;
using Floats = std::vector<float>;

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
// Beyond double's 53-bit mantissa: survives only if kernels move int64 bytes unconverted.
constexpr std::int64_t kBig = std::int64_t{1} << 60;

const KernelRegistry& shape_registry() {
    static const KernelRegistry registry = [] {
        KernelRegistry r;
        register_shape_kernels(r);
        return r;
    }();
    return registry;
}

std::vector<Tensor> run(const NodeSpec& spec, const std::vector<std::optional<Tensor>>& inputs) {
    return run_node(spec, inputs, shape_registry());
}

Tensor run1(const NodeSpec& spec, const std::vector<std::optional<Tensor>>& inputs) {
    auto outputs = run(spec, inputs);
    return outputs.at(0);
}

// 0, 1, 2, ... as float32.
Tensor iota_floats(const Shape& shape) {
    std::vector<float> values(static_cast<std::size_t>(shape_size(shape)));
    std::iota(values.begin(), values.end(), 0.0f);
    return Tensor::from_floats(shape, values);
}

// kBig + 0, kBig + 1, ... as int64.
Tensor big_ints(const Shape& shape) {
    Ints values(static_cast<std::size_t>(shape_size(shape)));
    std::iota(values.begin(), values.end(), kBig);
    return Tensor::from_int64s(shape, values);
}

Tensor ints(const Ints& values) {
    return Tensor::from_int64s({static_cast<std::int64_t>(values.size())}, values);
}

Tensor floats(const Floats& values) {
    return Tensor::from_floats({static_cast<std::int64_t>(values.size())}, values);
}

void expect_floats(const Tensor& t, const Shape& shape, const Floats& values) {
    EXPECT_EQ(t.type(), ElementType::Float32);
    EXPECT_EQ(t.shape(), shape);
    EXPECT_EQ(t.to_floats(), values);
}

// Exact int64 comparison against kBig + offsets.
void expect_big_ints(const Tensor& t, const Shape& shape, const Ints& offsets) {
    ASSERT_EQ(t.type(), ElementType::Int64);
    EXPECT_EQ(t.shape(), shape);
    Ints expected;
    for (auto o : offsets)
        expected.push_back(kBig + o);
    EXPECT_EQ(Ints(t.data<std::int64_t>(), t.data<std::int64_t>() + t.size()), expected);
}

void expect_error(const std::function<void()>& f, const std::string& fragment) {
    try {
        f();
        ADD_FAILURE() << "expected an error containing: " << fragment;
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
}

// --- Reshape, Flatten, Squeeze, Unsqueeze
// ---------------------------------------------------------

TEST(Reshape, ZeroCopiesTheInputDimAndMinusOneIsInferred) {
    NodeSpec spec{"Reshape"};
    Tensor out = run1(spec, {iota_floats({2, 3, 4}), ints({0, -1})});
    EXPECT_EQ(out.shape(), (Shape{2, 12}));
    EXPECT_EQ(out.to_floats(), iota_floats({24}).to_floats());
    out = run1(spec, {big_ints({2, 3, 4}), ints({-1, 0, 2})});
    expect_big_ints(out, {4, 3, 2}, [] {
        Ints v(24);
        std::iota(v.begin(), v.end(), 0);
        return v;
    }());
}

TEST(Reshape, AllowZeroKeepsZeroAsASize) {
    NodeSpec spec{"Reshape", "", 14, [](Node& n) { n.set_attr_int("allowzero", 1); }};
    Tensor out = run1(spec, {Tensor(ElementType::Float32, {0, 3}), ints({3, 0})});
    EXPECT_EQ(out.shape(), (Shape{3, 0}));
    // Without allowzero the 0 copies input dim 1 (3): 9 elements cannot come from 0.
    expect_error(
        [] {
            run1({"Reshape", "", 14}, {Tensor(ElementType::Float32, {0, 3}), ints({3, 0})});
        },
        "cannot reshape (0, 3)");
}

TEST(Reshape, ShapeAttributeBeforeOpset5) {
    NodeSpec spec{"Reshape", "", 4, [](Node& n) { n.set_attr_ints("shape", {3, -1}); }};
    expect_floats(run1(spec, {iota_floats({2, 3})}), {3, 2}, {0, 1, 2, 3, 4, 5});
}

TEST(Reshape, RejectsBadShapes) {
    expect_error(
        [] {
            run1({"Reshape"}, {iota_floats({2, 3}), ints({-1, -1})});
        },
        "more than one -1");
    expect_error(
        [] {
            run1({"Reshape"}, {iota_floats({2, 3}), ints({4, -1})});
        },
        "cannot infer the -1");
    expect_error(
        [] {
            run1({"Reshape"}, {iota_floats({2, 3}), ints({2, 3, 0})});
        },
        "no such dimension");
}

TEST(Flatten, DefaultNegativeAndZeroAxis) {
    EXPECT_EQ(run1({"Flatten"}, {iota_floats({2, 3, 4})}).shape(), (Shape{2, 12}));
    NodeSpec last{"Flatten", "", 13, [](Node& n) { n.set_attr_int("axis", -1); }};
    expect_floats(run1(last, {iota_floats({2, 1, 2})}), {2, 2}, {0, 1, 2, 3});
    NodeSpec zero{"Flatten", "", 13, [](Node& n) { n.set_attr_int("axis", 0); }};
    EXPECT_EQ(run1(zero, {iota_floats({2, 3, 4})}).shape(), (Shape{1, 24}));
    NodeSpec bad{"Flatten", "", 13, [](Node& n) { n.set_attr_int("axis", 4); }};
    expect_error([&] { run1(bad, {iota_floats({2, 3, 4})}); }, "axis 4 is out of range");
}

TEST(Squeeze, AxesAsAttributeAsInputAndAbsent) {
    NodeSpec attr{"Squeeze", "", 11, [](Node& n) { n.set_attr_ints("axes", {0, -1}); }};
    expect_floats(run1(attr, {iota_floats({1, 3, 1})}), {3}, {0, 1, 2});
    EXPECT_EQ(run1({"Squeeze"}, {iota_floats({1, 3, 1}), ints({-3})}).shape(), (Shape{3, 1}));
    EXPECT_EQ(run1({"Squeeze"}, {iota_floats({1, 3, 1, 2})}).shape(), (Shape{3, 2}));
    expect_error(
        [] {
            run1({"Squeeze"}, {iota_floats({1, 3, 1}), ints({1})});
        },
        "cannot squeeze axis 1");
}

TEST(Unsqueeze, MultipleNegativeAxesReferToTheOutputRank) {
    // Output rank 4: axes 0 and -1 (= 3).
    Tensor out = run1({"Unsqueeze"}, {big_ints({2, 3}), ints({0, -1})});
    expect_big_ints(out, {1, 2, 3, 1}, {0, 1, 2, 3, 4, 5});
    // -2 (= 2) and 1, given unsorted.
    EXPECT_EQ(run1({"Unsqueeze"}, {iota_floats({2, 3}), ints({-2, 1})}).shape(),
              (Shape{2, 1, 1, 3}));
    NodeSpec attr{"Unsqueeze", "", 11, [](Node& n) { n.set_attr_ints("axes", {0, -1}); }};
    EXPECT_EQ(run1(attr, {iota_floats({3, 4, 5})}).shape(), (Shape{1, 3, 4, 5, 1}));
    expect_error([] { run1({"Unsqueeze"}, {iota_floats({2}), ints({0, -3})}); }, "twice");
    expect_error([] { run1({"Unsqueeze"}, {iota_floats({2})}); }, "needs axes");
}

// --- Transpose -----------------------------------------------------------------------------------

TEST(Transpose, Int64DataDefaultPermReversesAxes) {
    // [[0, 1, 2], [3, 4, 5]] transposed.
    expect_big_ints(run1({"Transpose"}, {big_ints({2, 3})}), {3, 2}, {0, 3, 1, 4, 2, 5});
}

TEST(Transpose, ExplicitPermOnInt64) {
    // out[k][i][j] = in[i][j][k], in flat index 6i + 3j + k.
    NodeSpec spec{"Transpose", "", 13, [](Node& n) { n.set_attr_ints("perm", {2, 0, 1}); }};
    expect_big_ints(run1(spec, {big_ints({2, 2, 3})}), {3, 2, 2},
                    {0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11});
    NodeSpec dup{"Transpose", "", 13, [](Node& n) { n.set_attr_ints("perm", {0, 0, 1}); }};
    expect_error([&] { run1(dup, {big_ints({2, 2, 3})}); }, "twice");
}

// --- Concat, Split -------------------------------------------------------------------------------

TEST(Concat, NegativeAxisAndInt64) {
    NodeSpec spec{"Concat", "", 13, [](Node& n) { n.set_attr_int("axis", -1); }};
    Tensor a = Tensor::from_floats({2, 1}, {1, 2});
    Tensor b = Tensor::from_floats({2, 2}, {3, 4, 5, 6});
    expect_floats(run1(spec, {a, b}), {2, 3}, {1, 3, 4, 2, 5, 6});
    NodeSpec axis0{"Concat", "", 13, [](Node& n) { n.set_attr_int("axis", 0); }};
    expect_big_ints(run1(axis0, {big_ints({1, 2}), big_ints({2, 2})}), {3, 2}, {0, 1, 0, 1, 2, 3});
    expect_error(
        [&] {
            run1(spec, {a, Tensor::from_floats({3, 1}, {0, 0, 0})});
        },
        "does not match input 0");
}

TEST(Split, UnevenSizesAsInputAndAttribute) {
    // (2, 5) split [2, 3] along the last axis.
    auto outs = run({"Split", "", 13, [](Node& n) { n.set_attr_int("axis", -1); }, 2},
                    {iota_floats({2, 5}), ints({2, 3})});
    expect_floats(outs[0], {2, 2}, {0, 1, 5, 6});
    expect_floats(outs[1], {2, 3}, {2, 3, 4, 7, 8, 9});
    NodeSpec attr{"Split", "", 11, [](Node& n) { n.set_attr_ints("split", {1, 3}); }, 2};
    outs = run(attr, {big_ints({4})});
    expect_big_ints(outs[0], {1}, {0});
    expect_big_ints(outs[1], {3}, {1, 2, 3});
}

TEST(Split, EqualPartsAndNumOutputs) {
    auto outs = run({"Split", "", 13, [](Node&) {}, 3}, {iota_floats({6})});
    expect_floats(outs[2], {2}, {4, 5});
    // Opset 18: 7 into 3 parts of ceil(7 / 3) = 3, the last smaller.
    NodeSpec n18{"Split", "", 18, [](Node& n) { n.set_attr_int("num_outputs", 3); }, 3};
    outs = run(n18, {iota_floats({7})});
    expect_floats(outs[0], {3}, {0, 1, 2});
    expect_floats(outs[1], {3}, {3, 4, 5});
    expect_floats(outs[2], {1}, {6});
    expect_error(
        [] {
            run({"Split", "", 13, [](Node&) {}, 3}, {iota_floats({7})});
        },
        "3 equal parts");
    expect_error(
        [] {
            run({"Split", "", 13, [](Node&) {}, 2}, {iota_floats({7}), ints({2, 4})});
        },
        "sums to 6");
}

// --- Slice ---------------------------------------------------------------------------------------

TEST(Slice, NegativeStepWithSentinelAndClampedEnds) {
    NodeSpec spec{"Slice"};
    // From the last element back past the start (INT64_MIN), every second.
    expect_floats(run1(spec, {iota_floats({10}), ints({-1}), ints({kMin}), ints({0}), ints({-2})}),
                  {5}, {9, 7, 5, 3, 1});
    // Start 20 clamps to 9, end -100 clamps to before the first element.
    expect_floats(run1(spec, {iota_floats({10}), ints({20}), ints({-100}), ints({0}), ints({-3})}),
                  {4}, {9, 6, 3, 0});
    // Backwards to an end that is included by no element: end 7 stops before index 7.
    expect_floats(run1(spec, {iota_floats({10}), ints({9}), ints({7}), std::nullopt, ints({-1})}),
                  {2}, {9, 8});
}

TEST(Slice, ForwardClampingAxesAndSteps) {
    // (3, 4): rows 0, 2 (INT64_MAX end), columns 1.. (end 1000 clamps to 4).
    Tensor out = run1({"Slice"}, {big_ints({3, 4}), ints({0, 1}), ints({kMax, 1000}), ints({0, 1}),
                                  ints({2, 1})});
    expect_big_ints(out, {2, 3}, {1, 2, 3, 9, 10, 11});
    // Negative axis and end; steps omitted.
    expect_floats(run1({"Slice"}, {iota_floats({3, 4}), ints({1}), ints({-1}), ints({-1})}), {3, 2},
                  {1, 2, 5, 6, 9, 10});
    // Start past end: empty.
    EXPECT_EQ(run1({"Slice"}, {iota_floats({5}), ints({3}), ints({1})}).shape(), (Shape{0}));
}

TEST(Slice, AttributesBeforeOpset10) {
    NodeSpec spec{"Slice", "", 9, [](Node& n) {
                      n.set_attr_ints("starts", {1});
                      n.set_attr_ints("ends", {3});
                      n.set_attr_ints("axes", {1});
                  }};
    expect_floats(run1(spec, {iota_floats({2, 4})}), {2, 2}, {1, 2, 5, 6});
}

TEST(Slice, RejectsZeroStepAndMismatchedLengths) {
    expect_error(
        [] {
            run1({"Slice"}, {iota_floats({4}), ints({0}), ints({4}), ints({0}), ints({0})});
        },
        "step 0");
    expect_error(
        [] {
            run1({"Slice"}, {iota_floats({4}), ints({0, 1}), ints({4})});
        },
        "same length");
}

// --- Gather --------------------------------------------------------------------------------------

TEST(Gather, NegativeIndicesOnAxis1) {
    NodeSpec spec{"Gather", "", 13, [](Node& n) { n.set_attr_int("axis", 1); }};
    // [[0, 1, 2], [3, 4, 5]] columns -1 (= 2) and 0.
    expect_big_ints(run1(spec, {big_ints({2, 3}), ints({-1, 0})}), {2, 2}, {2, 0, 5, 3});
    // int32 indices work too.
    Tensor idx32 = Tensor::from_doubles(ElementType::Int32, {1}, {-2});
    expect_floats(run1(spec, {iota_floats({2, 3}), idx32}), {2, 1}, {1, 4});
}

TEST(Gather, IndexShapeReplacesTheAxis) {
    // Axis 0 of (2, 3) with indices (2, 2) [[1, 0], [-2, 1]] gives (2, 2, 3).
    Tensor indices = Tensor::from_int64s({2, 2}, {1, 0, -2, 1});
    expect_floats(run1({"Gather"}, {iota_floats({2, 3}), indices}), {2, 2, 3},
                  {3, 4, 5, 0, 1, 2, 0, 1, 2, 3, 4, 5});
    // A scalar index drops the axis.
    expect_floats(run1({"Gather"}, {iota_floats({2, 3}), Tensor::from_int64s({}, {1})}), {3},
                  {3, 4, 5});
    expect_error(
        [] {
            run1({"Gather"}, {iota_floats({2, 3}), ints({2})});
        },
        "index 2 is out of range");
}

// --- Shape, Constant, Expand ---------------------------------------------------------------------

TEST(Shape, FullAndRangedWithStartEnd) {
    Tensor out = run1({"Shape"}, {iota_floats({2, 3, 4})});
    EXPECT_EQ(out.type(), ElementType::Int64);
    EXPECT_EQ(out.to_int64s(), (Ints{2, 3, 4}));
    NodeSpec start{"Shape", "", 15, [](Node& n) { n.set_attr_int("start", 1); }};
    EXPECT_EQ(run1(start, {iota_floats({2, 3, 4})}).to_int64s(), (Ints{3, 4}));
    NodeSpec range{"Shape", "", 15, [](Node& n) {
                       n.set_attr_int("start", -2);
                       n.set_attr_int("end", -1);
                   }};
    EXPECT_EQ(run1(range, {iota_floats({2, 3, 4})}).to_int64s(), (Ints{3}));
    NodeSpec clamped{"Shape", "", 15, [](Node& n) { n.set_attr_int("end", 10); }};
    EXPECT_EQ(run1(clamped, {iota_floats({2, 3, 4})}).to_int64s(), (Ints{2, 3, 4}));
}

TEST(Constant, AllValueAttributes) {
    NodeSpec tensor{"Constant", "", 13, [](Node& n) {
                        n.set_attr_tensor("value", Tensor::from_int64s({2}, {kBig, -1}));
                    }};
    Tensor out = run1(tensor, {});
    EXPECT_EQ(out.type(), ElementType::Int64);
    EXPECT_EQ(out.to_int64s(), (Ints{kBig, -1}));
    NodeSpec f{"Constant", "", 13, [](Node& n) { n.set_attr_float("value_float", 2.5f); }};
    expect_floats(run1(f, {}), {}, {2.5f});
    NodeSpec fs{"Constant", "", 13, [](Node& n) { n.set_attr_floats("value_floats", {1, 2}); }};
    expect_floats(run1(fs, {}), {2}, {1, 2});
    NodeSpec i{"Constant", "", 13, [](Node& n) { n.set_attr_int("value_int", 7); }};
    out = run1(i, {});
    EXPECT_EQ(out.type(), ElementType::Int64);
    EXPECT_EQ(out.shape(), Shape{});
    EXPECT_EQ(out.to_int64s(), (Ints{7}));
    NodeSpec is{"Constant", "", 13, [](Node& n) { n.set_attr_ints("value_ints", {4, 5, 6}); }};
    EXPECT_EQ(run1(is, {}).to_int64s(), (Ints{4, 5, 6}));
    expect_error([] { run1({"Constant"}, {}); }, "needs one of the attributes value");
}

TEST(Expand, BroadcastsBothWays) {
    // (3, 1) to [2, 1, 4] gives (2, 3, 4).
    Tensor out = run1({"Expand"}, {Tensor::from_floats({3, 1}, {1, 2, 3}), ints({2, 1, 4})});
    EXPECT_EQ(out.shape(), (Shape{2, 3, 4}));
    EXPECT_EQ(out.to_floats(),
              (Floats{1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}));
    // A target 1 keeps the input's dimension; bool stays bool.
    Tensor flags = Tensor::from_doubles(ElementType::Bool, {1, 2}, {1, 0});
    out = run1({"Expand"}, {flags, ints({2, 1})});
    EXPECT_EQ(out.type(), ElementType::Bool);
    EXPECT_EQ(out.shape(), (Shape{2, 2}));
    EXPECT_EQ(out.to_doubles(), (std::vector<double>{1, 0, 1, 0}));
    expect_big_ints(run1({"Expand"}, {big_ints({2}), ints({2, 2})}), {2, 2}, {0, 1, 0, 1});
    EXPECT_THROW(run1({"Expand"}, {iota_floats({3}), ints({2})}), Error);
}

// --- Pad -----------------------------------------------------------------------------------------

// (1, 2, 3, 3) NCHW with x[c][h][w] = 10c + 3h + w.
Tensor nchw_3x3() {
    Floats v;
    for (int c = 0; c < 2; ++c)
        for (int i = 0; i < 9; ++i)
            v.push_back(static_cast<float>(10 * c + i));
    return Tensor::from_floats({1, 2, 3, 3}, v);
}

// Channel 0 of the expectation followed by channel 1 (= channel 0 + 10).
Floats two_channels(const Floats& channel0) {
    Floats v = channel0;
    for (float x : channel0)
        v.push_back(x + 10);
    return v;
}

// H padded (1, 2), W padded (2, 1).
const Ints kPads4d = {0, 0, 1, 2, 0, 0, 2, 1};

TEST(Pad, ReflectOnNchw) {
    NodeSpec spec{"Pad", "", 13, [](Node& n) { n.set_attr_string("mode", "reflect"); }};
    // Rows read 1 0 1 2 1 0, columns 2 1 0 1 2 1.
    expect_floats(run1(spec, {nchw_3x3(), ints(kPads4d)}), {1, 2, 6, 6},
                  two_channels({5, 4, 3, 4, 5, 4, //
                                2, 1, 0, 1, 2, 1, //
                                5, 4, 3, 4, 5, 4, //
                                8, 7, 6, 7, 8, 7, //
                                5, 4, 3, 4, 5, 4, //
                                2, 1, 0, 1, 2, 1}));
}

TEST(Pad, EdgeOnNchw) {
    NodeSpec spec{"Pad", "", 13, [](Node& n) { n.set_attr_string("mode", "edge"); }};
    // Rows read 0 0 1 2 2 2, columns 0 0 0 1 2 2.
    expect_floats(run1(spec, {nchw_3x3(), ints(kPads4d)}), {1, 2, 6, 6},
                  two_channels({0, 0, 0, 1, 2, 2, //
                                0, 0, 0, 1, 2, 2, //
                                3, 3, 3, 4, 5, 5, //
                                6, 6, 6, 7, 8, 8, //
                                6, 6, 6, 7, 8, 8, //
                                6, 6, 6, 7, 8, 8}));
}

TEST(Pad, ConstantValueInputAndNegativePadsCrop) {
    // (2, 3) [[0, 1, 2], [3, 4, 5]]: one row of 9 on top, first column cropped, one column added.
    Tensor out = run1({"Pad"}, {iota_floats({2, 3}), ints({1, -1, 0, 1}), floats({9})});
    expect_floats(out, {3, 3}, {9, 9, 9, 1, 2, 9, 4, 5, 9});
    // int64 keeps its bytes; the default constant is 0.
    EXPECT_EQ(run1({"Pad"}, {big_ints({2}), ints({0, 1})}).to_int64s(), (Ints{kBig, kBig + 1, 0}));
    expect_error([] { run1({"Pad"}, {iota_floats({2, 3}), ints({1, 1})}); }, "must have 4 values");
    expect_error([] { run1({"Pad"}, {iota_floats({2}), ints({-2, -1})}); }, "crop more");
}

TEST(Pad, AttributesBeforeOpset11AndAxesInOpset18) {
    NodeSpec old{"Pad", "", 2, [](Node& n) {
                     n.set_attr_ints("pads", {1, 2});
                     n.set_attr_float("value", -1.5f);
                 }};
    expect_floats(run1(old, {floats({7})}), {4}, {-1.5f, 7, -1.5f, -1.5f});
    // Opset 18: pads only for axis -1 of (2, 2).
    NodeSpec axes{"Pad", "", 18, [](Node& n) { n.set_attr_string("mode", "edge"); }};
    expect_floats(run1(axes, {iota_floats({2, 2}), ints({1, 0}), std::nullopt, ints({-1})}), {2, 3},
                  {0, 0, 1, 2, 2, 3});
    NodeSpec wrap{"Pad", "", 19, [](Node& n) { n.set_attr_string("mode", "wrap"); }};
    expect_floats(run1(wrap, {floats({1, 2, 3}), ints({2, 1})}), {6}, {2, 3, 1, 2, 3, 1});
    NodeSpec bad{"Pad", "", 13, [](Node& n) { n.set_attr_string("mode", "mirror"); }};
    expect_error([&] { run1(bad, {floats({1}), ints({1, 1})}); }, "mode 'mirror'");
}

// --- DepthToSpace ------------------------------------------------------------------------------

TEST(DepthToSpace, DcrAndCrdOn1x8x2x2) {
    // x = 0..31: x[c][h][w] = 4c + 2h + w; blocksize 2, 2 output channels.
    // DCR reads channel 4*b1 + 2*b2 + c, CRD reads channel 4*c + 2*b1 + b2, for output
    // (c, 2h + b1, 2w + b2).
    NodeSpec dcr{"DepthToSpace", "", 13, [](Node& n) { n.set_attr_int("blocksize", 2); }};
    expect_floats(run1(dcr, {iota_floats({1, 8, 2, 2})}), {1, 2, 4, 4},
                  {0, 8,  1, 9,  16, 24, 17, 25, 2, 10, 3, 11, 18, 26, 19, 27,
                   4, 12, 5, 13, 20, 28, 21, 29, 6, 14, 7, 15, 22, 30, 23, 31});
    NodeSpec crd{"DepthToSpace", "", 13, [](Node& n) {
                     n.set_attr_int("blocksize", 2);
                     n.set_attr_string("mode", "CRD");
                 }};
    expect_floats(run1(crd, {iota_floats({1, 8, 2, 2})}), {1, 2, 4, 4},
                  {0,  4,  1,  5,  8,  12, 9,  13, 2,  6,  3,  7,  10, 14, 11, 15,
                   16, 20, 17, 21, 24, 28, 25, 29, 18, 22, 19, 23, 26, 30, 27, 31});
    NodeSpec three{"DepthToSpace", "", 13, [](Node& n) { n.set_attr_int("blocksize", 3); }};
    expect_error([&] { run1(three, {iota_floats({1, 8, 2, 2})}); }, "blocksize 3");
}

// --- Resize, Upsample ----------------------------------------------------------------------------

const Floats kUp2 = {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4};

TEST(Resize, NearestUpscaleBy2AsymmetricFloor) {
    NodeSpec spec{"Resize", "", 13, [](Node& n) {
                      n.set_attr_string("mode", "nearest");
                      n.set_attr_string("coordinate_transformation_mode", "asymmetric");
                      n.set_attr_string("nearest_mode", "floor");
                  }};
    Tensor x = Tensor::from_floats({1, 1, 2, 2}, {1, 2, 3, 4});
    expect_floats(run1(spec, {x, std::nullopt, floats({1, 1, 2, 2})}), {1, 1, 4, 4}, kUp2);
    // int64 data keeps its bytes.
    Tensor out = run1(spec, {big_ints({1, 1, 2, 2}), std::nullopt, floats({1, 1, 2, 2})});
    expect_big_ints(out, {1, 1, 4, 4}, {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3});
}

TEST(Resize, HalfPixelDefaultsWithScalesAndSizes) {
    // Downscale 0.6 of (2, 4): output (1, 2); x = (o + 0.5) / 0.6 - 0.5 -> 0.33, 2.0.
    Tensor x = Tensor::from_floats({1, 1, 2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
    expect_floats(run1({"Resize"}, {x, std::nullopt, floats({1, 1, 0.6f, 0.6f})}), {1, 1, 1, 2},
                  {1, 3});
    // Sizes (7, 8) from (2, 2): rows switch after 3 (x = 0.5 rounds down), columns after 3.
    Tensor small = Tensor::from_floats({1, 1, 2, 2}, {1, 2, 3, 4});
    Floats expected;
    for (int r = 0; r < 7; ++r)
        for (int c = 0; c < 8; ++c)
            expected.push_back((r < 4 ? 1.0f : 3.0f) + (c < 4 ? 0 : 1));
    expect_floats(run1({"Resize"}, {small, floats({}), floats({}), ints({1, 1, 7, 8})}),
                  {1, 1, 7, 8}, expected);
}

TEST(Resize, NearestModesAndCoordinateModes) {
    auto resize_w = [](const std::string& coordinate, const std::string& nearest, const Tensor& x,
                       std::int64_t width) {
        NodeSpec spec{"Resize", "", 13, [=](Node& n) {
                          n.set_attr_string("coordinate_transformation_mode", coordinate);
                          n.set_attr_string("nearest_mode", nearest);
                      }};
        return run1(spec, {x, std::nullopt, std::nullopt, ints({1, width})}).to_floats();
    };
    Tensor four = Tensor::from_floats({1, 4}, {0, 1, 2, 3});
    // half_pixel, 4 -> 8: x = o / 2 - 0.25; ceil gives 0 1 1 2 2 3 3 3(clamped).
    EXPECT_EQ(resize_w("half_pixel", "ceil", four, 8), (Floats{0, 1, 1, 2, 2, 3, 3, 3}));
    Tensor three = Tensor::from_floats({1, 3}, {0, 1, 2});
    // align_corners, 3 -> 5: x = o / 2 = 0, .5, 1, 1.5, 2.
    EXPECT_EQ(resize_w("align_corners", "round_prefer_floor", three, 5), (Floats{0, 0, 1, 1, 2}));
    EXPECT_EQ(resize_w("align_corners", "round_prefer_ceil", three, 5), (Floats{0, 1, 1, 2, 2}));
    // tf_half_pixel_for_nn, 2 -> 4: x = (o + 0.5) / 2 = .25, .75, 1.25, 1.75.
    Tensor two = Tensor::from_floats({1, 2}, {0, 1});
    EXPECT_EQ(resize_w("tf_half_pixel_for_nn", "round_prefer_floor", two, 4), (Floats{0, 1, 1, 1}));
    // pytorch_half_pixel, 3 -> 1: x = -0.5 -> index 0 (half_pixel would give x = 1).
    EXPECT_EQ(resize_w("pytorch_half_pixel", "round_prefer_floor", three, 1), (Floats{0}));
    EXPECT_EQ(resize_w("half_pixel", "round_prefer_floor", three, 1), (Floats{1}));
}

TEST(Resize, TfCropAndResizeExtrapolates) {
    // W: roi [-0.5, 1.5] of 3 -> x = -1 + 2o = -1, 1, 3: outside gives the extrapolation value.
    NodeSpec spec{"Resize", "", 13, [](Node& n) {
                      n.set_attr_string("coordinate_transformation_mode", "tf_crop_and_resize");
                      n.set_attr_float("extrapolation_value", 99);
                  }};
    Tensor roi = floats({0, -0.5f, 1, 1.5f});
    expect_floats(
        run1(spec, {Tensor::from_floats({1, 3}, {10, 20, 30}), roi, std::nullopt, ints({1, 3})}),
        {1, 3}, {99, 20, 99});
}

TEST(Resize, AxesAndKeepAspectRatioInOpset18) {
    Tensor x = Tensor::from_floats({1, 1, 2, 2}, {1, 2, 3, 4});
    NodeSpec axes{"Resize", "", 18, [](Node& n) {
                      n.set_attr_ints("axes", {-2, -1});
                      n.set_attr_string("coordinate_transformation_mode", "asymmetric");
                  }};
    expect_floats(run1(axes, {x, std::nullopt, floats({2, 2})}), {1, 1, 4, 4}, kUp2);
    // not_larger: sizes (7, 8) -> common scale 3.5 -> (7, 7); indices 0 0 0 0 1 1 1.
    NodeSpec keep{"Resize", "", 18, [](Node& n) {
                      n.set_attr_ints("axes", {2, 3});
                      n.set_attr_string("keep_aspect_ratio_policy", "not_larger");
                  }};
    Tensor out = run1(keep, {x, std::nullopt, std::nullopt, ints({7, 8})});
    EXPECT_EQ(out.shape(), (Shape{1, 1, 7, 7}));
    Floats values = out.to_floats();
    EXPECT_EQ(Floats(values.begin(), values.begin() + 7), (Floats{1, 1, 1, 1, 2, 2, 2}));
}

TEST(Resize, Opset10TakesScalesAsInput1) {
    // (X, scales); asymmetric floor: rows 0 0 1 1, columns 0 0 0 1 1 1.
    Tensor x = Tensor::from_floats({1, 1, 2, 2}, {1, 2, 3, 4});
    expect_floats(run1({"Resize", "", 10}, {x, floats({1, 1, 2, 3})}), {1, 1, 4, 6},
                  {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4});
}

TEST(Resize, RejectsUnsupportedModesAndAmbiguousInputs) {
    Tensor x = Tensor::from_floats({1, 1, 2, 2}, {1, 2, 3, 4});
    NodeSpec linear{"Resize", "", 13, [](Node& n) { n.set_attr_string("mode", "linear"); }};
    expect_error(
        [&] {
            run1(linear, {x, std::nullopt, floats({1, 1, 2, 2})});
        },
        "mode 'linear' is not supported");
    NodeSpec odd{"Resize", "", 13,
                 [](Node& n) { n.set_attr_string("nearest_mode", "round_half_even"); }};
    expect_error(
        [&] {
            run1(odd, {x, std::nullopt, floats({1, 1, 2, 2})});
        },
        "nearest_mode 'round_half_even'");
    expect_error(
        [&] {
            run1({"Resize"}, {x, std::nullopt, floats({1, 1, 2, 2}), ints({1, 1, 4, 4})});
        },
        "exactly one of scales");
    expect_error(
        [&] {
            run1({"Resize"}, {x, std::nullopt, floats({2, 2})});
        },
        "2 scales for 4 axes");
}

TEST(Upsample, NearestWithScalesInputAndAttribute) {
    Tensor x = Tensor::from_floats({1, 1, 2, 2}, {1, 2, 3, 4});
    expect_floats(run1({"Upsample", "", 9}, {x, floats({1, 1, 2, 2})}), {1, 1, 4, 4}, kUp2);
    NodeSpec attr{"Upsample", "", 7, [](Node& n) { n.set_attr_floats("scales", {1, 1, 2, 2}); }};
    expect_floats(run1(attr, {x}), {1, 1, 4, 4}, kUp2);
    NodeSpec linear{"Upsample", "", 9, [](Node& n) { n.set_attr_string("mode", "linear"); }};
    expect_error([&] { run1(linear, {x, floats({1, 1, 2, 2})}); }, "only 'nearest'");
}

// --- Dropout -------------------------------------------------------------------------------------

TEST(Dropout, InferenceIsIdentityWithAllTrueMask) {
    auto outs = run({"Dropout", "", 13, [](Node&) {}, 2}, {big_ints({2, 2})});
    expect_big_ints(outs[0], {2, 2}, {0, 1, 2, 3});
    EXPECT_EQ(outs[1].type(), ElementType::Bool);
    EXPECT_EQ(outs[1].to_doubles(), (std::vector<double>{1, 1, 1, 1}));
    // Opset 7's mask has the data's type.
    outs = run({"Dropout", "", 7, [](Node&) {}, 2}, {floats({-1, 2})});
    expect_floats(outs[1], {2}, {1, 1});
    // training_mode=false is inference; true with a non-zero ratio is random.
    Tensor no = Tensor::from_doubles(ElementType::Bool, {}, {0});
    Tensor yes = Tensor::from_doubles(ElementType::Bool, {}, {1});
    expect_floats(run1({"Dropout"}, {floats({3}), Tensor::from_floats({}, {0.5f}), no}), {1}, {3});
    expect_error(
        [&] {
            run1({"Dropout"}, {floats({3}), Tensor::from_floats({}, {0.5f}), yes});
        },
        "training_mode");
}

// --- ONNX conformance cases made of these operators only -----------------------------------------

TEST(ShapeOpsConformance, ShapeOnlyCasesMatchExactly) {
    FINN_REQUIRE_SHARED(shared);
    for (const char* name : {"test_ConstantPad2d", "test_ZeroPad2d", "test_PixelShuffle",
                             "test_operator_concat2", "test_operator_flatten", "test_operator_pad",
                             "test_operator_permute2", "test_operator_view"}) {
        std::filesystem::path dir = shared / "onnx-conformance" / name;
        Model model = Model::load(dir / "model.onnx");
        TensorMap feeds;
        auto inputs = model.input_names();
        for (std::size_t i = 0; i < inputs.size(); ++i)
            feeds.emplace(inputs[i],
                          tensor_from_proto(read_tensor_proto(
                              dir / "test_data_set_0" / ("input_" + std::to_string(i) + ".pb"))));
        TensorMap out = Executor(model, shape_registry()).run(feeds);
        Tensor expected =
            tensor_from_proto(read_tensor_proto(dir / "test_data_set_0" / "output_0.pb"));
        EXPECT_EQ(out.at(model.output_names()[0]), expected) << name;
    }
}

} // namespace
} // namespace finn
