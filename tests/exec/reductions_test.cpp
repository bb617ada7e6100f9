// Reduction kernels (Reduce*, Softmax, ArgMax, TopK), each run as a one-node model.
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

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

const KernelRegistry& registry() {
    static const KernelRegistry r = testing::make_registry(register_reduction_kernels);
    return r;
}

std::vector<Tensor> run_all(const NodeSpec& spec,
                            const std::vector<std::optional<Tensor>>& inputs) {
    return run_node(spec, inputs, registry());
}
Tensor run(const NodeSpec& spec, const std::vector<std::optional<Tensor>>& inputs) {
    return run_all(spec, inputs).at(0);
}

Tensor f32(Shape shape, std::vector<float> values) {
    return Tensor::from_floats(std::move(shape), values);
}
Tensor i64(Shape shape, std::vector<std::int64_t> values) {
    return Tensor::from_int64s(std::move(shape), values);
}
// 0, 1, 2, ... as float32.
Tensor iota(Shape shape) {
    std::vector<float> values(static_cast<std::size_t>(shape_size(shape)));
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = static_cast<float>(i);
    return f32(std::move(shape), values);
}

using testing::expect_floats;
using testing::expect_int64s;

// A node with integer attributes (axes or axis, keepdims, ...) at an opset.
NodeSpec spec_with(const std::string& op, int opset,
                   std::vector<std::pair<std::string, std::int64_t>> ints,
                   std::vector<std::int64_t> axes_attr = {}) {
    NodeSpec spec{op};
    spec.opset = opset;
    spec.attributes = [ints, axes_attr](Node& n) {
        for (const auto& [name, value] : ints)
            n.set_attr_int(name, value);
        if (!axes_attr.empty()) n.set_attr_ints("axes", axes_attr);
    };
    return spec;
}

// ---------------------------------------------------------------------------------------------
// Reduce*

TEST(ReductionKernels, ReduceMeanOverNegativeAxesWithoutKeepdims) {
    // x[i][j][k] = 6i + 3j + k; the mean over i and k is 3 + 3j + 1.
    Tensor x = iota({2, 2, 3});
    expect_floats(run(spec_with("ReduceMean", 13, {{"keepdims", 0}}, {-1, -3}), {x}), {2}, {4, 7});
    // Opset 18 takes the axes as an input.
    expect_floats(run(spec_with("ReduceMean", 18, {{"keepdims", 0}}), {x, i64({2}, {-1, -3})}), {2},
                  {4, 7});
}

TEST(ReductionKernels, ReduceMeanKeepsDimsByDefault) {
    expect_floats(run(spec_with("ReduceMean", 13, {}, {0, 2}), {iota({2, 2, 3})}), {1, 2, 1},
                  {4, 7});
}

TEST(ReductionKernels, ReduceSumAxesInputFromOpset13) {
    Tensor x = f32({2, 3}, {1, 2, 3, 4, 5, 6});
    expect_floats(run({"ReduceSum"}, {x, i64({1}, {1})}), {2, 1}, {6, 15});
    expect_floats(run({"ReduceSum"}, {x, i64({1}, {-2})}), {1, 3}, {5, 7, 9});
    // No axes, or an empty axes tensor: everything.
    expect_floats(run({"ReduceSum"}, {x}), {1, 1}, {21});
    expect_floats(run(spec_with("ReduceSum", 13, {{"keepdims", 0}}), {x, i64({0}, {})}), {}, {21});
}

TEST(ReductionKernels, ReduceSumAxesAttributeBeforeOpset13) {
    Tensor x = f32({2, 3}, {1, 2, 3, 4, 5, 6});
    expect_floats(run(spec_with("ReduceSum", 11, {{"keepdims", 0}}, {0}), {x}), {3}, {5, 7, 9});
    expect_floats(run(spec_with("ReduceSum", 11, {}), {x}), {1, 1}, {21});
}

