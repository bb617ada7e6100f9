// MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool kernels: hand-computed cases for each
// attribute. (The ONNX conformance cases of the pooling operators run in conv_gemm_test.cpp.)
#include "exec_test_support.h"
#include "finn/core/error.h"
#include "finn/exec/kernel.h"

#include <functional>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace finn {
namespace {

using testing::NodeSpec;
using testing::run_node;

const KernelRegistry& registry() {
    static const KernelRegistry r = testing::make_registry(register_pooling_kernels);
    return r;
}

Tensor floats(Shape shape, std::vector<float> values) {
    return Tensor::from_floats(std::move(shape), values);
}

Tensor iota(Shape shape) {
    std::vector<float> values(static_cast<std::size_t>(shape_size(shape)));
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = static_cast<float>(i);
    return floats(std::move(shape), values);
}

// A pooling node with kernel_shape and further attributes.
NodeSpec pool(
    const std::string& op, std::vector<std::int64_t> kernel,
    std::function<void(Node&)> more = [](Node&) {}) {
    NodeSpec s;
    s.op_type = op;
    s.attributes = [kernel, more](Node& n) {
        if (!kernel.empty()) n.set_attr_ints("kernel_shape", kernel);
        more(n);
    };
    return s;
}

Tensor run_one(const NodeSpec& spec, const Tensor& x) {
    return run_node(spec, {x}, registry()).at(0);
}

void expect_values(const Tensor& actual, const Shape& shape, const std::vector<double>& expected) {
    EXPECT_EQ(actual.type(), ElementType::Float32);
    EXPECT_EQ(actual.shape(), shape);
    EXPECT_EQ(actual.to_doubles(), expected);
}

void expect_error(const std::function<void()>& f, const std::string& text) {
    try {
        f();
        ADD_FAILURE() << "expected an error mentioning '" << text << "'";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
}

// ---------------------------------------------------------------------------------------------
// MaxPool

TEST(MaxPoolKernel, TwoByTwoStride2) {
    Tensor y = run_one(pool("MaxPool", {2, 2},
                            [](Node& n) {
                                n.set_attr_ints("strides", {2, 2});
                            }),
                       iota({1, 1, 4, 4}));
    expect_values(y, {1, 1, 2, 2}, {5, 7, 13, 15});
    // Default stride 1, two channels.
    Tensor z = run_one(pool("MaxPool", {2}), floats({1, 2, 3}, {1, 3, 2, -1, -5, -2}));
    expect_values(z, {1, 2, 2}, {3, 3, -1, -2});
}

TEST(MaxPoolKernel, PaddingIsIgnoredNotZero) {
    // All values negative: a zero pad would win if it counted.
    Tensor y = run_one(pool("MaxPool", {2, 2},
                            [](Node& n) {
                                n.set_attr_ints("pads", {1, 1, 1, 1});
                            }),
                       floats({1, 1, 2, 2}, {-1, -2, -3, -4}));
    expect_values(y, {1, 1, 3, 3}, {-1, -1, -2, -1, -1, -2, -3, -3, -4});
}

TEST(MaxPoolKernel, AsymmetricPads) {
    // pads [left 0, right 1] on one axis: windows [1,2], [3,4], [5, pad].
    Tensor y = run_one(pool("MaxPool", {2},
                            [](Node& n) {
                                n.set_attr_ints("pads", {0, 1});
                                n.set_attr_ints("strides", {2});
                            }),
                       floats({1, 1, 5}, {1, 2, 4, 3, 5}));
    expect_values(y, {1, 1, 3}, {2, 4, 5});
}

TEST(MaxPoolKernel, CeilMode) {
    auto ceil = [](Node& n) {
        n.set_attr_ints("strides", {2, 2});
        n.set_attr_int("ceil_mode", 1);
    };
    // 4x4, kernel 3, stride 2: floor gives 1x1, ceil 2x2 with clipped last windows.
    expect_values(run_one(pool("MaxPool", {3, 3}, ceil), iota({1, 1, 4, 4})), {1, 1, 2, 2},
                  {10, 11, 14, 15});
    expect_values(run_one(pool("MaxPool", {3, 3},
                               [](Node& n) {
                                   n.set_attr_ints("strides", {2, 2});
                               }),
                          iota({1, 1, 4, 4})),
                  {1, 1, 1, 1}, {10});
    // A last window that would start in the end padding is dropped: length 4, kernel 2,
    // stride 2, end pad 1 gives ceil(3 / 2) + 1 = 3 windows, the third starting at the pad.
    expect_values(run_one(pool("MaxPool", {2},
                               [](Node& n) {
                                   n.set_attr_ints("strides", {2});
                                   n.set_attr_ints("pads", {0, 1});
                                   n.set_attr_int("ceil_mode", 1);
                               }),
                          floats({1, 1, 4}, {1, 2, 3, 4})),
                  {1, 1, 2}, {2, 4});
}

TEST(MaxPoolKernel, Dilation2) {
    // Taps (i, j), (i, j+2), (i+2, j), (i+2, j+2): the last is the largest of iota.
    Tensor y = run_one(pool("MaxPool", {2, 2},
                            [](Node& n) {
                                n.set_attr_ints("dilations", {2, 2});
                            }),
                       iota({1, 1, 4, 4}));
    expect_values(y, {1, 1, 2, 2}, {10, 11, 14, 15});
}

TEST(MaxPoolKernel, AutoPad) {
    Tensor x = floats({1, 1, 5}, {1, 5, 2, 4, 3});
    // Total pad 1: at the end for SAME_UPPER, at the start for SAME_LOWER.
    expect_values(
        run_one(pool("MaxPool", {2}, [](Node& n) { n.set_attr_string("auto_pad", "SAME_UPPER"); }),
                x),
        {1, 1, 5}, {5, 5, 4, 4, 3});
    expect_values(
        run_one(pool("MaxPool", {2}, [](Node& n) { n.set_attr_string("auto_pad", "SAME_LOWER"); }),
                x),
        {1, 1, 5}, {1, 5, 5, 4, 4});
    expect_values(run_one(pool("MaxPool", {2},
                               [](Node& n) {
                                   n.set_attr_string("auto_pad", "VALID");
                                   n.set_attr_ints("strides", {2});
                               }),
                          x),
                  {1, 1, 2}, {5, 4});
}

TEST(MaxPoolKernel, ThreeDimensionalAndIntegerTypes) {
    expect_values(run_one(pool("MaxPool", {2, 2, 2}), iota({1, 1, 2, 2, 3})), {1, 1, 1, 1, 2},
                  {10, 11});
    Tensor x(ElementType::Int8, {1, 1, 3});
    x.set(0, -100);
    x.set(1, -7);
    x.set(2, -128);
    Tensor y = run_one(pool("MaxPool", {2}), x);
    EXPECT_EQ(y.type(), ElementType::Int8);
    EXPECT_EQ(y.to_doubles(), (std::vector<double>{-7, -7}));
}

TEST(MaxPoolKernel, UnsupportedAndBadInputsFail) {
    NodeSpec with_indices = pool("MaxPool", {2});
    with_indices.num_outputs = 2;
    expect_error([&] { run_one(with_indices, iota({1, 1, 4})); }, "Indices");
    expect_error([] { run_one(pool("MaxPool", {}), iota({1, 1, 4})); }, "kernel_shape");
    expect_error([] { run_one(pool("MaxPool", {2, 2}), iota({1, 1, 4})); }, "kernel_shape");
    expect_error([] { run_one(pool("MaxPool", {5}), iota({1, 1, 4})); }, "larger");
    expect_error([] { run_one(pool("MaxPool", {2}), iota({1, 4})); }, "rank >= 3");
    expect_error(
        [] {
            run_one(pool("MaxPool", {1},
                         [](Node& n) {
                             n.set_attr_ints("pads", {1, 0});
                         }),
                    iota({1, 1, 4}));
        },
        "entirely in the padding");
}

// ---------------------------------------------------------------------------------------------
// AveragePool

TEST(AveragePoolKernel, TwoByTwoStride2) {
    Tensor y = run_one(pool("AveragePool", {2, 2},
                            [](Node& n) {
                                n.set_attr_ints("strides", {2, 2});
                            }),
                       iota({1, 1, 4, 4}));
    expect_values(y, {1, 1, 2, 2}, {2.5, 4.5, 10.5, 12.5});
}

TEST(AveragePoolKernel, CountIncludePadBothWays) {
    Tensor x = floats({1, 1, 2, 2}, {1, 2, 3, 4});
    auto padded = [](int include) {
        return [include](Node& n) {
            n.set_attr_ints("pads", {1, 1, 1, 1});
            if (include >= 0) n.set_attr_int("count_include_pad", include);
        };
    };
    // Default (0): divide by the real elements of each window.
    const std::vector<double> excluded{1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4};
    expect_values(run_one(pool("AveragePool", {2, 2}, padded(-1)), x), {1, 1, 3, 3}, excluded);
    expect_values(run_one(pool("AveragePool", {2, 2}, padded(0)), x), {1, 1, 3, 3}, excluded);
    // 1: divide by the whole window, pads counting as zeros.
    expect_values(run_one(pool("AveragePool", {2, 2}, padded(1)), x), {1, 1, 3, 3},
                  {0.25, 0.75, 0.5, 1, 2.5, 1.5, 0.75, 1.75, 1});
}

TEST(AveragePoolKernel, CeilModeWithPads) {
    // Length 6, kernel 3, stride 2, pads 1/1: ceil gives 4 windows starting at -1, 1, 3, 5; the
    // last covers x[5], the end pad and one position past the padded input, which never counts.
    Tensor x = floats({1, 1, 6}, {1, 2, 3, 4, 5, 6});
    auto attrs = [](int include) {
        return [include](Node& n) {
            n.set_attr_ints("strides", {2});
            n.set_attr_ints("pads", {1, 1});
            n.set_attr_int("ceil_mode", 1);
            n.set_attr_int("count_include_pad", include);
        };
    };
    expect_values(run_one(pool("AveragePool", {3}, attrs(0)), x), {1, 1, 4}, {1.5, 3, 5, 6});
    expect_values(run_one(pool("AveragePool", {3}, attrs(1)), x), {1, 1, 4}, {1, 3, 5, 3});
    // Without pads: windows [1,2], [3,4], [5] of length 5 with kernel 2, stride 2.
    expect_values(run_one(pool("AveragePool", {2},
                               [](Node& n) {
                                   n.set_attr_ints("strides", {2});
                                   n.set_attr_int("ceil_mode", 1);
                                   n.set_attr_int("count_include_pad", 1);
                               }),
                          floats({1, 1, 5}, {1, 2, 3, 4, 5})),
                  {1, 1, 3}, {1.5, 3.5, 5});
}

TEST(AveragePoolKernel, SameUpperAndDilation) {
    Tensor x = floats({1, 1, 4}, {1, 2, 3, 4});
    expect_values(run_one(pool("AveragePool", {3},
                               [](Node& n) { n.set_attr_string("auto_pad", "SAME_UPPER"); }),
                          x),
                  {1, 1, 4}, {1.5, 2, 3, 3.5});
    Tensor y = run_one(pool("AveragePool", {3},
                            [](Node& n) {
                                n.set_attr_string("auto_pad", "SAME_UPPER");
                                n.set_attr_int("count_include_pad", 1);
                            }),
                       x);
    EXPECT_EQ(y.to_floats(), (std::vector<float>{1, 2, 3, static_cast<float>(7.0 / 3.0)}));
    // Dilation 2 (opset 19): taps i and i + 2.
    NodeSpec dilated = pool("AveragePool", {2}, [](Node& n) { n.set_attr_ints("dilations", {2}); });
    dilated.opset = 19;
    expect_values(run_one(dilated, floats({1, 1, 4}, {1, 2, 4, 8})), {1, 1, 2}, {2.5, 5});
}

TEST(AveragePoolKernel, IntegerInputFails) {
    expect_error(
        [] {
            run_one(pool("AveragePool", {2}), Tensor::from_int64s({1, 1, 2}, {1, 2}));
        },
        "element type");
}

// ---------------------------------------------------------------------------------------------
// Global pools

TEST(GlobalPoolKernels, AverageAndMax) {
    Tensor x = floats({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, -8});
    expect_values(run_one(pool("GlobalAveragePool", {}), x), {1, 2, 1, 1}, {2.5, 2.5});
    expect_values(run_one(pool("GlobalMaxPool", {}), x), {1, 2, 1, 1}, {4, 7});
    // 1-D spatial, two samples.
    Tensor z = floats({2, 1, 3}, {1, 2, 6, -1, -2, -3});
    expect_values(run_one(pool("GlobalAveragePool", {}), z), {2, 1, 1}, {3, -2});
    expect_values(run_one(pool("GlobalMaxPool", {}), z), {2, 1, 1}, {6, -1});
}

} // namespace
} // namespace finn
