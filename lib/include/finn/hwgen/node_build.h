// What Verilator made of one node folder (hw_codegen's layout) and whether it is current: the
// folder's lint and its rtlsim executable each carry a stamp holding the content hash of the
// folder they were made from. step_hw_ipgen lints every node and builds the executables only when
// node_by_node_rtlsim is requested; step_set_fifo_depths' characterize strategy builds the
// executable of a node it measures. Both go through build_node_rtlsim_if_stale, so a node is
// never compiled twice for the same files.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace finn::hwgen {

// The stamps, relative to the node folder: lint's (the folder was linted clean) and the
// executable's (kRtlsimExecutable of finn/hwgen/verilator.h was built from the folder).
inline constexpr const char* kLintStamp = "ipgen.stamp";
inline constexpr const char* kRtlsimStamp = "sim_build/rtlsim.stamp";

// What lint and the executable depend on: the Verilator version and every file of the folder but
// the build's own (sim_build/, the lint stamp and component.xml, which IP packaging writes).
std::string node_folder_hash(const std::filesystem::path& node_dir,
                             const std::string& verilator_version);

// Whether the folder was linted, or its executable built, from the files with this hash.
bool node_lint_current(const std::filesystem::path& node_dir, const std::string& hash);
bool node_rtlsim_current(const std::filesystem::path& node_dir, const std::string& hash);

// `verilator --lint-only -Wall` of the node unless node_lint_current; returns whether it ran.
// Throws finn::Error like lint_node.
bool lint_node_if_stale(const std::string& verilator, const std::filesystem::path& node_dir,
                        const std::string& top, const std::string& hash);

// The node's executable unless node_rtlsim_current: compiled, then linked against the library
// `runtime_library` returns (called after the compile, so that a caller building the shared
// runtime beside several nodes can wait for it there). Returns whether it built. Throws
// finn::Error like lint_node.
bool build_node_rtlsim_if_stale(const std::string& verilator, const std::filesystem::path& node_dir,
                                const std::string& top, const std::string& hash,
                                const std::function<std::filesystem::path()>& runtime_library);

// Deletes the executable when it was not built from the files with this hash, so that exec_mode
// rtlsim can never run a node's earlier hardware. The compiled objects stay for a later build.
void remove_stale_node_rtlsim(const std::filesystem::path& node_dir, const std::string& hash);

} // namespace finn::hwgen