TEST(ReductionKernels, NoopWithEmptyAxesReturnsTheInput) {
    Tensor x = f32({2, 3}, {1, 2, 3, 4, 5, 6});
    expect_floats(run(spec_with("ReduceSum", 13, {{"noop_with_empty_axes", 1}}), {x}), {2, 3},
                  {1, 2, 3, 4, 5, 6});
    expect_floats(run(spec_with("ReduceMax", 18, {{"noop_with_empty_axes", 1}}), {x, i64({0}, {})}),
                  {2, 3}, {1, 2, 3, 4, 5, 6});
}

TEST(ReductionKernels, ReduceSumOfInt64IsExact) {
    // 2^53 + 1 is not a double.
    expect_int64s(
        run(spec_with("ReduceSum", 13, {{"keepdims", 0}}), {i64({2}, {9007199254740992, 1})}), {},
        {9007199254740993});
}

TEST(ReductionKernels, ReduceMeanOfIntegersTruncates) {
    expect_int64s(
        run(spec_with("ReduceMean", 13, {{"keepdims", 0}}), {i64({2, 2}, {1, 2, -1, -2})}), {},
        {0});
    expect_int64s(
        run(spec_with("ReduceMean", 13, {{"keepdims", 0}}, {1}), {i64({2, 2}, {1, 2, -1, -2})}),
        {2}, {1, -1});
}

TEST(ReductionKernels, ReduceMaxAndMin) {
    Tensor x = f32({2, 3}, {1, 9, 3, -4, -5, -6});
    expect_floats(run(spec_with("ReduceMax", 13, {}, {1}), {x}), {2, 1}, {9, -4});
    expect_floats(run(spec_with("ReduceMax", 18, {{"keepdims", 0}}), {x, i64({1}, {0})}), {3},
                  {1, 9, 3});
    expect_floats(run(spec_with("ReduceMin", 13, {{"keepdims", 0}}, {1}), {x}), {2}, {1, -6});
    Tensor ints = Tensor::from_doubles(ElementType::Int32, {3}, {-7, 2, -1});
    Tensor max = run(spec_with("ReduceMax", 13, {{"keepdims", 0}}), {ints});
    ASSERT_EQ(max.type(), ElementType::Int32);
    EXPECT_EQ(max.to_int64s(), std::vector<std::int64_t>{2});
}

TEST(ReductionKernels, ReduceProd) {
    expect_floats(
        run(spec_with("ReduceProd", 13, {{"keepdims", 0}}, {0}), {f32({2, 2}, {2, 3, 4, -5})}), {2},
        {8, -15});
}

TEST(ReductionKernels, ReduceMaxPropagatesNaN) {
    expect_floats(run(spec_with("ReduceMax", 13, {{"keepdims", 0}}), {f32({3}, {1, kNaN, 5})}), {},
                  {kNaN});
}

TEST(ReductionKernels, ReductionsOverEmptySets) {
    Tensor empty = f32({2, 0}, {});
    expect_floats(run(spec_with("ReduceMax", 13, {{"keepdims", 0}}, {1}), {empty}), {2},
                  {-kInf, -kInf});
    expect_floats(run(spec_with("ReduceSum", 11, {{"keepdims", 0}}, {1}), {empty}), {2}, {0, 0});
    expect_floats(run(spec_with("ReduceProd", 13, {{"keepdims", 0}}, {1}), {empty}), {2}, {1, 1});
    Tensor empty_ints = Tensor(ElementType::Int8, {0});
    Tensor min = run(spec_with("ReduceMin", 13, {{"keepdims", 0}}), {empty_ints});
    ASSERT_EQ(min.type(), ElementType::Int8);
    EXPECT_EQ(min.to_int64s(), std::vector<std::int64_t>{127});
}

