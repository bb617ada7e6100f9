// rtlsim of the compute layers (Thresholding, MVAU in its three mem_modes, LabelSelect) in the
// Verilated layer suite (hls_layer_suite.cmake): for random weights, thresholds and inputs, the
// hardware's output equals the C++ model's and a reference computed here from the layer's
// semantics (finn-ops.md §3.1, §3.3, §3.7), with and without random back-pressure; cycles per
// frame match FINN's estimate; and a planted wrong value is caught. Types and folding are fixed per
// Verilated set, data is drawn at run time: the test rewrites the memory files and constructs a
// fresh model ($readmemh runs then).
#include "Vhls_layer_suite.h"
#include "finn/hls/element_packing.h"
#include "finn/hls/memory_file.h"
#include "finn/hls/mvau_model.h"
#include "finn/hls/stream_harness.h"
#include "finn/hls/thresholding_model.h"
#include "hls_layer_suite_sets.h"
#include "hls_test_support.h"

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

struct ThresholdingSet {
    unsigned channels, pe, steps;
    ElementType input, threshold, output;
    std::int64_t act_val;
    bool shared;
    std::string file;
    std::function<AxisPort(Vhls_layer_suite&)> in, out;
};

struct MvauSet {
    unsigned mw, mh, pe, simd;
    ElementType input, weight;
    bool xnor, no_activation;
    unsigned steps;
    ElementType threshold, output;
    std::int64_t act_val;
    bool shared;
    std::string weight_file, threshold_file;
    std::string mem_mode; // embedded, decoupled or external
    std::string res_type;
    std::function<AxisPort(Vhls_layer_suite&)> in, in1, out;

    bool external() const { return mem_mode == "external"; }
};

struct LabelSelectSet {
    unsigned labels, pe, k;
    ElementType input;
    unsigned out_bits;
    std::function<AxisPort(Vhls_layer_suite&)> in, out;
};

