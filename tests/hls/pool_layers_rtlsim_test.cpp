// rtlsim of the pooling and subsampling layers (StreamingMaxPool, Pool, DownSampler,
// GlobalAccPool) in the Verilated pool suite (hls_pool_suite.cmake): for random inputs the
// hardware's output equals the C++ model's and a reference computed here from the layers'
// semantics (finn-ops.md §3.6, §3.13, §3.14, §2.8, DownSampler §3.15), with and without random
// back-pressure; cycles per frame without back-pressure are FINN's estimate within 5 % where
// FINN's formula describes the configuration; a planted wrong value is caught. The sets' names
// say which corner they cover (kernel = input size, stride > kernel, 1xN, one channel,
// PE = channels).
#include "Vhls_pool_suite.h"
#include "finn/hls/downsampler_model.h"
#include "finn/hls/element_packing.h"
#include "finn/hls/global_acc_pool_model.h"
#include "finn/hls/pool_model.h"
#include "finn/hls/stream_harness.h"
#include "finn/hls/streaming_maxpool_model.h"
#include "hls_pool_suite_sets.h"
#include "hls_test_support.h"

#include <algorithm>
#include <functional>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <iostream>
#include <random>
#include <string>

namespace finn::hls {
namespace {

using test::streams_equal;

struct BackPressure {
    double input_valid;
    double output_ready;
};
// None, then mild, bursty-input and slow-consumer patterns.
const std::vector<BackPressure> kBackPressure{{1.0, 1.0}, {0.7, 0.6}, {0.3, 0.9}, {0.9, 0.15}};

// One parameter set of one layer with a frame count's random data.
struct LayerCase {
    std::string layer, description;
    std::function<AxisPort(Vhls_pool_suite&)> in, out;
    unsigned out_width = 0;
    WordStream input, reference, modelled;
    std::size_t frames = 0;
    // FINN's expected cycles per frame, and whether its formula describes this configuration
    // (`formula_note` says why not).
    double estimate = 0;
    std::string formula_note;
};

std::string type_name(const ElementType& t) {
    return t.bipolar ? "BIPOLAR" : t.name();
}

// --- StreamingMaxPool ---------------------------------------------------------------------------

LayerCase maxpool_case(std::mt19937_64& rng, std::size_t frames, unsigned h, unsigned w,
                       unsigned kh, unsigned kw, bool ceil_mode, unsigned c, unsigned pe,
                       ElementType type) {
    LayerCase lc;
    lc.layer = "StreamingMaxPool";
    lc.frames = frames;
    const auto x = test::random_values(rng, type, frames * h * w * c);
    const unsigned oh = ceil_mode ? (h + kh - 1) / kh : h / kh;
    const unsigned ow = ceil_mode ? (w + kw - 1) / kw : w / kw;
    std::vector<std::int64_t> out;
    for (std::size_t f = 0; f < frames; ++f)
        for (unsigned oy = 0; oy < oh; ++oy)
            for (unsigned ox = 0; ox < ow; ++ox)
                for (unsigned ch = 0; ch < c; ++ch) {
                    std::int64_t m = type.min();
                    for (unsigned y = oy * kh; y < std::min(h, oy * kh + kh); ++y)
                        for (unsigned xx = ox * kw; xx < std::min(w, ox * kw + kw); ++xx)
                            m = std::max(m, x[((f * h + y) * w + xx) * c + ch]);
                    out.push_back(m);
                }
    lc.input = pack_elements(x, type, pe);
    lc.reference = pack_elements(out, type, pe);
    lc.modelled = StreamingMaxPoolModel({h, w, kh, kw, ceil_mode, c, pe, type}).run(lc.input);
    lc.out_width = padded_width(pe * type.bits);
    // FINN: 2D D*D*(1 + 1/k^2) (square, k | D); 1D (normalised to [1, D]) OD*(C/PE)*(k+1).
    const bool one_d = (h == 1 && kh == 1) || (w == 1 && kw == 1);
    if (one_d) {
        const unsigned d = h == 1 ? w : h, k = h == 1 ? kw : kh, od = h == 1 ? ow : oh;
        lc.estimate = static_cast<double>(od) * (c / pe) * (k + 1);
        if (d % k != 0)
            lc.formula_note =
                "FINN's 1D formula counts OD*k pixels, " + std::to_string(d) + " are read";
    } else {
        const double d = w, kk = static_cast<double>(kw) * kw;
        lc.estimate = d * d * (1 + 1 / kk);
        if (h != w || kh != kw || h % kh != 0 || w % kw != 0 || pe != c)
            lc.formula_note = "FINN's 2D formula is for square images that k divides";
    }
    lc.description = "StreamingMaxPool " + std::to_string(h) + "x" + std::to_string(w) + " k " +
                     std::to_string(kh) + "x" + std::to_string(kw) + (ceil_mode ? " ceil" : "") +
                     " C=" + std::to_string(c) + " PE=" + std::to_string(pe) + " " +
                     type_name(type);
    return lc;
}

// --- Pool ---------------------------------------------------------------------------------------

LayerCase pool_case(std::mt19937_64& rng, std::size_t frames, unsigned c, unsigned pe, unsigned k,
                    bool average, ElementType in, ElementType out_type, unsigned suite_shift) {
    LayerCase lc;
    lc.layer = "Pool";
    lc.frames = frames;
    // QuantAvgPool's shift, computed here from its definition (finn-ops.md §2.8).
    unsigned shift = 0;
    if (average) {
        std::uint64_t largest = ((std::uint64_t{1} << in.bits) - 1) * k;
        unsigned bits = 0;
        for (; largest != 0; largest >>= 1)
            ++bits;
        shift = bits > out_type.bits ? bits - out_type.bits : 0;
    }
    EXPECT_EQ(shift, suite_shift) << "the suite's SHIFT parameter";
    if (average) {
        EXPECT_EQ(shift, PoolParams::quant_avg_shift(in.bits, out_type.bits, k));
    }
    // Im2Col order: window element i of channel ch at i*C + ch.
    const auto x = test::random_values(rng, in, frames * k * c);
    std::vector<std::int64_t> out;
    for (std::size_t f = 0; f < frames; ++f)
        for (unsigned ch = 0; ch < c; ++ch) {
            std::int64_t r = average ? 0 : in.min();
            for (unsigned i = 0; i < k; ++i) {
                const std::int64_t v = x[(f * k + i) * c + ch];
                r = average ? r + v : std::max(r, v);
            }
            if (average) r = r >= 0 ? r >> shift : -((-r + (1 << shift) - 1) >> shift); // floor
            out.push_back(r);
        }
    lc.input = pack_elements(x, in, pe);
    lc.reference = pack_elements(out, out_type, pe);
    PoolParams p;
    p.channels = c;
    p.pe = pe;
    p.kernel = k;
    p.average = average;
    p.shift = shift;
    p.input = in;
    p.output = out_type;
    lc.modelled = PoolModel(p).run(lc.input);
    lc.out_width = padded_width(pe * out_type.bits);
    lc.estimate = static_cast<double>(c) * k / pe;
    lc.description = std::string("Pool ") + (average ? "QuantAvgPool" : "MaxPool") +
                     " C=" + std::to_string(c) + " PE=" + std::to_string(pe) +
                     " K=" + std::to_string(k) + " " + type_name(in) + " -> " +
                     type_name(out_type) + (average ? " shift " + std::to_string(shift) : "");
    return lc;
}

// --- DownSampler --------------------------------------------------------------------------------

LayerCase downsampler_case(std::mt19937_64& rng, std::size_t frames, unsigned h, unsigned w,
                           unsigned c, unsigned simd, unsigned stride, ElementType type) {
    LayerCase lc;
    lc.layer = "DownSampler";
    lc.frames = frames;
    const auto x = test::random_values(rng, type, frames * h * w * c);
    std::vector<std::int64_t> out;
    for (std::size_t f = 0; f < frames; ++f)
        for (unsigned y = 0; y < h; y += stride)
            for (unsigned xx = 0; xx < w; xx += stride)
                for (unsigned ch = 0; ch < c; ++ch)
                    out.push_back(x[((f * h + y) * w + xx) * c + ch]);
    lc.input = pack_elements(x, type, simd);
    lc.reference = pack_elements(out, type, simd);
    lc.modelled = DownSamplerModel({h, w, c, simd, stride}).run(lc.input);
    lc.out_width = padded_width(simd * type.bits);
    lc.estimate = static_cast<double>(c) / simd * h * w;
    lc.description = "DownSampler " + std::to_string(h) + "x" + std::to_string(w) +
                     " C=" + std::to_string(c) + " SIMD=" + std::to_string(simd) +
                     " stride=" + std::to_string(stride) + " " + type_name(type);
    return lc;
}

// --- GlobalAccPool ------------------------------------------------------------------------------

LayerCase global_acc_pool_case(std::mt19937_64& rng, std::size_t frames, unsigned pixels,
                               unsigned c, unsigned pe, ElementType in, ElementType out_type) {
    LayerCase lc;
    lc.layer = "GlobalAccPool";
    lc.frames = frames;
    const auto x = test::random_values(rng, in, frames * pixels * c);
    std::vector<std::int64_t> out(frames * c, 0);
    for (std::size_t f = 0; f < frames; ++f)
        for (unsigned p = 0; p < pixels; ++p)
            for (unsigned ch = 0; ch < c; ++ch)
                out[f * c + ch] += x[(f * pixels + p) * c + ch];
    lc.input = pack_elements(x, in, pe);
    lc.reference = pack_elements(out, out_type, pe);
    lc.modelled = GlobalAccPoolModel({pixels, c, pe, in, out_type}).run(lc.input);
    lc.out_width = padded_width(pe * out_type.bits);
    lc.estimate = static_cast<double>(pixels) * c / pe + static_cast<double>(c) / pe;
    lc.description = "GlobalAccPool " + std::to_string(pixels) + " pixels C=" + std::to_string(c) +
                     " PE=" + std::to_string(pe) + " " + type_name(in) + " -> " +
                     type_name(out_type);
    return lc;
}

// Every set of the suite with `frames` frames of fresh random data.
std::vector<LayerCase> all_cases(std::mt19937_64& rng, std::size_t frames) {
    std::vector<LayerCase> cases;
#define FINN_SMP_SET(i, h, w, kh, kw, ceil, c, pe, type, name)                                     \
    cases.push_back(                                                                               \
        maxpool_case(rng, frames, h, w, kh, kw, ceil != 0, c, pe, ElementType::parse(type)));      \
    cases.back().description += std::string(" [") + name + "]";                                    \
    cases.back().in = [](Vhls_pool_suite& top) { return FINN_AXIS_PORT(top, smp##i##_in0_V); };    \
    cases.back().out = [](Vhls_pool_suite& top) { return FINN_AXIS_PORT(top, smp##i##_out_V); };
    HLS_SUITE_MAXPOOLS(FINN_SMP_SET)
#undef FINN_SMP_SET
#define FINN_POOL_SET(i, c, pe, k, function, in_type, out_type, shift, name)                       \
    cases.push_back(pool_case(rng, frames, c, pe, k, std::string(function) == "QuantAvgPool",      \
                              ElementType::parse(in_type), ElementType::parse(out_type), shift));  \
    cases.back().description += std::string(" [") + name + "]";                                    \
    cases.back().in = [](Vhls_pool_suite& top) { return FINN_AXIS_PORT(top, pool##i##_in0_V); };   \
    cases.back().out = [](Vhls_pool_suite& top) { return FINN_AXIS_PORT(top, pool##i##_out_V); };
    HLS_SUITE_POOLS(FINN_POOL_SET)
#undef FINN_POOL_SET
#define FINN_DS_SET(i, h, w, c, simd, stride, type, name)                                          \
    cases.push_back(                                                                               \
        downsampler_case(rng, frames, h, w, c, simd, stride, ElementType::parse(type)));           \
    cases.back().description += std::string(" [") + name + "]";                                    \
    cases.back().in = [](Vhls_pool_suite& top) { return FINN_AXIS_PORT(top, ds##i##_in0_V); };     \
    cases.back().out = [](Vhls_pool_suite& top) { return FINN_AXIS_PORT(top, ds##i##_out_V); };
    HLS_SUITE_DOWNSAMPLERS(FINN_DS_SET)
#undef FINN_DS_SET
#define FINN_GAP_SET(i, pixels, c, pe, in_type, out_type, name)                                    \
    cases.push_back(global_acc_pool_case(rng, frames, pixels, c, pe, ElementType::parse(in_type),  \
                                         ElementType::parse(out_type)));                           \
    cases.back().description += std::string(" [") + name + "]";                                    \
    cases.back().in = [](Vhls_pool_suite& top) { return FINN_AXIS_PORT(top, gap##i##_in0_V); };    \
    cases.back().out = [](Vhls_pool_suite& top) { return FINN_AXIS_PORT(top, gap##i##_out_V); };
    HLS_SUITE_GLOBAL_ACC_POOLS(FINN_GAP_SET)
#undef FINN_GAP_SET
    return cases;
}

StreamResult run_case(Vhls_pool_suite& top, const LayerCase& lc, StreamOptions options) {
    StreamHarness harness(top, FINN_CLOCK_RESET(top));
    harness.input(lc.in(top)).output(lc.out(top), lc.out_width);
    return harness.run({lc.input}, {lc.reference.size()}, options);
}

void expect_rtlsim_equals_model_and_reference(const std::string& layer, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    VerilatedContext context;
    Vhls_pool_suite top(&context);
    for (const BackPressure& bp : kBackPressure) {
        for (const LayerCase& lc : all_cases(rng, 1 + rng() % 12)) {
            if (lc.layer != layer) continue;
            SCOPED_TRACE(lc.description + ", valid " + std::to_string(bp.input_valid) + " ready " +
                         std::to_string(bp.output_ready));
            EXPECT_TRUE(streams_equal(lc.modelled, lc.reference));
            const StreamResult result = run_case(top, lc,
                                                 {.seed = rng(),
                                                  .input_valid_probability = bp.input_valid,
                                                  .output_ready_probability = bp.output_ready});
            ASSERT_TRUE(result.ok()) << result.error;
            EXPECT_TRUE(streams_equal(result.outputs[0], lc.reference));
        }
    }
    top.final();
}

TEST(PoolLayersRtlsim, StreamingMaxPoolEqualsModelAndReferenceUnderBackPressure) {
    expect_rtlsim_equals_model_and_reference("StreamingMaxPool", 1606);
}

TEST(PoolLayersRtlsim, PoolEqualsModelAndReferenceUnderBackPressure) {
    expect_rtlsim_equals_model_and_reference("Pool", 1614);
}

TEST(PoolLayersRtlsim, DownSamplerEqualsModelAndReferenceUnderBackPressure) {
    expect_rtlsim_equals_model_and_reference("DownSampler", 1615);
}

TEST(PoolLayersRtlsim, GlobalAccPoolEqualsModelAndReferenceUnderBackPressure) {
    expect_rtlsim_equals_model_and_reference("GlobalAccPool", 1613);
}

// Without back-pressure a frame takes FINN's expected cycles (finn-ops.md §5.1) within 5 % where
// its formula describes the configuration; elsewhere the figure is printed with the reason.
TEST(PoolLayersRtlsim, CyclesPerFrameMatchFinnsEstimate) {
    std::mt19937_64 rng(1717);
    VerilatedContext context;
    Vhls_pool_suite top(&context);
    const std::size_t frames = 32;
    for (const LayerCase& lc : all_cases(rng, frames)) {
        const StreamResult result = run_case(top, lc, {});
        ASSERT_TRUE(result.ok()) << result.error;
        EXPECT_TRUE(streams_equal(result.outputs[0], lc.reference)) << lc.description;
        const double measured = static_cast<double>(result.cycles) / frames;
        std::cout << lc.description << ": " << measured << " cycles/frame, estimate " << lc.estimate
                  << (lc.formula_note.empty() ? "" : " (not FINN's case: " + lc.formula_note + ")")
                  << "\n";
        if (lc.formula_note.empty()) {
            EXPECT_NEAR(measured / lc.estimate, 1.0, 0.05) << lc.description;
        }
    }
    top.final();
}

// The comparison can fail: a planted wrong output element of each layer is reported.
TEST(PoolLayersRtlsim, PlantedWrongValueIsCaught) {
    std::mt19937_64 rng(1818);
    VerilatedContext context;
    Vhls_pool_suite top(&context);
    std::vector<std::string> seen;
    for (const LayerCase& lc : all_cases(rng, 3)) {
        if (std::find(seen.begin(), seen.end(), lc.layer) != seen.end()) continue;
        seen.push_back(lc.layer);
        SCOPED_TRACE(lc.description);
        const StreamResult result = run_case(top, lc, {});
        ASSERT_TRUE(result.ok()) << result.error;
        WordStream planted = lc.reference;
        planted[1].set_bits(0, 1, planted[1].bits(0, 1) ^ 1);
        EXPECT_NONFATAL_FAILURE(EXPECT_TRUE((streams_equal(result.outputs[0], planted))), "word 1");
    }
    EXPECT_EQ(seen.size(), 4u);
    top.final();
}

} // namespace
} // namespace finn::hls
