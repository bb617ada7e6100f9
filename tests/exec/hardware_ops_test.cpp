// Tests of the hardware-layer kernels (spec/finn-ops.md §3): hand-computed cases for every op, each
// also through a legacy or specialised (_hls/_rtl) name, and two hardware graphs run end to end.
#include "../test_support.h"
#include "exec_test_support.h"
#include "finn/core/datatype.h"
#include "finn/core/error.h"
#include "finn/exec/kernel.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/custom_op_schemas.h"

#include <algorithm>
#include <cstdint>
#include <gtest/gtest.h>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace finn {
namespace {

using testing::NodeSpec;
using testing::run_node;

const std::string kAbstract = "finn.custom_op.fpgadataflow";
const std::string kHls = "finn.custom_op.fpgadataflow.hls";
const std::string kRtl = "finn.custom_op.fpgadataflow.rtl";

const KernelRegistry& registry() {
    static const KernelRegistry r = testing::make_registry(hw::register_hardware_kernels);
    return r;
}

Tensor floats(Shape shape, std::vector<float> values) {
    return Tensor::from_floats(std::move(shape), values);
}

NodeSpec hw(const std::string& op, const std::string& domain, std::function<void(Node&)> attributes,
            int num_outputs = 1) {
    NodeSpec spec{op, domain};
    spec.opset = 1;
    spec.attributes = [attributes](Node& n) {
        n.set_attr_string("backend", "fpgadataflow");
        attributes(n);
    };
    spec.num_outputs = num_outputs;
    return spec;
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

// Runs a node expecting a finn::Error whose message contains `fragment`.
void expect_error(const NodeSpec& spec, const std::vector<std::optional<Tensor>>& inputs,
                  const std::string& fragment) {
    try {
        run_node(spec, inputs, registry());
        FAIL() << "expected an error mentioning '" << fragment << "'";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
}

// --- registration ------------------------------------------------------------------------------

TEST(HardwareOps, EveryDeclaredHardwareOpHasAKernelAndNoOtherIsRegistered) {
    std::set<std::string> declared;
    for (const auto& op : custom_op_declarations()) {
        if (op.op_type == "StreamingDataflowPartition") continue;
        for (const auto& domain : op.domains) {
            if (!is_fpgadataflow_domain(domain)) continue;
            declared.insert(domain + ":" + op.op_type);
            EXPECT_NE(registry().find(domain, op.op_type), nullptr) << domain << ":" << op.op_type;
        }
    }
    // 17 abstract ops, 16 HLS and 7 RTL variants (FINN's), 15 legacy names.
    EXPECT_EQ(declared.size(), 17u + 16 + 7 + 15);
    for (const auto& name : registry().supported())
        EXPECT_TRUE(declared.count(name)) << name << " is registered but not declared";
    EXPECT_EQ(registry().supported().size(), declared.size());
}

// --- MVAU --------------------------------------------------------------------------------------

NodeSpec mvau(const std::string& op, const std::string& domain, const std::string& idt,
              const std::string& wdt, const std::string& odt, bool xnor, bool no_activation,
              int act_val = 0) {
    return hw(op, domain, [=](Node& n) {
        n.set_attr_string("inputDataType", idt);
        n.set_attr_string("weightDataType", wdt);
        n.set_attr_string("outputDataType", odt);
        n.set_attr_int("binaryXnorMode", xnor ? 1 : 0);
        n.set_attr_int("noActivation", no_activation ? 1 : 0);
        n.set_attr_int("ActVal", act_val);
        n.set_attr_int("PE", 1);
        n.set_attr_int("SIMD", 1);
    });
}

TEST(HardwareOps, MvauXnorModeCountsAgreeingBits) {
    // x = [1,0,1,1]; column 0 = [1,1,0,1] agrees at 2 positions, column 1 = [0,0,0,0] at 1.
    Tensor x = floats({1, 4}, {1, 0, 1, 1});
    Tensor w = floats({4, 2}, {1, 0, 1, 0, 0, 0, 1, 0});
    auto spec = mvau("MatrixVectorActivation", kAbstract, "BINARY", "BINARY", "UINT3", true, true);
    expect_floats(run1(spec, {x, w}), {1, 2}, {2, 1});
}

TEST(HardwareOps, MvauXnorModeMatchesPopcountFormula) {
    // ((2x-1) @ (2w-1) + MW) / 2 on a random binary case, batch (2, 3) of vectors.
    const std::int64_t mw = 16, mh = 5;
    std::mt19937 rng(7);
    std::vector<float> xv(2 * 3 * mw), wv(mw * mh);
    for (auto& v : xv)
        v = static_cast<float>(rng() % 2);
    for (auto& v : wv)
        v = static_cast<float>(rng() % 2);
    std::vector<float> expected;
    for (std::int64_t r = 0; r < 6; ++r)
        for (std::int64_t j = 0; j < mh; ++j) {
            float dot = 0;
            for (std::int64_t i = 0; i < mw; ++i)
                dot += (2 * xv[r * mw + i] - 1) * (2 * wv[i * mh + j] - 1);
            expected.push_back((dot + mw) / 2);
        }
    auto spec = mvau("MVAU_hls", kHls, "BINARY", "BINARY", "UINT5", true, true);
    spec.attributes = [base = spec.attributes](Node& n) {
        base(n);
        n.set_attr_int("MW", 16);
        n.set_attr_int("MH", 5);
        n.set_attr_int("SIMD", 4); // folding changes nothing
        n.set_attr_int("PE", 5);
    };
    expect_floats(run1(spec, {floats({2, 3, mw}, xv), floats({mw, mh}, wv)}), {2, 3, mh}, expected);
}

TEST(HardwareOps, MvauIntegerWithThresholdsAndNegativeActVal) {
    // acc = [[4, -4], [-4, 6]]; ch0 thresholds [-5, 0, 5], ch1 [-4, 0, 4]; y = -2 + count.
    Tensor x = floats({2, 3}, {1, 2, -1, 0, -3, 2});
    Tensor w = floats({3, 2}, {1, -1, 2, 0, 1, 3});
    Tensor t = floats({2, 3}, {-5, 0, 5, -4, 0, 4});
    auto spec = mvau("MVAU_hls", kHls, "INT4", "INT4", "INT2", false, false, -2);
    expect_floats(run1(spec, {x, w, t}), {2, 2}, {0, -1, -1, 1});
    // Without activation the accumulators come out.
    auto raw = mvau("MVAU_rtl", kRtl, "INT4", "INT4", "INT8", false, true);
    expect_floats(run1(raw, {x, w}), {2, 2}, {4, -4, -4, 6});
}

TEST(HardwareOps, MvauBipolarInputsUsePopcountAndBipolarOutputIsTwoCountMinusOne) {
    // x.w: column 0 = 1-1-1 = -1 -> (-1+3)/2 = 1; column 1 = 1+1+1 = 3 -> 3.
    Tensor x = floats({1, 3}, {1, -1, 1});
    Tensor w = floats({3, 2}, {1, 1, 1, -1, -1, 1});
    auto raw =
        mvau("StreamingFCLayer_Batch", kAbstract, "BIPOLAR", "BIPOLAR", "UINT2", false, true);
    expect_floats(run1(raw, {x, w}), {1, 2}, {1, 3});
    // Threshold 2: 1 < 2 -> count 0 -> -1; 3 >= 2 -> count 1 -> +1.
    Tensor t = floats({2, 1}, {2, 2});
    auto act = mvau("MVAU", kAbstract, "BIPOLAR", "BIPOLAR", "BIPOLAR", false, false);
    expect_floats(run1(act, {x, w, t}), {1, 2}, {-1, 1});
}

TEST(HardwareOps, MvauBipolarInputWithIntegerWeightsIsAPlainDotProduct) {
    Tensor x = floats({1, 3}, {1, -1, -1});
    Tensor w = floats({3, 1}, {1, -1, 0});
    auto spec = mvau("MVAU_hls", kHls, "BIPOLAR", "INT2", "INT8", false, true);
    expect_floats(run1(spec, {x, w}), {1, 1}, {2});
}

TEST(HardwareOps, MvauReadsAFlattenedNhwcInputAsNumInputVectorsVectors) {
    // After RemoveCNVtoFCFlatten an FC MVAU (MW = 2*2*3 = 12, numInputVectors [1]) reads the conv's
    // (N, 2, 2, 3) tensor: its stream is N vectors of 12, and FINN's output shape (N, MH).
    const std::int64_t mw = 12, mh = 2;
    std::vector<float> xv(2 * mw), wv(mw * mh);
    for (std::size_t i = 0; i < xv.size(); ++i)
        xv[i] = static_cast<float>(static_cast<int>(i * 7) % 5 - 2);
    for (std::size_t i = 0; i < wv.size(); ++i)
        wv[i] = static_cast<float>(static_cast<int>(i * 3) % 4 - 2);
    std::vector<float> expected;
    for (std::int64_t r = 0; r < 2; ++r)
        for (std::int64_t j = 0; j < mh; ++j) {
            float dot = 0;
            for (std::int64_t i = 0; i < mw; ++i)
                dot += xv[r * mw + i] * wv[i * mh + j];
            expected.push_back(dot);
        }
    auto spec = mvau("MVAU_hls", kHls, "INT3", "INT2", "INT32", false, true);
    const Tensor w = floats({mw, mh}, wv);
    const std::vector<float> first(xv.begin(), xv.begin() + mw);
    const std::vector<float> first_expected(expected.begin(), expected.begin() + mh);
    expect_floats(run1(spec, {floats({1, 2, 2, 3}, first), w}), {1, mh}, first_expected);
    // A batch of two maps: the batch comes from the input.
    expect_floats(run1(spec, {floats({2, 2, 2, 3}, xv), w}), {2, mh}, expected);
    // numInputVectors [1, 2] (two vectors per sample) reads (1, 2, 2, 2, 3) as two vectors of 12.
    auto two = spec;
    two.attributes = [base = spec.attributes](Node& n) {
        base(n);
        n.set_attr_ints("numInputVectors", {1, 2});
    };
    expect_floats(run1(two, {floats({1, 2, 2, 2, 3}, xv), w}), {1, 2, mh}, expected);
    // Neither form: 24 values are not numInputVectors [1] x 12.
    expect_error(spec, {floats({1, 2, 2, 6}, xv), w},
                 "does not hold numInputVectors (1,) flattened vectors of MW");
}

TEST(HardwareOps, MvauRejectsBadInputs) {
    Tensor w = floats({3, 2}, {1, 0, 1, 0, 1, 1});
    auto xnor = mvau("MVAU", kAbstract, "BINARY", "BINARY", "UINT2", true, true);
    expect_error(xnor, {floats({1, 3}, {1, 2, 0}), w}, "expected only 0 and 1");
    expect_error(xnor, {floats({1, 4}, {1, 0, 0, 1}), w}, "does not end in MW = 3");
    auto act = mvau("MVAU", kAbstract, "INT4", "INT4", "UINT2", false, false);
    expect_error(act, {floats({1, 3}, {1, 2, 0}), w}, "thresholds (input 2) are required");
    expect_error(act, {floats({1, 3}, {1, 2, 0}), w, floats({3, 1}, {0, 0, 0})},
                 "thresholds have 3 rows, expected 1 or the 2 channels");
    auto bad_type = mvau("MVAU", kAbstract, "INT4X", "INT4", "UINT2", false, true);
    expect_error(bad_type, {floats({1, 3}, {1, 2, 0}), w}, "inputDataType 'INT4X'");
}

// --- VVAU --------------------------------------------------------------------------------------

NodeSpec vvau(const std::string& op, const std::string& domain, bool no_activation, int pe) {
    return hw(op, domain, [=](Node& n) {
        n.set_attr_ints("Kernel", {1, 2});
        n.set_attr_int("Channels", 2);
        n.set_attr_ints("Dim", {1, 2});
        n.set_attr_int("PE", pe);
        n.set_attr_string("inputDataType", "INT4");
        n.set_attr_string("weightDataType", "INT4");
        n.set_attr_string("outputDataType", "UINT2");
        n.set_attr_int("noActivation", no_activation ? 1 : 0);
    });
}

TEST(HardwareOps, VvauDepthwiseDotProductPerChannel) {
    // Input per pixel in Im2Col order (k, c): pixel 0 = [k0c0 1, k0c1 2, k1c0 3, k1c1 4].
    Tensor x = floats({1, 1, 2, 4}, {1, 2, 3, 4, -1, 0, 2, -2});
    Tensor w = floats({2, 1, 1, 2}, {1, 2, -1, 3}); // c0: [1, 2], c1: [-1, 3]
    // pixel 0: c0 = 1+6 = 7, c1 = -2+12 = 10; pixel 1: c0 = -1+4 = 3, c1 = 0-6 = -6.
    for (int pe : {1, 2}) {
        expect_floats(run1(vvau("VectorVectorActivation", kAbstract, true, pe), {x, w}),
                      {1, 1, 2, 2}, {7, 10, 3, -6});
    }
    // Shared thresholds [0, 8]: 7 -> 1, 10 -> 2, 3 -> 1, -6 -> 0.
    Tensor t = floats({1, 2}, {0, 8});
    expect_floats(run1(vvau("VVAU_rtl", kRtl, false, 2), {x, w, t}), {1, 1, 2, 2}, {1, 2, 1, 0});
    expect_error(vvau("VVAU_hls", kHls, true, 1), {floats({1, 1, 2, 3}, {1, 2, 3, 4, 5, 6}), w},
                 "does not end in kh*kw*C = 4");
}

TEST(HardwareOps, VvauBipolarUsesPopcount) {
    Tensor x = floats({1, 1, 1, 4}, {1, 1, -1, 1});
    Tensor w = floats({2, 1, 1, 2}, {1, 1, 1, -1});
    // c0: 1*1 + -1*1 = 0 -> (0+2)/2 = 1; c1: 1*1 + 1*-1 = 0 -> 1.
    auto spec = hw("VVAU", kAbstract, [](Node& n) {
        n.set_attr_ints("Kernel", {1, 2});
        n.set_attr_int("Channels", 2);
        n.set_attr_string("inputDataType", "BIPOLAR");
        n.set_attr_string("weightDataType", "BIPOLAR");
        n.set_attr_string("outputDataType", "UINT2");
        n.set_attr_int("noActivation", 1);
    });
    expect_floats(run1(spec, {x, w}), {1, 1, 1, 2}, {1, 1});
}

// --- Thresholding --------------------------------------------------------------------------------

NodeSpec thresholding(const std::string& op, const std::string& domain, const std::string& odt,
                      int act_val) {
    return hw(op, domain, [=](Node& n) {
        n.set_attr_int("NumChannels", 3);
        n.set_attr_int("PE", 1);
        n.set_attr_string("inputDataType", "INT8");
        n.set_attr_string("weightDataType", "INT8");
        n.set_attr_string("outputDataType", odt);
        n.set_attr_int("ActVal", act_val);
    });
}

TEST(HardwareOps, ThresholdingWithOneSharedRow) {
    Tensor x = floats({1, 2, 1, 3}, {0, 5, 10, -3, 7, 2});
    Tensor t = floats({1, 2}, {2, 7});
    // counts: 0 -> 0, 5 -> 1, 10 -> 2, -3 -> 0, 7 -> 2 (x >= T), 2 -> 1.
    expect_floats(run1(thresholding("Thresholding_Batch", kAbstract, "UINT2", 0), {x, t}),
                  {1, 2, 1, 3}, {0, 1, 2, 0, 2, 1});
    expect_floats(run1(thresholding("Thresholding_rtl", kRtl, "INT2", -1), {x, t}), {1, 2, 1, 3},
                  {-1, 0, 1, -1, 1, 0});
}

TEST(HardwareOps, ThresholdingPerChannelAndBipolarOutput) {
    Tensor x = floats({2, 3}, {0, 5, 10, -3, 7, 2});
    Tensor t = floats({3, 1}, {0, 6, 2});
    // per channel: 0>=0, 5<6, 10>=2, -3<0, 7>=6, 2>=2 -> 1 0 1 0 1 1 -> 2y-1.
    expect_floats(run1(thresholding("Thresholding_hls", kHls, "BIPOLAR", 0), {x, t}), {2, 3},
                  {1, -1, 1, -1, 1, 1});
    expect_error(thresholding("Thresholding", kAbstract, "UINT2", 0), {floats({1, 2}, {0, 1}), t},
                 "NumChannels is 3 but the input's channel count is 2");
}

// --- ConvolutionInputGenerator -------------------------------------------------------------------

NodeSpec swg(const std::string& op, const std::string& domain, std::vector<std::int64_t> k,
             std::vector<std::int64_t> s, std::vector<std::int64_t> d, std::int64_t c,
             bool depthwise) {
    return hw(op, domain, [=](Node& n) {
        n.set_attr_ints("ConvKernelDim", k);
        n.set_attr_ints("Stride", s);
        n.set_attr_ints("Dilation", d);
        n.set_attr_int("IFMChannels", c);
        n.set_attr_int("SIMD", 1);
        n.set_attr_int("depthwise", depthwise ? 1 : 0);
        n.set_attr_string("inputDataType", "INT8");
        n.set_attr_string("outputDataType", "INT8");
    });
}

// The textbook im2col, written independently of the kernel.
std::vector<float> naive_im2col(const std::vector<float>& x, int h, int w, int c, int kh, int kw,
                                int sh, int sw, int dh, int dw) {
    std::vector<float> out;
    for (int oy = 0; (oy * sh + (kh - 1) * dh) < h; ++oy)
        for (int ox = 0; (ox * sw + (kw - 1) * dw) < w; ++ox)
            for (int ky = 0; ky < kh; ++ky)
                for (int kx = 0; kx < kw; ++kx)
                    for (int ch = 0; ch < c; ++ch)
                        out.push_back(x[((oy * sh + ky * dh) * w + ox * sw + kx * dw) * c + ch]);
    return out;
}

TEST(HardwareOps, SlidingWindowSmallHandCase) {
    Tensor x = floats({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    std::vector<float> expected = {1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9};
    for (bool depthwise : {false, true})
        expect_floats(
            run1(swg("ConvolutionInputGenerator_rtl", kRtl, {2, 2}, {1, 1}, {1, 1}, 1, depthwise),
                 {x}),
            {1, 2, 2, 4}, expected);
}

TEST(HardwareOps, SlidingWindowEqualsNaiveIm2Col) {
    const int h = 5, w = 6, c = 3;
    std::vector<float> xv(h * w * c);
    for (std::size_t i = 0; i < xv.size(); ++i)
        xv[i] = static_cast<float>(static_cast<int>(i * 7 % 23) - 11);
    Tensor x = floats({1, h, w, c}, xv);
    // Kernel 3x2, stride [2, 1], dilation [1, 2]: OH = (5-3)/2+1 = 2, OW = (6-2-1)/1+1 = 4.
    auto expected = naive_im2col(xv, h, w, c, 3, 2, 2, 1, 1, 2);
    ASSERT_EQ(expected.size(), 2u * 4 * 3 * 2 * 3);
    for (bool depthwise : {false, true}) {
        auto spec =
            swg("ConvolutionInputGenerator", kAbstract, {3, 2}, {2, 1}, {1, 2}, c, depthwise);
        expect_floats(run1(spec, {x}), {1, 2, 4, 18}, expected);
    }
    // A 1D window through the legacy 1D name.
    auto one_d = swg("ConvolutionInputGenerator1D", kAbstract, {1, 3}, {1, 2}, {1, 1}, 1, false);
    Tensor row = floats({1, 1, 5, 1}, {1, 2, 3, 4, 5});
    expect_floats(run1(one_d, {row}), {1, 1, 2, 3}, {1, 2, 3, 3, 4, 5});
    auto too_big = swg("ConvolutionInputGenerator_hls", kHls, {7, 1}, {1, 1}, {1, 1}, c, false);
    expect_error(too_big, {x}, "is larger than the input");
}

// --- FMPadding -----------------------------------------------------------------------------------

TEST(HardwareOps, FmPaddingAsymmetric) {
    Tensor x = floats({1, 2, 2, 1}, {1, 2, 3, 4});
    auto spec = [](const std::string& op, const std::string& domain) {
        return hw(op, domain, [](Node& n) {
            n.set_attr_ints("ImgDim", {2, 2});
            n.set_attr_ints("Padding", {1, 0, 0, 2}); // top, left, bottom, right
            n.set_attr_int("NumChannels", 1);
            n.set_attr_int("SIMD", 1);
            n.set_attr_string("inputDataType", "INT4");
        });
    };
    std::vector<float> expected = {0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0};
    expect_floats(run1(spec("FMPadding_Batch", kAbstract), {x}), {1, 3, 4, 1}, expected);
    expect_floats(run1(spec("FMPadding_rtl", kRtl), {x}), {1, 3, 4, 1}, expected);
    expect_error(spec("FMPadding_hls", kHls), {floats({1, 3, 2, 1}, {1, 2, 3, 4, 5, 6})},
                 "ImgDim is [2, 2] but the input's [H, W] is [3, 2]");
}

// --- DownSampler ---------------------------------------------------------------------------------

NodeSpec downsampler(const std::string& op, const std::string& domain, std::int64_t dim,
                     std::int64_t channels, std::int64_t stride, int is_1d, int unitx) {
    return hw(op, domain, [=](Node& n) {
        n.set_attr_int("ImgDim", dim);
        n.set_attr_int("NumChannels", channels);
        n.set_attr_int("SIMD", 1);
        n.set_attr_int("Stride", stride);
        n.set_attr_int("is1D", is_1d);
        n.set_attr_int("is1D_unitx", unitx);
        n.set_attr_string("inputDataType", "INT8");
    });
}

TEST(HardwareOps, DownSamplerKeepsEveryStrideThPixelFromTheFirst) {
    // 5x5 at stride 2: rows and columns 0, 2 and 4.
    std::vector<float> xv(25);
    std::iota(xv.begin(), xv.end(), 0.0f);
    expect_floats(
        run1(downsampler("DownSampler_hls", kHls, 5, 1, 2, 0, 0), {floats({1, 5, 5, 1}, xv)}),
        {1, 3, 3, 1}, {0, 2, 4, 10, 12, 14, 20, 22, 24});
    // The attributes say what image to expect.
    expect_error(downsampler("DownSampler", kAbstract, 5, 1, 2, 1, 1), {floats({1, 5, 5, 1}, xv)},
                 "means an [H, W] of [5, 1], but the input's is [5, 5]");
    expect_error(downsampler("DownSampler", kAbstract, 5, 2, 2, 0, 0), {floats({1, 5, 5, 1}, xv)},
                 "NumChannels is 2 but the input's channel count is 1");
}

TEST(HardwareOps, DownSamplerEqualsPointwiseStridedIm2Col) {
    // FINN computes DownSampler with qonnx's Im2Col (1x1 kernel, no padding): compare with the
    // executor's Im2Col kernel on random images, square and 1D, odd and even sizes.
    struct Case {
        std::int64_t h, w, stride;
    };
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> value(-128, 127);
    const std::int64_t c = 3;
    for (const Case& k : {Case{8, 8, 2}, Case{7, 7, 2}, Case{9, 9, 3}, Case{10, 10, 4},
                          Case{7, 1, 3}, Case{1, 6, 2}, Case{1, 1, 2}}) {
        SCOPED_TRACE(shape_to_string({k.h, k.w}) + " stride " + std::to_string(k.stride));
        std::vector<float> xv(static_cast<std::size_t>(2 * k.h * k.w * c));
        for (float& v : xv)
            v = static_cast<float>(value(rng));
        Tensor x = floats({2, k.h, k.w, c}, xv);
        NodeSpec im2col{"Im2Col", domains::kQonnxGeneral};
        im2col.opset = 1;
        im2col.attributes = [&](Node& n) {
            n.set_attr_ints("kernel_size", {1, 1});
            n.set_attr_ints("stride", {k.stride, k.stride});
            n.set_attr_ints("pad_amount", {0, 0, 0, 0});
        };
        const Tensor expected = run_node(im2col, {x}, default_kernel_registry()).at(0);
        const bool is_1d = k.h == 1 || k.w == 1;
        const std::int64_t dim = std::max(k.h, k.w);
        for (const auto& [op, domain] : {std::pair{std::string("DownSampler"), kAbstract},
                                         std::pair{std::string("DownSampler_hls"), kHls}}) {
            const Tensor actual =
                run1(downsampler(op, domain, dim, c, k.stride, is_1d, k.w == 1), {x});
            EXPECT_EQ(actual.shape(), expected.shape()) << op;
            EXPECT_EQ(actual.to_floats(), expected.to_floats()) << op;
        }
    }
}

// --- StreamingMaxPool ----------------------------------------------------------------------------

NodeSpec max_pool(const std::string& op, const std::string& domain, int ceil_mode) {
    return hw(op, domain, [=](Node& n) {
        n.set_attr_ints("PoolDim", {2, 2});
        n.set_attr_int("CeilMode", ceil_mode);
        n.set_attr_string("dataType", "INT8");
    });
}

TEST(HardwareOps, StreamingMaxPoolTwoByTwo) {
    // 4x4, 2 channels: channel 1 is the negation of channel 0.
    std::vector<float> c0 = {1, 5, 2, 0, 3, -2, 8, 7, -1, -4, 6, 6, -3, -5, 9, 2};
    std::vector<float> xv;
    for (float v : c0) {
        xv.push_back(v);
        xv.push_back(-v);
    }
    expect_floats(
        run1(max_pool("StreamingMaxPool_Batch", kAbstract, 0), {floats({1, 4, 4, 2}, xv)}),
        {1, 2, 2, 2}, {5, 2, 8, 0, -1, 5, 9, -2});
    // CeilMode on 3x3: the partial windows take the max of what they cover.
    Tensor x3 = floats({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    expect_floats(run1(max_pool("StreamingMaxPool_hls", kHls, 1), {x3}), {1, 2, 2, 1},
                  {5, 6, 8, 9});
    expect_floats(run1(max_pool("StreamingMaxPool", kAbstract, 0), {x3}), {1, 1, 1, 1}, {5});
}

// --- Pool ----------------------------------------------------------------------------------------

NodeSpec pool(const std::string& op, const std::string& domain, const std::string& function) {
    return hw(op, domain, [=](Node& n) {
        n.set_attr_int("Channels", 2);
        n.set_attr_int("PE", 2);
        n.set_attr_ints("KernelSize", {2, 2});
        n.set_attr_string("Function", function);
        n.set_attr_ints("OutImgDims", {1, 1});
        n.set_attr_string("InputDataType", "UINT4");
        n.set_attr_string("OutputDataType", "UINT4");
    });
}

TEST(HardwareOps, PoolMaxAndQuantAvg) {
    // Window in Im2Col order (k, c): c0 = [1, 5, 3, 0], c1 = [2, 1, 4, 7].
    Tensor x = floats({1, 1, 1, 8}, {1, 2, 5, 1, 3, 4, 0, 7});
    expect_floats(run1(pool("Pool_Batch", kAbstract, "MaxPool"), {x}), {1, 1, 1, 2}, {5, 7});
    // UINT4 sums of 4 fit in 6 bits; 4 output bits -> shift 2: 9 >> 2 = 2, 14 >> 2 = 3.
    expect_floats(run1(pool("Pool_hls", kHls, "QuantAvgPool"), {x}), {1, 1, 1, 2}, {2, 3});
    expect_error(pool("Pool", kAbstract, "AvgPool"), {x}, "Function 'AvgPool' is not supported");
}

// --- LabelSelect ---------------------------------------------------------------------------------

NodeSpec label_select(const std::string& op, const std::string& domain, int k) {
    return hw(op, domain, [=](Node& n) {
        n.set_attr_int("Labels", 5);
        n.set_attr_int("PE", 1);
        n.set_attr_int("K", k);
        n.set_attr_string("inputDataType", "INT8");
        n.set_attr_string("outputDataType", "UINT8");
    });
}

TEST(HardwareOps, LabelSelectTiesGoToTheLowerIndex) {
    Tensor x = floats({2, 5}, {3, 7, 7, 1, 7, -2, -1, -3, -1, -5});
    expect_floats(run1(label_select("LabelSelect_Batch", kAbstract, 3), {x}), {2, 3},
                  {1, 2, 4, 1, 3, 0});
    expect_floats(run1(label_select("LabelSelect_hls", kHls, 4), {x}), {2, 4},
                  {1, 2, 4, 0, 1, 3, 0, 2});
    expect_error(label_select("LabelSelect", kAbstract, 6), {x}, "K must be in [1, 5]");
}

// --- DuplicateStreams, AddStreams ----------------------------------------------------------------

TEST(HardwareOps, DuplicateStreamsThreeOutputs) {
    Tensor x = floats({1, 2, 2}, {1, -2, 3, 4});
    auto spec = hw(
        "DuplicateStreams_hls", kHls,
        [](Node& n) {
            n.set_attr_int("NumChannels", 2);
            n.set_attr_int("NumOutputStreams", 3);
        },
        3);
    auto outs = run_node(spec, {x}, registry());
    ASSERT_EQ(outs.size(), 3u);
    for (const auto& out : outs)
        expect_floats(out, {1, 2, 2}, {1, -2, 3, 4});
    auto legacy = hw(
        "DuplicateStreams_Batch", kAbstract, [](Node& n) { n.set_attr_int("NumOutputStreams", 3); },
        2);
    expect_error(legacy, {x}, "NumOutputStreams is 3 but the node's output count is 2");
}

TEST(HardwareOps, AddStreamsAddsElementWise) {
    auto spec = [](const std::string& op, const std::string& domain) {
        return hw(op, domain, [](Node& n) { n.set_attr_int("NumChannels", 3); });
    };
    Tensor a = floats({1, 3}, {1, -2, 3});
    Tensor b = floats({1, 3}, {4, 5, -6});
    expect_floats(run1(spec("AddStreams_Batch", kAbstract), {a, b}), {1, 3}, {5, 3, -3});
    expect_floats(run1(spec("AddStreams_hls", kHls), {a, b}), {1, 3}, {5, 3, -3});
    expect_error(spec("AddStreams", kAbstract), {a, floats({3, 1}, {1, 2, 3})},
                 "inputs must have the same shape");
}

// --- ChannelwiseOp -------------------------------------------------------------------------------

TEST(HardwareOps, ChannelwiseOpEachFunc) {
    Tensor x = floats({1, 2, 3}, {1, 5, -2, 4, 0, 3});
    Tensor p = floats({3}, {2, 0, -2});
    auto spec = [](const std::string& op, const std::string& domain, const std::string& func) {
        return hw(op, domain, [=](Node& n) {
            n.set_attr_string("Func", func);
            n.set_attr_int("NumChannels", 3);
            n.set_attr_int("PE", 1);
        });
    };
    expect_floats(run1(spec("ChannelwiseOp_Batch", kAbstract, "add"), {x, p}), {1, 2, 3},
                  {3, 5, -4, 6, 0, 1});
    expect_floats(run1(spec("ChannelwiseOp_hls", kHls, "mul"), {x, p}), {1, 2, 3},
                  {2, 0, 4, 8, 0, -6});
    // cmp_le: p <= x; cmp_ge: p >= x.
    expect_floats(run1(spec("ChannelwiseOp", kAbstract, "cmp_le"), {x, p}), {1, 2, 3},
                  {0, 1, 1, 1, 1, 1});
    expect_floats(run1(spec("ChannelwiseOp_hls", kHls, "cmp_ge"), {x, p}), {1, 2, 3},
                  {1, 0, 1, 0, 1, 0});
    // The default Func is cmp_le; a single parameter serves every channel.
    auto no_func = hw("ChannelwiseOp", kAbstract, [](Node&) {});
    expect_floats(run1(no_func, {x, floats({1}, {3})}), {1, 2, 3}, {0, 1, 0, 1, 0, 1});
    expect_error(spec("ChannelwiseOp", kAbstract, "sub"), {x, p}, "Func 'sub' is not supported");
    expect_error(spec("ChannelwiseOp", kAbstract, "add"), {x, floats({2}, {1, 2})},
                 "must hold 1 or 3");
}

// --- GlobalAccPool -------------------------------------------------------------------------------

TEST(HardwareOps, GlobalAccPoolSumsOverHeightAndWidth) {
    Tensor x = floats({1, 2, 2, 2}, {1, -1, 2, 0, 3, 5, -4, 7});
    auto spec =
        hw("GlobalAccPool_Batch", kAbstract, [](Node& n) { n.set_attr_int("NumChannels", 2); });
    expect_floats(run1(spec, {x}), {1, 1, 1, 2}, {2, 11});
    auto hls = hw("GlobalAccPool_hls", kHls, [](Node&) {});
    expect_floats(run1(hls, {x}), {1, 1, 1, 2}, {2, 11});
}

// --- identities ----------------------------------------------------------------------------------

TEST(HardwareOps, WidthConvertersFifosAndDmasAreIdentities) {
    Tensor x = floats({1, 2, 2}, {1, -2, 3, 4});
    for (auto [op, domain] : std::vector<std::pair<std::string, std::string>>{
             {"StreamingFIFO_rtl", kRtl},
             {"StreamingFIFO", kAbstract},
             {"IODMA_hls", kHls},
             {"TLastMarker_hls", kHls},
             {"StreamingDataWidthConverter_Batch", kAbstract},
             {"StreamingDataWidthConverter_rtl", kRtl}})
        expect_floats(run1(hw(op, domain, [](Node&) {}), {x}), {1, 2, 2}, {1, -2, 3, 4});
    auto dwc = hw("StreamingDataWidthConverter_hls", kHls, [](Node& n) {
        n.set_attr_ints("shape", {1, 4});
    });
    expect_error(dwc, {x}, "does not have the converter's shape (1, 4)");
}

// --- whole hardware graphs
// -------------------------------------------------------------------------

// A tensor of the model input's shape with values drawn uniformly from its finn_datatype.
Tensor random_input(const Model& model, const std::string& name, unsigned seed) {
    DataType dt = model.datatype(name);
    Shape shape = *model.shape(name);
    std::mt19937 rng(seed);
    const bool bipolar = dt.kind() == DataType::Kind::Bipolar;
    // BIPOLAR draws a bit b and uses 2b-1 (its range [-1, 1] includes the forbidden 0).
    std::uniform_int_distribution<int> pick(bipolar ? 0 : static_cast<int>(dt.int_min()),
                                            static_cast<int>(dt.int_max()));
    std::vector<float> values(static_cast<std::size_t>(shape_size(shape)));
    for (auto& v : values) {
        int r = pick(rng);
        v = static_cast<float>(bipolar ? 2 * r - 1 : r);
        EXPECT_TRUE(dt.allowed(v));
    }
    return floats(shape, values);
}

KernelRegistry hardware_registry() {
    KernelRegistry r;
    hw::register_hardware_kernels(r);
    return r;
}

// #{s : v >= T[c, s]} from a (C, S) threshold initializer.
float count_at_least(const std::vector<float>& t, std::int64_t steps, std::int64_t c, float v) {
    float n = 0;
    for (std::int64_t s = 0; s < steps; ++s)
        if (v >= t[c * steps + s]) ++n;
    return n;
}

TEST(HardwareOps, ResidualGraphRunsEndToEnd) {
    FINN_REQUIRE_SHARED(shared);
    Model model = Model::load(shared / "models/finn/hw_graphs/residual_hw.onnx");
    KernelRegistry r = hardware_registry();
    Executor executor(model, r);
    const std::string in = model.input_names().at(0), out = model.output_names().at(0);
    Tensor x = random_input(model, in, 2024);
    Tensor y = executor.run({{in, x}}).at(out);
    ASSERT_EQ(y.shape(), (Shape{1, 32, 32, 16}));

    // Independent computation: pad 1, depthwise 3x3 + thresholds (UINT4), 16x16 matmul +
    // thresholds with ActVal -8 (INT4), plus the bypass.
    auto xv = x.to_floats();
    auto w3 = model.initializer("Conv_3_param0").to_floats();           // (16, 1, 3, 3)
    auto t3 = model.initializer("MultiThreshold_3_param0").to_floats(); // (16, 15)
    auto w4 = model.initializer("Conv_4_param0").to_floats();           // (16, 16) = (MW, MH)
    auto t4 = model.initializer("MultiThreshold_4_param0").to_floats(); // (16, 15)
    auto at = [&](int yy, int xx, int c) {
        return yy < 0 || yy >= 32 || xx < 0 || xx >= 32 ? 0.0f : xv[(yy * 32 + xx) * 16 + c];
    };
    auto yv = y.to_floats();
    DataType out_dt = model.datatype(out);
    int mismatches = 0;
    for (int py = 0; py < 32; ++py)
        for (int px = 0; px < 32; ++px) {
            float act[16];
            for (int c = 0; c < 16; ++c) {
                float acc = 0;
                for (int ky = 0; ky < 3; ++ky)
                    for (int kx = 0; kx < 3; ++kx)
                        acc += at(py + ky - 1, px + kx - 1, c) * w3[c * 9 + ky * 3 + kx];
                act[c] = count_at_least(t3, 15, c, acc);
            }
            for (int j = 0; j < 16; ++j) {
                float acc = 0;
                for (int i = 0; i < 16; ++i)
                    acc += act[i] * w4[i * 16 + j];
                float expected = -8 + count_at_least(t4, 15, j, acc) + at(py, px, j);
                float got = yv[(py * 32 + px) * 16 + j];
                if (got != expected && ++mismatches < 5)
                    ADD_FAILURE() << "at (" << py << ", " << px << ", " << j << "): " << got
                                  << " vs " << expected;
                EXPECT_TRUE(out_dt.allowed(got));
            }
        }
    EXPECT_EQ(mismatches, 0);
}

TEST(HardwareOps, CybsecMlpMatchesMatmulAndThresholds) {
    FINN_REQUIRE_SHARED(shared);
    Model model = Model::load(shared / "models/finn/hw_graphs/cybsec_mlp_mvau.onnx");
    KernelRegistry r = hardware_registry();
    Executor executor(model, r);
    const std::string in = model.input_names().at(0), out = model.output_names().at(0);
    std::set<float> outputs_seen;
    for (unsigned seed = 1; seed <= 8; ++seed) {
        Tensor x = random_input(model, in, seed);
        TensorMap all = executor.run({{in, x}}, /*keep_intermediates=*/true);
        Tensor y = all.at(out);
        ASSERT_EQ(y.shape(), (Shape{1, 1}));

        // Independent computation from the initializers: three UINT2 layers (ActVal 0), then a
        // single output neuron thresholded at T into BIPOLAR (2*count-1).
        std::vector<float> v = x.to_floats();
        for (int layer = 0; layer < 4; ++layer) {
            Tensor w = model.initializer("MatMul_" + std::to_string(layer) + "_param0");
            Tensor t = model.initializer("MultiThreshold_" + std::to_string(layer) + "_param0");
            const std::int64_t mw = w.shape()[0], mh = w.shape()[1], steps = t.shape()[1];
            ASSERT_EQ(static_cast<std::int64_t>(v.size()), mw);
            auto wv = w.to_floats();
            auto tv = t.to_floats();
            std::vector<float> next(static_cast<std::size_t>(mh));
            for (std::int64_t j = 0; j < mh; ++j) {
                float acc = 0;
                for (std::int64_t i = 0; i < mw; ++i)
                    acc += v[i] * wv[i * mh + j];
                float count = count_at_least(tv, steps, t.shape()[0] == 1 ? 0 : j, acc);
                next[j] = layer == 3 ? 2 * count - 1 : count;
            }
            v = next;
            // Every layer's output, not just the last one.
            Tensor got = all.at(model.node(layer).output(0));
            ASSERT_EQ(got.shape(), (Shape{1, mh}));
            EXPECT_EQ(got.to_floats(), v) << "layer " << layer << ", seed " << seed;
        }
        EXPECT_EQ(y.to_floats().at(0), v.at(0)) << "seed " << seed;
        outputs_seen.insert(y.to_floats().at(0));
    }
    for (float o : outputs_seen)
        EXPECT_TRUE(o == -1 || o == 1);
}

} // namespace
} // namespace finn