TEST(ReductionKernels, BadAxesFail) {
    Tensor x = f32({2, 3}, {1, 2, 3, 4, 5, 6});
    EXPECT_THROW(run(spec_with("ReduceSum", 11, {}, {1, -1}), {x}), Error); // listed twice
    EXPECT_THROW(run(spec_with("ReduceSum", 11, {}, {2}), {x}), Error);     // out of range
    EXPECT_THROW(run({"ReduceSum"}, {x, f32({1}, {1})}), Error);            // not int64
}

// ---------------------------------------------------------------------------------------------
// Softmax

TEST(ReductionKernels, SoftmaxIsStableWithLargeValues) {
    // softmax([0, 1, 2]) = [1, e, e^2] / (1 + e + e^2); shifting the input changes nothing.
    Tensor x = f32({3, 3}, {0, 1, 2, 1000, 1001, 1002, -1000, -999, -998});
    std::vector<float> row = {0.09003057f, 0.24472847f, 0.66524096f};
    std::vector<float> expected;
    for (int i = 0; i < 3; ++i)
        expected.insert(expected.end(), row.begin(), row.end());
    expect_floats(run({"Softmax"}, {x}), {3, 3}, expected);
}

TEST(ReductionKernels, SoftmaxOpset13NormalizesOneAxis) {
    const float ln3 = std::log(3.0f);
    // Sample 1 is [[0, 0], [0, ln 3]]: along axis 1 the columns are (0, 0) and (0, ln 3).
    Tensor x = f32({2, 2, 2}, {1, 1, 1, 1, 0, 0, 0, ln3});
    NodeSpec spec = spec_with("Softmax", 13, {{"axis", 1}});
    expect_floats(run(spec, {x}), {2, 2, 2}, {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.25f, 0.5f, 0.75f});
}

TEST(ReductionKernels, SoftmaxBeforeOpset13CoercesTo2D) {
    const float ln3 = std::log(3.0f);
    // With the default axis 1 each sample is one row of 4: [0, 0, 0, ln 3] -> [1, 1, 1, 3] / 6.
    Tensor x = f32({2, 2, 2}, {1, 1, 1, 1, 0, 0, 0, ln3});
    const float sixth = 1.0f / 6;
    expect_floats(run(spec_with("Softmax", 11, {}), {x}), {2, 2, 2},
                  {0.25f, 0.25f, 0.25f, 0.25f, sixth, sixth, sixth, 0.5f});
    // axis 2 gives rows of 2 (same as the single-axis form here).
    expect_floats(run(spec_with("Softmax", 11, {{"axis", 2}}), {x}), {2, 2, 2},
                  {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.25f, 0.75f});
}

TEST(ReductionKernels, LogSoftmax) {
    const float ln2 = std::log(2.0f);
    expect_floats(run({"LogSoftmax"}, {f32({1, 2}, {5, 5})}), {1, 2}, {-ln2, -ln2});
    expect_floats(run({"LogSoftmax"}, {f32({2}, {1000, 0})}), {2}, {0, -1000});
}

TEST(ReductionKernels, SoftmaxRejectsBadAxisAndIntegers) {
    EXPECT_THROW(run(spec_with("Softmax", 13, {{"axis", 2}}), {f32({2, 2}, {1, 2, 3, 4})}), Error);
    EXPECT_THROW(run({"Softmax"}, {i64({2}, {1, 2})}), Error);
}

// ---------------------------------------------------------------------------------------------
// ArgMax, ArgMin

TEST(ReductionKernels, ArgMaxDefaultsToAxis0WithKeepdims) {
    Tensor x = f32({2, 3}, {1, 5, 3, 4, 2, 6});
    expect_int64s(run({"ArgMax"}, {x}), {1, 3}, {1, 0, 1});
}

TEST(ReductionKernels, ArgMaxKeepdims0) {
    Tensor x = f32({2, 3}, {1, 5, 3, 4, 2, 6});
    expect_int64s(run(spec_with("ArgMax", 13, {{"axis", -1}, {"keepdims", 0}}), {x}), {2}, {1, 2});
    expect_int64s(run(spec_with("ArgMin", 13, {{"axis", 1}, {"keepdims", 0}}), {x}), {2}, {0, 1});
}

