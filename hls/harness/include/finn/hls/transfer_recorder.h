// FINN's characterization run (step_set_fifo_depths, strategy characterize) on a Verilated model:
// after reset, every input presents its words back to back until they are used up, every output
// is ready, and for `period` cycles the recorder notes in which cycles each stream moved a word.
// The exact transaction models (finn/hls/transfer_model.h) compute the same run without RTL;
// the node and stitched rtlsim drivers run it with --characterize.
#pragma once

#include "finn/hls/axis_port.h"
#include "finn/hls/packed_word.h"
#include "finn/hls/word_files.h"

#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace finn::hls {

// Like StreamHarness's cycle (settle with the clock low, then the rising edge), without
// back-pressure or expected counts.
template <class Top> class TransferRecorder {
public:
    TransferRecorder(Top& top, ClockReset clock) : top_(top), clock_(clock) {}
    TransferRecorder& input(AxisPort port) {
        inputs_.push_back(std::move(port));
        return *this;
    }
    void output(AxisPort port) { outputs_.push_back(std::move(port)); }
    void outputs(const std::vector<AxisPort>& ports) {
        for (const AxisPort& port : ports)
            output(port);
    }

    // The drivers' --characterize: the inputs' word files (finn/hls/word_files.h) in, one line per
    // stream out to `path`.
    void record(const std::vector<std::string>& word_files, std::uint64_t period,
                const std::string& path) {
        if (word_files.size() != inputs_.size() || period == 0)
            throw std::runtime_error("expected " + std::to_string(inputs_.size()) +
                                     " --in and --period with --characterize");
        std::vector<WordStream> words;
        for (const std::string& file : word_files)
            words.push_back(read_word_file(file));
        std::ofstream out(path);
        for (const std::string& line : run(words, period))
            out << line << "\n";
        if (!out) throw std::runtime_error(path + ": cannot write");
    }

    // One line per stream, inputs then outputs in the order bound: '1' where a word moved.
    std::vector<std::string> run(const std::vector<WordStream>& words, std::uint64_t period) {
        std::vector<std::string> moved(inputs_.size() + outputs_.size(), std::string(period, '0'));
        for (auto& in : inputs_)
            *in.tvalid = 0;
        for (auto& out : outputs_)
            *out.tready = 0;
        *clock_.rst_n = 0;
        for (int i = 0; i < 4; ++i)
            cycle();
        *clock_.rst_n = 1;
        std::vector<std::size_t> next(inputs_.size(), 0);
        for (std::uint64_t t = 0; t < period; ++t) {
            for (std::size_t i = 0; i < inputs_.size(); ++i) {
                const bool valid = next[i] < words[i].size();
                if (valid) inputs_[i].tdata.write(words[i][next[i]]);
                *inputs_[i].tvalid = valid;
            }
            for (auto& out : outputs_)
                *out.tready = 1;
            *clock_.clk = 0;
            top_.eval();
            for (std::size_t i = 0; i < inputs_.size(); ++i)
                if (*inputs_[i].tvalid && *inputs_[i].tready) {
                    moved[i][t] = '1';
                    ++next[i];
                }
            for (std::size_t j = 0; j < outputs_.size(); ++j)
                if (*outputs_[j].tvalid) moved[inputs_.size() + j][t] = '1';
            *clock_.clk = 1;
            top_.eval();
        }
        return moved;
    }

private:
    void cycle() {
        *clock_.clk = 0;
        top_.eval();
        *clock_.clk = 1;
        top_.eval();
    }
    Top& top_;
    ClockReset clock_;
    std::vector<AxisPort> inputs_, outputs_;
};

} // namespace finn::hls
