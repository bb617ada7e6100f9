// FIFO sizing by simulation (FINN's InsertAndSetFIFODepths, its step 3): the model's stitched
// design, with its FIFOs deep and depth-monitored (depth_monitor = 1), simulated on enough
// frames to fill the pipeline and reach steady state, fed at about the rate of its slowest layer;
// the result is each monitored FIFO's highest occupancy.
#pragma once

#include "finn/ir/model.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace finn::hwgen {

struct FifoOccupancy {
    std::map<std::string, std::int64_t> peak; // FIFO node name -> highest occupancy
    std::int64_t frames = 0;
    std::uint64_t input_interval = 1; // cycles between input words
    std::uint64_t cycles = 0;
    bool rebuilt = false;     // whether the simulation had to be built
    double build_seconds = 0; // Verilator build, when rebuilt
    double simulate_seconds = 0;
};

// Builds the design in `work_dir` (incremental, finn/hwgen/stitched_build.h; linking the rtlsim
// runtime in `runtime_dir`) and runs it. Needs Verilator.
FifoOccupancy simulate_fifo_occupancy(const Model& model, const std::filesystem::path& work_dir,
                                      const std::filesystem::path& runtime_dir,
                                      const std::string& fpga_part, double clk_ns);

} // namespace finn::hwgen
