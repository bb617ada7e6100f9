// MatMul, Gemm, Conv and BatchNormalization kernels: hand-computed cases per attribute, Conv
// against a direct convolution on random integer data, and the ONNX conformance cases of ../shared
// made of these operators (plus the pooling ones).
#include "../../lib/exec/kernels/gemm.h"
#include "../test_support.h"
#include "exec_test_support.h"
#include "finn/core/error.h"
#include "finn/exec/kernel.h"

#include <array>
#include <cmath>
#include <filesystem>
#include <functional>
#include <gtest/gtest.h>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace finn {
namespace {

using testing::NodeSpec;
using testing::run_node;

const KernelRegistry& registry() {
    static const KernelRegistry r = testing::make_registry(register_conv_gemm_kernels);
    return r;
}

Tensor run_one(const NodeSpec& spec, const std::vector<std::optional<Tensor>>& inputs) {
    return run_node(spec, inputs, registry()).at(0);
}

Tensor floats(Shape shape, std::vector<float> values) {
    return Tensor::from_floats(std::move(shape), values);
}

// Values 0, 1, 2, ... in the given shape.
Tensor iota(Shape shape) {
    std::vector<float> values(static_cast<std::size_t>(shape_size(shape)));
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = static_cast<float>(i);
    return floats(std::move(shape), values);
}

void expect_values(const Tensor& actual, const Shape& shape, const std::vector<double>& expected) {
    EXPECT_EQ(actual.type(), ElementType::Float32);
    EXPECT_EQ(actual.shape(), shape);
    EXPECT_EQ(actual.to_doubles(), expected);
}

// Runs `f` and checks that it throws finn::Error mentioning `text`.
void expect_error(const std::function<void()>& f, const std::string& text) {
    try {
        f();
        ADD_FAILURE() << "expected an error mentioning '" << text << "'";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
}

NodeSpec spec(
    const std::string& op, std::function<void(Node&)> attributes = [](Node&) {}) {
    NodeSpec s;
    s.op_type = op;
    s.attributes = std::move(attributes);
    return s;
}

// ---------------------------------------------------------------------------------------------
// The shared GEMM routine: thin and blocked paths, every operand layout, accumulating into C.

// Checks C += A B for operands of element type T in all four layouts (A and B each row-major or
// transposed). Values up to 5000 give odd products beyond 2^24: float products would round.
template <class T> void check_gemm_layouts(std::int64_t m, std::int64_t n, std::int64_t k) {
    std::mt19937 rng(3);
    std::vector<T> a(m * k), b(k * n);
    for (auto& v : a)
        v = static_cast<T>(int(rng() % 10001) - 5000);
    for (auto& v : b)
        v = static_cast<T>(int(rng() % 10001) - 5000);
    // The same matrices stored transposed.
    std::vector<T> at(a.size()), bt(b.size());
    for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t p = 0; p < k; ++p)
            at[p * m + i] = a[i * k + p];
    for (std::int64_t p = 0; p < k; ++p)
        for (std::int64_t j = 0; j < n; ++j)
            bt[j * k + p] = b[p * n + j];
    std::vector<double> expected(m * n, 1.0);
    for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t p = 0; p < k; ++p)
            for (std::int64_t j = 0; j < n; ++j)
                expected[i * n + j] += static_cast<double>(a[i * k + p]) * b[p * n + j];
    for (int layout = 0; layout < 4; ++layout) {
        MatrixView<T> va = layout & 1 ? transposed(at.data(), m) : row_major(a.data(), k);
        MatrixView<T> vb = layout & 2 ? transposed(bt.data(), k) : row_major(b.data(), n);
        std::vector<double> c(m * n, 1.0); // C += A B keeps what C held
        gemm_accumulate(m, n, k, va, vb, c.data(), n);
        EXPECT_EQ(c, expected) << m << "x" << n << "x" << k << " layout " << layout;
    }
}

TEST(GemmRoutine, AccumulatesForEveryLayoutAndType) {
    // Thin (one row, two columns) and blocked (several tiles and cache blocks) paths.
    for (auto [m, n, k] : std::vector<std::array<std::int64_t, 3>>{
             {1, 7, 5}, {6, 2, 9}, {9, 10, 7}, {130, 70, 300}}) {
        check_gemm_layouts<double>(m, n, k);
        check_gemm_layouts<float>(m, n, k);
    }
}

