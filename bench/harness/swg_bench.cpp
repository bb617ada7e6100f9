// Simulated cycles per second of the ConvolutionInputGenerator
// (hls/rtl/convolution_input_generator) in the stream harness against a bare eval() loop.
// Parameters from bench/CMakeLists.txt (FINN_BENCH_*); the input maps are random, the output is
// checked against the C++ model.
#include "Vconvolution_input_generator.h"
#include "finn/hls/element_packing.h"
#include "finn/hls/sliding_window_model.h"
#include "harness_bench.h"

#include <random>

using namespace finn::hls;

int main(int argc, char** argv) {
    const int runs = bench::parse_arguments(argc, argv);
    std::mt19937_64 rng(13);
    SlidingWindowParams p;
    p.ifm_h = FINN_BENCH_IFM_H;
    p.ifm_w = FINN_BENCH_IFM_W;
    p.kernel_h = FINN_BENCH_KERNEL_H;
    p.kernel_w = FINN_BENCH_KERNEL_W;
    p.channels = FINN_BENCH_CHANNELS;
    p.simd = FINN_BENCH_SIMD;
    p.bits = FINN_BENCH_BITS;
    const ElementType type = bench::integer_type(FINN_BENCH_BITS, false);
    std::uniform_int_distribution<std::int64_t> draw(type.min(), type.max());

    const std::size_t frames = 4;
    std::vector<std::int64_t> values(frames * p.ifm_h * p.ifm_w * p.channels);
    for (auto& v : values)
        v = draw(rng);
    const WordStream input = pack_elements(values, type, p.simd);
    const WordStream expected = SlidingWindowModel(p).run(input);

    const auto figures =
        bench::measure_one_stream<Vconvolution_input_generator>(input, expected, runs);
    bench::print_row("ConvolutionInputGenerator " + std::to_string(p.ifm_h) + "x" +
                         std::to_string(p.ifm_w) + " k" + std::to_string(p.kernel_h) + "x" +
                         std::to_string(p.kernel_w) + " C" + std::to_string(p.channels) + " SIMD" +
                         std::to_string(p.simd) + " " + type.name(),
                     figures);
    return 0;
}
