// step_target_fps_parallelization, FINN's step of that name: when target_fps is set, SetFolding
// for int((1e9 / synth_clk_period_ns) / target_fps) cycles per frame, then
// auto_folding_config.json with the folding attributes each node declares.
#include "builtin_steps.h"
#include "finn/step/step_tool.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/folding.h"

namespace finn::steps {
namespace {

const char* const kAutoFoldingConfig = "auto_folding_config.json";

void run(StepContext& ctx) {
    const BuildConfig& cfg = ctx.config();
    const auto target = cfg.cycles_per_frame();
    if (!target) return;
    auto log = [&ctx](const std::string& line) { ctx.log("Warning: " + line); };
    SetFolding(*target, cfg.mvau_wwidth_max, cfg.folding_two_pass_relaxation, log).run(ctx.model());
    auto config = extract_model_config(
        ctx.model(), {"PE", "SIMD", "parallel_window", "ram_style", "resType", "mem_mode",
                      "runtime_writeable_weights", "depth_trigger_uram", "depth_trigger_bram"});
    ctx.write_output(kAutoFoldingConfig, config.dump(2, ' ', true));
}

std::vector<std::string> outputs(const BuildConfig& config) {
    if (!config.target_fps) return {};
    return {kAutoFoldingConfig};
}

} // namespace

const StepDeclaration target_fps_parallelization{
    .name = "step_target_fps_parallelization",
    .summary = "choose PE/SIMD per layer to meet target_fps (FINN's SetFolding)",
    .reads = {"target_fps", "synth_clk_period_ns", "folding_two_pass_relaxation",
              "mvau_wwidth_max"},
    .outputs = outputs,
    .run = run,
};

} // namespace finn::steps
