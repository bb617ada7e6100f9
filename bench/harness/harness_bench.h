// Shared by the harness benchmarks: runs one Verilated layer through the stream harness several
// times (without and with random back-pressure), clocks the same model with a bare eval() loop,
// and prints one table row of medians. The output is checked against the layer's C++ model, so a
// fast but wrong model does not pass for a result.
#pragma once

#include "finn/hls/element_packing.h"
#include "finn/hls/stream_harness.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace finn::hls::bench {

// The FINN integer type of a component's BITS/SIGNED parameter pair.
inline ElementType integer_type(int bits, bool is_signed) {
    return ElementType::parse((is_signed ? "INT" : "UINT") + std::to_string(bits));
}

// `n` values drawn uniformly from `type`'s range.
inline std::vector<std::int64_t> random_values(std::mt19937_64& rng, ElementType type,
                                               std::size_t n) {
    std::uniform_int_distribution<std::int64_t> draw(type.min(), type.max());
    std::vector<std::int64_t> values(n);
    for (auto& v : values)
        v = draw(rng);
    return values;
}

// `rows` x `steps` thresholds over an accumulator's likely range, sorted per row as FINN's are:
// step s of a row is lowest + s * spacing plus a random jitter below spacing / 2.
inline std::vector<std::int64_t> spread_thresholds(std::mt19937_64& rng, unsigned rows,
                                                   unsigned steps, std::int64_t lowest,
                                                   std::int64_t spacing) {
    std::vector<std::int64_t> thresholds;
    for (unsigned row = 0; row < rows; ++row)
        for (unsigned s = 0; s < steps; ++s)
            thresholds.push_back(lowest + static_cast<std::int64_t>(s) * spacing +
                                 static_cast<std::int64_t>(rng() % (spacing / 2)));
    return thresholds;
}

inline double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

struct HarnessFigures {
    double harness = 0;       // cycles/s, no back-pressure
    double back_pressure = 0; // cycles/s, random valid/ready
    double bare = 0;          // cycles/s, bare eval() loop
    std::uint64_t cycles = 0; // cycles of one run without back-pressure
};

// `make_model` builds a fresh model (memory files are read at construction); `bind` binds its
// ports to a harness. Exits with status 1 when a run fails or differs from `expected`.
template <class Model, class MakeModel, class Bind>
HarnessFigures measure(MakeModel make_model, Bind bind, const WordStream& input,
                       const WordStream& expected, int runs) {
    std::vector<double> harness, back_pressure, bare;
    HarnessFigures figures;
    for (int run = 0; run < runs; ++run) {
        auto model = make_model();
        StreamHarness<Model> h(*model, FINN_CLOCK_RESET(*model));
        bind(h, *model);
        for (double probability : {1.0, 0.5}) {
            const StreamResult result = h.run({input}, {expected.size()},
                                              {.seed = static_cast<std::uint64_t>(run + 1),
                                               .input_valid_probability = probability,
                                               .output_ready_probability = probability});
            if (!result.ok() || result.outputs[0] != expected) {
                std::fprintf(stderr, "harness bench: run %d failed: %s\n", run,
                             result.ok() ? "output differs from the C++ model"
                                         : result.error.c_str());
                std::exit(1);
            }
            (probability == 1.0 ? harness : back_pressure).push_back(result.cycles_per_second());
            if (probability == 1.0) figures.cycles = result.cycles;
        }
        model->in0_V_TVALID = 1;
        model->out_V_TREADY = 1;
        bare.push_back(bare_eval_cycles_per_second(*model, FINN_CLOCK_RESET(*model),
                                                   FINN_AXIS_PORT(*model, in0_V), input,
                                                   figures.cycles));
    }
    figures.harness = median(harness);
    figures.back_pressure = median(back_pressure);
    figures.bare = median(bare);
    return figures;
}

// measure() for a layer with one input (in0_V) and one output (out_V), built by its default
// constructor.
template <class Model>
HarnessFigures measure_one_stream(const WordStream& input, const WordStream& expected, int runs) {
    const unsigned out_width = expected.front().width();
    return measure<Model>(
        [] { return std::make_unique<Model>(); },
        [out_width](StreamHarness<Model>& h, Model& top) {
            h.input(FINN_AXIS_PORT(top, in0_V)).output(FINN_AXIS_PORT(top, out_V), out_width);
        },
        input, expected, runs);
}

inline void print_row(const std::string& name, const HarnessFigures& f) {
    // Harness cost over the bare loop: extra time per simulated cycle, in percent.
    const double overhead = (f.bare / f.harness - 1.0) * 100.0;
    std::printf("| %-50s | %10llu | %8.2f | %8.2f | %8.2f | %+7.1f %% |\n", name.c_str(),
                static_cast<unsigned long long>(f.cycles), f.harness / 1e6, f.back_pressure / 1e6,
                f.bare / 1e6, overhead);
}

inline void print_header() {
    std::printf("| %-50s | %10s | %8s | %8s | %8s | %9s |\n", "layer", "cycles", "Mc/s", "Mc/s bp",
                "Mc/s bare", "overhead");
    std::printf("|%s|%s|%s|%s|%s|%s|\n", std::string(52, '-').c_str(), std::string(12, '-').c_str(),
                std::string(10, '-').c_str(), std::string(10, '-').c_str(),
                std::string(10, '-').c_str(), std::string(11, '-').c_str());
}

// Arguments: [--header] [runs]; prints the table header for --header, returns runs (default 5).
inline int parse_arguments(int argc, char** argv) {
    int runs = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--header")
            print_header();
        else
            runs = std::max(1, std::atoi(arg.c_str()));
    }
    return runs;
}

} // namespace finn::hls::bench
