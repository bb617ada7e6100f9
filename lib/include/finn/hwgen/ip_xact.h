// The IP-XACT description (IEEE 1685-2009, as Vivado's IP packager writes component.xml) of a
// node's wrapper: vendor/library/name/version, the AXI-Stream bus interfaces in0_V (in1_V) and
// out_V, clock and reset, and the file set of the node folder.
#pragma once

#include "finn/hwgen/node_codegen.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace finn::hwgen {

// One AXI-Stream interface of an IP: its bus name and the ports of its signals, upper case as in a
// node's wrapper (in0_V_TDATA) or lower case as in FINN's stitched IP (s_axis_0_tdata).
struct AxisBus {
    std::string name;
    bool slave = true; // an input stream
    std::int64_t width = 0;
    bool upper_case_signals = true;

    std::string signal(const std::string& upper) const {
        std::string s = upper;
        if (!upper_case_signals)
            for (char& c : s)
                c = static_cast<char>(c - 'A' + 'a');
        return name + "_" + s;
    }
};

// What component.xml describes: the VLNV, the streams with clock ap_clk and active-low reset
// ap_rst_n, further plain outputs (name, width), and the file set relative to component.xml.
struct IpComponent {
    std::string comment;
    std::string vendor, library, name, version;
    std::vector<AxisBus> busses;
    std::vector<std::pair<std::string, std::int64_t>> other_outputs;
    std::vector<std::string> rtl_sources;
    std::vector<std::string> memory_files;
};
std::string component_xml(const IpComponent& ip);

// Finn's VLNV of a node's IP: "finn:hw:<node>:1.0" (FINN: "xilinx.com:hls:<node>:1.0").
std::string node_vlnv(const std::string& top);

// component.xml for a node, its file set relative to the folder holding it (the node folder).
std::string component_xml(const std::string& top, const NodeStreams& streams,
                          const std::vector<std::string>& rtl_sources,
                          const std::vector<std::string>& memory_files);

} // namespace finn::hwgen
