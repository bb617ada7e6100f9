// What the transaction models share: reading a module's parameters and recording the cycles in
// which each stream moves a word during the characterization run.
#pragma once

#include "finn/hls/transfer_model.h"

#include <cstdint>
#include <string>

namespace finn::hls::transfers {

// The parameters of one module, by name; errors name the module and the parameter.
class ParameterReader {
public:
    ParameterReader(std::string module, const ModuleParameters& parameters)
        : module_(std::move(module)), parameters_(parameters) {}
    std::int64_t integer(const std::string& name) const;
    bool flag(const std::string& name) const { return integer(name) != 0; }
    const std::string& text(const std::string& name) const;

private:
    std::string module_;
    const ModuleParameters& parameters_;
};

// The run's record: input i offers input_words[i] words, one per cycle at most; outputs are always
// ready. Models step cycles 0 .. period-1 and say what moved; a word a pipeline delivers after the
// period is not recorded.
class TransferLog {
public:
    TransferLog(const std::string& module, const TransferRun& run, std::size_t inputs,
                std::size_t outputs);
    std::size_t period() const { return period_; }
    // Whether input i still presents a word.
    bool offers(std::size_t i) const { return taken_[i] < words_[i]; }
    // Input i's word moves in cycle t (it must offer one).
    void take(std::size_t i, std::size_t t);
    // Output j moves a word in cycle t.
    void emit(std::size_t j, std::size_t t);
    Transfers result() && { return std::move(transfers_); }

private:
    std::size_t period_;
    std::vector<std::size_t> words_, taken_;
    Transfers transfers_;
};

// A component that never stalls with its outputs ready: in every cycle in which all its inputs
// offer a word, it takes one from each, and each output gives a word `latency` cycles later.
Transfers lockstep_pipeline(const std::string& module, const TransferRun& run, std::size_t inputs,
                            std::size_t outputs, std::size_t latency);

} // namespace finn::hls::transfers
