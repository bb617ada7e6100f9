// Shared by the MVAU and VVAU harness benchmarks (the VVAU is the MVAU's hardware in its depthwise
// form): both take their datatypes, threshold count and memory files from the same FINN_BENCH_*
// parameters (bench/CMakeLists.txt).
#pragma once

#include "finn/hls/memory_file.h"
#include "finn/hls/mvau_model.h"
#include "harness_bench.h"

#include <random>
#include <string>

namespace finn::hls::bench {

// `shape` gives mw, mh, pe, simd and depthwise. Weights are random, the FINN_BENCH_STEPS
// thresholds per channel `spacing` apart from `lowest`; both memory files are written here,
// before the Verilated model (which reads them at construction) is built.
inline MvauModel thresholded_layer(std::mt19937_64& rng, MvauParams shape, std::int64_t lowest,
                                   std::int64_t spacing) {
    MvauParams p = std::move(shape);
    p.input = integer_type(FINN_BENCH_IN_BITS, FINN_BENCH_IN_SIGNED);
    p.weight = integer_type(FINN_BENCH_W_BITS, FINN_BENCH_W_SIGNED);
    p.weights = random_values(rng, p.weight, std::size_t{p.mw} * p.mh);
    p.no_activation = false;
    p.output = integer_type(FINN_BENCH_OUT_BITS, false);
    const ElementType acc = integer_type(FINN_BENCH_THRESH_BITS, FINN_BENCH_THRESH_SIGNED);
    p.thresholds = ThresholdTable{p.mh, FINN_BENCH_STEPS, acc,
                                  spread_thresholds(rng, p.mh, FINN_BENCH_STEPS, lowest, spacing)};
    MvauModel model(p);
    write_readmemh(FINN_BENCH_WEIGHT_FILE, model.weight_memory());
    write_readmemh(FINN_BENCH_THRESH_FILE, model.threshold_memory());
    return model;
}

// The table row's folding and datatypes, e.g. "PE8 SIMD16 UINT4/INT4, 15 thresholds".
inline std::string folding_label(unsigned pe, unsigned simd) {
    return "PE" + std::to_string(pe) + " SIMD" + std::to_string(simd) + " " +
           integer_type(FINN_BENCH_IN_BITS, FINN_BENCH_IN_SIGNED).name() + "/" +
           integer_type(FINN_BENCH_W_BITS, FINN_BENCH_W_SIGNED).name() + ", " +
           std::to_string(FINN_BENCH_STEPS) + " thresholds";
}

} // namespace finn::hls::bench
