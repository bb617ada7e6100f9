// Tests of the general (qonnx) custom-op kernels (spec/finn-ops.md §2), with hand-computed values.
#include "exec_test_support.h"
#include "finn/core/error.h"
#include "finn/exec/kernel.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <string>
#include <vector>

namespace finn {
namespace {

using testing::NodeSpec;
using testing::run_node;

const char* const kDomain = "qonnx.custom_op.general";

const KernelRegistry& registry() {
    static const KernelRegistry r = testing::make_registry(register_qonnx_kernels);
    return r;
}

Tensor floats(Shape shape, std::vector<float> values) {
    return Tensor::from_floats(std::move(shape), values);
}

Tensor scalar(float v) {
    return Tensor::from_floats({}, {v});
}

Tensor run1(const NodeSpec& spec, const std::vector<std::optional<Tensor>>& inputs) {
    return run_node(spec, inputs, registry()).at(0);
}

void expect_floats(const Tensor& t, const Shape& shape, const std::vector<float>& expected) {
    ASSERT_EQ(t.type(), ElementType::Float32);
    ASSERT_EQ(t.shape(), shape);
    auto values = t.to_floats();
    ASSERT_EQ(values.size(), expected.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        EXPECT_EQ(values[i], expected[i]) << "element " << i;
}

// --- MultiThreshold ------------------------------------------------------------------------------

NodeSpec multi_threshold(const std::string& layout = "", float scale = 1, float bias = 0) {
    NodeSpec spec{"MultiThreshold", kDomain};
    spec.attributes = [=](Node& n) {
        n.set_attr_string("out_dtype", "UINT2");
        if (!layout.empty()) n.set_attr_string("data_layout", layout);
        if (scale != 1) n.set_attr_float("out_scale", scale);
        if (bias != 0) n.set_attr_float("out_bias", bias);
    };
    return spec;
}

TEST(MultiThreshold, SharedThresholdRowCountsGreaterOrEqual) {
    // One row (1, 3) applies to every channel; x equal to a threshold counts it.
    Tensor x = floats({1, 3, 2}, {-1, 0, 0.5, 1, 2, 5});
    Tensor t = floats({1, 3}, {2, 0, 1}); // order does not matter
    expect_floats(run1(multi_threshold(), {x, t}), {1, 3, 2}, {0, 1, 1, 2, 3, 3});
}

TEST(MultiThreshold, PerChannelNchwAndNhwcAgreeOnTransposedData) {
    // Channel 0 thresholds {1, 2}, channel 1 thresholds {0, 3}.
    Tensor t = floats({2, 2}, {1, 2, 0, 3});
    // NCHW (1, 2, 2, 2): both channels hold 0, 1, 2, 3 over (h, w).
    Tensor nchw = floats({1, 2, 2, 2}, {0, 1, 2, 3, 0, 1, 2, 3});
    // ch0: 0->0, 1->1, 2->2, 3->2; ch1: 0->1, 1->1, 2->1, 3->2.
    expect_floats(run1(multi_threshold(), {nchw, t}), {1, 2, 2, 2}, {0, 1, 2, 2, 1, 1, 1, 2});
    // The same data as NHWC: element (h, w, c).
    Tensor nhwc = floats({1, 2, 2, 2}, {0, 0, 1, 1, 2, 2, 3, 3});
    expect_floats(run1(multi_threshold("NHWC"), {nhwc, t}), {1, 2, 2, 2}, {0, 1, 1, 1, 2, 1, 2, 2});
}

TEST(MultiThreshold, Rank3ChannelAxisFollowsLayout) {
    // (1, 2, 3): NCW uses axis 1 (2 channels), NWC the last axis (3 channels).
    Tensor x = floats({1, 2, 3}, {5, 5, 5, 5, 5, 5});
    Tensor t2 = floats({2, 1}, {4, 6});
    expect_floats(run1(multi_threshold("NCW"), {x, t2}), {1, 2, 3}, {1, 1, 1, 0, 0, 0});
    Tensor t3 = floats({3, 1}, {4, 6, 5});
    expect_floats(run1(multi_threshold("NWC"), {x, t3}), {1, 2, 3}, {1, 0, 1, 1, 0, 1});
}

TEST(MultiThreshold, TwoDimensionalInputUsesAxisOne) {
    Tensor x = floats({2, 3}, {0, 1, 2, 3, 4, 5});
    Tensor t = floats({3, 2}, {0, 1, 1, 2, 5, 6});
    // Row 0: 0 vs {0,1} -> 1, 1 vs {1,2} -> 1, 2 vs {5,6} -> 0; row 1: 3 -> 2, 4 -> 2, 5 -> 1.
    std::vector<float> expected = {1, 1, 0, 2, 2, 1};
    expect_floats(run1(multi_threshold(), {x, t}), {2, 3}, expected);
    expect_floats(run1(multi_threshold("NC"), {x, t}), {2, 3}, expected);
}

TEST(MultiThreshold, OutScaleAndBiasGiveBipolarSign) {
    Tensor x = floats({1, 4}, {-0.5f, 0, 3, -2});
    Tensor t = floats({1, 1}, {0});
    expect_floats(run1(multi_threshold("", 2, -1), {x, t}), {1, 4}, {-1, 1, 1, -1});
}

TEST(MultiThreshold, FractionalScaleAndLegacyDomain) {
    NodeSpec spec = multi_threshold("", 0.5f, -1.5f);
    spec.domain = "finn.custom_op.general";
    Tensor x = floats({1, 3}, {0, 1, 2});
    Tensor t = floats({1, 2}, {0.5f, 1.5f});
    // Counts 0, 1, 2 -> 0.5 * count - 1.5.
    expect_floats(run1(spec, {x, t}), {1, 3}, {-1.5f, -1, -0.5f});
}

TEST(MultiThreshold, RejectsThresholdRowsThatAreNeitherOneNorChannels) {
    Tensor x = floats({1, 3, 1, 1}, {0, 1, 2});
    Tensor t = floats({2, 1}, {0, 1});
    try {
        run1(multi_threshold(), {x, t});
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("expected 1 or the 3 channels"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(run1(multi_threshold(), {floats({3}, {0, 1, 2}), floats({1, 1}, {0})}), Error);
}

// --- Quant ---------------------------------------------------------------------------------------

NodeSpec quant(const std::string& mode, int is_signed = 1, int narrow = 0) {
    NodeSpec spec{"Quant", kDomain};
    spec.attributes = [=](Node& n) {
        n.set_attr_int("signed", is_signed);
        n.set_attr_int("narrow", narrow);
        if (!mode.empty()) n.set_attr_string("rounding_mode", mode);
    };
    return spec;
}

Tensor run_quant(const NodeSpec& spec, const Tensor& x, float scale, float zp, float bits) {
    return run1(spec, {x, scalar(scale), scalar(zp), scalar(bits)});
}

TEST(Quant, RoundingModesAtTies) {
    Tensor x = floats({6}, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f});
    struct Case {
        std::string mode;
        std::vector<float> expected;
    };
    const std::vector<Case> cases = {
        {"ROUND", {0, 2, 2, -0.0f, -2, -2}}, {"HALF_EVEN", {0, 2, 2, -0.0f, -2, -2}},
        {"CEIL", {1, 2, 3, -0.0f, -1, -2}},  {"FLOOR", {0, 1, 2, -1, -2, -3}},
        {"UP", {1, 2, 3, -1, -2, -3}},       {"DOWN", {0, 1, 2, -0.0f, -1, -2}},
        {"HALF_UP", {1, 2, 3, -1, -2, -3}},  {"HALF_DOWN", {0, 1, 2, -0.0f, -1, -2}},
        {"", {0, 2, 2, -0.0f, -2, -2}}, // default ROUND
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.mode);
        expect_floats(run_quant(quant(c.mode), x, 1, 0, 8), {6}, c.expected);
    }
}

TEST(Quant, RoundingModeIsCaseInsensitiveAndValidated) {
    Tensor x = floats({2}, {0.5f, -0.5f});
    expect_floats(run_quant(quant("half_up"), x, 1, 0, 8), {2}, {1, -1});
    EXPECT_THROW(run_quant(quant("STOCHASTIC"), x, 1, 0, 8), Error);
}

TEST(Quant, SignedAndUnsignedClampingWithNarrowRange) {
    Tensor x = floats({5}, {-20, -8.4f, 7.4f, 14.6f, 20});
    // INT4 [-8, 7]; narrow [-7, 7]; UINT4 [0, 15]; narrow unsigned [0, 14].
    expect_floats(run_quant(quant("ROUND", 1, 0), x, 1, 0, 4), {5}, {-8, -8, 7, 7, 7});
    expect_floats(run_quant(quant("ROUND", 1, 1), x, 1, 0, 4), {5}, {-7, -7, 7, 7, 7});
    expect_floats(run_quant(quant("ROUND", 0, 0), x, 1, 0, 4), {5}, {0, 0, 7, 15, 15});
    expect_floats(run_quant(quant("ROUND", 0, 1), x, 1, 0, 4), {5}, {0, 0, 7, 14, 14});
}

TEST(Quant, DefaultAttributesAreSignedNarrow) {
    NodeSpec spec{"Quant", kDomain};
    Tensor x = floats({2}, {-200, 200});
    expect_floats(run_quant(spec, x, 1, 0, 8), {2}, {-127, 127});
}

TEST(Quant, ScaleAndZeroPoint) {
    // UINT4, scale 0.5, zero point 2: y = clamp(round(x / 0.5 + 2), 0, 15); out = (y - 2) * 0.5.
    Tensor x = floats({4}, {1.3f, -2, 10, 0.25f});
    // 1.3 -> 4.6 -> 5 -> 1.5; -2 -> -2 -> 0 -> -1; 10 -> 22 -> 15 -> 6.5; 0.25 -> 2.5 -> 2 -> 0.
    expect_floats(run_quant(quant("ROUND", 0, 0), x, 0.5f, 2, 4), {4}, {1.5f, -1, 6.5f, 0});
}

TEST(Quant, PerChannelScaleBroadcasts) {
    Tensor x = floats({2, 2}, {1.4f, 2.6f, 1.4f, 2.6f});
    Tensor scale = floats({2, 1}, {1, 0.5f});
    Tensor out = run1(quant("ROUND"), {x, scale, scalar(0), scalar(8)});
    // Row 1: 2.8 -> 3 -> 1.5; 5.2 -> 5 -> 2.5.
    expect_floats(out, {2, 2}, {1, 3, 1.5f, 2.5f});
}

TEST(Quant, ComputesInFloat32LikeNumpy) {
    // In float32, 0.05f / 0.02f is exactly 2.5 (ties to 2); the double quotient is above 2.5.
    expect_floats(run_quant(quant("ROUND"), floats({1}, {0.05f}), 0.02f, 0, 8), {1}, {2 * 0.02f});
    // HALF_UP: |x| + 0.5 rounds up to 1.0 in float32 for the largest float below 0.5.
    float below_half = std::nextafter(0.5f, 0.0f);
    expect_floats(run_quant(quant("HALF_UP"), floats({1}, {below_half}), 1, 0, 8), {1}, {1});
}

TEST(Quant, BipolarForOneBitSigned) {
    Tensor x = floats({4}, {-0.3f, 0, 0.7f, -5});
    expect_floats(run_quant(quant("ROUND", 1, 0), x, 2, 0, 1), {4}, {-2, 2, 2, -2});
    expect_floats(run_quant(quant("ROUND", 1, 1), x, 1, 0, 1), {4}, {-1, 1, 1, -1});
    // Unsigned 1 bit is BINARY: clamp to [0, 1] and round.
    expect_floats(run_quant(quant("ROUND", 0, 0), x, 1, 0, 1), {4}, {0, 0, 1, 0});
}

TEST(Quant, LegacyBrevitasDomainAndBadBitWidth) {
    NodeSpec spec = quant("ROUND");
    spec.domain = "onnx.brevitas";
    expect_floats(run_quant(spec, floats({1}, {3.3f}), 1, 0, 8), {1}, {3});
    EXPECT_THROW(run_quant(quant("ROUND"), floats({1}, {1}), 1, 0, 2.5f), Error);
    EXPECT_THROW(
        run1(quant("ROUND"), {floats({1}, {1}), scalar(1), scalar(0), floats({2}, {4, 4})}), Error);
}

// --- BipolarQuant --------------------------------------------------------------------------------

TEST(BipolarQuant, SignTimesScale) {
    NodeSpec spec{"BipolarQuant", kDomain};
    Tensor x = floats({2, 2}, {-1, 0, 0.2f, -0.0f});
    expect_floats(run1(spec, {x, scalar(0.5f)}), {2, 2}, {-0.5f, 0.5f, 0.5f, 0.5f});
    // Per-row scale.
    expect_floats(run1(spec, {x, floats({2, 1}, {3, 0.25f})}), {2, 2}, {-3, 3, 0.25f, 0.25f});
}

// --- Trunc ---------------------------------------------------------------------------------------

NodeSpec trunc(const std::string& mode = "", int opset = 1) {
    NodeSpec spec{"Trunc", kDomain, opset};
    spec.attributes = [=](Node& n) {
        if (!mode.empty()) n.set_attr_string("rounding_mode", mode);
    };
    return spec;
}

TEST(Trunc, V1DropsLowBitsWithoutClamping) {
    // 8 -> 6 bits: divide by 4, then FLOOR (default).
    Tensor x = floats({5}, {13, -13, 7.9f, 100, 1000});
    Tensor out = run1(trunc(), {x, scalar(1), scalar(0), scalar(8), scalar(6)});
    // 13/4 = 3.25 -> 3; -3.25 -> -4; round(7.9) = 8 -> 2; 25; 250 (v1 does not clamp).
    expect_floats(out, {5}, {3, -4, 2, 25, 250});
}

TEST(Trunc, V1WithScaleZeroPointAndRounding) {
    // scale 0.5: 6.5 -> 13 -> 3.25 -> 3 -> 1.5.
    expect_floats(
        run1(trunc(), {floats({1}, {6.5f}), scalar(0.5f), scalar(0), scalar(8), scalar(6)}), {1},
        {1.5f});
    // zero point 1: 13 -> 14 -> 3.5 -> 3 -> 3 - 1 = 2.
    expect_floats(run1(trunc(), {floats({1}, {13}), scalar(1), scalar(1), scalar(8), scalar(6)}),
                  {1}, {2});
    // ROUND at ties: 10/4 = 2.5 -> 2, 14/4 = 3.5 -> 4.
    expect_floats(
        run1(trunc("ROUND"), {floats({2}, {10, 14}), scalar(1), scalar(0), scalar(8), scalar(6)}),
        {2}, {2, 4});
}

NodeSpec trunc_v2(int is_signed, int narrow, const std::string& mode = "") {
    NodeSpec spec = trunc(mode, 2);
    spec.attributes = [=](Node& n) {
        n.set_attr_int("signed", is_signed);
        n.set_attr_int("narrow", narrow);
        if (!mode.empty()) n.set_attr_string("rounding_mode", mode);
    };
    return spec;
}

TEST(Trunc, V2ClampsToOutputRange) {
    Tensor x = floats({4}, {13, -13, 200, -200});
    // out_scale / scale = 4: y / 4 clamped to INT4 [-8, 7], FLOOR, times 4.
    Tensor out = run1(trunc_v2(1, 0), {x, scalar(1), scalar(0), scalar(8), scalar(4), scalar(4)});
    expect_floats(out, {4}, {12, -16, 28, -32});
    // Unsigned narrow: [0, 14].
    Tensor x2 = floats({2}, {-5, 100});
    Tensor out2 = run1(trunc_v2(0, 1), {x2, scalar(1), scalar(0), scalar(8), scalar(4), scalar(4)});
    expect_floats(out2, {2}, {0, 56});
}

TEST(Trunc, V2PowerOfTwoShiftAndZeroPoint) {
    // out_scale 3: shift 2^round(log2 3) = 4; 13 -> 3.25 -> 3 -> 3 * 3 = 9.
    expect_floats(run1(trunc_v2(1, 0),
                       {floats({1}, {13}), scalar(1), scalar(0), scalar(8), scalar(3), scalar(4)}),
                  {1}, {9});
    // Zero point 4: 13 + 4 = 17 -> 4.25 -> 4 -> (4 - 4 / 4) * 4 = 12.
    expect_floats(run1(trunc_v2(1, 0),
                       {floats({1}, {13}), scalar(1), scalar(4), scalar(8), scalar(4), scalar(4)}),
                  {1}, {12});
}

TEST(Trunc, RejectsOtherInputCounts) {
    Tensor x = floats({1}, {1});
    EXPECT_THROW(run1(trunc(), {x, scalar(1), scalar(0), scalar(8)}), Error);
}

// --- XnorPopcountMatMul --------------------------------------------------------------------------

NodeSpec xnor() {
    return NodeSpec{"XnorPopcountMatMul", kDomain};
}

// ((2a - 1) @ (2b - 1) + K) / 2.
std::vector<float> xnor_formula(const std::vector<float>& a, const std::vector<float>& b, int rows,
                                int k, int m) {
    std::vector<float> out(static_cast<std::size_t>(rows * m));
    for (int r = 0; r < rows; ++r)
        for (int j = 0; j < m; ++j) {
            float dot = 0;
            for (int i = 0; i < k; ++i)
                dot += (2 * a[r * k + i] - 1) * (2 * b[i * m + j] - 1);
            out[r * m + j] = (dot + static_cast<float>(k)) / 2;
        }
    return out;
}

TEST(XnorPopcountMatMul, CountsAgreements) {
    std::vector<float> a = {1, 0, 1, 0, 0, 0};
    std::vector<float> b = {1, 0, 0, 0, 1, 1};
    Tensor out = run1(xnor(), {floats({2, 3}, a), floats({3, 2}, b)});
    expect_floats(out, {2, 2}, {3, 2, 1, 2});
    expect_floats(out, {2, 2}, xnor_formula(a, b, 2, 3, 2));
}

TEST(XnorPopcountMatMul, MatchesFormulaOnBatchedInput) {
    const int k = 7, m = 5, rows = 6;
    std::vector<float> a(rows * k), b(k * m);
    for (std::size_t i = 0; i < a.size(); ++i)
        a[i] = static_cast<float>((i * 7 + 3) % 5 < 2);
    for (std::size_t i = 0; i < b.size(); ++i)
        b[i] = static_cast<float>((i * 3 + 1) % 4 < 2);
    Tensor out = run1(xnor(), {floats({2, 3, k}, a), floats({k, m}, b)});
    expect_floats(out, {2, 3, m}, xnor_formula(a, b, rows, k, m));
}

TEST(XnorPopcountMatMul, RejectsNonBinaryOperandsAndShapes) {
    EXPECT_THROW(run1(xnor(), {floats({1, 2}, {1, -1}), floats({2, 1}, {1, 0})}), Error);
    EXPECT_THROW(run1(xnor(), {floats({1, 2}, {1, 0}), floats({2, 1}, {2, 0})}), Error);
    EXPECT_THROW(run1(xnor(), {floats({1, 2}, {1, 0}), floats({3, 1}, {1, 0, 1})}), Error);
}

// --- Im2Col --------------------------------------------------------------------------------------

struct Im2ColParams {
    std::vector<std::int64_t> kernel, stride, pad, dilation;
    std::int64_t pad_value = 0;
};

NodeSpec im2col(const Im2ColParams& p, const std::string& input_shape = "") {
    NodeSpec spec{"Im2Col", kDomain};
    spec.attributes = [=](Node& n) {
        n.set_attr_ints("kernel_size", p.kernel);
        n.set_attr_ints("stride", p.stride);
        if (!p.pad.empty()) n.set_attr_ints("pad_amount", p.pad);
        if (!p.dilation.empty()) n.set_attr_ints("dilations", p.dilation);
        if (p.pad_value != 0) n.set_attr_int("pad_value", p.pad_value);
        if (!input_shape.empty()) n.set_attr_string("input_shape", input_shape);
    };
    return spec;
}

// A naive im2col over an NHWC input, written independently of the kernel.
std::vector<float> naive_im2col(const std::vector<float>& x, int h, int w, int c,
                                const Im2ColParams& p, int& oh, int& ow) {
    const int kh = static_cast<int>(p.kernel[0]), kw = static_cast<int>(p.kernel[1]);
    const int sh = static_cast<int>(p.stride[0]), sw = static_cast<int>(p.stride[1]);
    const int dh = static_cast<int>(p.dilation[0]), dw = static_cast<int>(p.dilation[1]);
    const int top = static_cast<int>(p.pad[0]), left = static_cast<int>(p.pad[1]);
    const int ph = h + static_cast<int>(p.pad[0] + p.pad[2]);
    const int pw = w + static_cast<int>(p.pad[1] + p.pad[3]);
    // Build the padded image first, then gather.
    std::vector<float> padded(static_cast<std::size_t>(ph * pw * c),
                              static_cast<float>(p.pad_value));
    for (int y = 0; y < h; ++y)
        for (int xx = 0; xx < w; ++xx)
            for (int ch = 0; ch < c; ++ch)
                padded[((y + top) * pw + xx + left) * c + ch] = x[(y * w + xx) * c + ch];
    oh = (ph - dh * (kh - 1) - 1) / sh + 1;
    ow = (pw - dw * (kw - 1) - 1) / sw + 1;
    std::vector<float> out;
    for (int oy = 0; oy < oh; ++oy)
        for (int ox = 0; ox < ow; ++ox)
            for (int ky = 0; ky < kh; ++ky)
                for (int kx = 0; kx < kw; ++kx)
                    for (int ch = 0; ch < c; ++ch)
                        out.push_back(
                            padded[((oy * sh + ky * dh) * pw + ox * sw + kx * dw) * c + ch]);
    return out;
}

TEST(Im2Col, SmallHandComputedCase) {
    // 3x3 single-channel image 1..9, 2x2 kernel, stride 1.
    Tensor x = floats({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    Im2ColParams p{{2, 2}, {1, 1}, {}, {}};
    expect_floats(run1(im2col(p, "(1, 3, 3, 1)"), {x}), {1, 2, 2, 4},
                  {1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9});
}

TEST(Im2Col, InnermostIndexIsKernelPositionThenChannel) {
    // 1x2 kernel over a 1x2 image with 2 channels: (kx * C + c).
    Tensor x = floats({1, 1, 2, 2}, {10, 11, 20, 21});
    Im2ColParams p{{1, 2}, {1, 1}, {}, {}};
    expect_floats(run1(im2col(p), {x}), {1, 1, 1, 4}, {10, 11, 20, 21});
}

TEST(Im2Col, PaddingStrideAndDilationMatchNaiveLoop) {
    const int h = 5, w = 6, c = 2;
    std::vector<float> x(h * w * c);
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = static_cast<float>(i + 1);
    Im2ColParams p{{3, 3}, {2, 2}, {1, 2, 1, 0}, {2, 2}, -7};
    int oh = 0, ow = 0;
    auto expected = naive_im2col(x, h, w, c, p, oh, ow);
    // (5 + 2 - 5) / 2 + 1 = 2; (6 + 2 - 5) / 2 + 1 = 2.
    ASSERT_EQ(oh, 2);
    ASSERT_EQ(ow, 2);
    Tensor out = run1(im2col(p), {floats({1, h, w, c}, x)});
    expect_floats(out, {1, oh, ow, 3 * 3 * c}, expected);
    // The first window starts in the padding corner: its first element is the pad value.
    EXPECT_EQ(out.to_floats()[0], -7);
}

TEST(Im2Col, PaddingWithStrideOneMatchesNaiveLoop) {
    const int h = 4, w = 4, c = 3;
    std::vector<float> x(h * w * c);
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = static_cast<float>(i % 7) - 3;
    Im2ColParams p{{3, 3}, {1, 1}, {1, 1, 1, 1}, {1, 1}};
    int oh = 0, ow = 0;
    auto expected = naive_im2col(x, h, w, c, p, oh, ow);
    expect_floats(run1(im2col(p), {floats({1, h, w, c}, x)}), {1, 4, 4, 27}, expected);
}

TEST(Im2Col, KeepsIntegerElementType) {
    Tensor x = Tensor::from_int64s({1, 1, 2, 1}, {5, 9});
    Im2ColParams p{{1, 2}, {1, 1}, {0, 1, 0, 0}, {}, 3};
    Tensor out = run1(im2col(p), {x});
    EXPECT_EQ(out.type(), ElementType::Int64);
    EXPECT_EQ(out.shape(), (Shape{1, 1, 2, 2}));
    EXPECT_EQ(out.to_int64s(), (std::vector<std::int64_t>{3, 5, 5, 9}));
}

TEST(Im2Col, RejectsBadShapes) {
    // Height 1 needs a kernel height of 1.
    Im2ColParams tall{{3, 1}, {1, 1}, {}, {}};
    EXPECT_THROW(run1(im2col(tall), {floats({1, 1, 4, 1}, {1, 2, 3, 4})}), Error);
    // input_shape disagreeing with the input.
    Im2ColParams ok{{1, 1}, {1, 1}, {}, {}};
    EXPECT_THROW(run1(im2col(ok, "(1, 2, 2, 1)"), {floats({1, 1, 4, 1}, {1, 2, 3, 4})}), Error);
    EXPECT_THROW(run1(im2col(ok), {floats({4, 1}, {1, 2, 3, 4})}), Error);
}

// --- MaxPoolNHWC ---------------------------------------------------------------------------------

NodeSpec max_pool(std::vector<std::int64_t> k, std::vector<std::int64_t> s,
                  std::vector<std::int64_t> pads, int ceil_mode = 0) {
    NodeSpec spec{"MaxPoolNHWC", kDomain};
    spec.attributes = [=](Node& n) {
        n.set_attr_ints("kernel_shape", k);
        n.set_attr_ints("strides", s);
        n.set_attr_ints("pads", pads);
        if (ceil_mode) n.set_attr_int("ceil_mode", ceil_mode);
    };
    return spec;
}

// NHWC (1, 4, 4, 2): channel 0 is 4y + x, channel 1 is 15 - (4y + x).
Tensor two_channel_ramp() {
    std::vector<float> v;
    for (int i = 0; i < 16; ++i) {
        v.push_back(static_cast<float>(i));
        v.push_back(static_cast<float>(15 - i));
    }
    return floats({1, 4, 4, 2}, v);
}

TEST(MaxPoolNHWC, MatchesTransposedStandardMaxPool) {
    // NCHW max pool 2x2/2: channel 0 -> [5, 7, 13, 15], channel 1 -> [15, 13, 7, 5].
    Tensor out = run1(max_pool({2, 2}, {2, 2}, {0, 0, 0, 0}), {two_channel_ramp()});
    expect_floats(out, {1, 2, 2, 2}, {5, 15, 7, 13, 13, 7, 15, 5});
}

TEST(MaxPoolNHWC, PaddingNeverWinsAndCeilMode) {
    // All values negative: channel 0 is -(4y + x) - 1; padding must not contribute.
    std::vector<float> v;
    for (int i = 0; i < 16; ++i)
        v.push_back(-static_cast<float>(i) - 1);
    Tensor x = floats({1, 4, 4, 1}, v);
    // k 3, s 2, pad 1: windows start at -1 and 1 (floor): rows {0,1}, {1,2,3}; max at smallest.
    expect_floats(run1(max_pool({3, 3}, {2, 2}, {1, 1, 1, 1}), {x}), {1, 2, 2, 1},
                  {-1, -2, -5, -6});
    // ceil_mode adds the window starting at 3: rows {3}.
    expect_floats(run1(max_pool({3, 3}, {2, 2}, {1, 1, 1, 1}, 1), {x}), {1, 3, 3, 1},
                  {-1, -2, -4, -5, -6, -8, -13, -14, -16});
}

TEST(MaxPoolNHWC, CeilModeDropsWindowStartingInRightPadding) {
    // H = W = 5, k 2, s 2, pad 1: ceil gives 4, but the 4th window would start at 5 (padding).
    std::vector<float> v(25);
    for (int i = 0; i < 25; ++i)
        v[i] = static_cast<float>(i);
    Tensor out = run1(max_pool({2, 2}, {2, 2}, {1, 1, 1, 1}, 1), {floats({1, 5, 5, 1}, v)});
    // Windows rows {0}, {1,2}, {3,4}.
    expect_floats(out, {1, 3, 3, 1}, {0, 2, 4, 10, 12, 14, 20, 22, 24});
}

TEST(MaxPoolNHWC, RejectsUnevenPadding) {
    EXPECT_THROW(run1(max_pool({2, 2}, {2, 2}, {1, 0, 0, 0}), {two_channel_ramp()}), Error);
}

// --- QuantAvgPool2d ------------------------------------------------------------------------------

NodeSpec avg_pool(int k, int s, int ibits, int obits, int is_signed,
                  const std::string& layout = "") {
    NodeSpec spec{"QuantAvgPool2d", kDomain};
    spec.attributes = [=](Node& n) {
        n.set_attr_int("kernel", k);
        n.set_attr_int("stride", s);
        n.set_attr_int("ibits", ibits);
        n.set_attr_int("obits", obits);
        n.set_attr_int("signed", is_signed);
        if (!layout.empty()) n.set_attr_string("data_layout", layout);
    };
    return spec;
}

TEST(QuantAvgPool2d, ShiftsTheWindowSum) {
    // ibits 4, k 2: max sum 15 * 4 = 60 needs 6 bits; obits 4 -> shift 2.
    Tensor x = floats({1, 1, 2, 4}, {15, 15, 1, 2, 15, 15, 3, 3});
    // Sums 60 and 9 -> 15 and 2.
    expect_floats(run1(avg_pool(2, 2, 4, 4, 0), {x}), {1, 1, 1, 2}, {15, 2});
    // obits 8 -> no shift: the plain sums.
    expect_floats(run1(avg_pool(2, 2, 4, 8, 0), {x}), {1, 1, 1, 2}, {60, 9});
}

TEST(QuantAvgPool2d, SignedFloorsNegativeSums) {
    // Channel 0 window sum -13 -> floor(-13 / 4) = -4; channel 1 sum -1 -> -1.
    Tensor nchw = floats({1, 2, 2, 2}, {-8, -7, -1, 3, -1, 0, 0, 0});
    expect_floats(run1(avg_pool(2, 2, 4, 4, 1), {nchw}), {1, 2, 1, 1}, {-4, -1});
    Tensor nhwc = floats({1, 2, 2, 2}, {-8, -1, -7, 0, -1, 0, 3, 0});
    expect_floats(run1(avg_pool(2, 2, 4, 4, 1, "NHWC"), {nhwc}), {1, 1, 1, 2}, {-4, -1});
}

TEST(QuantAvgPool2d, OverlappingWindows) {
    // 3x3 image 0..8, k 2, s 1, ibits 2 (max sum 12: 4 bits), obits 3 -> shift 1.
    Tensor x = floats({1, 1, 3, 3}, {0, 1, 2, 3, 0, 1, 2, 3, 0});
    // Sums: 4, 4, 8, 4 -> 2, 2, 4, 2.
    expect_floats(run1(avg_pool(2, 1, 2, 3, 0), {x}), {1, 1, 2, 2}, {2, 2, 4, 2});
}

TEST(QuantAvgPool2d, RejectsBadLayout) {
    EXPECT_THROW(run1(avg_pool(2, 2, 4, 4, 0, "NWC"), {floats({1, 1, 2, 2}, {1, 2, 3, 4})}), Error);
}

} // namespace
} // namespace finn
