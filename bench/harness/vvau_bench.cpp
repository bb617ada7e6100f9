// Simulated cycles per second of the VVAU (hls/rtl/vvau, depthwise convolution) in the stream
// harness against a bare eval() loop. Parameters from bench/CMakeLists.txt (FINN_BENCH_*); weights
// and thresholds are random and written before the model is built, the input pixels are random
// Im2Col (k, C) vectors and the output is checked against the C++ model.
#include "Vvvau.h"
#include "finn/hls/element_packing.h"
#include "mvau_bench_layer.h"

#include <random>

using namespace finn::hls;

int main(int argc, char** argv) {
    const int runs = bench::parse_arguments(argc, argv);
    std::mt19937_64 rng(14);
    MvauParams shape;
    shape.depthwise = true;
    shape.mw = FINN_BENCH_KERNEL;
    shape.mh = FINN_BENCH_CHANNELS;
    shape.pe = FINN_BENCH_PE;
    shape.simd = FINN_BENCH_SIMD;
    // A 9-term UINT4 x INT4 sum spreads over about +-250 around -35: thresholds 16 apart from -120.
    const MvauModel model = bench::thresholded_layer(rng, shape, -120, 16);

    // Four frames of a 32x32 output map.
    const std::size_t pixels = 4 * 32 * 32;
    const ElementType input_type = bench::integer_type(FINN_BENCH_IN_BITS, FINN_BENCH_IN_SIGNED);
    const WordStream input =
        pack_elements(bench::random_values(rng, input_type, pixels * shape.mw * shape.mh),
                      input_type, shape.simd * shape.pe);
    const WordStream expected = model.run(input);

    const auto figures = bench::measure_one_stream<Vvvau>(input, expected, runs);
    bench::print_row("VVAU C" + std::to_string(shape.mh) + " k" + std::to_string(shape.mw) + " " +
                         bench::folding_label(shape.pe, shape.simd),
                     figures);
    return 0;
}
