// rtlsim of the stream and depthwise layers (DuplicateStreams, AddStreams, ChannelwiseOp, VVAU in
// its three mem_modes) in their Verilated suite (hls_stream_layer_suite.cmake): for random
// parameters and inputs, the hardware's output equals the C++ model's and a reference computed
// here from the layer's semantics (finn-ops.md §3.2, §3.8, §3.9, §3.12), with and without random
// back-pressure; cycles per frame match FINN's estimate; a planted wrong value is caught. The
// test rewrites the memory files and constructs a fresh model per round ($readmemh runs then).
#include "Vhls_stream_layer_suite.h"
#include "finn/hls/add_streams_model.h"
#include "finn/hls/channelwise_op_model.h"
#include "finn/hls/duplicate_streams_model.h"
#include "finn/hls/element_packing.h"
#include "finn/hls/memory_file.h"
#include "finn/hls/mvau_model.h"
#include "finn/hls/stream_harness.h"
#include "hls_stream_layer_suite_sets.h"
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
using Top = Vhls_stream_layer_suite;
using Ports = std::function<std::vector<AxisPort>(Top&)>;

struct BackPressure {
    double input_valid;
    double output_ready;
};
// None, then mild, bursty-input and slow-consumer patterns.
const std::vector<BackPressure> kBackPressure{{1.0, 1.0}, {0.7, 0.6}, {0.3, 0.9}, {0.9, 0.15}};

std::string describe(const BackPressure& bp) {
    return "valid " + std::to_string(bp.input_valid) + " ready " + std::to_string(bp.output_ready);
}

// One layer set in the suite: its ports, what one frame is, and a random case's streams.
struct Case {
    std::string name;
    Ports inputs, outputs;
    std::vector<unsigned> out_widths;
    double estimate = 0; // FINN's expected cycles per frame
    std::vector<WordStream> in_words, reference, modelled;
};

#define FINN_UNPAREN(...) __VA_ARGS__

// --- DuplicateStreams ---------------------------------------------------------------------------

Case duplicate_case(std::mt19937_64& rng, unsigned channels, unsigned pe, ElementType type,
                    unsigned outputs, std::size_t frames, Ports ports) {
    Case c;
    c.name = "DuplicateStreams C=" + std::to_string(channels) + " PE=" + std::to_string(pe) + " " +
             type.name() + " x" + std::to_string(outputs);
    c.outputs = std::move(ports);
    c.out_widths.assign(outputs, padded_width(pe * type.bits));
    c.estimate = channels / pe;
    const auto x = test::random_values(rng, type, frames * channels);
    c.in_words = {pack_elements(x, type, pe)};
    // Reference: every output is the input.
    c.reference.assign(outputs, pack_elements(x, type, pe));
    c.modelled = DuplicateStreamsModel(outputs).run(c.in_words[0]);
    return c;
}

