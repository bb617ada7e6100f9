// Simulated cycles per second of Thresholding (hls/rtl/thresholding) in the stream harness against
// a bare eval() loop. Parameters from bench/CMakeLists.txt (FINN_BENCH_*); thresholds are random
// and written before the model is built.
#include "Vthresholding.h"
#include "finn/hls/element_packing.h"
#include "finn/hls/memory_file.h"
#include "finn/hls/thresholding_model.h"
#include "harness_bench.h"

#include <random>

using namespace finn::hls;

int main(int argc, char** argv) {
    const int runs = bench::parse_arguments(argc, argv);
    std::mt19937_64 rng(12);
    ThresholdingParams p;
    p.channels = FINN_BENCH_CHANNELS;
    p.pe = FINN_BENCH_PE;
    p.input = bench::integer_type(FINN_BENCH_IN_BITS, FINN_BENCH_IN_SIGNED);
    p.output = bench::integer_type(FINN_BENCH_OUT_BITS, false);
    const ElementType threshold_type =
        bench::integer_type(FINN_BENCH_THRESH_BITS, FINN_BENCH_THRESH_SIGNED);
    const unsigned steps = FINN_BENCH_STEPS;
    std::uniform_int_distribution<std::int64_t> draw_input(p.input.min(), p.input.max());
    std::vector<std::int64_t> thresholds(std::size_t{p.channels} * steps);
    for (auto& t : thresholds)
        t = draw_input(rng);
    p.thresholds = ThresholdTable{p.channels, steps, threshold_type, thresholds};
    const ThresholdingModel model(p);
    write_readmemh(FINN_BENCH_THRESH_FILE, model.threshold_memory());

    const std::size_t frames = 32768;
    std::vector<std::int64_t> values(frames * p.channels);
    for (auto& v : values)
        v = draw_input(rng);
    const WordStream input = pack_elements(values, p.input, p.pe);
    const WordStream expected = model.run(input);

    const auto figures = bench::measure_one_stream<Vthresholding>(input, expected, runs);
    bench::print_row("Thresholding C" + std::to_string(p.channels) + " PE" + std::to_string(p.pe) +
                         " " + p.input.name() + " -> " + p.output.name(),
                     figures);
    return 0;
}
