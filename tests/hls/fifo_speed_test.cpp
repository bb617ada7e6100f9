// One component Verilated on its own through finn_verilate(PARAMETERS DEPTH=64 WIDTH=32
// RAM_STYLE=distributed): checks the parameters arrived, and measures simulated cycles per second
// of the stream harness against a bare eval() loop of the same model (printed for the record).
#include "Vstreaming_fifo.h"
#include "finn/hls/element_packing.h"
#include "finn/hls/stream_harness.h"
#include "hls_test_support.h"

#include <cstdio>
#include <gtest/gtest.h>

namespace finn::hls {
namespace {

TEST(FifoSpeed, HarnessAgainstBareEvalLoop) {
    VerilatedContext context;
    Vstreaming_fifo top(&context);
    StreamHarness harness(top, FINN_CLOCK_RESET(top));
    harness.input(FINN_AXIS_PORT(top, in0_V)).output(FINN_AXIS_PORT(top, out_V), 32);

    std::mt19937_64 rng(3);
    const ElementType type = ElementType::parse("INT8");
    const std::size_t words = 400000;
    const WordStream input = pack_elements(test::random_values(rng, type, words * 4), type, 4);
    const StreamResult result = harness.run({input}, {words}, {.seed = 5});
    ASSERT_TRUE(result.ok()) << result.error;
    EXPECT_TRUE(test::streams_equal(result.outputs[0], input));
    EXPECT_EQ(top.maxcount, 2u); // full rate: a word waits one cycle in the RAM, one at the output

    const StreamResult slow =
        harness.run({input}, {words}, {.seed = 6, .output_ready_probability = 0.5});
    ASSERT_TRUE(slow.ok()) << slow.error;
    EXPECT_EQ(top.maxcount, 64u); // DEPTH=64 reached the model

    top.in0_V_TVALID = 1;
    top.out_V_TREADY = 1;
    const double bare = bare_eval_cycles_per_second(top, FINN_CLOCK_RESET(top),
                                                    FINN_AXIS_PORT(top, in0_V), input, 2000000);
    std::printf("streaming_fifo DEPTH=64 WIDTH=32: harness %.2f Mcycles/s (no back-pressure), "
                "%.2f Mcycles/s (random ready), bare eval() loop %.2f Mcycles/s\n",
                result.cycles_per_second() / 1e6, slow.cycles_per_second() / 1e6, bare / 1e6);
    RecordProperty("harness_cycles_per_second", std::to_string(result.cycles_per_second()));
    RecordProperty("bare_eval_cycles_per_second", std::to_string(bare));
    EXPECT_GT(result.cycles_per_second(), 0);
}

} // namespace
} // namespace finn::hls
