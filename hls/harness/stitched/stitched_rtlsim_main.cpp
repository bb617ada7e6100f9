// The C++ main of the stitched design's rtlsim executable (step_create_stitched_ip compiles it
// against the Verilated top finn_design_wrapper): streams the packed input words of whole frames
// through s_axis_0 (s_axis_1, ...) at full rate (or one word per --input-interval cycles) with
// m_axis_0 (...) always ready, writes the output words and prints what FINN's performance
// measurement and FIFO sizing read:
//
//   cycles: <n>            from the end of reset to the last transfer
//   latency_cycles: <n>    to the last output word of the first frame
//   maxcount <node>: <n>   per depth-monitored FIFO, its highest occupancy
//   cycles_per_second: <x> simulated cycles per wall-clock second of the run
//   bare_eval_cycles_per_second: <x>   with --bare-eval-cycles: the same model clocked by a bare
//                          eval() loop (the benchmark's baseline, finn/hls/stream_harness.h)
//
//   <exe> --in <words> [...] --out <words> --out-words <n> --out-width <bits> [...]
//         --frames <n> [--max-cycles <n>] [--input-interval <cycles>] [--trace <file.fst>]
//         [--bare-eval-cycles <n>]
//   <exe> --in <words> [...] --characterize <file> --period <n>
//
// --characterize records FINN's characterization run (finn/hls/transfer_recorder.h) on every
// top-level stream instead: <file> gets one line per stream, inputs then outputs.
//
// Word files: finn/hls/word_files.h. Run it in the folder of the memory files (ip/hdl/).
// stitched_top.h, written by step_create_stitched_ip, includes the Verilated class's header and
// defines FINN_STITCHED_TOP, FINN_STITCHED_INPUTS, FINN_STITCHED_OUTPUTS,
// FINN_STITCHED_BIND_INPUTS(harness, top), FINN_STITCHED_OUTPUT_PORTS(top) and
// FINN_STITCHED_MONITORS(top) (node name and maxcount port of each monitored FIFO) and
// FINN_STITCHED_FIRST_INPUT(top) (s_axis_0).
#include "finn/hls/stream_harness.h"
#include "finn/hls/transfer_recorder.h"
#include "finn/hls/word_files.h"
#include "stitched_top.h"

#if VM_TRACE
#include "verilated_fst_c.h"
#endif

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

int main(int argc, char** argv) {
    try {
        std::vector<std::string> inputs, outputs;
        std::vector<std::size_t> out_words;
        std::vector<unsigned> out_widths;
        std::size_t frames = 0;
        std::string trace, characteristic;
        std::uint64_t bare_eval_cycles = 0, period = 0;
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
            else if (key == "--frames")
                frames = std::stoull(value);
            else if (key == "--max-cycles")
                options.max_cycles = std::stoull(value);
            else if (key == "--input-interval")
                options.input_interval = std::stoull(value);
            else if (key == "--bare-eval-cycles")
                bare_eval_cycles = std::stoull(value);
            else if (key == "--trace")
                trace = value;
            else if (key == "--characterize")
                characteristic = value;
            else if (key == "--period")
                period = std::stoull(value);
            else
                throw std::runtime_error("unknown argument " + key);
        }
        if (!characteristic.empty()) {
            VerilatedContext context;
            FINN_STITCHED_TOP top(&context);
            finn::hls::TransferRecorder<FINN_STITCHED_TOP> recorder(top, FINN_CLOCK_RESET(top));
            FINN_STITCHED_BIND_INPUTS(recorder, top)
            recorder.outputs(FINN_STITCHED_OUTPUT_PORTS(top));
            recorder.record(inputs, period, characteristic);
            top.final();
            return 0;
        }
        if (inputs.size() != FINN_STITCHED_INPUTS || outputs.size() != FINN_STITCHED_OUTPUTS ||
            out_words.size() != FINN_STITCHED_OUTPUTS ||
            out_widths.size() != FINN_STITCHED_OUTPUTS || frames == 0)
            throw std::runtime_error("expected " + std::to_string(FINN_STITCHED_INPUTS) +
                                     " --in, " + std::to_string(FINN_STITCHED_OUTPUTS) +
                                     " --out, --out-words and --out-width, and --frames");
        if (out_words[0] % frames != 0)
            throw std::runtime_error("--out-words is not a whole number of --frames");
        options.first_frame_words = out_words[0] / frames;
        std::vector<finn::hls::WordStream> streams;
        for (const std::string& path : inputs)
            streams.push_back(finn::hls::read_word_file(path));

        VerilatedContext context;
        if (!trace.empty()) context.traceEverOn(true);
        FINN_STITCHED_TOP top(&context);
        finn::hls::StreamHarness harness(top, FINN_CLOCK_RESET(top));
        FINN_STITCHED_BIND_INPUTS(harness, top)
        const std::vector<finn::hls::AxisPort> ports = FINN_STITCHED_OUTPUT_PORTS(top);
        for (std::size_t j = 0; j < ports.size(); ++j)
            harness.output(ports[j], out_widths[j]);
#if VM_TRACE
        // The waveform is written beside its final name and renamed when complete.
        std::unique_ptr<VerilatedFstC> fst;
        if (!trace.empty()) {
            fst = std::make_unique<VerilatedFstC>();
            top.trace(fst.get(), 99);
            fst->open((trace + ".partial").c_str());
            harness.after_eval([&](std::uint64_t time) { fst->dump(time); });
        }
#else
        if (!trace.empty())
            throw std::runtime_error("this executable was built without waveform support "
                                     "(verify_save_rtlsim_waveforms was off when it was built)");
#endif
        const finn::hls::StreamResult result = harness.run(streams, out_words, options);
#if VM_TRACE
        if (fst) {
            fst->close();
            if (std::rename((trace + ".partial").c_str(), trace.c_str()) != 0)
                throw std::runtime_error(trace + ": cannot write");
        }
#endif
        if (!result.ok()) throw std::runtime_error(result.error);
        for (std::size_t j = 0; j < outputs.size(); ++j)
            finn::hls::write_word_file(outputs[j], result.outputs[j]);
        std::cout << "cycles: " << result.cycles << "\n";
        std::cout << "latency_cycles: " << result.first_frame_cycles << "\n";
        const std::vector<std::pair<std::string, std::uint64_t>> monitors =
            FINN_STITCHED_MONITORS(top);
        for (const auto& [node, maxcount] : monitors)
            std::cout << "maxcount " << node << ": " << maxcount << "\n";
        std::cout << "cycles_per_second: " << result.cycles_per_second() << "\n";
        if (bare_eval_cycles > 0) {
            // A second instance, out of reset, every output ready and input 0 always valid.
            FINN_STITCHED_TOP bare(&context);
            *FINN_CLOCK_RESET(bare).rst_n = 1;
            const std::vector<finn::hls::AxisPort> bare_outputs = FINN_STITCHED_OUTPUT_PORTS(bare);
            for (const auto& port : bare_outputs)
                *port.tready = 1;
            const finn::hls::AxisPort first_input = FINN_STITCHED_FIRST_INPUT(bare);
            *first_input.tvalid = 1;
            std::cout << "bare_eval_cycles_per_second: "
                      << finn::hls::bare_eval_cycles_per_second(bare, FINN_CLOCK_RESET(bare),
                                                                first_input, streams[0],
                                                                bare_eval_cycles)
                      << "\n";
        }
        std::cout.flush();
        top.final();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "stitched rtlsim: " << e.what() << std::endl;
        return 1;
    }
}
