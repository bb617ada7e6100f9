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
#include <string>
#include <vector>

namespace finn::hls::bench {

// The FINN integer type of a component's BITS/SIGNED parameter pair.
inline ElementType integer_type(int bits, bool is_signed) {
    return ElementType::parse((is_signed ? "INT" : "UINT") + std::to_string(bits));
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
