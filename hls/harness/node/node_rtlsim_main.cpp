// The one C++ main of every node's rtlsim executable (step_hw_ipgen compiles it against the node's
// Verilated wrapper): reads the node's packed input words, streams them through the wrapper's
// AXI-Stream ports with optional seeded random back-pressure, writes the output words and prints
// the cycle count. Word files are $readmemh text: one word per line in hexadecimal.
//
//   <exe> --in <words> [--in <words> ...] --out <words> --out-words <n> --out-width <bits>
//         [--out <words> --out-words <n> --out-width <bits> ...]
//         [--seed <n>] [--valid-probability <p>] [--ready-probability <p>] [--max-cycles <n>]
//   <exe> --in <words> [--in <words> ...] --characterize <file> --period <n>
//
// One --in per input stream (in0_V, in1_V, ...), one --out triple per output stream (out_V, or
// out0_V, out1_V, ...), in order. node_top.h, written per node by step_hw_codegen, includes the
// Verilated class's header and defines FINN_NODE_TOP (the class), FINN_NODE_INPUTS and
// FINN_NODE_OUTPUTS (the stream counts), FINN_NODE_BIND_INPUTS(harness, top) and
// FINN_NODE_OUTPUT_PORTS(top) (the output ports as a braced list).
//
// --characterize measures FINN's transfer characteristic (step_set_fifo_depths, strategy
// characterize) instead: for <n> cycles after reset every input presents its words back to back
// and every output is ready; <file> gets one line per stream, inputs then outputs, of '1' (a word
// moved in that cycle) and '0'.
#include "finn/hls/stream_harness.h"
#include "finn/hls/transfer_recorder.h"
#include "finn/hls/word_files.h"
#include "node_top.h"

#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

using finn::hls::WordStream;

int main(int argc, char** argv) {
    try {
        std::vector<std::string> inputs, outputs;
        std::string characteristic;
        std::uint64_t period = 0;
        std::vector<std::size_t> out_words;
        std::vector<unsigned> out_widths;
        finn::hls::StreamOptions options;
        for (int i = 1; i + 1 < argc; i += 2) {
            const std::string key = argv[i], value = argv[i + 1];
            if (key == "--in")
                inputs.push_back(value);
            else if (key == "--out")
                outputs.push_back(value);
            else if (key == "--out-words")
                out_words.push_back(std::stoull(value));
            else if (key == "--out-width")
                out_widths.push_back(static_cast<unsigned>(std::stoul(value)));
            else if (key == "--seed")
                options.seed = std::stoull(value);
            else if (key == "--valid-probability")
                options.input_valid_probability = std::stod(value);
            else if (key == "--ready-probability")
                options.output_ready_probability = std::stod(value);
            else if (key == "--max-cycles")
                options.max_cycles = std::stoull(value);
            else if (key == "--characterize")
                characteristic = value;
            else if (key == "--period")
                period = std::stoull(value);
            else
                throw std::runtime_error("unknown argument " + key);
        }
        if (!characteristic.empty()) {
            VerilatedContext context;
            FINN_NODE_TOP top(&context);
            finn::hls::TransferRecorder<FINN_NODE_TOP> recorder(top, FINN_CLOCK_RESET(top));
            FINN_NODE_BIND_INPUTS(recorder, top)
            recorder.outputs(FINN_NODE_OUTPUT_PORTS(top));
            recorder.record(inputs, period, characteristic);
            top.final();
            return 0;
        }
        if (inputs.size() != FINN_NODE_INPUTS || outputs.size() != FINN_NODE_OUTPUTS ||
            out_words.size() != FINN_NODE_OUTPUTS || out_widths.size() != FINN_NODE_OUTPUTS)
            throw std::runtime_error("expected " + std::to_string(FINN_NODE_INPUTS) + " --in and " +
                                     std::to_string(FINN_NODE_OUTPUTS) +
                                     " --out, --out-words and --out-width");
        std::vector<WordStream> streams;
        for (const std::string& path : inputs)
            streams.push_back(finn::hls::read_word_file(path));

        VerilatedContext context;
        FINN_NODE_TOP top(&context);
        finn::hls::StreamHarness harness(top, FINN_CLOCK_RESET(top));
        FINN_NODE_BIND_INPUTS(harness, top)
        const std::vector<finn::hls::AxisPort> ports = FINN_NODE_OUTPUT_PORTS(top);
        for (std::size_t j = 0; j < ports.size(); ++j)
            harness.output(ports[j], out_widths[j]);
        const finn::hls::StreamResult result = harness.run(streams, out_words, options);
        if (!result.ok()) throw std::runtime_error(result.error);
        for (std::size_t j = 0; j < outputs.size(); ++j)
            finn::hls::write_word_file(outputs[j], result.outputs[j]);
        std::cout << "cycles: " << result.cycles << std::endl;
        top.final();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "rtlsim: " << e.what() << std::endl;
        return 1;
    }
}
