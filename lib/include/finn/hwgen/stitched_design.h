// The stitched accelerator (step_create_stitched_ip): the dataflow partition's layers, width
// converters and FIFOs connected in one SystemVerilog top, FINN's finn_design_wrapper with clock
// ap_clk, active-low reset ap_rst_n, AXI-Stream s_axis_<i> per graph input and m_axis_<j> per graph
// output, and maxcount, maxcount_1, ... for the FIFOs with a depth monitor. The folder holds
// every source and memory file with relative paths (it can move), the IP-XACT description, a
// Vivado script that packages it, and the sources of its Verilator simulation.
#pragma once

#include "finn/ir/model.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace finn::hwgen {

// Under the output folder (FINN's stitched_ip/).
inline constexpr const char* kStitchedFolder = "stitched_ip";
inline constexpr const char* kStitchedTop = "finn_design_wrapper";
// FINN's VLNV of the stitched IP.
inline constexpr const char* kStitchedVlnv = "xilinx_finn:finn:finn_design:1.0";
// Inside the stitched folder: the packaged IP (component.xml) and its sources; the simulation
// runs in the sources' folder, where the memory files are.
inline constexpr const char* kStitchedIpFolder = "ip";
inline constexpr const char* kStitchedHdlFolder = "ip/hdl";
// FINN's list of the design's sources (relative to the stitched folder, top last).
inline constexpr const char* kStitchedSourcesFile = "all_verilog_srcs.txt";

// One top-level stream: its interface (s_axis_0, m_axis_0), padded width, the graph input or
// output it carries and the node and stream index (in0_V = 0, out_V = 0) behind it.
struct StitchedStream {
    std::string interface;
    std::int64_t width = 0;
    std::string tensor;
    std::string node;
    int stream = 0;
};

struct StitchedDesign {
    // path relative to the stitched folder -> bytes, in a fixed order
    std::vector<std::pair<std::string, std::string>> files;
    std::vector<std::string> rtl_sources; // relative to the stitched folder, top last
    std::vector<StitchedStream> inputs, outputs;
    // The depth-monitored FIFOs in port order (maxcount, maxcount_1, ...).
    std::vector<std::string> monitored_fifos;
};

// The stitched design of `model` (the dataflow partition). Throws finn::Error with one line when a
// node has no hardware, a stream is unconnected or has two consumers, the widths on an edge differ
// (a width converter is missing: step_set_fifo_depths inserts them), or weights are streamed from
// outside (mem_mode external).
StitchedDesign stitch_design(Model& model, const std::string& fpga_part, double clk_ns);

} // namespace finn::hwgen