// ---------------------------------------------------------------------------------------------
// MatMul

TEST(MatMulKernel, TwoByTwo) {
    Tensor y =
        run_one(spec("MatMul"), {floats({2, 2}, {1, 2, 3, 4}), floats({2, 2}, {5, 6, 7, 8})});
    expect_values(y, {2, 2}, {19, 22, 43, 50});
}

TEST(MatMulKernel, OneDimensionalOperands) {
    // Vector . vector gives a scalar; a 1-D A is a row, a 1-D B a column, both axes dropped.
    expect_values(run_one(spec("MatMul"), {floats({3}, {1, 2, 3}), floats({3}, {4, 5, 6})}), {},
                  {32});
    expect_values(
        run_one(spec("MatMul"), {floats({2}, {1, 2}), floats({2, 3}, {1, 2, 3, 4, 5, 6})}), {3},
        {9, 12, 15});
    expect_values(
        run_one(spec("MatMul"), {floats({2, 3}, {1, 2, 3, 4, 5, 6}), floats({3}, {1, 0, -1})}), {2},
        {-2, -2});
    // A 1-D operand against a batched one.
    expect_values(run_one(spec("MatMul"),
                          {floats({2}, {1, -1}), floats({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 9})}),
                  {2, 2}, {-2, -2, -2, -3});
}

TEST(MatMulKernel, BatchedBroadcast) {
    // (2,1,3,4) x (5,4,2) -> (2,5,3,2): A's axis of 1 meets B's 5, B gains a leading axis of 1.
    Tensor a = iota({2, 1, 3, 4});
    std::vector<float> bv(40);
    for (std::size_t i = 0; i < bv.size(); ++i)
        bv[i] = static_cast<float>(int(i % 7) - 3);
    Tensor b = floats({5, 4, 2}, bv);
    Tensor y = run_one(spec("MatMul"), {a, b});
    ASSERT_EQ(y.shape(), (Shape{2, 5, 3, 2}));
    auto av = a.to_doubles();
    auto yv = y.to_doubles();
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 5; ++j)
            for (int r = 0; r < 3; ++r)
                for (int c = 0; c < 2; ++c) {
                    double sum = 0;
                    for (int p = 0; p < 4; ++p)
                        sum += av[(i * 3 + r) * 4 + p] * bv[(j * 4 + p) * 2 + c];
                    EXPECT_EQ(yv[((i * 5 + j) * 3 + r) * 2 + c], sum) << i << j << r << c;
                }
    // One entry by hand: A[1,0,2,:] = 20..23, B[4,:,1] = bv[33,35,37,39] = 2,-3,-1,1.
    EXPECT_EQ(yv[((1 * 5 + 4) * 3 + 2) * 2 + 1], 20 * 2 - 21 * 3 - 22 + 23);
}

TEST(MatMulKernel, SharedRightOperandFoldsBatch) {
    // (2,2,2) x (2,2): both samples use the same B.
    Tensor y = run_one(spec("MatMul"),
                       {floats({2, 2, 2}, {1, 0, 0, 1, 2, 0, 1, 1}), floats({2, 2}, {1, 2, 3, 4})});
    expect_values(y, {2, 2, 2}, {1, 2, 3, 4, 2, 4, 4, 6});
    // B with leading axes of 1 is shared as well; the output takes the longer batch shape.
    Tensor z = run_one(spec("MatMul"), {floats({2, 2, 2}, {1, 0, 0, 1, 2, 0, 1, 1}),
                                        floats({1, 1, 2, 2}, {1, 2, 3, 4})});
    expect_values(z, {1, 2, 2, 2}, {1, 2, 3, 4, 2, 4, 4, 6});
}

TEST(MatMulKernel, ExactBeyondFloat32Precision) {
    // 2^24 + sixteen 1s - 2^24: float32 accumulation loses the 1s, double keeps them. Both the
    // thin path (one row) and the blocked path (8 x 8) are checked.
    const float big = 16777216.0f;
    std::vector<float> row{big};
    for (int i = 0; i < 16; ++i)
        row.push_back(1);
    row.push_back(-big);
    const std::int64_t k = static_cast<std::int64_t>(row.size());
    for (std::int64_t m : {1, 8}) {
        std::vector<float> av;
        for (std::int64_t i = 0; i < m; ++i)
            av.insert(av.end(), row.begin(), row.end());
        Tensor y = run_one(spec("MatMul"),
                           {floats({m, k}, av), floats({k, 8}, std::vector<float>(k * 8, 1.0f))});
        EXPECT_EQ(y.to_doubles(), std::vector<double>(m * 8, 16.0)) << "m = " << m;
    }
}

