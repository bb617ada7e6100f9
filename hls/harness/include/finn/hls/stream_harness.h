// The Verilator stream harness: drives packed words into a model's AXI-Stream inputs, collects
// its outputs, applies seeded random back-pressure, checks the AXI-Stream rules on the outputs
// and counts cycles. Generic over the Verilated model class; ports are bound by name:
//
//     Vstreaming_fifo top;
//     finn::hls::StreamHarness harness(top, FINN_CLOCK_RESET(top));
//     harness.input(FINN_AXIS_PORT(top, in0_V)).output(FINN_AXIS_PORT(top, out_V), 16);
//     auto result = harness.run({words}, {words.size()}, {.seed = 7, .output_ready_probability =
//     0.5});
//
// A layer with several streams (MVAU with external weights, AddStreams, DuplicateStreams) binds
// each of them; inputs and outputs are numbered in the order they were bound.
#pragma once

#include "finn/hls/axis_port.h"
#include "finn/hls/packed_word.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace finn::hls {

struct StreamOptions {
    std::uint64_t seed = 1;
    // Chance per cycle that an idle input presents its next word (a presented word stays until
    // taken, as AXI-Stream requires), and that an output is ready.
    double input_valid_probability = 1.0;
    double output_ready_probability = 1.0;
    // Give up after this many cycles; 0 means 1000 + 64 cycles per word.
    std::uint64_t max_cycles = 0;
    unsigned reset_cycles = 4;
    // Cycles watched after the last expected word: any further output word is an error.
    unsigned drain_cycles = 16;
    // When not 0: StreamResult::first_frame_cycles is the cycle in which output 0 delivered its
    // word number first_frame_words (the end of the first frame: the latency).
    std::size_t first_frame_words = 0;
    // At least this many cycles from one input word's transfer to the next word's presentation
    // (1: full rate). FIFO sizing feeds the design at about its bottleneck's rate, as FINN does.
    std::uint64_t input_interval = 1;
};

struct StreamResult {
    std::vector<WordStream> outputs;
    // Cycles from the end of reset up to and including the last transfer of the run.
    std::uint64_t cycles = 0;
    std::uint64_t first_frame_cycles = 0; // see StreamOptions::first_frame_words
    double seconds = 0;                   // wall-clock time of the cycle loop
    std::string error;                    // empty when the run completed and obeyed the protocol

    bool ok() const { return error.empty(); }
    double cycles_per_second() const { return seconds > 0 ? cycles / seconds : 0; }
};

template <class Model> class StreamHarness {
public:
    StreamHarness(Model& model, ClockReset clock_reset) : model_(model), clock_(clock_reset) {}

    StreamHarness& input(AxisPort port) {
        inputs_.push_back(std::move(port));
        return *this;
    }
    // width: the stream's padded width, the width of the collected words.
    StreamHarness& output(AxisPort port, unsigned width) {
        outputs_.push_back({std::move(port), width});
        return *this;
    }
    // Called after every evaluation of the model with the simulation time (two steps per cycle,
    // reset included): a waveform writer dumps there.
    StreamHarness& after_eval(std::function<void(std::uint64_t time)> callback) {
        after_eval_ = std::move(callback);
        return *this;
    }

    // One run from reset: inputs[i] goes into input i; output j is expected to deliver
    // expected_words[j] words.
    StreamResult run(const std::vector<WordStream>& inputs,
                     const std::vector<std::size_t>& expected_words,
                     const StreamOptions& options = {});

private:
    struct OutputBinding {
        AxisPort port;
        unsigned width;
    };

    // Two evaluations per cycle: settle with the clock low (new inputs, combinational paths),
    // then the rising edge.
    void settle() {
        *clock_.clk = 0;
        model_.eval();
        if (after_eval_) after_eval_(time_++);
    }
    void rising_edge() {
        *clock_.clk = 1;
        model_.eval();
        if (after_eval_) after_eval_(time_++);
    }

    Model& model_;
    ClockReset clock_;
    std::vector<AxisPort> inputs_;
    std::vector<OutputBinding> outputs_;
    std::function<void(std::uint64_t)> after_eval_;
    std::uint64_t time_ = 0;
};

// A uniform draw in [0, 1) from 53 random bits: the same on every standard library.
inline bool coin(std::mt19937_64& rng, double probability) {
    if (probability >= 1.0) return true;
    return static_cast<double>(rng() >> 11) * 0x1.0p-53 < probability;
}

