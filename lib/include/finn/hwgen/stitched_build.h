// A stitched design on disk with its simulation built: the files written (only changed bytes),
// files of an earlier design removed, and sim_build/rtlsim rebuilt only when a source, the
// Verilator version, the waveform option or the simulation length changed (stamp file sim.stamp:
// the hash, then "short runs" or "long runs"). Shared by
// step_create_stitched_ip and FIFO sizing, which simulates a design of its own.
#pragma once

#include "finn/hwgen/stitched_design.h"
#include "finn/hwgen/verilator.h"

#include <filesystem>
#include <string>

namespace finn::hwgen {

struct StitchedBuild {
    std::string manifest; // "<content hash> <path relative to the folder>" per file, and the stamp
    bool rebuilt = false;
    double seconds = 0; // of the Verilator build, when rebuilt
};

// Needs Verilator (throws finn::Error saying how to install it, for `needed_for`). `runtime_dir`:
// the build's shared rtlsim runtime (kRtlsimRuntimeFolder of finn/hwgen/node_codegen.h).
StitchedBuild write_and_build_stitched(const StitchedDesign& design,
                                       const std::filesystem::path& dir, bool waveforms,
                                       const std::filesystem::path& runtime_dir,
                                       const std::string& needed_for,
                                       SimulationLength length = SimulationLength::Long);

} // namespace finn::hwgen