std::vector<ThresholdingSet> thresholding_sets() {
    std::vector<ThresholdingSet> sets;
#define FINN_THR_SET(i, channels, pe, steps, in, t, out, act, shared, file)                        \
    sets.push_back({channels, pe, steps, ElementType::parse(in), ElementType::parse(t),            \
                    ElementType::parse(out), act, shared != 0, file,                               \
                    [](Vhls_layer_suite& top) { return FINN_AXIS_PORT(top, thr##i##_in0_V); },     \
                    [](Vhls_layer_suite& top) { return FINN_AXIS_PORT(top, thr##i##_out_V); }});
    HLS_SUITE_THRESHOLDINGS(FINN_THR_SET)
#undef FINN_THR_SET
    return sets;
}

std::vector<MvauSet> mvau_sets() {
    std::vector<MvauSet> sets;
#define FINN_MVAU_SET(i, mw, mh, pe, simd, in, w, xnor, no_act, steps, t, out, act, shared, wfile, \
                      tfile, mem_mode, res_type)                                                   \
    sets.push_back({mw,                                                                            \
                    mh,                                                                            \
                    pe,                                                                            \
                    simd,                                                                          \
                    ElementType::parse(in),                                                        \
                    ElementType::parse(w),                                                         \
                    xnor != 0,                                                                     \
                    no_act != 0,                                                                   \
                    steps,                                                                         \
                    ElementType::parse(t),                                                         \
                    ElementType::parse(out),                                                       \
                    act,                                                                           \
                    shared != 0,                                                                   \
                    wfile,                                                                         \
                    tfile,                                                                         \
                    mem_mode,                                                                      \
                    res_type,                                                                      \
                    [](Vhls_layer_suite& top) { return FINN_AXIS_PORT(top, mvau##i##_in0_V); },    \
                    [](Vhls_layer_suite& top) { return FINN_AXIS_PORT(top, mvau##i##_in1_V); },    \
                    [](Vhls_layer_suite& top) { return FINN_AXIS_PORT(top, mvau##i##_out_V); }});
    HLS_SUITE_MVAUS(FINN_MVAU_SET)
#undef FINN_MVAU_SET
    return sets;
}

std::vector<LabelSelectSet> label_select_sets() {
    std::vector<LabelSelectSet> sets;
#define FINN_LSEL_SET(i, labels, pe, k, in, out_bits)                                              \
    sets.push_back({labels, pe, k, ElementType::parse(in), out_bits,                               \
                    [](Vhls_layer_suite& top) { return FINN_AXIS_PORT(top, lsel##i##_in0_V); },    \
                    [](Vhls_layer_suite& top) { return FINN_AXIS_PORT(top, lsel##i##_out_V); }});
    HLS_SUITE_LABEL_SELECTS(FINN_LSEL_SET)
#undef FINN_LSEL_SET
    return sets;
}

// A threshold near `value` (equality included), within the thresholds' type.
std::int64_t threshold_near(std::mt19937_64& rng, std::int64_t value, ElementType type) {
    return std::clamp<std::int64_t>(value + static_cast<std::int64_t>(rng() % 5) - 2, type.min(),
                                    type.max());
}

// --- Thresholding
// ---------------------------------------------------------------------------------

struct ThresholdingCase {
    ThresholdingParams params;
    std::vector<std::int64_t> inputs;
    WordStream input_words, reference;
};

ThresholdingCase make_thresholding_case(std::mt19937_64& rng, const ThresholdingSet& set,
                                        std::size_t frames) {
    ThresholdingCase c;
    c.params = {
        set.channels, set.pe,
        set.input,    set.output,
        set.act_val,  ThresholdTable{set.shared ? 1u : set.channels, set.steps, set.threshold, {}}};
    c.inputs = test::random_values(rng, set.input, frames * set.channels);
    // Thresholds at input values (and their neighbours), so equality is exercised.
    for (std::size_t k = 0; k < std::size_t{c.params.thresholds.rows} * set.steps; ++k)
        c.params.thresholds.values.push_back(
            threshold_near(rng, c.inputs[rng() % c.inputs.size()], set.threshold));
    c.input_words = pack_elements(c.inputs, set.input, set.pe);

    // Reference: y = ActVal + #{s : x >= T[c, s]}; FINN's BIPOLAR output is 2y - 1.
    std::vector<std::int64_t> out;
    for (std::size_t i = 0; i < c.inputs.size(); ++i) {
        const std::size_t row = set.shared ? 0 : i % set.channels;
        std::int64_t y = set.act_val;
        for (unsigned s = 0; s < set.steps; ++s)
            if (c.inputs[i] >= c.params.thresholds.values[row * set.steps + s]) ++y;
        out.push_back(set.output.bipolar ? 2 * y - 1 : y);
    }
    c.reference = pack_elements(out, set.output, set.pe);
    return c;
}

// --- MVAU
// -----------------------------------------------------------------------------------------

struct MvauCase {
    MvauParams params;
    WordStream input_words, reference;
    WordStream weight_words; // mem_mode external: the in1_V stream, the weight image per vector
};

MvauCase make_mvau_case(std::mt19937_64& rng, const MvauSet& set, std::size_t vectors) {
    MvauCase c;
    MvauParams& p = c.params;
    p.mw = set.mw;
    p.mh = set.mh;
    p.pe = set.pe;
    p.simd = set.simd;
    p.input = set.input;
    p.weight = set.weight;
    p.xnor = set.xnor;
    p.no_activation = set.no_activation;
    p.output = set.output;
    p.act_val = set.act_val;
    p.weights = test::random_values(rng, set.weight, std::size_t{set.mw} * set.mh);
    const auto x = test::random_values(rng, set.input, vectors * set.mw);
    c.input_words = pack_elements(x, set.input, set.simd);

    // Reference accumulators: XNOR counts agreeing bits, BIPOLAR x BIPOLAR is (x . w + MW) / 2,
    // anything else the integer dot product.
    const bool bipolar = set.input.bipolar && set.weight.bipolar;
    std::vector<std::int64_t> acc;
    for (std::size_t v = 0; v < vectors; ++v)
        for (unsigned j = 0; j < set.mh; ++j) {
            std::int64_t sum = 0;
            for (unsigned i = 0; i < set.mw; ++i) {
                const std::int64_t a = x[v * set.mw + i],
                                   b = p.weights[std::size_t{i} * set.mh + j];
                sum += set.xnor ? (a == b) : a * b;
            }
            acc.push_back(bipolar ? (sum + set.mw) / 2 : sum);
        }

    std::vector<std::int64_t> out = acc;
    if (!set.no_activation) {
        p.thresholds = {set.shared ? 1u : set.mh, set.steps, set.threshold, {}};
        for (std::size_t k = 0; k < std::size_t{p.thresholds.rows} * set.steps; ++k)
            p.thresholds.values.push_back(
                threshold_near(rng, acc[rng() % acc.size()], set.threshold));
        for (std::size_t k = 0; k < acc.size(); ++k) {
            const std::size_t row = set.shared ? 0 : k % set.mh;
            std::int64_t count = 0;
            for (unsigned s = 0; s < set.steps; ++s)
                if (acc[k] >= p.thresholds.values[row * set.steps + s]) ++count;
            out[k] = set.output.bipolar ? 2 * count - 1 : set.act_val + count;
        }
    }
    c.reference = pack_elements(out, set.output, set.pe);
    if (set.external()) {
        const WordStream image = MvauModel(p).weight_memory();
        for (std::size_t v = 0; v < vectors; ++v)
            c.weight_words.insert(c.weight_words.end(), image.begin(), image.end());
    }
    return c;
}

// --- LabelSelect
// ----------------------------------------------------------------------------------

struct LabelSelectCase {
    WordStream input_words, reference;
};

// Values with ties on purpose: every other vector draws from three values of the type (its
// minimum among them), the others from the whole type.
LabelSelectCase make_label_select_case(std::mt19937_64& rng, const LabelSelectSet& set,
                                       std::size_t vectors) {
    LabelSelectCase c;
    std::vector<std::int64_t> x;
    std::vector<std::int64_t> indices;
    for (std::size_t v = 0; v < vectors; ++v) {
        std::vector<std::int64_t> values = test::random_values(rng, set.input, set.labels);
        if (v % 2 == 1) {
            const std::vector<std::int64_t> pool{set.input.min(), values[0],
                                                 test::random_values(rng, set.input, 1)[0]};
            for (auto& value : values)
                value = pool[rng() % pool.size()];
        }
        // Reference (ONNX TopK, FINN's rule): highest value first, equal values by lowest index.
        std::vector<std::int64_t> order(set.labels);
        for (unsigned i = 0; i < set.labels; ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::int64_t a, std::int64_t b) { return values[a] > values[b]; });
        indices.insert(indices.end(), order.begin(), order.begin() + set.k);
        x.insert(x.end(), values.begin(), values.end());
    }
    c.input_words = pack_elements(x, set.input, set.pe);
    c.reference =
        pack_elements(indices, ElementType::parse("UINT" + std::to_string(set.out_bits)), 1);
    return c;
}

// --- the suite
// ------------------------------------------------------------------------------------

// One round: fresh random parameters for every set, written to the memory files, then a fresh
// model that loads them.
class LayerRound {
public:
    LayerRound(std::mt19937_64& rng, std::size_t frames) {
        for (const auto& set : thresholding_sets()) {
            thr_.push_back({set, make_thresholding_case(rng, set, frames)});
            write_readmemh(set.file, ThresholdingModel(thr_.back().c.params).threshold_memory());
        }
        for (const auto& set : mvau_sets()) {
            mvau_.push_back({set, make_mvau_case(rng, set, frames)});
            const MvauModel model(mvau_.back().c.params);
            write_readmemh(set.weight_file, model.weight_memory());
            if (!set.no_activation) write_readmemh(set.threshold_file, model.threshold_memory());
        }
        for (const auto& set : label_select_sets())
            lsel_.push_back({set, make_label_select_case(rng, set, frames)});
        context_ = std::make_unique<VerilatedContext>();
        top_ = std::make_unique<Vhls_layer_suite>(context_.get());
    }
    ~LayerRound() { top_->final(); }

    StreamResult run(const AxisPort& in, const AxisPort& out, unsigned out_width,
                     const WordStream& words, std::size_t expected, StreamOptions options) {
        StreamHarness harness(*top_, FINN_CLOCK_RESET(*top_));
        harness.input(in).output(out, out_width);
        return harness.run({words}, {expected}, options);
    }
    // An MVAU set: its weight stream too in mem_mode external.
    StreamResult run(const MvauSet& set, const MvauCase& c, StreamOptions options) {
        StreamHarness harness(*top_, FINN_CLOCK_RESET(*top_));
        harness.input(set.in(*top_));
        if (set.external()) harness.input(set.in1(*top_));
        harness.output(set.out(*top_), padded_width(set.pe * set.output.bits));
        if (set.external())
            return harness.run({c.input_words, c.weight_words}, {c.reference.size()}, options);
        return harness.run({c.input_words}, {c.reference.size()}, options);
    }

    struct Thr {
        ThresholdingSet set;
        ThresholdingCase c;
    };
    struct Mvau {
        MvauSet set;
        MvauCase c;
    };
    std::vector<Thr> thr_;
    std::vector<Mvau> mvau_;
    struct LabelSelect {
        LabelSelectSet set;
        LabelSelectCase c;
    };
    std::vector<LabelSelect> lsel_;
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vhls_layer_suite> top_;
};

std::string describe(const ThresholdingSet& s) {
    return "Thresholding C=" + std::to_string(s.channels) + " PE=" + std::to_string(s.pe) +
           " steps=" + std::to_string(s.steps) + " " + s.input.name() + "->" + s.output.name() +
           (s.shared ? " shared" : "");
}
std::string describe(const MvauSet& s) {
    return "MVAU " + std::to_string(s.mw) + "x" + std::to_string(s.mh) +
           " PE=" + std::to_string(s.pe) + " SIMD=" + std::to_string(s.simd) + " " +
           s.input.name() + "*" + s.weight.name() + (s.xnor ? " xnor" : "") + " -> " +
           s.output.name() + (s.no_activation ? " (accumulator)" : "") + " mem_mode " + s.mem_mode +
           " resType " + s.res_type;
}
std::string describe(const LabelSelectSet& s) {
    return "LabelSelect L=" + std::to_string(s.labels) + " PE=" + std::to_string(s.pe) +
           " K=" + std::to_string(s.k) + " " + s.input.name();
}
std::string describe(const BackPressure& bp) {
    return "valid " + std::to_string(bp.input_valid) + " ready " + std::to_string(bp.output_ready);
}

TEST(LayerRtlsim, ThresholdingEqualsModelAndReferenceUnderBackPressure) {
    std::mt19937_64 rng(515);
    for (const BackPressure& bp : kBackPressure) {
        LayerRound round(rng, 1 + rng() % 40);
        for (auto& [set, c] : round.thr_) {
            SCOPED_TRACE(describe(set) + ", " + describe(bp));
            const WordStream modelled = ThresholdingModel(c.params).run(c.input_words);
            EXPECT_TRUE(streams_equal(modelled, c.reference));
            const StreamResult result =
                round.run(set.in(*round.top_), set.out(*round.top_),
                          padded_width(set.pe * set.output.bits), c.input_words, c.reference.size(),
                          {.seed = rng(),
                           .input_valid_probability = bp.input_valid,
                           .output_ready_probability = bp.output_ready});
            ASSERT_TRUE(result.ok()) << result.error;
            EXPECT_TRUE(streams_equal(result.outputs[0], c.reference));
        }
    }
}

TEST(LayerRtlsim, MvauEqualsModelAndReferenceUnderBackPressure) {
    std::mt19937_64 rng(616);
    for (const BackPressure& bp : kBackPressure) {
        LayerRound round(rng, 1 + rng() % 20);
        for (auto& [set, c] : round.mvau_) {
            SCOPED_TRACE(describe(set) + ", " + describe(bp));
            const WordStream modelled = MvauModel(c.params).run(c.input_words);
            EXPECT_TRUE(streams_equal(modelled, c.reference));
            const StreamResult result = round.run(set, c,
                                                  {.seed = rng(),
                                                   .input_valid_probability = bp.input_valid,
                                                   .output_ready_probability = bp.output_ready});
            ASSERT_TRUE(result.ok()) << result.error;
            EXPECT_TRUE(streams_equal(result.outputs[0], c.reference));
        }
    }
}

TEST(LayerRtlsim, LabelSelectEqualsReferenceUnderBackPressure) {
    std::mt19937_64 rng(919);
    for (const BackPressure& bp : kBackPressure) {
        LayerRound round(rng, 1 + rng() % 30);
        for (auto& [set, c] : round.lsel_) {
            SCOPED_TRACE(describe(set) + ", " + describe(bp));
            const StreamResult result =
                round.run(set.in(*round.top_), set.out(*round.top_), padded_width(set.out_bits),
                          c.input_words, c.reference.size(),
                          {.seed = rng(),
                           .input_valid_probability = bp.input_valid,
                           .output_ready_probability = bp.output_ready});
            ASSERT_TRUE(result.ok()) << result.error;
            EXPECT_TRUE(streams_equal(result.outputs[0], c.reference));
        }
    }
}

// Without back-pressure a frame takes FINN's expected cycles (finn-ops.md §5.1) within 5 %:
// Thresholding channels/PE per frame, MVAU (MH/PE) * (MW/SIMD) per vector in every mem_mode,
// LabelSelect Labels/PE per vector (K per vector when K > Labels/PE: the K indices leave one per
// cycle).
TEST(LayerRtlsim, CyclesPerFrameMatchFinnsEstimate) {
    std::mt19937_64 rng(717);
    const std::size_t frames = 64;
    LayerRound round(rng, frames);
    for (auto& [set, c] : round.thr_) {
        const StreamResult result = round.run(set.in(*round.top_), set.out(*round.top_),
                                              padded_width(set.pe * set.output.bits), c.input_words,
                                              c.reference.size(), {});
        ASSERT_TRUE(result.ok()) << result.error;
        EXPECT_TRUE(streams_equal(result.outputs[0], c.reference));
        const double estimate = static_cast<double>(set.channels / set.pe);
        const double measured = static_cast<double>(result.cycles) / frames;
        std::cout << describe(set) << ": " << measured << " cycles/frame, estimate " << estimate
                  << ", " << result.cycles_per_second() / 1e6 << " M cycles/s\n";
        EXPECT_NEAR(measured / estimate, 1.0, 0.05) << describe(set);
    }
    for (auto& [set, c] : round.mvau_) {
        const StreamResult result = round.run(set, c, {});
        ASSERT_TRUE(result.ok()) << result.error;
        EXPECT_TRUE(streams_equal(result.outputs[0], c.reference));
        const double estimate = static_cast<double>((set.mh / set.pe) * (set.mw / set.simd));
        const double measured = static_cast<double>(result.cycles) / frames;
        std::cout << describe(set) << ": " << measured << " cycles/vector, estimate " << estimate
                  << ", " << result.cycles_per_second() / 1e6 << " M cycles/s\n";
        EXPECT_NEAR(measured / estimate, 1.0, 0.05) << describe(set);
    }
    for (auto& [set, c] : round.lsel_) {
        const StreamResult result =
            round.run(set.in(*round.top_), set.out(*round.top_), padded_width(set.out_bits),
                      c.input_words, c.reference.size(), {});
        ASSERT_TRUE(result.ok()) << result.error;
        EXPECT_TRUE(streams_equal(result.outputs[0], c.reference));
        const double estimate = static_cast<double>(set.labels / set.pe);
        const double bound = std::max(estimate, static_cast<double>(set.k));
        const double measured = static_cast<double>(result.cycles) / frames;
        std::cout << describe(set) << ": " << measured << " cycles/vector, estimate " << estimate
                  << (bound > estimate ? " (K = " + std::to_string(set.k) + " bounds it)" : "")
                  << ", " << result.cycles_per_second() / 1e6 << " M cycles/s\n";
        EXPECT_NEAR(measured / bound, 1.0, 0.05) << describe(set);
    }
}

// The comparison can fail: a planted wrong output element of each layer is reported.
TEST(LayerRtlsim, PlantedWrongValueIsCaught) {
    std::mt19937_64 rng(818);
    LayerRound round(rng, 4);
    {
        auto& [set, c] = round.thr_.at(0);
        const StreamResult result = round.run(set.in(*round.top_), set.out(*round.top_),
                                              padded_width(set.pe * set.output.bits), c.input_words,
                                              c.reference.size(), {});
        ASSERT_TRUE(result.ok()) << result.error;
        WordStream planted = c.reference;
        planted[3].set_bits(1, 1, planted[3].bits(1, 1) ^ 1);
        EXPECT_NONFATAL_FAILURE(EXPECT_TRUE((streams_equal(result.outputs[0], planted))), "word 3");
    }
    {
        auto& [set, c] = round.mvau_.at(1);
        const StreamResult result = round.run(set, c, {});
        ASSERT_TRUE(result.ok()) << result.error;
        WordStream planted = c.reference;
        planted[2].set_bits(0, 1, planted[2].bits(0, 1) ^ 1);
        EXPECT_NONFATAL_FAILURE(EXPECT_TRUE((streams_equal(result.outputs[0], planted))), "word 2");
    }
    {
        auto& [set, c] = round.lsel_.at(2);
        const StreamResult result =
            round.run(set.in(*round.top_), set.out(*round.top_), padded_width(set.out_bits),
                      c.input_words, c.reference.size(), {});
        ASSERT_TRUE(result.ok()) << result.error;
        WordStream planted = c.reference;
        planted[1].set_bits(0, 1, planted[1].bits(0, 1) ^ 1);
        EXPECT_NONFATAL_FAILURE(EXPECT_TRUE((streams_equal(result.outputs[0], planted))), "word 1");
    }
}

} // namespace
} // namespace finn::hls