template <class Model>
StreamResult StreamHarness<Model>::run(const std::vector<WordStream>& inputs,
                                       const std::vector<std::size_t>& expected_words,
                                       const StreamOptions& options) {
    StreamResult result;
    result.outputs.resize(outputs_.size());
    if (inputs.size() != inputs_.size() || expected_words.size() != outputs_.size()) {
        result.error = "run: " + std::to_string(inputs.size()) + " input streams and " +
                       std::to_string(expected_words.size()) + " output counts given, " +
                       std::to_string(inputs_.size()) + " and " + std::to_string(outputs_.size()) +
                       " ports bound";
        return result;
    }
    std::mt19937_64 rng(options.seed);
    std::uint64_t total_words = 0;
    for (const auto& stream : inputs)
        total_words += stream.size();
    for (std::size_t count : expected_words)
        total_words += count;
    const std::uint64_t max_cycles =
        options.max_cycles != 0 ? options.max_cycles : 1000 + 64 * total_words;

    // Reset with every handshake signal idle.
    for (const auto& in : inputs_)
        *in.tvalid = 0;
    for (const auto& out : outputs_)
        *out.port.tready = 0;
    *clock_.rst_n = 0;
    for (unsigned i = 0; i < options.reset_cycles; ++i) {
        settle();
        rising_edge();
    }
    *clock_.rst_n = 1;

    std::vector<std::size_t> next_input(inputs_.size(), 0);
    std::vector<std::uint64_t> input_allowed_from(inputs_.size(), 0);
    // Per-stream flags as chars: cheaper to touch every cycle than std::vector<bool>.
    std::vector<char> presenting(inputs_.size(), 0), ready(outputs_.size(), 0);
    // An output that showed a word without it being taken must show the same word next cycle.
    std::vector<char> was_stalled(outputs_.size(), 0);
    std::vector<PackedWord> stalled_word(outputs_.size());
    std::uint64_t words_left = 0; // input words not yet taken plus output words not yet received
    for (std::size_t i = 0; i < inputs_.size(); ++i)
        words_left += inputs[i].size();
    for (std::size_t j = 0; j < outputs_.size(); ++j) {
        words_left += expected_words[j];
        result.outputs[j].reserve(expected_words[j]);
    }

    const auto start = std::chrono::steady_clock::now();
    std::uint64_t cycle = 0;
    for (; cycle < max_cycles && words_left != 0; ++cycle) {
        for (std::size_t i = 0; i < inputs_.size(); ++i) {
            if (!presenting[i] && next_input[i] < inputs[i].size() &&
                cycle >= input_allowed_from[i]) {
                presenting[i] = coin(rng, options.input_valid_probability);
                if (presenting[i]) inputs_[i].tdata.write(inputs[i][next_input[i]]);
            }
            *inputs_[i].tvalid = presenting[i];
        }
        for (std::size_t j = 0; j < outputs_.size(); ++j) {
            ready[j] = result.outputs[j].size() < expected_words[j] &&
                       coin(rng, options.output_ready_probability);
            *outputs_[j].port.tready = ready[j];
        }
        settle();
        for (std::size_t i = 0; i < inputs_.size(); ++i) {
            if (presenting[i] && *inputs_[i].tready) {
                ++next_input[i];
                input_allowed_from[i] = cycle + options.input_interval;
                --words_left;
                presenting[i] = 0;
            }
        }
        for (std::size_t j = 0; j < outputs_.size(); ++j) {
            const OutputBinding& out = outputs_[j];
            if (!*out.port.tvalid) {
                if (was_stalled[j] && result.error.empty())
                    result.error = out.port.name + ": tvalid fell without a transfer in cycle " +
                                   std::to_string(cycle);
                was_stalled[j] = 0;
                continue;
            }
            // Words are read only when they move or are held back, to keep a cycle cheap.
            PackedWord word = out.port.tdata.read(out.width);
            if (was_stalled[j] && !(word == stalled_word[j]) && result.error.empty())
                result.error = out.port.name + ": tdata changed while stalled in cycle " +
                               std::to_string(cycle);
            was_stalled[j] = !ready[j];
            if (ready[j]) {
                result.outputs[j].push_back(std::move(word));
                --words_left;
                if (j == 0 && result.outputs[0].size() == options.first_frame_words)
                    result.first_frame_cycles = cycle + 1;
            } else {
                stalled_word[j] = std::move(word);
            }
        }
        rising_edge();
    }
    result.cycles = cycle;
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    if (words_left != 0) {
        std::string status;
        for (std::size_t i = 0; i < inputs_.size(); ++i)
            status += " " + inputs_[i].name + " " + std::to_string(next_input[i]) + "/" +
                      std::to_string(inputs[i].size()) + " taken;";
        for (std::size_t j = 0; j < outputs_.size(); ++j)
            status += " " + outputs_[j].port.name + " " + std::to_string(result.outputs[j].size()) +
                      "/" + std::to_string(expected_words[j]) + " received;";
        if (result.error.empty())
            result.error = "timeout after " + std::to_string(cycle) + " cycles:" + status;
    }

    // Nothing more may come out once every expected word has.
    for (auto& in : inputs_)
        *in.tvalid = 0;
    for (auto& out : outputs_)
        *out.port.tready = 1;
    for (unsigned k = 0; k < options.drain_cycles && result.error.empty(); ++k) {
        settle();
        for (const auto& out : outputs_)
            if (*out.port.tvalid)
                result.error = out.port.name + ": a word beyond the expected count";
        rising_edge();
    }
    return result;
}

// The benchmark baseline: the same model clocked by a bare eval() loop (two evaluations per
// cycle, like the harness) at full rate: every input valid and every output ready as the caller
// left them, and `input` presenting `words` in turn, a new one each cycle, so the model computes
// on changing data as in a harness run (a constant input would let Verilator skip the logic that
// depends on it). Returns simulated cycles per second.
template <class Model>
double bare_eval_cycles_per_second(Model& model, ClockReset clock_reset, const AxisPort& input,
                                   const WordStream& words, std::uint64_t cycles) {
    const auto start = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0, next = 0; i < cycles; ++i) {
        if (!words.empty()) {
            input.tdata.write(words[next]);
            next = next + 1 == words.size() ? 0 : next + 1;
        }
        *clock_reset.clk = 0;
        model.eval();
        *clock_reset.clk = 1;
        model.eval();
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return seconds > 0 ? static_cast<double>(cycles) / seconds : 0;
}

} // namespace finn::hls
