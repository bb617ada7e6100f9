// Exact transaction models of the hardware library's components for FINN's characterization run
// (step_set_fifo_depths, auto_fifo_strategy characterize): after reset, every input presents its
// words back to back until its count is used up and every output is always ready; the model says
// in which cycles each stream moves a word. The components are ours, so their control can be
// followed cycle by cycle in C++ instead of simulating the RTL: each model mirrors its module's
// handshake registers (tests/hw/transfer_model_test.cpp holds every model to its RTL's recorded
// transfers, cycle for cycle).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace finn::hls {

// A module's parameters as hw_codegen writes them (name, value): integers in decimal, strings as
// they are.
using ModuleParameters = std::vector<std::pair<std::string, std::string>>;

// Per stream, one entry per cycle of the run: 1 when a word moved, else 0. Inputs in port order
// (in0_V, in1_V, ...), then outputs (out_V, or out0_V, out1_V, ...).
struct Transfers {
    std::vector<std::vector<std::int64_t>> inputs, outputs;
};

// What a model is given: the module's parameters, the word count each input presents, and the
// number of cycles to record.
struct TransferRun {
    const ModuleParameters& parameters;
    std::vector<std::size_t> input_words;
    std::size_t period = 0;
};

// True when `module` (an hls/rtl module name, e.g. "mvau") with these parameters has an exact
// model; mem_mode "external" weights, for instance, have none.
bool has_transfer_model(const std::string& module, const ModuleParameters& parameters);

// The module's transfers in the characterization run. Throws std::invalid_argument when it has
// no model, a parameter is missing or not a number, or the input count does not match.
Transfers model_transfers(const std::string& module, const TransferRun& run);

} // namespace finn::hls
