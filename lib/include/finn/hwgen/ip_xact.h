// The IP-XACT description (IEEE 1685-2009, as Vivado's IP packager writes component.xml) of a
// node's wrapper: vendor/library/name/version, the AXI-Stream bus interfaces in0_V (in1_V) and
// out_V, clock and reset, and the file set of the node folder.
#pragma once

#include "finn/hwgen/node_codegen.h"

#include <string>

namespace finn::hwgen {

// Finn's VLNV of a node's IP: "finn:hw:<node>:1.0" (FINN: "xilinx.com:hls:<node>:1.0").
std::string node_vlnv(const std::string& top);

// component.xml for a node, its file set relative to the folder holding it (the node folder).
std::string component_xml(const std::string& top, const NodeStreams& streams,
                          const std::vector<std::string>& rtl_sources,
                          const std::vector<std::string>& memory_files);

} // namespace finn::hwgen
