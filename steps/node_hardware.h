// What step_hw_codegen and step_hw_ipgen write for one node, shared with the steps that add
// nodes after them (step_set_fifo_depths): the node folder hw/<node>/ with its attribute
// code_gen_dir_ipgen, and its component.xml with the attributes ipgen_path, ip_path, ip_vlnv.
#pragma once

#include "finn/hwgen/node_codegen.h"
#include "finn/ir/model.h"
#include "finn/step/step_tool.h"

#include <set>
#include <string>

namespace finn::steps {

// The node folder relative to the output folder: hw/<node name>.
std::string node_folder(const Node& node);

// Every node must have hardware before any file is written: one line naming what is missing.
void require_hardware(Model& model);

// Generates the node's files into hw/<node>/ (staged; files whose bytes did not change are not
// rewritten), sets code_gen_dir_ipgen and appends one "<content hash> <path>" line per file to
// `manifest`. Returns the files (component.xml needs them).
hwgen::NodeFiles write_node_sources(StepContext& ctx, Model& model, Node node,
                                    std::string& manifest);

// component.xml in the node folder `folder` (relative to the output folder), and the attributes
// ipgen_path and ip_path (that folder) and ip_vlnv. Returns the bytes of component.xml.
std::string write_node_ip(StepContext& ctx, Node node, const std::string& folder,
                          const hwgen::NodeFiles& files);

// Deletes the folders under hw/ of nodes not in `current` (the shared rtlsim runtime stays),
// logging each as "<step>: removed hw/<node> (no such node any more)".
void remove_stale_node_folders(StepContext& ctx, const std::set<std::string>& current,
                               const std::string& step);

} // namespace finn::steps