std::vector<Case> duplicate_cases(std::mt19937_64& rng, std::size_t frames) {
    std::vector<Case> cases;
#define FINN_DUP_SET(i, channels, pe, type, outputs, ports)                                        \
    cases.push_back(                                                                               \
        duplicate_case(rng, channels, pe, ElementType::parse(type), outputs, frames,               \
                       [](Top& top) { return std::vector<AxisPort>{FINN_UNPAREN ports}; }));       \
    cases.back().inputs = [](Top& top) {                                                           \
        return std::vector<AxisPort>{FINN_AXIS_PORT(top, dup##i##_in0_V)};                         \
    };
    HLS_SUITE_DUPLICATES(FINN_DUP_SET)
#undef FINN_DUP_SET
    return cases;
}

// --- AddStreams ---------------------------------------------------------------------------------

Case add_case(std::mt19937_64& rng, unsigned channels, unsigned pe, ElementType input,
              ElementType output, std::size_t frames) {
    Case c;
    c.name = "AddStreams C=" + std::to_string(channels) + " PE=" + std::to_string(pe) + " " +
             input.name() + "->" + output.name();
    c.out_widths = {padded_width(pe * output.bits)};
    c.estimate = channels / pe;
    // Extremes on purpose: the sum of two minima (or maxima) needs the extra bit.
    auto a = test::random_values(rng, input, frames * channels);
    auto b = test::random_values(rng, input, frames * channels);
    a[0] = b[0] = input.min();
    a.back() = b.back() = input.max();
    c.in_words = {pack_elements(a, input, pe), pack_elements(b, input, pe)};
    std::vector<std::int64_t> sum(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        sum[i] = a[i] + b[i];
    c.reference = {pack_elements(sum, output, pe)};
    c.modelled = {AddStreamsModel({channels, pe, input, output}).run(c.in_words[0], c.in_words[1])};
    return c;
}

std::vector<Case> add_cases(std::mt19937_64& rng, std::size_t frames) {
    std::vector<Case> cases;
#define FINN_ADD_SET(i, channels, pe, in, out)                                                     \
    cases.push_back(                                                                               \
        add_case(rng, channels, pe, ElementType::parse(in), ElementType::parse(out), frames));     \
    cases.back().inputs = [](Top& top) {                                                           \
        return std::vector<AxisPort>{FINN_AXIS_PORT(top, add##i##_in0_V),                          \
                                     FINN_AXIS_PORT(top, add##i##_in1_V)};                         \
    };                                                                                             \
    cases.back().outputs = [](Top& top) {                                                          \
        return std::vector<AxisPort>{FINN_AXIS_PORT(top, add##i##_out_V)};                         \
    };
    HLS_SUITE_ADDS(FINN_ADD_SET)
#undef FINN_ADD_SET
    return cases;
}

// --- ChannelwiseOp ------------------------------------------------------------------------------

Case channelwise_case(std::mt19937_64& rng, ChannelwiseOpParams p, bool shared,
                      const std::string& file, std::size_t frames) {
    Case c;
    c.name = "ChannelwiseOp " + p.func + " C=" + std::to_string(p.channels) +
             " PE=" + std::to_string(p.pe) + " " + p.input.name() + "," + p.param.name() + "->" +
             p.output.name() + (shared ? " shared" : "");
    c.out_widths = {padded_width(p.pe * p.output.bits)};
    c.estimate = p.channels / p.pe;
    p.params = test::random_values(rng, p.param, shared ? 1 : p.channels);
    const auto x = test::random_values(rng, p.input, frames * p.channels);
    // Equal operands are the comparisons' corner: some inputs are their channel's parameter.
    std::vector<std::int64_t> in = x;
    for (std::size_t i = 0; i < in.size(); i += 3) {
        const std::int64_t param = p.params[shared ? 0 : i % p.channels];
        if (p.input.allows(param)) in[i] = param;
    }
    c.in_words = {pack_elements(in, p.input, p.pe)};
    std::vector<std::int64_t> y(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const std::int64_t param = p.params[shared ? 0 : i % p.channels];
        y[i] = p.func == "add"      ? param + in[i]
               : p.func == "mul"    ? param * in[i]
               : p.func == "cmp_le" ? (param <= in[i] ? 1 : 0)
                                    : (param >= in[i] ? 1 : 0);
    }
    c.reference = {pack_elements(y, p.output, p.pe)};
    const ChannelwiseOpModel model(p);
    c.modelled = {model.run(c.in_words[0])};
    write_readmemh(file, model.param_memory());
    return c;
}

std::vector<Case> channelwise_cases(std::mt19937_64& rng, std::size_t frames) {
    std::vector<Case> cases;
#define FINN_CWO_SET(i, channels, pe, func, in, param, out, shared, file)                          \
    cases.push_back(channelwise_case(rng,                                                          \
                                     {channels,                                                    \
                                      pe,                                                          \
                                      func,                                                        \
                                      ElementType::parse(in),                                      \
                                      ElementType::parse(param),                                   \
                                      ElementType::parse(out),                                     \
                                      {}},                                                         \
                                     shared != 0, file, frames));                                  \
    cases.back().inputs = [](Top& top) {                                                           \
        return std::vector<AxisPort>{FINN_AXIS_PORT(top, cwo##i##_in0_V)};                         \
    };                                                                                             \
    cases.back().outputs = [](Top& top) {                                                          \
        return std::vector<AxisPort>{FINN_AXIS_PORT(top, cwo##i##_out_V)};                         \
    };
    HLS_SUITE_CHANNELWISE(FINN_CWO_SET)
#undef FINN_CWO_SET
    return cases;
}

// --- VVAU ---------------------------------------------------------------------------------------

struct VvauSet {
    unsigned channels, kernel, pe, simd;
    ElementType input, weight;
    bool no_activation;
    unsigned steps;
    ElementType threshold, output;
    std::int64_t act_val;
    bool shared;
    std::string weight_file, threshold_file, mem_mode, res_type;
};

// A threshold near `value` (equality included), within the thresholds' type.
std::int64_t threshold_near(std::mt19937_64& rng, std::int64_t value, ElementType type) {
    return std::clamp<std::int64_t>(value + static_cast<std::int64_t>(rng() % 5) - 2, type.min(),
                                    type.max());
}

Case vvau_case(std::mt19937_64& rng, const VvauSet& s, std::size_t pixels) {
    Case c;
    c.name = "VVAU C=" + std::to_string(s.channels) + " k=" + std::to_string(s.kernel) +
             " PE=" + std::to_string(s.pe) + " SIMD=" + std::to_string(s.simd) + " " +
             s.input.name() + "*" + s.weight.name() + " -> " + s.output.name() +
             (s.no_activation ? " (accumulator)" : "") + " mem_mode " + s.mem_mode + " resType " +
             s.res_type;
    c.out_widths = {padded_width(s.pe * s.output.bits)};
    c.estimate = static_cast<double>(s.channels * s.kernel / s.pe / s.simd);
    // Weights W[c][i] (ONNX (C, 1, kh, kw)), inputs per pixel in Im2Col's (k, C) order.
    const auto w = test::random_values(rng, s.weight, std::size_t{s.channels} * s.kernel);
    const auto x = test::random_values(rng, s.input, pixels * s.kernel * s.channels);
    const bool bipolar = s.input.bipolar && s.weight.bipolar;
    std::vector<std::int64_t> acc;
    for (std::size_t v = 0; v < pixels; ++v)
        for (unsigned ch = 0; ch < s.channels; ++ch) {
            std::int64_t sum = 0;
            for (unsigned i = 0; i < s.kernel; ++i)
                sum += x[(v * s.kernel + i) * s.channels + ch] * w[std::size_t{ch} * s.kernel + i];
            acc.push_back(bipolar ? (sum + s.kernel) / 2 : sum);
        }
    MvauParams p;
    p.depthwise = true;
    p.mw = s.kernel;
    p.mh = s.channels;
    p.pe = s.pe;
    p.simd = s.simd;
    p.input = s.input;
    p.weight = s.weight;
    p.no_activation = s.no_activation;
    p.output = s.output;
    p.act_val = s.act_val;
    p.weights.resize(w.size());
    for (unsigned ch = 0; ch < s.channels; ++ch)
        for (unsigned i = 0; i < s.kernel; ++i)
            p.weights[std::size_t{i} * s.channels + ch] = w[std::size_t{ch} * s.kernel + i];
    std::vector<std::int64_t> out = acc;
    if (!s.no_activation) {
        p.thresholds = {s.shared ? 1u : s.channels, s.steps, s.threshold, {}};
        for (std::size_t k = 0; k < std::size_t{p.thresholds.rows} * s.steps; ++k)
            p.thresholds.values.push_back(
                threshold_near(rng, acc[rng() % acc.size()], s.threshold));
        for (std::size_t k = 0; k < acc.size(); ++k) {
            const std::size_t row = s.shared ? 0 : k % s.channels;
            std::int64_t count = 0;
            for (unsigned st = 0; st < s.steps; ++st)
                if (acc[k] >= p.thresholds.values[row * s.steps + st]) ++count;
            out[k] = s.output.bipolar ? 2 * count - 1 : s.act_val + count;
        }
    }
    c.reference = {pack_elements(out, s.output, s.pe)};
    // The stream carries each pixel in Im2Col's (k, C) order, the tensor's.
    c.in_words = {pack_elements(x, s.input, s.simd * s.pe)};
    const MvauModel model(p);
    c.modelled = {model.run(c.in_words[0])};
    write_readmemh(s.weight_file, model.weight_memory());
    if (!s.no_activation) write_readmemh(s.threshold_file, model.threshold_memory());
    if (s.mem_mode == "external") {
        const WordStream image = model.weight_memory();
        WordStream weights;
        for (std::size_t v = 0; v < pixels; ++v)
            weights.insert(weights.end(), image.begin(), image.end());
        c.in_words.push_back(weights);
    }
    return c;
}

std::vector<Case> vvau_cases(std::mt19937_64& rng, std::size_t pixels) {
    std::vector<Case> cases;
#define FINN_VVAU_SET(i, channels, kernel, pe, simd, in, w, no_act, steps, t, out, act, shared,    \
                      wfile, tfile, mem_mode, res_type)                                            \
    cases.push_back(                                                                               \
        vvau_case(rng,                                                                             \
                  {channels, kernel, pe, simd, ElementType::parse(in), ElementType::parse(w),      \
                   no_act != 0, steps, ElementType::parse(t), ElementType::parse(out), act,        \
                   shared != 0, wfile, tfile, mem_mode, res_type},                                 \
                  pixels));                                                                        \
    cases.back().inputs = [](Top& top) {                                                           \
        std::vector<AxisPort> ports{FINN_AXIS_PORT(top, vvau##i##_in0_V)};                         \
        if (std::string(mem_mode) == "external")                                                   \
            ports.push_back(FINN_AXIS_PORT(top, vvau##i##_in1_V));                                 \
        return ports;                                                                              \
    };                                                                                             \
    cases.back().outputs = [](Top& top) {                                                          \
        return std::vector<AxisPort>{FINN_AXIS_PORT(top, vvau##i##_out_V)};                        \
    };
    HLS_SUITE_VVAUS(FINN_VVAU_SET)
#undef FINN_VVAU_SET
    return cases;
}

// --- the suite ----------------------------------------------------------------------------------

// One round: fresh random data for every set (memory files written), then a fresh model.
class Round {
public:
    Round(std::mt19937_64& rng, std::size_t frames) {
        for (auto* group : {&duplicate_cases, &add_cases, &channelwise_cases, &vvau_cases})
            for (Case& c : (*group)(rng, frames))
                cases.push_back(std::move(c));
        context_ = std::make_unique<VerilatedContext>();
        top_ = std::make_unique<Top>(context_.get());
    }
    ~Round() { top_->final(); }

    StreamResult run(const Case& c, StreamOptions options) {
        StreamHarness harness(*top_, FINN_CLOCK_RESET(*top_));
        for (const AxisPort& port : c.inputs(*top_))
            harness.input(port);
        const std::vector<AxisPort> outputs = c.outputs(*top_);
        std::vector<std::size_t> expected;
        for (std::size_t j = 0; j < outputs.size(); ++j) {
            harness.output(outputs[j], c.out_widths[j]);
            expected.push_back(c.reference[j].size());
        }
        return harness.run(c.in_words, expected, options);
    }

    std::vector<Case> cases;

private:
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Top> top_;
};

TEST(StreamLayerRtlsim, EqualsModelAndReferenceUnderBackPressure) {
    std::mt19937_64 rng(1616);
    for (const BackPressure& bp : kBackPressure) {
        Round round(rng, 1 + rng() % 12);
        for (const Case& c : round.cases) {
            SCOPED_TRACE(c.name + ", " + describe(bp));
            ASSERT_EQ(c.modelled.size(), c.reference.size());
            for (std::size_t j = 0; j < c.reference.size(); ++j)
                EXPECT_TRUE(streams_equal(c.modelled[j], c.reference[j])) << "model output " << j;
            const StreamResult result = round.run(c, {.seed = rng(),
                                                      .input_valid_probability = bp.input_valid,
                                                      .output_ready_probability = bp.output_ready});
            ASSERT_TRUE(result.ok()) << result.error;
            for (std::size_t j = 0; j < c.reference.size(); ++j)
                EXPECT_TRUE(streams_equal(result.outputs[j], c.reference[j])) << "output " << j;
        }
    }
}

// Without back-pressure a frame (a vector; a pixel for the VVAU) takes FINN's expected cycles
// (finn-ops.md §5.1) within 5 %: NumChannels/PE for DuplicateStreams, AddStreams and
// ChannelwiseOp, C*k/(PE*SIMD) for the VVAU in every mem_mode.
TEST(StreamLayerRtlsim, CyclesPerFrameMatchFinnsEstimate) {
    std::mt19937_64 rng(1717);
    const std::size_t frames = 64;
    Round round(rng, frames);
    for (const Case& c : round.cases) {
        const StreamResult result = round.run(c, {});
        ASSERT_TRUE(result.ok()) << result.error;
        EXPECT_TRUE(streams_equal(result.outputs[0], c.reference[0])) << c.name;
        const double measured = static_cast<double>(result.cycles) / frames;
        std::cout << c.name << ": " << measured << " cycles/frame, estimate " << c.estimate << "\n";
        EXPECT_NEAR(measured / c.estimate, 1.0, 0.05) << c.name;
    }
}

// The comparison can fail: a planted wrong output bit of each kind of layer is reported.
TEST(StreamLayerRtlsim, PlantedWrongValueIsCaught) {
    std::mt19937_64 rng(1818);
    Round round(rng, 4);
    for (const std::string kind : {"DuplicateStreams", "AddStreams", "ChannelwiseOp", "VVAU"}) {
        const auto it = std::find_if(round.cases.begin(), round.cases.end(), [&](const Case& c) {
            return c.name.rfind(kind + " ", 0) == 0;
        });
        ASSERT_NE(it, round.cases.end()) << kind;
        const StreamResult result = round.run(*it, {});
        ASSERT_TRUE(result.ok()) << result.error;
        const std::size_t j = it->reference.size() - 1; // the last output
        WordStream planted = it->reference[j];
        planted[1].set_bits(0, 1, planted[1].bits(0, 1) ^ 1);
        EXPECT_NONFATAL_FAILURE(EXPECT_TRUE((streams_equal(result.outputs[j], planted))), "word 1");
    }
}

} // namespace
} // namespace finn::hls
