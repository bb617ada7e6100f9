// exec_mode "rtlsim": a hardware node runs through the rtlsim executable step_hw_ipgen built in its
// folder (ipgen_path): its input tensor is packed into stream words as FINN packs them, streamed
// through the node's Verilated wrapper, and the output words unpacked again.
#pragma once

#include "finn/exec/executor.h"
#include "finn/exec/kernel.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace finn::hw {

// The folder ipgen_path is relative to: the build's output folder. Step tools set it; by default
// the current directory.
void set_generated_hardware_root(std::filesystem::path root);
const std::filesystem::path& generated_hardware_root();

// The node's outputs from its rtlsim executable.
std::vector<Tensor> run_node_rtlsim(const KernelContext& ctx);

// The model's metadata_prop naming its stitched design's folder (FINN's key), relative to the
// generated hardware root, and the one naming a waveform file for the next run (rtlsim_trace).
inline constexpr const char* kStitchedProjectMetadata = "vivado_stitch_proj";
inline constexpr const char* kRtlsimTraceMetadata = "rtlsim_trace";

// One run of the stitched design's rtlsim executable (step_create_stitched_ip builds it): the
// graph inputs (batch = frames) packed into words as FINN packs them, streamed in at full rate
// with every output ready, the outputs unpacked.
struct StitchedRun {
    TensorMap outputs;
    std::int64_t frames = 0;
    std::uint64_t cycles = 0;         // reset to last transfer
    std::uint64_t latency_cycles = 0; // reset to the last output word of the first frame
    std::int64_t input_words = 0;     // words into s_axis_0 (FINN's N_IN_TXNS)
    std::int64_t output_words = 0;    // words out of m_axis_0 (N_OUT_TXNS)
    // Per depth-monitored FIFO, its highest occupancy.
    std::vector<std::pair<std::string, std::int64_t>> maxcounts;
};
struct StitchedRunOptions {
    // An FST waveform file to write (the executable must have been built with waveforms).
    std::string trace;
    // Cycles from one input word to the next (1: full rate).
    std::uint64_t input_interval = 1;
};
StitchedRun run_stitched_rtlsim(const Model& model, const TensorMap& inputs,
                                const StitchedRunOptions& options = {});

// `frames` frames of each graph input holding its datatype's lowest value (valid where 0 is not,
// e.g. BIPOLAR): input for runs whose timing is what counts, not the data.
TensorMap constant_frames(const Model& model, std::int64_t frames);

// Registers the whole-model runner of exec_mode "rtlsim" (run_stitched_rtlsim; the waveform goes
// to the file the metadata_prop rtlsim_trace names, relative to the generated hardware root).
void register_stitched_rtlsim(KernelRegistry& registry);

} // namespace finn::hw
