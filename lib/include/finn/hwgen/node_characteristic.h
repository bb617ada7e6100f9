// FINN's DeriveCharacteristic measurement for one node (step_set_fifo_depths, strategy
// characterize): its rtlsim executable run for one period with every input presenting words
// back to back and every output ready, recording in which cycles each stream moved a word.
#pragma once

#include "finn/hw/hw_layer.h"
#include "finn/hw/layer_definition.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace finn::hwgen {

// Per stream, one entry per cycle of the period: 1 when a word moved, else 0.
struct NodeTransfers {
    std::vector<std::vector<std::int64_t>> inputs, outputs;
};

// Runs <node_dir>/sim_build/rtlsim --characterize for `period` cycles, each input fed one frame
// of zero words (prod(folded input shape[:-1]) per stream). Throws finn::Error naming the node
// when the executable is missing or fails.
NodeTransfers measure_node_transfers(const hw::HwLayer& layer,
                                     const hw::LayerDefinition& definition,
                                     const std::filesystem::path& node_dir, std::int64_t period);

} // namespace finn::hwgen
