// Running Verilator on a generated node folder (hw_codegen's layout, finn/hwgen/node_codegen.h):
// lint, and the node's rtlsim executable (its Verilated wrapper with the one generic driver
// sim/node_rtlsim_main.cpp). Verilator is optional for Finn: only hw_ipgen and rtlsim need it.
#pragma once

#include "finn/util/process.h"

#include <filesystem>
#include <string>
#include <vector>

namespace finn::hwgen {

// The Verilator executable (VERILATOR_BIN or `verilator` in PATH); throws finn::Error with one
// line saying how to install it.
std::string require_verilator(const std::string& needed_for);
// "Verilator 5.006 2023-01-22 ..." (part of the rebuild stamp).
std::string verilator_version(const std::string& verilator);

// The executable hw_ipgen builds in a node folder, relative to it.
inline constexpr const char* kRtlsimExecutable = "sim_build/rtlsim";

// `verilator --lint-only -Wall` of the node's sources (sources.txt); throws finn::Error with the
// first warning on the line and Verilator's output as details.
void lint_node(const std::string& verilator, const std::filesystem::path& node_dir,
               const std::string& top);
// The part of every node's rtlsim executable that does not depend on the node: Verilator's
// runtime (verilated.cpp and verilated_threads.cpp, most of a node's compile time) and the
// driver's word type, compiled once per build into <runtime_dir>/kRtlsimRuntimeLibrary with the
// flags of Verilator's verilated.mk. Incremental (make); rebuilt from scratch when Verilator's
// version changes. Throws finn::Error like lint_node.
inline constexpr const char* kRtlsimRuntimeLibrary = "librtlsim_runtime.a";
void build_rtlsim_runtime(const std::string& verilator, const std::filesystem::path& runtime_dir);

// The node's Verilated model and its driver's main, compiled (the runtime is not needed yet).
void compile_node_rtlsim(const std::string& verilator, const std::filesystem::path& node_dir,
                         const std::string& top);
// kRtlsimExecutable from compile_node_rtlsim's objects and the runtime library.
void link_node_rtlsim(const std::filesystem::path& node_dir, const std::string& top,
                      const std::filesystem::path& runtime_library);
// The three in sequence, for one node on its own (the runtime goes into runtime_dir).
void build_node_rtlsim(const std::string& verilator, const std::filesystem::path& node_dir,
                       const std::string& top, const std::filesystem::path& runtime_dir);

// How long a stitched design will be simulated, which decides its model's optimization: a short
// run (FIFO sizing: some thousand to a few hundred thousand cycles) is compiled with -O1, in about
// two thirds of -O2's time; a long one (verification, throughput, benchmarks) with -O2.
enum class SimulationLength { Short, Long };

// The stitched design's rtlsim executable (stitched_dir/kRtlsimExecutable): lint of the whole
// design, then its Verilated top with sim/stitched_rtlsim_main.cpp, built by make with one job per
// core; `waveforms` adds FST tracing (the executable's --trace); without it the executable links
// the shared rtlsim runtime, built in `runtime_dir` if needed. Throws like lint_node.
void build_stitched_rtlsim(const std::string& verilator, const std::filesystem::path& stitched_dir,
                           bool waveforms, const std::filesystem::path& runtime_dir,
                           SimulationLength length = SimulationLength::Long);

} // namespace finn::hwgen
