// Simulated cycles per second of the MVAU (hls/rtl/mvau) in the stream harness against a bare
// eval() loop. The layer's parameters come from bench/CMakeLists.txt (FINN_BENCH_*), the same
// list that Verilated it; weights and thresholds are random and written before the model is built.
#include "Vmvau.h"
#include "finn/hls/element_packing.h"
#include "mvau_bench_layer.h"

#include <random>

using namespace finn::hls;

int main(int argc, char** argv) {
    const int runs = bench::parse_arguments(argc, argv);
    std::mt19937_64 rng(11);
    MvauParams shape;
    shape.mw = FINN_BENCH_MW;
    shape.mh = FINN_BENCH_MH;
    shape.pe = FINN_BENCH_PE;
    shape.simd = FINN_BENCH_SIMD;
    const MvauModel model = bench::thresholded_layer(rng, shape, -480, 64);

    const std::size_t vectors = 16384;
    const ElementType input_type = bench::integer_type(FINN_BENCH_IN_BITS, FINN_BENCH_IN_SIGNED);
    const WordStream input = pack_elements(
        bench::random_values(rng, input_type, vectors * shape.mw), input_type, shape.simd);
    const WordStream expected = model.run(input);

    const auto figures = bench::measure_one_stream<Vmvau>(input, expected, runs);
    bench::print_row("MVAU " + std::to_string(shape.mw) + "x" + std::to_string(shape.mh) + " " +
                         bench::folding_label(shape.pe, shape.simd),
                     figures);
    return 0;
}