TEST(MatMulKernel, LargerProductMatchesNaive) {
    // Sizes that are not multiples of the register tile or the cache blocks.
    const std::int64_t m = 37, k = 300, n = 1030;
    std::mt19937 rng(7);
    std::vector<float> av(m * k), bv(k * n);
    for (auto& v : av)
        v = static_cast<float>(int(rng() % 17) - 8);
    for (auto& v : bv)
        v = static_cast<float>(int(rng() % 17) - 8);
    Tensor y = run_one(spec("MatMul"), {floats({m, k}, av), floats({k, n}, bv)});
    std::vector<double> expected(m * n, 0.0);
    for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t p = 0; p < k; ++p)
            for (std::int64_t j = 0; j < n; ++j)
                expected[i * n + j] += av[i * k + p] * bv[p * n + j];
    EXPECT_EQ(y.to_doubles(), expected);
}

TEST(MatMulKernel, IntegerTypeIsPreserved) {
    Tensor y = run_one(spec("MatMul"),
                       {Tensor::from_int64s({1, 2}, {3, -4}), Tensor::from_int64s({2, 1}, {5, 6})});
    EXPECT_EQ(y.type(), ElementType::Int64);
    EXPECT_EQ(y.to_int64s(), std::vector<std::int64_t>{-9});
}

TEST(MatMulKernel, BadShapesFail) {
    expect_error([] { run_one(spec("MatMul"), {iota({2, 3}), iota({2, 3})}); }, "do not multiply");
    expect_error(
        [] {
            run_one(spec("MatMul"), {iota({2, 2, 3}), iota({3, 3, 2})});
        },
        "batch dimensions");
    expect_error(
        [] {
            run_one(spec("MatMul"), {iota({2}), Tensor::from_int64s({2}, {1, 2})});
        },
        "element type");
}

// ---------------------------------------------------------------------------------------------
// Gemm

TEST(GemmKernel, AlphaBetaAndBroadcastC) {
    // A B = [[1,2,3],[4,5,6]] [[1,0],[0,1],[1,1]] = [[4,5],[10,11]].
    Tensor a = floats({2, 3}, {1, 2, 3, 4, 5, 6});
    Tensor b = floats({3, 2}, {1, 0, 0, 1, 1, 1});
    auto attrs = [](Node& n) {
        n.set_attr_float("alpha", 2.0f);
        n.set_attr_float("beta", 0.5f);
    };
    // C of shape (N,) is added to every row, (M, 1) to every column, a scalar everywhere.
    expect_values(run_one(spec("Gemm", attrs), {a, b, floats({2}, {10, 20})}), {2, 2},
                  {13, 20, 25, 32});
    expect_values(run_one(spec("Gemm", attrs), {a, b, floats({2, 1}, {10, 20})}), {2, 2},
                  {13, 15, 30, 32});
    expect_values(run_one(spec("Gemm", attrs), {a, b, floats({}, {4})}), {2, 2}, {10, 12, 22, 24});
    expect_values(run_one(spec("Gemm"), {a, b, floats({2, 2}, {1, 2, 3, 4})}), {2, 2},
                  {5, 7, 13, 15});
    // C is optional.
    expect_values(run_one(spec("Gemm"), {a, b}), {2, 2}, {4, 5, 10, 11});
}

TEST(GemmKernel, Transposes) {
    // A' = [[1,2,3],[4,5,6]] given transposed, B' = [[1,0],[0,1],[1,1]] given transposed.
    Tensor at = floats({3, 2}, {1, 4, 2, 5, 3, 6});
    Tensor bt = floats({2, 3}, {1, 0, 1, 0, 1, 1});
    Tensor a = floats({2, 3}, {1, 2, 3, 4, 5, 6});
    Tensor b = floats({3, 2}, {1, 0, 0, 1, 1, 1});
    expect_values(run_one(spec("Gemm", [](Node& n) { n.set_attr_int("transA", 1); }), {at, b}),
                  {2, 2}, {4, 5, 10, 11});
    expect_values(run_one(spec("Gemm", [](Node& n) { n.set_attr_int("transB", 1); }), {a, bt}),
                  {2, 2}, {4, 5, 10, 11});
    expect_values(run_one(spec("Gemm",
                               [](Node& n) {
                                   n.set_attr_int("transA", 1);
                                   n.set_attr_int("transB", 1);
                               }),
                          {at, bt}),
                  {2, 2}, {4, 5, 10, 11});
    // transA on a wide matrix: (2x3)' x (2x1) = (3x1).
    expect_values(run_one(spec("Gemm", [](Node& n) { n.set_attr_int("transA", 1); }),
                          {a, floats({2, 1}, {1, -1})}),
                  {3, 1}, {-3, -3, -3});
}

