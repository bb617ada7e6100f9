#include "finn/hwgen/fifo_occupancy.h"

#include "finn/hw/registry.h"
#include "finn/hw/rtlsim.h"
#include "finn/hwgen/stitched_build.h"

#include <algorithm>
#include <chrono>

namespace finn::hwgen {

namespace fs = std::filesystem;

FifoOccupancy simulate_fifo_occupancy(const Model& original, const fs::path& work_dir,
                                      const fs::path& runtime_dir, const std::string& fpga_part,
                                      double clk_ns) {
    Model model = original;
    const StitchedDesign design = stitch_design(model, fpga_part, clk_ns);
    FifoOccupancy result;
    const StitchedBuild build =
        write_and_build_stitched(design, work_dir, false, runtime_dir,
                                 "FIFO sizing (largefifo_rtlsim)", SimulationLength::Short);
    result.rebuilt = build.rebuilt;
    result.build_seconds = build.seconds;
    model.set_metadata(hw::kStitchedProjectMetadata, fs::absolute(work_dir).string());

    // Frames: enough to fill the pipeline (its layers' cycles in sequence over the slowest
    // layer's) plus two in steady state. Input rate: one word per ceil(slowest layer's cycles /
    // words per frame), so that the first FIFOs do not just absorb a burst (FINN throttles too).
    std::int64_t slowest = 1, all = 0;
    for (Node node : model.nodes())
        if (auto layer = hw::make_layer(model, node)) {
            const std::int64_t cycles = std::max<std::int64_t>(layer->exp_cycles(), 1);
            slowest = std::max(slowest, cycles);
            all += cycles;
        }
    result.frames = std::min<std::int64_t>((all + slowest - 1) / slowest + 2, 64);
    const StitchedStream& first = design.inputs.at(0);
    std::unique_ptr<hw::HwLayer> layer;
    for (Node node : model.nodes())
        if (node.name() == first.node) layer = hw::require_layer(model, node);
    const Shape folded = layer->folded_input_shape(first.stream);
    const std::int64_t words = std::max<std::int64_t>(hw::product(folded) / folded.back(), 1);
    result.input_interval = static_cast<std::uint64_t>((slowest + words - 1) / words);

    const auto start = std::chrono::steady_clock::now();
    const hw::StitchedRun run =
        hw::run_stitched_rtlsim(model, hw::constant_frames(model, result.frames),
                                {.trace = "", .input_interval = result.input_interval});
    result.simulate_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.cycles = run.cycles;
    for (const auto& [node, count] : run.maxcounts)
        result.peak[node] = count;
    return result;
}

} // namespace finn::hwgen