TEST(ReductionKernels, ArgMaxTiesAndSelectLastIndex) {
    Tensor x = f32({4}, {2, 7, 7, 1});
    expect_int64s(run(spec_with("ArgMax", 13, {{"keepdims", 0}}), {x}), {}, {1});
    expect_int64s(run(spec_with("ArgMax", 13, {{"keepdims", 0}, {"select_last_index", 1}}), {x}),
                  {}, {2});
    Tensor y = f32({4}, {3, 1, 4, 1});
    expect_int64s(run(spec_with("ArgMin", 13, {{"keepdims", 0}, {"select_last_index", 1}}), {y}),
                  {}, {3});
}

TEST(ReductionKernels, ArgMaxOfInt64IsExact) {
    expect_int64s(run(spec_with("ArgMax", 13, {{"keepdims", 0}}),
                      {i64({2}, {9007199254740992, 9007199254740993})}),
                  {}, {1});
}

TEST(ReductionKernels, ArgMaxRejectsBadAxis) {
    EXPECT_THROW(run(spec_with("ArgMax", 13, {{"axis", 2}}), {f32({2, 2}, {1, 2, 3, 4})}), Error);
}

// ---------------------------------------------------------------------------------------------
// TopK

TEST(ReductionKernels, TopKLargestWithTies) {
    Tensor x = f32({2, 4}, {1, 3, 3, 2, 4, 0, 4, 4});
    auto out = run_all({.op_type = "TopK", .num_outputs = 2}, {x, i64({1}, {2})});
    expect_floats(out[0], {2, 2}, {3, 3, 4, 4});
    expect_int64s(out[1], {2, 2}, {1, 2, 0, 2}); // equal values: lower index first
}

TEST(ReductionKernels, TopKSmallest) {
    Tensor x = f32({2, 4}, {1, 3, 3, 2, 4, 0, 4, 4});
    NodeSpec spec = spec_with("TopK", 11, {{"largest", 0}});
    spec.num_outputs = 2;
    auto out = run_all(spec, {x, i64({1}, {3})});
    expect_floats(out[0], {2, 3}, {1, 2, 3, 0, 4, 4});
    expect_int64s(out[1], {2, 3}, {0, 3, 1, 1, 0, 2});
}

TEST(ReductionKernels, TopKAttributeKInOpset1AlongAxis0) {
    Tensor x = f32({3, 2}, {1, 8, 5, 8, 5, 2});
    NodeSpec spec = spec_with("TopK", 1, {{"k", 2}, {"axis", 0}});
    spec.num_outputs = 2;
    auto out = run_all(spec, {x});
    expect_floats(out[0], {2, 2}, {5, 8, 5, 8});
    expect_int64s(out[1], {2, 2}, {1, 0, 2, 1});
}

TEST(ReductionKernels, TopKKeepsInt64Values) {
    NodeSpec spec{.op_type = "TopK", .num_outputs = 2};
    spec.initializer_inputs = {1};
    auto out = run_all(spec, {i64({3}, {9007199254740993, -1, 9007199254740992}), i64({1}, {2})});
    expect_int64s(out[0], {2}, {9007199254740993, 9007199254740992});
    expect_int64s(out[1], {2}, {0, 2});
}

TEST(ReductionKernels, TopKRejectsKOutOfRange) {
    NodeSpec spec{.op_type = "TopK", .num_outputs = 2};
    EXPECT_THROW(run_all(spec, {f32({3}, {1, 2, 3}), i64({1}, {4})}), Error);
    EXPECT_THROW(run_all(spec, {f32({3}, {1, 2, 3}), i64({1}, {-1})}), Error);
    EXPECT_THROW(run_all(spec, {f32({3}, {1, 2, 3})}), Error); // no K at all
}

} // namespace
} // namespace finn
