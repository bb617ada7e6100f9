// exec_mode "rtlsim": a hardware node runs through the rtlsim executable step_hw_ipgen built in its
// folder (ipgen_path): its input tensor is packed into stream words as FINN packs them, streamed
// through the node's Verilated wrapper, and the output words unpacked again.
#pragma once

#include "finn/exec/kernel.h"

#include <filesystem>

namespace finn::hw {

// The folder ipgen_path is relative to: the build's output folder. Step tools set it; by default
// the current directory.
void set_generated_hardware_root(std::filesystem::path root);
const std::filesystem::path& generated_hardware_root();

// The node's outputs from its rtlsim executable.
std::vector<Tensor> run_node_rtlsim(const KernelContext& ctx);

} // namespace finn::hw
