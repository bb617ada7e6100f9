// FINN's DeriveCharacteristic measurement for one node (step_set_fifo_depths, strategy
// characterize): one period with every input presenting one frame of words back to back and
// every output ready, recording in which cycles each stream moved a word. Two ways to get it:
// the exact transaction model of the node's hardware module (finn/hls/transfer_model.h; no RTL,
// microseconds), or the node's rtlsim executable run with --characterize.
#pragma once

#include "finn/hls/transfer_model.h"
#include "finn/hw/hw_layer.h"
#include "finn/hw/layer_definition.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

namespace finn::hwgen {

// Per stream, one entry per cycle of the period: 1 when a word moved, else 0.
using NodeTransfers = hls::Transfers;

// The words of one frame on each of the node's input streams: prod(folded input shape[:-1]).
std::vector<std::size_t> frame_input_words(const hw::HwLayer& layer,
                                           const hw::LayerDefinition& definition);

// The node's transfers from its hardware module's exact transaction model, or nullopt when the
// module (with these parameters) has none.
std::optional<NodeTransfers> model_node_transfers(const hw::HwLayer& layer,
                                                  const hw::LayerDefinition& definition,
                                                  std::int64_t period);

// Runs <node_dir>/sim_build/rtlsim --characterize for `period` cycles, each input fed one frame
// of zero words. Throws finn::Error naming the node when the executable is missing or fails.
NodeTransfers measure_node_transfers(const hw::HwLayer& layer,
                                     const hw::LayerDefinition& definition,
                                     const std::filesystem::path& node_dir, std::int64_t period);

// The same run on a built stitched design (finn/hwgen/stitched_build.h) in `stitched_dir`: input
// i of the top (s_axis_<i>) fed input_words[i] zero words of input_widths[i] bits, every
// top-level stream recorded (inputs, then outputs). A design of independent nodes side by side
// characterizes them all in one simulation (the transaction models' test does that).
hls::Transfers measure_stitched_transfers(const std::filesystem::path& stitched_dir,
                                          const std::vector<std::size_t>& input_words,
                                          const std::vector<std::int64_t>& input_widths,
                                          std::size_t output_count, std::int64_t period);

} // namespace finn::hwgen
