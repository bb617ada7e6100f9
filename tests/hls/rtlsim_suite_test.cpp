// rtlsim of every parameter set in the Verilated suite (hls_suite.cmake): the hardware's output
// equals the C++ model's and an independent element-level reference, with and without random
// back-pressure; throughput as expected; and the harness itself can fail.
#include "Vhls_suite.h"
#include "finn/hls/element_packing.h"
#include "finn/hls/memory_file.h"
#include "finn/hls/stream_harness.h"
#include "finn/hls/streaming_fifo_model.h"
#include "finn/hls/width_converter_model.h"
#include "hls_suite_sets.h"
#include "hls_test_support.h"

#include <cmath>
#include <functional>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <memory>
#include <numeric>
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

struct FifoSet {
    unsigned depth;
    unsigned width;
    bool word_storage; // axis_fifo_shift_register's WORD_STORAGE (bit chains otherwise)
    AxisPort in, out;
    std::function<unsigned()> maxcount;
};

struct DwcSet {
    unsigned in_width;
    unsigned out_width;
    AxisPort in, out;
};

// One Verilated suite for the whole program: constructing it is cheap, but one is enough.
class SuiteTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        // The streamer's image is drawn afresh and written before the model loads it.
        std::mt19937_64 rng(1313);
        const ElementType type = ElementType::parse("UINT4");
        const unsigned per_word = HLS_SUITE_STREAMER_WIDTH / type.bits;
        streamer_image_ = pack_elements(
            test::random_values(rng, type, std::size_t{HLS_SUITE_STREAMER_DEPTH} * per_word), type,
            per_word);
        write_readmemh(HLS_SUITE_STREAMER_FILE, streamer_image_);
        context_ = std::make_unique<VerilatedContext>();
        top_ = std::make_unique<Vhls_suite>(context_.get());
    }
    static void TearDownTestSuite() {
        top_->final();
        top_.reset();
        context_.reset();
    }

    static std::vector<FifoSet> fifo_sets() {
        Vhls_suite& top = *top_;
        std::vector<FifoSet> sets;
#define FINN_FIFO_SET(index, depth, width, storage)                                                \
    sets.push_back({depth, width, storage != 0, FINN_AXIS_PORT(top, fifo##index##_in0_V),          \
                    FINN_AXIS_PORT(top, fifo##index##_out_V),                                      \
                    [&top] { return static_cast<unsigned>(top.fifo##index##_maxcount); }});
        HLS_SUITE_FIFOS(FINN_FIFO_SET)
#undef FINN_FIFO_SET
        return sets;
    }

    static std::vector<DwcSet> dwc_sets() {
        Vhls_suite& top = *top_;
        std::vector<DwcSet> sets;
#define FINN_DWC_SET(index, in_width, out_width)                                                   \
    sets.push_back({in_width, out_width, FINN_AXIS_PORT(top, dwc##index##_in0_V),                  \
                    FINN_AXIS_PORT(top, dwc##index##_out_V)});
        HLS_SUITE_DWCS(FINN_DWC_SET)
#undef FINN_DWC_SET
        return sets;
    }

    static StreamResult run(const AxisPort& in, const AxisPort& out, unsigned out_width,
                            const WordStream& words, std::size_t expected_words,
                            StreamOptions options) {
        StreamHarness harness(*top_, FINN_CLOCK_RESET(*top_));
        harness.input(in).output(out, out_width);
        return harness.run({words}, {expected_words}, options);
    }

    static std::unique_ptr<VerilatedContext> context_;
    static std::unique_ptr<Vhls_suite> top_;
    static WordStream streamer_image_;
};
std::unique_ptr<VerilatedContext> SuiteTest::context_;
std::unique_ptr<Vhls_suite> SuiteTest::top_;
WordStream SuiteTest::streamer_image_;

TEST_F(SuiteTest, FifoOutputEqualsModelAndReferenceUnderBackPressure) {
    std::mt19937_64 rng(2024);
    for (const FifoSet& set : fifo_sets()) {
        for (const BackPressure& bp : kBackPressure) {
            const ElementType type = test::random_element_type(rng, set.width);
            const unsigned per_word = set.width / type.bits;
            const std::size_t words = 1 + rng() % (2 * set.depth + 40);
            const auto values = test::random_values(rng, type, words * per_word);
            const WordStream input = pack_elements(values, type, per_word);

            StreamingFifoModel model(set.depth, set.width);
            const WordStream expected = model.run(input);
            const StreamResult result =
                run(set.in, set.out, padded_width(set.width), input, input.size(),
                    {.seed = rng(),
                     .input_valid_probability = bp.input_valid,
                     .output_ready_probability = bp.output_ready});
            SCOPED_TRACE("FIFO depth " + std::to_string(set.depth) + " width " +
                         std::to_string(set.width) + (set.word_storage ? "" : " (bit chains)") +
                         ", " + type.name() + ", valid " + std::to_string(bp.input_valid) +
                         " ready " + std::to_string(bp.output_ready));
            ASSERT_TRUE(result.ok()) << result.error;
            EXPECT_TRUE(streams_equal(result.outputs[0], expected));
            EXPECT_EQ(unpack_elements(result.outputs[0], type, per_word), values);
            EXPECT_LE(set.maxcount(), set.depth);
        }
    }
}

// With a slow consumer the FIFO fills to exactly its depth (sizing relies on that capacity).
TEST_F(SuiteTest, FifoHoldsExactlyDepthWords) {
    std::mt19937_64 rng(7);
    for (const FifoSet& set : fifo_sets()) {
        const ElementType type = ElementType::parse("BINARY");
        const auto values = test::random_values(rng, type, (2 * set.depth + 20) * set.width);
        const WordStream input = pack_elements(values, type, set.width);
        const StreamResult result =
            run(set.in, set.out, padded_width(set.width), input, input.size(),
                {.seed = 3, .output_ready_probability = 0.02});
        ASSERT_TRUE(result.ok()) << result.error;
        EXPECT_EQ(set.maxcount(), set.depth) << "FIFO depth " << set.depth;
    }
}

// One word per cycle without back-pressure: n words take n cycles plus the latency.
TEST_F(SuiteTest, FifoMovesOneWordPerCycle) {
    std::mt19937_64 rng(8);
    for (const FifoSet& set : fifo_sets()) {
        const ElementType type = test::random_element_type(rng, set.width);
        const unsigned per_word = set.width / type.bits;
        const std::size_t words = 2000;
        const WordStream input =
            pack_elements(test::random_values(rng, type, words * per_word), type, per_word);
        const StreamResult result = run(set.in, set.out, padded_width(set.width), input, words, {});
        ASSERT_TRUE(result.ok()) << result.error;
        EXPECT_LE(result.cycles, words + 2) << "FIFO depth " << set.depth;
        EXPECT_LE(static_cast<double>(result.cycles) / words, 1.05);
    }
}

// Frames as FINN folds them: the innermost dimension (a row) holds whole input and output words.
struct DwcCase {
    ElementType type;
    unsigned in_elems, out_elems;
    std::vector<std::int64_t> values;
};

DwcCase random_dwc_case(std::mt19937_64& rng, const DwcSet& set, unsigned rows) {
    DwcCase c;
    c.type = test::random_element_type(rng, test::gcd(set.in_width, set.out_width));
    c.in_elems = set.in_width / c.type.bits;
    c.out_elems = set.out_width / c.type.bits;
    const unsigned row = std::lcm(c.in_elems, c.out_elems) * (1 + rng() % 3);
    c.values = test::random_values(rng, c.type, static_cast<std::size_t>(row) * rows);
    return c;
}

TEST_F(SuiteTest, DwcOutputEqualsModelAndReferenceUnderBackPressure) {
    std::mt19937_64 rng(99);
    for (const DwcSet& set : dwc_sets()) {
        for (const BackPressure& bp : kBackPressure) {
            const DwcCase c = random_dwc_case(rng, set, 1 + rng() % 6);
            const WordStream input = pack_elements(c.values, c.type, c.in_elems);
            // Independent reference: the same elements folded for the output width.
            const WordStream reference = pack_elements(c.values, c.type, c.out_elems);
            WidthConverterModel model(set.in_width, set.out_width);
            const WordStream modelled = model.run(input);
            const StreamResult result =
                run(set.in, set.out, padded_width(set.out_width), input, reference.size(),
                    {.seed = rng(),
                     .input_valid_probability = bp.input_valid,
                     .output_ready_probability = bp.output_ready});
            SCOPED_TRACE("DWC " + std::to_string(set.in_width) + " -> " +
                         std::to_string(set.out_width) + " bits, " + c.type.name() + ", valid " +
                         std::to_string(bp.input_valid) + " ready " +
                         std::to_string(bp.output_ready));
            ASSERT_TRUE(result.ok()) << result.error;
            EXPECT_TRUE(streams_equal(modelled, reference));
            EXPECT_TRUE(streams_equal(result.outputs[0], reference));
        }
    }
}

// Without back-pressure the converter keeps its busier side moving every cycle: a frame takes
// max(input words, output words) cycles (the rate FINN's folding assumes; FINN's own
// get_exp_cycles gives 0 for a DWC). Within 5 %.
TEST_F(SuiteTest, DwcMovesOneWordPerCycleOnItsBusierSide) {
    std::mt19937_64 rng(100);
    for (const DwcSet& set : dwc_sets()) {
        DwcCase c = random_dwc_case(rng, set, 1);
        const std::size_t row = c.values.size();
        const std::size_t rows = (2000 * std::max(c.in_elems, c.out_elems) + row - 1) / row;
        c.values = test::random_values(rng, c.type, row * rows);
        const WordStream input = pack_elements(c.values, c.type, c.in_elems);
        const std::size_t out_words = c.values.size() / c.out_elems;
        const StreamResult result =
            run(set.in, set.out, padded_width(set.out_width), input, out_words, {});
        ASSERT_TRUE(result.ok()) << result.error;
        const double expected = static_cast<double>(std::max(input.size(), out_words));
        EXPECT_NEAR(result.cycles / expected, 1.0, 0.05)
            << "DWC " << set.in_width << " -> " << set.out_width << ": " << result.cycles
            << " cycles for " << input.size() << " words in, " << out_words << " out";
    }
}

TEST_F(SuiteTest, SkidBufferPassesEveryWordAtFullRate) {
    Vhls_suite& top = *top_;
    const AxisPort in = FINN_AXIS_PORT(top, skid_in0_V), out = FINN_AXIS_PORT(top, skid_out_V);
    std::mt19937_64 rng(12);
    const ElementType type = ElementType::parse("UINT5");
    const unsigned per_word = HLS_SUITE_SKID_WIDTH / type.bits;
    for (const BackPressure& bp : kBackPressure) {
        const auto values = test::random_values(rng, type, 1000 * per_word);
        const WordStream input = pack_elements(values, type, per_word);
        const StreamResult result =
            run(in, out, padded_width(HLS_SUITE_SKID_WIDTH), input, input.size(),
                {.seed = rng(),
                 .input_valid_probability = bp.input_valid,
                 .output_ready_probability = bp.output_ready});
        ASSERT_TRUE(result.ok()) << result.error;
        EXPECT_TRUE(streams_equal(result.outputs[0], input));
        if (bp.input_valid == 1.0 && bp.output_ready == 1.0) {
            EXPECT_LE(result.cycles, input.size() + 2);
        }
    }
}

// The memory streamer sends its image's words in order, again and again, one per cycle unless
// back-pressured, whatever the back-pressure.
TEST_F(SuiteTest, MemoryStreamerLoopsOverItsImage) {
    Vhls_suite& top = *top_;
    std::mt19937_64 rng(14);
    for (const BackPressure& bp : kBackPressure) {
        // Three and a half passes; the streamer never stops, so no check for surplus words.
        WordStream expected;
        for (int pass = 0; pass < 3; ++pass)
            expected.insert(expected.end(), streamer_image_.begin(), streamer_image_.end());
        expected.insert(expected.end(), streamer_image_.begin(),
                        streamer_image_.begin() + HLS_SUITE_STREAMER_DEPTH / 2);
        StreamHarness harness(top, FINN_CLOCK_RESET(top));
        harness.output(FINN_AXIS_PORT(top, streamer_out_V), padded_width(HLS_SUITE_STREAMER_WIDTH));
        const StreamResult result = harness.run(
            {}, {expected.size()},
            {.seed = rng(), .output_ready_probability = bp.output_ready, .drain_cycles = 0});
        ASSERT_TRUE(result.ok()) << result.error;
        EXPECT_TRUE(streams_equal(result.outputs[0], expected));
        if (bp.output_ready == 1.0) {
            EXPECT_LE(result.cycles, expected.size() + 2);
        }
    }
}

// The checks can fail: a planted wrong expected word, a missing word (timeout) and a surplus
// word are all reported.
TEST_F(SuiteTest, HarnessReportsWrongMissingAndSurplusWords) {
    const FifoSet set = fifo_sets().at(2);
    std::mt19937_64 rng(1);
    const ElementType type = ElementType::parse("INT4");
    const unsigned per_word = set.width / type.bits;
    const WordStream input =
        pack_elements(test::random_values(rng, type, 50 * per_word), type, per_word);
    const unsigned width = padded_width(set.width);

    const StreamResult good = run(set.in, set.out, width, input, input.size(), {});
    ASSERT_TRUE(good.ok()) << good.error;
    WordStream planted = input;
    planted[17].set_bits(3, 1, planted[17].bits(3, 1) ^ 1);
    // Parenthesised: a bare comma would split the macro's arguments.
    EXPECT_NONFATAL_FAILURE(EXPECT_TRUE((streams_equal(good.outputs[0], planted))), "word 17");

    const StreamResult missing =
        run(set.in, set.out, width, input, input.size() + 1, {.max_cycles = 500});
    EXPECT_NE(missing.error.find("timeout"), std::string::npos) << missing.error;

    const StreamResult surplus = run(set.in, set.out, width, input, input.size() - 1, {});
    EXPECT_NE(surplus.error.find("beyond the expected count"), std::string::npos) << surplus.error;
}

} // namespace
} // namespace finn::hls
