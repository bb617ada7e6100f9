// finn-step-target-fps-parallelization: FINN's step_target_fps_parallelization — when target_fps
// is set, SetFolding for int((1e9 / synth_clk_period_ns) / target_fps) cycles per frame, then
// auto_folding_config.json with the folding attributes each node declares.
#include "finn/step/step_tool.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/folding.h"

int main(int argc, char** argv) {
    finn::StepDefinition step{
        "step_target_fps_parallelization",
        "choose PE/SIMD per layer to meet target_fps (FINN's SetFolding)",
        [](finn::StepContext& ctx) {
            const finn::BuildConfig& cfg = ctx.config();
            const auto target = cfg.cycles_per_frame();
            if (!target) return;
            auto log = [&ctx](const std::string& line) { ctx.log("Warning: " + line); };
            finn::SetFolding(*target, cfg.mvau_wwidth_max, cfg.folding_two_pass_relaxation, log)
                .run(ctx.model());
            auto config = finn::extract_model_config(
                ctx.model(),
                {"PE", "SIMD", "parallel_window", "ram_style", "resType", "mem_mode",
                 "runtime_writeable_weights", "depth_trigger_uram", "depth_trigger_bram"});
            ctx.write_output("auto_folding_config.json", config.dump(2, ' ', true));
        }};
    return finn::run_step_tool(step, argc, argv);
}
