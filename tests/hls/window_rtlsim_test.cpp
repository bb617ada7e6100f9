// rtlsim of the window layers, ConvolutionInputGenerator (sliding window generator) and FMPadding,
// in the Verilated window suite (hls_window_suite.cmake): for random data, the hardware's output
// equals the C++ model's and a reference computed here from the layer's semantics (Im2Col order,
// finn-ops.md §3.4; zero padding, §3.5), with and without random back-pressure; cycles per frame
// without back-pressure are within 5 % of the layer's expected cycles (get_exp_cycles of the _rtl
// variant, and of the _hls variant where that variant can serve the set); a planted wrong value
// is caught. Each set names the corner case it covers.
#include "Vhls_window_suite.h"
#include "finn/hls/element_packing.h"
#include "finn/hls/fmpadding_model.h"
#include "finn/hls/sliding_window_model.h"
#include "finn/hls/stream_harness.h"
#include "finn/hw/registry.h"
#include "finn/initialize.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/ir/model.h"
#include "hls_test_support.h"
#include "hls_window_suite_sets.h"

#include <algorithm>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <iostream>
#include <memory>
#include <random>

namespace finn::hls {
namespace {

using test::streams_equal;

struct BackPressure {
    double input_valid;
    double output_ready;
};
// None, then mild, bursty-input and slow-consumer patterns.
const std::vector<BackPressure> kBackPressure{{1.0, 1.0}, {0.7, 0.6}, {0.3, 0.9}, {0.9, 0.15}};

struct SwgSet {
    SlidingWindowParams params;
    ElementType type;
    bool depthwise;
    std::string ram_style, name;
    std::function<AxisPort(Vhls_window_suite&)> in, out;
};

struct PadSet {
    FmPaddingParams params;
    ElementType type;
    std::string name;
    std::function<AxisPort(Vhls_window_suite&)> in, out;
};

std::vector<SwgSet> swg_sets() {
    std::vector<SwgSet> sets;
#define FINN_SWG_SET(i, ih, iw, kh, kw, sh, sw, dh, dw, c, simd, type, parallel, dws, style, name) \
    sets.push_back(                                                                                \
        {{ih, iw, kh, kw, sh, sw, dh, dw, c, simd, ElementType::parse(type).bits, parallel != 0},  \
         ElementType::parse(type),                                                                 \
         dws != 0,                                                                                 \
         style,                                                                                    \
         name,                                                                                     \
         [](Vhls_window_suite& top) { return FINN_AXIS_PORT(top, swg##i##_in0_V); },               \
         [](Vhls_window_suite& top) { return FINN_AXIS_PORT(top, swg##i##_out_V); }});
    HLS_SUITE_SWGS(FINN_SWG_SET)
#undef FINN_SWG_SET
    return sets;
}

std::vector<PadSet> pad_sets() {
    std::vector<PadSet> sets;
#define FINN_PAD_SET(i, h, w, pad_t, pad_l, pad_b, pad_r, c, simd, type, name)                     \
    sets.push_back({{h, w, pad_t, pad_l, pad_b, pad_r, c, simd, ElementType::parse(type).bits},    \
                    ElementType::parse(type),                                                      \
                    name,                                                                          \
                    [](Vhls_window_suite& top) { return FINN_AXIS_PORT(top, pad##i##_in0_V); },    \
                    [](Vhls_window_suite& top) { return FINN_AXIS_PORT(top, pad##i##_out_V); }});
    HLS_SUITE_FMPADDINGS(FINN_PAD_SET)
#undef FINN_PAD_SET
    return sets;
}

std::string describe(const SwgSet& s) {
    const auto& p = s.params;
    auto pair = [](unsigned a, unsigned b) { return std::to_string(a) + "x" + std::to_string(b); };
    return "SWG " + s.name + ": image " + pair(p.ifm_h, p.ifm_w) + " kernel " +
           pair(p.kernel_h, p.kernel_w) + " stride " + pair(p.stride_h, p.stride_w) + " dilation " +
           pair(p.dilation_h, p.dilation_w) + " C=" + std::to_string(p.channels) +
           " SIMD=" + std::to_string(p.simd) + " " + s.type.name() +
           (p.parallel_window ? " parallel_window" : "") + (s.depthwise ? " depthwise" : "") +
           " ram_style " + s.ram_style;
}

std::string describe(const PadSet& s) {
    const auto& p = s.params;
    return "FMPadding " + s.name + ": image " + std::to_string(p.height) + "x" +
           std::to_string(p.width) + " pads " + std::to_string(p.top) + "," +
           std::to_string(p.left) + "," + std::to_string(p.bottom) + "," + std::to_string(p.right) +
           " C=" + std::to_string(p.channels) + " SIMD=" + std::to_string(p.simd) + " " +
           s.type.name();
}

// --- references, element by element --------------------------------------------------------

// Im2Col: per window (oy, ox) the pixels (ky, kx), each with its C channels.
std::vector<std::int64_t> im2col(const SlidingWindowParams& p, const std::vector<std::int64_t>& x,
                                 std::size_t frames) {
    std::vector<std::int64_t> out;
    const std::size_t c = p.channels;
    for (std::size_t f = 0; f < frames; ++f)
        for (unsigned oy = 0; oy < p.ofm_h(); ++oy)
            for (unsigned ox = 0; ox < p.ofm_w(); ++ox)
                for (unsigned ky = 0; ky < p.kernel_h; ++ky)
                    for (unsigned kx = 0; kx < p.kernel_w; ++kx) {
                        const std::size_t y = oy * p.stride_h + ky * p.dilation_h;
                        const std::size_t xx = ox * p.stride_w + kx * p.dilation_w;
                        const auto at = x.begin() + static_cast<std::ptrdiff_t>(
                                                        ((f * p.ifm_h + y) * p.ifm_w + xx) * c);
                        out.insert(out.end(), at, at + static_cast<std::ptrdiff_t>(c));
                    }
    return out;
}

std::vector<std::int64_t> zero_padded(const FmPaddingParams& p, const std::vector<std::int64_t>& x,
                                      std::size_t frames) {
    const std::size_t oh = p.height + p.top + p.bottom, ow = p.width + p.left + p.right,
                      c = p.channels;
    std::vector<std::int64_t> out(frames * oh * ow * c, 0);
    for (std::size_t f = 0; f < frames; ++f)
        for (std::size_t y = 0; y < p.height; ++y)
            for (std::size_t xx = 0; xx < p.width; ++xx)
                for (std::size_t k = 0; k < c; ++k)
                    out[((f * oh + y + p.top) * ow + xx + p.left) * c + k] =
                        x[((f * p.height + y) * p.width + xx) * c + k];
    return out;
}

struct Case {
    WordStream input, reference;
};

Case swg_case(std::mt19937_64& rng, const SwgSet& s, std::size_t frames) {
    const auto& p = s.params;
    const auto x = test::random_values(rng, s.type, frames * p.ifm_h * p.ifm_w * p.channels);
    const unsigned out_per_word = p.parallel_window ? p.kernel_h * p.kernel_w * p.simd : p.simd;
    return {pack_elements(x, s.type, p.simd),
            pack_elements(im2col(p, x, frames), s.type, out_per_word)};
}

Case pad_case(std::mt19937_64& rng, const PadSet& s, std::size_t frames) {
    const auto& p = s.params;
    const auto x = test::random_values(rng, s.type, frames * p.height * p.width * p.channels);
    return {pack_elements(x, s.type, p.simd),
            pack_elements(zero_padded(p, x, frames), s.type, p.simd)};
}

// --- FINN's estimates, from the layers' definitions ------------------------------------------

// get_exp_cycles of a one-node model of `op` with the set's attributes.
std::int64_t swg_exp_cycles(const SwgSet& s, const std::string& op, const std::string& domain) {
    finn::initialize();
    const auto& p = s.params;
    Model model;
    Node n = model.add_node(op, {"x"}, {"y"}, "swg", domain);
    n.set_attr_ints("IFMDim", {p.ifm_h, p.ifm_w});
    n.set_attr_ints("OFMDim", {p.ofm_h(), p.ofm_w()});
    n.set_attr_ints("ConvKernelDim", {p.kernel_h, p.kernel_w});
    n.set_attr_ints("Stride", {p.stride_h, p.stride_w});
    n.set_attr_ints("Dilation", {p.dilation_h, p.dilation_w});
    n.set_attr_int("IFMChannels", p.channels);
    n.set_attr_int("SIMD", p.simd);
    n.set_attr_int("depthwise", s.depthwise);
    n.set_attr_int("parallel_window", p.parallel_window);
    n.set_attr_int("is1D", p.ifm_h == 1 || p.ifm_w == 1);
    n.set_attr_string("inputDataType", s.type.name());
    n.set_attr_string("outputDataType", s.type.name());
    n.set_attr_string("ram_style", s.ram_style);
    return hw::require_layer(model, n)->exp_cycles();
}

// FINN's HLS generator serves 1-D maps and square 2-D ones (kernel, image, stride) without
// dilation; its parallel variant needs a 1-D map, stride and dilation 1 and no depthwise.
bool hls_variant_serves(const SwgSet& s) {
    const auto& p = s.params;
    if (p.ifm_h == 1 || p.ifm_w == 1)
        return !p.parallel_window || (!s.depthwise && p.stride_h == 1 && p.stride_w == 1 &&
                                      p.dilation_h == 1 && p.dilation_w == 1);
    return !p.parallel_window && p.kernel_h == p.kernel_w && p.ifm_h == p.ifm_w &&
           p.stride_h == p.stride_w && p.dilation_h == 1 && p.dilation_w == 1;
}

// --- the suite ---------------------------------------------------------------------------------

struct Suite {
    std::unique_ptr<VerilatedContext> context = std::make_unique<VerilatedContext>();
    std::unique_ptr<Vhls_window_suite> top = std::make_unique<Vhls_window_suite>(context.get());
    ~Suite() { top->final(); }

    StreamResult run(const AxisPort& in, const AxisPort& out, unsigned out_width,
                     const WordStream& words, std::size_t expected, StreamOptions options) {
        StreamHarness harness(*top, FINN_CLOCK_RESET(*top));
        harness.input(in).output(out, out_width);
        return harness.run({words}, {expected}, options);
    }
};

unsigned swg_out_width(const SwgSet& s) {
    const auto& p = s.params;
    return padded_width((p.parallel_window ? p.kernel_h * p.kernel_w : 1) * p.simd * s.type.bits);
}

TEST(WindowRtlsim, SlidingWindowEqualsModelAndReferenceUnderBackPressure) {
    std::mt19937_64 rng(1616);
    Suite suite;
    for (const BackPressure& bp : kBackPressure)
        for (const SwgSet& set : swg_sets()) {
            SCOPED_TRACE(describe(set) + ", valid " + std::to_string(bp.input_valid) + " ready " +
                         std::to_string(bp.output_ready));
            const Case c = swg_case(rng, set, 1 + rng() % 3);
            EXPECT_TRUE(streams_equal(SlidingWindowModel(set.params).run(c.input), c.reference));
            const StreamResult result = suite.run(set.in(*suite.top), set.out(*suite.top),
                                                  swg_out_width(set), c.input, c.reference.size(),
                                                  {.seed = rng(),
                                                   .input_valid_probability = bp.input_valid,
                                                   .output_ready_probability = bp.output_ready});
            ASSERT_TRUE(result.ok()) << result.error;
            EXPECT_TRUE(streams_equal(result.outputs[0], c.reference));
        }
}

TEST(WindowRtlsim, FmPaddingEqualsModelAndReferenceUnderBackPressure) {
    std::mt19937_64 rng(1717);
    Suite suite;
    for (const BackPressure& bp : kBackPressure)
        for (const PadSet& set : pad_sets()) {
            SCOPED_TRACE(describe(set) + ", valid " + std::to_string(bp.input_valid) + " ready " +
                         std::to_string(bp.output_ready));
            const Case c = pad_case(rng, set, 1 + rng() % 3);
            EXPECT_TRUE(streams_equal(FmPaddingModel(set.params).run(c.input), c.reference));
            const StreamResult result = suite.run(set.in(*suite.top), set.out(*suite.top),
                                                  padded_width(set.params.simd * set.type.bits),
                                                  c.input, c.reference.size(),
                                                  {.seed = rng(),
                                                   .input_valid_probability = bp.input_valid,
                                                   .output_ready_probability = bp.output_ready});
            ASSERT_TRUE(result.ok()) << result.error;
            EXPECT_TRUE(streams_equal(result.outputs[0], c.reference));
        }
}

// Without back-pressure, the cycles of one frame (FINN's estimates count a frame from its first
// input word to its last output word, buffer fill and latency included) against FINN's estimates
// (finn-ops.md §5.1): the _rtl variant's for every set, the _hls variant's where it can serve the
// set. The hardware sends each output word as soon as the input word it needs has arrived, so
// (see ConvolutionInputGenerator::exp_cycles):
// - it is never slower than the estimate (5 %, plus 2 cycles of latency on these tiny frames;
//   the estimate of a dilated 1-D map adds the wait for its first window, which FINN's leaves
//   out);
// - it is within 5 % (plus 2 cycles) of the estimate where the estimate's buffer-fill term, which
//   the hardware overlaps with output, is at most 5 % of it; on smaller maps it is faster by up
//   to that term (more for depthwise maps and strides above the kernel, whose extra terms FINN's
//   hardware needs and this one does not).
TEST(WindowRtlsim, CyclesPerFrameMatchFinnsEstimate) {
    std::mt19937_64 rng(1818);
    const std::size_t frames = 1;
    Suite suite;
    for (const SwgSet& set : swg_sets()) {
        const auto& p = set.params;
        const Case c = swg_case(rng, set, frames);
        const StreamResult result = suite.run(set.in(*suite.top), set.out(*suite.top),
                                              swg_out_width(set), c.input, c.reference.size(), {});
        ASSERT_TRUE(result.ok()) << result.error;
        EXPECT_TRUE(streams_equal(result.outputs[0], c.reference));
        const double measured = static_cast<double>(result.cycles) / frames;
        const double fold = p.channels / p.simd;
        const bool one_d = p.ifm_h == 1 || p.ifm_w == 1;
        // The first term of FINN's formulas: the buffer fill (RTL: up to the first window's last
        // word; HLS 2-D: kh image rows; HLS 1-D: none, or a whole row in its naive variant).
        auto fill = [&](bool rtl) {
            if (p.parallel_window) return 0.0;
            if (rtl)
                return one_d ? 0.0
                             : ((p.kernel_h - 1.0) * p.dilation_h * p.ifm_w +
                                (p.kernel_w - 1.0) * p.dilation_w + 1) *
                                   fold;
            if (!one_d) return 1.0 * p.ifm_w * p.kernel_h * p.dilation_h * fold;
            const bool naive = set.depthwise && (std::max(p.dilation_h, p.dilation_w) > 1 ||
                                                 std::max(p.stride_h, p.stride_w) > 2);
            return naive ? 1.0 * std::max(p.ifm_h, p.ifm_w) * fold : 0.0;
        };
        auto check = [&](const char* variant, double estimate) {
            std::cout << ", " << variant << " estimate " << estimate << " (ratio "
                      << measured / estimate << ")";
            EXPECT_LE(measured, estimate * 1.05 + 2) << describe(set) << " (" << variant << ")";
            if (fill(variant == std::string("rtl")) <= 0.05 * estimate) {
                EXPECT_GE(measured, estimate * 0.95 - 2) << describe(set) << " (" << variant << ")";
            }
        };
        std::cout << describe(set) << ": " << measured << " cycles/frame";
        check("rtl", static_cast<double>(swg_exp_cycles(set, "ConvolutionInputGenerator_rtl",
                                                        finn::domains::kFpgaDataflowRtl)));
        if (hls_variant_serves(set))
            check("hls", static_cast<double>(swg_exp_cycles(set, "ConvolutionInputGenerator_hls",
                                                            finn::domains::kFpgaDataflowHls)));
        std::cout << ", " << result.cycles_per_second() / 1e6 << " M cycles/s\n";
    }
    for (const PadSet& set : pad_sets()) {
        const Case c = pad_case(rng, set, frames);
        const StreamResult result = suite.run(set.in(*suite.top), set.out(*suite.top),
                                              padded_width(set.params.simd * set.type.bits),
                                              c.input, c.reference.size(), {});
        ASSERT_TRUE(result.ok()) << result.error;
        EXPECT_TRUE(streams_equal(result.outputs[0], c.reference));
        const auto& p = set.params;
        // (C/SIMD) * H' * W' (FMPadding's estimate, the same for both variants).
        const double estimate = static_cast<double>(p.channels / p.simd) *
                                (p.height + p.top + p.bottom) * (p.width + p.left + p.right);
        const double measured = static_cast<double>(result.cycles) / frames;
        std::cout << describe(set) << ": " << measured << " cycles/frame, estimate " << estimate
                  << "\n";
        // 5 %, plus 2 cycles of latency on these tiny frames.
        EXPECT_NEAR(measured, estimate, 0.05 * estimate + 2) << describe(set);
    }
}

// The comparison can fail: a planted wrong output bit of each layer is reported.
TEST(WindowRtlsim, PlantedWrongValueIsCaught) {
    std::mt19937_64 rng(1919);
    Suite suite;
    {
        const SwgSet set = swg_sets().at(0);
        const Case c = swg_case(rng, set, 1);
        const StreamResult result = suite.run(set.in(*suite.top), set.out(*suite.top),
                                              swg_out_width(set), c.input, c.reference.size(), {});
        ASSERT_TRUE(result.ok()) << result.error;
        WordStream planted = c.reference;
        planted[5].set_bits(0, 1, planted[5].bits(0, 1) ^ 1);
        EXPECT_NONFATAL_FAILURE(EXPECT_TRUE((streams_equal(result.outputs[0], planted))), "word 5");
    }
    {
        const PadSet set = pad_sets().at(0);
        const Case c = pad_case(rng, set, 1);
        const StreamResult result = suite.run(set.in(*suite.top), set.out(*suite.top),
                                              padded_width(set.params.simd * set.type.bits),
                                              c.input, c.reference.size(), {});
        ASSERT_TRUE(result.ok()) << result.error;
        WordStream planted = c.reference;
        planted[0].set_bits(0, 1, planted[0].bits(0, 1) ^ 1);
        EXPECT_NONFATAL_FAILURE(EXPECT_TRUE((streams_equal(result.outputs[0], planted))), "word 0");
    }
}

} // namespace
} // namespace finn::hls