TEST(GemmKernel, BadShapesFail) {
    expect_error([] { run_one(spec("Gemm"), {iota({2, 3}), iota({2, 3})}); }, "do not multiply");
    expect_error(
        [] {
            run_one(spec("Gemm"), {iota({2, 3}), iota({3, 2}), iota({3})});
        },
        "does not broadcast");
    expect_error([] { run_one(spec("Gemm"), {iota({2, 3, 1}), iota({3, 2})}); }, "2-D");
}

// ---------------------------------------------------------------------------------------------
// Conv

NodeSpec conv(std::function<void(Node&)> attributes = [](Node&) {}) {
    return spec("Conv", std::move(attributes));
}

TEST(ConvKernel, Basic2DWithAndWithoutBias) {
    Tensor x = floats({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    Tensor w = floats({1, 1, 2, 2}, {1, 0, 0, 1});
    expect_values(run_one(conv(), {x, w}), {1, 1, 2, 2}, {6, 8, 12, 14});
    expect_values(run_one(conv([](Node& n) {
                              n.set_attr_ints("kernel_shape", {2, 2});
                          }),
                          {x, w, floats({1}, {10})}),
                  {1, 1, 2, 2}, {16, 18, 22, 24});
}

TEST(ConvKernel, MultipleChannelsAndBatch) {
    // Two samples, two input channels, two output channels with a 1x1 kernel (pointwise path).
    Tensor x = floats({2, 2, 1, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
    Tensor w = floats({2, 2, 1, 1}, {1, 1, 1, -1});
    expect_values(run_one(conv(), {x, w, floats({2}, {0, 100})}), {2, 2, 1, 2},
                  {4, 6, 98, 98, 12, 14, 98, 98});
}

TEST(ConvKernel, SymmetricPads) {
    Tensor ones = floats({1, 1, 3, 3}, std::vector<float>(9, 1));
    expect_values(run_one(conv([](Node& n) {
                              n.set_attr_ints("pads", {1, 1, 1, 1});
                          }),
                          {ones, ones}),
                  {1, 1, 3, 3}, {4, 6, 4, 6, 9, 6, 4, 6, 4});
}

TEST(ConvKernel, AsymmetricPads) {
    // pads = [top, left, bottom, right] = [0, 1, 2, 0]; a 1x1 kernel shows the padded input.
    Tensor x = floats({1, 1, 2, 2}, {1, 2, 3, 4});
    Tensor y = run_one(conv([](Node& n) {
                           n.set_attr_ints("pads", {0, 1, 2, 0});
                       }),
                       {x, floats({1, 1, 1, 1}, {1})});
    expect_values(y, {1, 1, 4, 3}, {0, 1, 2, 0, 3, 4, 0, 0, 0, 0, 0, 0});
}

TEST(ConvKernel, Stride2) {
    Tensor y = run_one(conv([](Node& n) {
                           n.set_attr_ints("strides", {2, 2});
                       }),
                       {iota({1, 1, 4, 4}), floats({1, 1, 2, 2}, {1, 1, 1, 1})});
    expect_values(y, {1, 1, 2, 2}, {10, 18, 42, 50});
    // Stride 2 on 5 columns: windows at 0 and 2 only (floor).
    Tensor z = run_one(conv([](Node& n) {
                           n.set_attr_ints("strides", {1, 2});
                       }),
                       {iota({1, 1, 1, 5}), floats({1, 1, 1, 2}, {1, 1})});
    expect_values(z, {1, 1, 1, 2}, {1, 5});
}

TEST(ConvKernel, Dilation2) {
    // out(i,j) = 1 x[i][j] + 2 x[i][j+2] + 3 x[i+2][j] + 4 x[i+2][j+2], x[r][c] = 4r + c.
    Tensor y = run_one(conv([](Node& n) {
                           n.set_attr_ints("dilations", {2, 2});
                       }),
                       {iota({1, 1, 4, 4}), floats({1, 1, 2, 2}, {1, 2, 3, 4})});
    expect_values(y, {1, 1, 2, 2}, {68, 78, 108, 118});
}

TEST(ConvKernel, Groups2) {
    // Channels (1,2) feed outputs 0-1, channels (3,4) outputs 2-3.
    Tensor x = floats({1, 4, 1, 1}, {1, 2, 3, 4});
    Tensor w = floats({4, 2, 1, 1}, {1, 1, 1, 0, 0, 1, 2, 1});
    expect_values(run_one(conv([](Node& n) { n.set_attr_int("group", 2); }), {x, w}), {1, 4, 1, 1},
                  {3, 1, 4, 10});
}

TEST(ConvKernel, Depthwise) {
    Tensor x = floats({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
    Tensor w = floats({2, 1, 2, 2}, {1, 1, 1, 1, 1, 0, 0, -1});
    expect_values(
        run_one(conv([](Node& n) { n.set_attr_int("group", 2); }), {x, w, floats({2}, {0.5f, 0})}),
        {1, 2, 1, 1}, {10.5, -3});
}

TEST(ConvKernel, OneDimensionalAutoPad) {
    Tensor x = floats({1, 1, 4}, {1, 2, 3, 4});
    Tensor w = floats({1, 1, 2}, {1, 1});
    // Total pad 1: SAME_UPPER puts it at the end, SAME_LOWER at the start.
    expect_values(
        run_one(conv([](Node& n) { n.set_attr_string("auto_pad", "SAME_UPPER"); }), {x, w}),
        {1, 1, 4}, {3, 5, 7, 4});
    expect_values(
        run_one(conv([](Node& n) { n.set_attr_string("auto_pad", "SAME_LOWER"); }), {x, w}),
        {1, 1, 4}, {1, 3, 5, 7});
    // SAME with stride 2: output ceil(5/2) = 3, total pad (3-1)*2 + 3 - 5 = 2, one each side.
    expect_values(run_one(conv([](Node& n) {
                              n.set_attr_string("auto_pad", "SAME_UPPER");
                              n.set_attr_ints("strides", {2});
                          }),
                          {floats({1, 1, 5}, {1, 2, 3, 4, 5}), floats({1, 1, 3}, {1, 1, 1})}),
                  {1, 1, 3}, {3, 9, 9});
    // VALID ignores nothing but uses no padding.
    expect_values(run_one(conv([](Node& n) { n.set_attr_string("auto_pad", "VALID"); }), {x, w}),
                  {1, 1, 3}, {3, 5, 7});
}

TEST(ConvKernel, ThreeDimensional) {
    Tensor y = run_one(conv([](Node& n) {
                           n.set_attr_ints("pads", {0, 0, 1, 0, 0, 0});
                       }),
                       {iota({1, 1, 2, 2, 2}), floats({1, 1, 2, 2, 2}, std::vector<float>(8, 1))});
    // Along the last axis, output 0 sees the pad and last index 0, output 1 the whole cube.
    expect_values(y, {1, 1, 1, 1, 2}, {0 + 2 + 4 + 6, 0 + 1 + 2 + 3 + 4 + 5 + 6 + 7});
}

TEST(ConvKernel, BadInputsFail) {
    expect_error([] { run_one(conv(), {iota({1, 3, 4, 4}), iota({1, 2, 3, 3})}); }, "channels");
    expect_error(
        [] {
            run_one(conv([](Node& n) {
                        n.set_attr_ints("kernel_shape", {3, 3});
                    }),
                    {iota({1, 1, 4, 4}), iota({1, 1, 2, 2})});
        },
        "kernel_shape");
    expect_error([] { run_one(conv(), {iota({1, 1, 2, 2}), iota({1, 1, 3, 3})}); }, "larger");
    expect_error(
        [] {
            run_one(conv([](Node& n) {
                        n.set_attr_ints("pads", {1, 1});
                    }),
                    {iota({1, 1, 4, 4}), iota({1, 1, 2, 2})});
        },
        "pads");
    expect_error(
        [] {
            run_one(conv([](Node& n) { n.set_attr_string("auto_pad", "SAME"); }),
                    {iota({1, 1, 4, 4}), iota({1, 1, 2, 2})});
        },
        "auto_pad");
    expect_error(
        [] {
            run_one(conv(), {iota({1, 1, 4, 4}), iota({1, 1, 2, 2}), iota({2})});
        },
        "B has shape");
    expect_error(
        [] {
            run_one(conv(), {Tensor::from_int64s({1, 1, 1, 1}, {1}),
                             Tensor::from_int64s({1, 1, 1, 1}, {1})});
        },
        "element type");
}

// A direct convolution over 2-D spatial axes (1-D cases use a height of 1).
struct ConvCase {
    std::int64_t batch, channels, out_channels, group, h, w, kh, kw;
    std::int64_t stride_h, stride_w, dil_h, dil_w, pad_t, pad_l, pad_b, pad_r;
};

std::vector<double> direct_conv(const ConvCase& c, const std::vector<float>& x,
                                const std::vector<float>& w, const std::vector<float>& b,
                                std::int64_t oh, std::int64_t ow) {
    const std::int64_t cg = c.channels / c.group, mg = c.out_channels / c.group;
    std::vector<double> y;
    for (std::int64_t n = 0; n < c.batch; ++n)
        for (std::int64_t m = 0; m < c.out_channels; ++m)
            for (std::int64_t i = 0; i < oh; ++i)
                for (std::int64_t j = 0; j < ow; ++j) {
                    double sum = b[m];
                    const std::int64_t g = m / mg;
                    for (std::int64_t ci = 0; ci < cg; ++ci)
                        for (std::int64_t u = 0; u < c.kh; ++u)
                            for (std::int64_t v = 0; v < c.kw; ++v) {
                                const std::int64_t r = i * c.stride_h - c.pad_t + u * c.dil_h;
                                const std::int64_t s = j * c.stride_w - c.pad_l + v * c.dil_w;
                                if (r < 0 || r >= c.h || s < 0 || s >= c.w) continue;
                                const std::int64_t ch = g * cg + ci;
                                sum += static_cast<double>(
                                           x[((n * c.channels + ch) * c.h + r) * c.w + s]) *
                                       w[((m * cg + ci) * c.kh + u) * c.kw + v];
                            }
                    y.push_back(static_cast<float>(sum)); // the kernel rounds to float32 once too
                }
    return y;
}

TEST(ConvKernel, RandomCasesMatchDirectConvolution) {
    std::mt19937 rng(2024);
    auto pick = [&](std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(rng() % static_cast<unsigned>(hi - lo + 1));
    };
    for (int iteration = 0; iteration < 60; ++iteration) {
        const bool one_d = iteration % 4 == 3;
        ConvCase c{};
        c.group = std::vector<std::int64_t>{1, 1, 2, 3}[pick(0, 3)];
        c.batch = pick(1, 2);
        c.channels = c.group * pick(1, 4);
        c.out_channels = c.group * pick(1, 5);
        c.h = one_d ? 1 : pick(1, 9);
        c.w = pick(1, 11);
        c.kh = one_d ? 1 : pick(1, 3);
        c.kw = pick(1, 4);
        c.stride_h = one_d ? 1 : pick(1, 3);
        c.stride_w = pick(1, 3);
        c.dil_h = one_d ? 1 : pick(1, 2);
        c.dil_w = pick(1, 2);
        c.pad_t = one_d ? 0 : pick(0, 2);
        c.pad_b = one_d ? 0 : pick(0, 2);
        c.pad_l = pick(0, 2);
        c.pad_r = pick(0, 2);
        const std::int64_t span_h = c.h + c.pad_t + c.pad_b - (c.kh - 1) * c.dil_h - 1;
        const std::int64_t span_w = c.w + c.pad_l + c.pad_r - (c.kw - 1) * c.dil_w - 1;
        if (span_h < 0 || span_w < 0) continue;
        const std::int64_t oh = span_h / c.stride_h + 1, ow = span_w / c.stride_w + 1;

        // Integer values up to 255 with up to 48 products per sum: exact in double.
        auto random_values = [&](std::int64_t count) {
            std::vector<float> v(static_cast<std::size_t>(count));
            for (auto& e : v)
                e = static_cast<float>(pick(-255, 255));
            return v;
        };
        const std::int64_t cg = c.channels / c.group;
        auto x = random_values(c.batch * c.channels * c.h * c.w);
        auto w = random_values(c.out_channels * cg * c.kh * c.kw);
        auto b = random_values(c.out_channels);
        std::vector<std::optional<Tensor>> inputs;
        Shape xs = one_d ? Shape{c.batch, c.channels, c.w} : Shape{c.batch, c.channels, c.h, c.w};
        Shape ws = one_d ? Shape{c.out_channels, cg, c.kw} : Shape{c.out_channels, cg, c.kh, c.kw};
        inputs.push_back(floats(xs, x));
        inputs.push_back(floats(ws, w));
        inputs.push_back(floats({c.out_channels}, b));
        Tensor y = run_one(conv([&](Node& n) {
                               n.set_attr_int("group", c.group);
                               if (one_d) {
                                   n.set_attr_ints("strides", {c.stride_w});
                                   n.set_attr_ints("dilations", {c.dil_w});
                                   n.set_attr_ints("pads", {c.pad_l, c.pad_r});
                               } else {
                                   n.set_attr_ints("strides", {c.stride_h, c.stride_w});
                                   n.set_attr_ints("dilations", {c.dil_h, c.dil_w});
                                   n.set_attr_ints("pads", {c.pad_t, c.pad_l, c.pad_b, c.pad_r});
                               }
                           }),
                           inputs);
        Shape expected_shape =
            one_d ? Shape{c.batch, c.out_channels, ow} : Shape{c.batch, c.out_channels, oh, ow};
        SCOPED_TRACE("iteration " + std::to_string(iteration) + " x " + shape_to_string(xs) +
                     " w " + shape_to_string(ws) + " group " + std::to_string(c.group));
        ASSERT_EQ(y.shape(), expected_shape);
        EXPECT_EQ(y.to_doubles(), direct_conv(c, x, w, b, oh, ow));
    }
}

TEST(ConvKernel, LargeChannelCountStaysExact) {
    // 64 channels x 3x3 taps of 255 * 255: sums of 37 million, beyond float32's 2^24. Checked
    // against the direct convolution (both round the exact sum to float32 once).
    ConvCase c{1, 64, 8, 1, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1};
    std::vector<float> x(64 * 36), w(8 * 64 * 9), b(8, 1);
    std::mt19937 rng(5);
    for (auto& v : x)
        v = static_cast<float>(rng() % 2 ? 255 : 254);
    for (auto& v : w)
        v = static_cast<float>(rng() % 2 ? 255 : -1);
    Tensor y = run_one(conv([](Node& n) {
                           n.set_attr_ints("pads", {1, 1, 1, 1});
                       }),
                       {floats({1, 64, 6, 6}, x), floats({8, 64, 3, 3}, w), floats({8}, b)});
    EXPECT_EQ(y.to_doubles(), direct_conv(c, x, w, b, 6, 6));
}

// ---------------------------------------------------------------------------------------------
// BatchNormalization

TEST(BatchNormKernel, PerChannelAffine) {
    // epsilon 0: ch0 (x - 1) / 2 * 1 + 0, ch1 (x - 3) / 0.5 * 2 + 1.
    Tensor y = run_one(spec("BatchNormalization", [](Node& n) { n.set_attr_float("epsilon", 0); }),
                       {floats({1, 2, 1, 2}, {1, 2, 3, 4}), floats({2}, {1, 2}),
                        floats({2}, {0, 1}), floats({2}, {1, 3}), floats({2}, {4, 0.25f})});
    expect_values(y, {1, 2, 1, 2}, {0, 0.5, 1, 5});
}

TEST(BatchNormKernel, DefaultEpsilonAndRanks) {
    // Rank 2 (N, C): y = 2 / sqrt(1 + 1e-5).
    Tensor y =
        run_one(spec("BatchNormalization"), {floats({1, 1}, {2}), floats({1}, {1}),
                                             floats({1}, {0}), floats({1}, {0}), floats({1}, {1})});
    EXPECT_EQ(y.shape(), (Shape{1, 1}));
    EXPECT_FLOAT_EQ(y.to_floats()[0], static_cast<float>(2 / std::sqrt(1 + 1e-5)));
    EXPECT_NE(y.to_floats()[0], 2.0f);
    // Rank 3 (N, C, L) with two samples.
    Tensor z = run_one(spec("BatchNormalization", [](Node& n) { n.set_attr_float("epsilon", 0); }),
                       {floats({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}), floats({2}, {1, 1}),
                        floats({2}, {0, 10}), floats({2}, {0, 0}), floats({2}, {1, 4})});
    expect_values(z, {2, 2, 2}, {1, 2, 11.5, 12, 5, 6, 13.5, 14});
}

TEST(BatchNormKernel, RunningStatisticsOutputsAndTrainingMode) {
    NodeSpec three = spec("BatchNormalization");
    three.opset = 9;
    three.num_outputs = 3;
    std::vector<std::optional<Tensor>> inputs{floats({1, 1, 1}, {3}), floats({1}, {1}),
                                              floats({1}, {0}), floats({1}, {1}), floats({1}, {4})};
    auto outputs = run_node(three, inputs, registry());
    ASSERT_EQ(outputs.size(), 3u);
    EXPECT_EQ(outputs[1].to_doubles(), std::vector<double>{1});
    EXPECT_EQ(outputs[2].to_doubles(), std::vector<double>{4});

    NodeSpec five = three;
    five.num_outputs = 5;
    expect_error([&] { run_node(five, inputs, registry()); }, "training");
    NodeSpec training =
        spec("BatchNormalization", [](Node& n) { n.set_attr_int("training_mode", 1); });
    training.opset = 15;
    expect_error([&] { run_one(training, inputs); }, "training_mode");
    expect_error(
        [&] {
            run_one(spec("BatchNormalization"),
                    {floats({1, 2, 1}, {1, 2}), floats({1}, {1}), floats({1}, {0}),
                     floats({1}, {1}), floats({1}, {4})});
        },
        "expected 2 values");
}

// ---------------------------------------------------------------------------------------------
// ONNX conformance cases (PyTorch exports) that consist only of these kernels and the pooling ones.

TEST(ConvGemmConformance, SharedOnnxCases) {
    FINN_REQUIRE_SHARED(shared);
    const auto root = shared / "onnx-conformance";
    if (!std::filesystem::is_directory(root)) GTEST_SKIP() << root << " not available";
    KernelRegistry both;
    register_conv_gemm_kernels(both);
    register_pooling_kernels(both);
    const std::vector<std::string> patterns{"Conv",   "AvgPool", "MaxPool", "BatchNorm",
                                            "Linear", "mm",      "conv",    "maxpool"};
    std::set<std::string> ran;
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
        const std::string name = entry.path().filename().string();
        bool wanted = false;
        for (const auto& p : patterns)
            wanted = wanted || name.find(p) != std::string::npos;
        if (!wanted) continue;
        SCOPED_TRACE(name);
        Model model = Model::load(entry.path() / "model.onnx");
        bool supported = true;
        for (const auto& node : model.nodes())
            supported = supported && both.find(node.domain(), node.op_type()) != nullptr;
        if (!supported) continue; // needs kernels of other groups
        const auto data = entry.path() / "test_data_set_0";
        TensorMap feeds;
        const auto inputs = model.input_names();
        for (std::size_t i = 0; i < inputs.size(); ++i)
            feeds.emplace(inputs[i], tensor_from_proto(read_tensor_proto(
                                         data / ("input_" + std::to_string(i) + ".pb"))));
        auto result = Executor(model, both).run(feeds);
        const auto outputs = model.output_names();
        for (std::size_t i = 0; i < outputs.size(); ++i) {
            Tensor expected = tensor_from_proto(
                read_tensor_proto(data / ("output_" + std::to_string(i) + ".pb")));
            const Tensor& actual = result.at(outputs[i]);
            ASSERT_EQ(actual.shape(), expected.shape());
            ASSERT_EQ(actual.type(), expected.type());
            auto a = actual.to_doubles(), e = expected.to_doubles();
            for (std::size_t j = 0; j < a.size(); ++j)
                ASSERT_NEAR(a[j], e[j], 1e-5 + 1e-4 * std::abs(e[j])) << "element " << j;
        }
        ran.insert(name);
    }
    // The cases made of these operators alone (Linear_no_bias needs Transpose, operator_mm
    // Constant).
    const std::set<std::string> expected{
        "test_AvgPool2d",        "test_AvgPool2d_stride", "test_BatchNorm1d_3d_input_eval",
        "test_BatchNorm2d_eval", "test_Conv2d",           "test_Conv2d_depthwise",
        "test_Conv2d_groups",    "test_Conv2d_no_bias",   "test_Conv2d_padding",
        "test_Conv2d_strided",   "test_Linear",           "test_MaxPool2d",
        "test_operator_conv",    "test_operator_maxpool"};
    EXPECT_EQ(ran, expected);
}

} // namespace
} // namespace finn
