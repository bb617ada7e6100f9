// Simulated cycles per second of the MVAU (hls/rtl/mvau) in the stream harness against a bare
// eval() loop. The layer's parameters come from bench/CMakeLists.txt (FINN_BENCH_*), the same
// list that Verilated it; weights and thresholds are random and written before the model is built.
#include "Vmvau.h"
#include "finn/hls/element_packing.h"
#include "finn/hls/memory_file.h"
#include "finn/hls/mvau_model.h"
#include "harness_bench.h"

#include <memory>
#include <random>

using namespace finn::hls;

namespace {

std::vector<std::int64_t> random_values(std::mt19937_64& rng, ElementType type, std::size_t n) {
    std::uniform_int_distribution<std::int64_t> draw(type.min(), type.max());
    std::vector<std::int64_t> values(n);
    for (auto& v : values)
        v = draw(rng);
    return values;
}

} // namespace

int main(int argc, char** argv) {
    const int runs = bench::parse_arguments(argc, argv);
    std::mt19937_64 rng(11);
    MvauParams p;
    p.mw = FINN_BENCH_MW;
    p.mh = FINN_BENCH_MH;
    p.pe = FINN_BENCH_PE;
    p.simd = FINN_BENCH_SIMD;
    p.input = bench::integer_type(FINN_BENCH_IN_BITS, FINN_BENCH_IN_SIGNED);
    p.weight = bench::integer_type(FINN_BENCH_W_BITS, FINN_BENCH_W_SIGNED);
    p.weights = random_values(rng, p.weight, std::size_t{p.mw} * p.mh);
    p.no_activation = false;
    p.output = bench::integer_type(FINN_BENCH_OUT_BITS, false);
    const ElementType acc = bench::integer_type(FINN_BENCH_THRESH_BITS, FINN_BENCH_THRESH_SIGNED);
    // Thresholds spread over the accumulator's likely range, sorted per channel as FINN's are.
    const unsigned steps = FINN_BENCH_STEPS;
    std::vector<std::int64_t> thresholds;
    for (unsigned c = 0; c < p.mh; ++c)
        for (unsigned s = 0; s < steps; ++s)
            thresholds.push_back(static_cast<std::int64_t>(s * 64) - 480 +
                                 static_cast<std::int64_t>(rng() % 32));
    p.thresholds = ThresholdTable{p.mh, steps, acc, thresholds};
    const MvauModel model(p);
    write_readmemh(FINN_BENCH_WEIGHT_FILE, model.weight_memory());
    write_readmemh(FINN_BENCH_THRESH_FILE, model.threshold_memory());

    const std::size_t vectors = 16384;
    const WordStream input =
        pack_elements(random_values(rng, p.input, vectors * p.mw), p.input, p.simd);
    const WordStream expected = model.run(input);
    const unsigned out_width = expected.front().width();

    const auto figures = bench::measure<Vmvau>(
        [] { return std::make_unique<Vmvau>(); },
        [out_width](StreamHarness<Vmvau>& h, Vmvau& top) {
            h.input(FINN_AXIS_PORT(top, in0_V)).output(FINN_AXIS_PORT(top, out_V), out_width);
        },
        input, expected, runs);
    bench::print_row("MVAU " + std::to_string(p.mw) + "x" + std::to_string(p.mh) + " PE" +
                         std::to_string(p.pe) + " SIMD" + std::to_string(p.simd) + " " +
                         p.input.name() + "/" + p.weight.name() + ", " + std::to_string(steps) +
                         " thresholds",
                     figures);
    return 0;
}
