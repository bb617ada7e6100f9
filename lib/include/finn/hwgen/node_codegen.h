// hw_codegen of one hardware node: its folder of files, self-contained (the wrapper, its memory
// images, the hardware library sources it needs and the rtlsim driver sources), every path in it
// relative, so the folder can move and its bytes depend only on the node.
#pragma once

#include "finn/hw/hw_layer.h"
#include "finn/hw/layer_definition.h"

#include <cstdint>
#include <string>
#include <vector>

namespace finn::hwgen {

// The streams of a node's wrapper: padded tdata widths of in0_V (in1_V, ...) and of its outputs,
// out_V for one, out0_V, out1_V, ... for several (FINN's DuplicateStreams).
struct NodeStreams {
    std::vector<std::int64_t> input_widths;
    std::vector<std::int64_t> output_widths;
};

// The name of output `index` among `count` outputs: out_V, or out<index>_V when there are several.
std::string output_stream_name(std::size_t index, std::size_t count);

struct NodeFiles {
    std::string top; // the wrapper module: the node's name
    // file path relative to the node folder -> bytes, in a fixed order
    std::vector<std::pair<std::string, std::string>> files;
    // the SystemVerilog files to compile, relative to the node folder, wrapper last
    std::vector<std::string> rtl_sources;
    std::vector<std::string> memory_files; // relative to the node folder
    NodeStreams streams;
    // The wrapper's outputs beyond its streams (hw::HardwareModule::monitor_outputs).
    std::vector<std::pair<std::string, std::int64_t>> monitor_outputs;
};

// The folder under the output folder that holds one folder per node (hw/<node>/) and the rtlsim
// runtime the nodes' executables share (hw/_rtlsim_runtime/, finn/hwgen/verilator.h).
inline constexpr const char* kHardwareFolder = "hw";
inline constexpr const char* kRtlsimRuntimeFolder = "hw/_rtlsim_runtime";
// The file listing the node's SystemVerilog sources in compile order (one per line).
inline constexpr const char* kSourcesFile = "sources.txt";
// Where the rtlsim driver's main and its headers go inside the node folder.
inline constexpr const char* kSimFolder = "sim";
// Where an embedded driver file (path relative to hls/) goes: sim/<file>, headers keeping their
// include path (sim/include/finn/hls/<header>).
std::string sim_path(const std::string& library_path);

// The node's streams: FINN's instream/outstream widths padded to bytes: the definition's stream
// inputs, plus in1_V for weights streamed from outside (mem_mode external), and every output.
NodeStreams node_streams(const hw::HwLayer& layer, const hw::LayerDefinition& definition);

// The wrapper `module <node>` with FINN's ports, instantiating hw.module with hw.parameters
// (numbers as they are, anything else as a string). A module with several outputs has one
// out_V bus of each signal, output j at [j*W +: W] (hls/README.md): the wrapper splits it.
std::string wrapper_text(const std::string& node_name, const std::string& op_type,
                         const hw::HardwareModule& hw, const NodeStreams& streams);

// Everything hw_codegen writes for a node; throws finn::Error naming the node when its name is
// not a SystemVerilog identifier or its module is not in the hardware library.
NodeFiles generate_node_files(const hw::HwLayer& layer, const hw::LayerDefinition& definition);

// A 64-bit FNV-1a hash of bytes as 16 hex digits (manifests and rebuild stamps).
std::string content_hash(std::string_view bytes);

} // namespace finn::hwgen
