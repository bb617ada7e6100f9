// finn-step-apply-folding-config: FINN's step_apply_folding_config — when folding_config_file is
// set (absolute, or relative to the working directory): GiveUniqueNodeNames, ApplyConfig.
// cycles_estimate is then re-annotated from the final folding, so that this step's output
// depends only on the folding it ends with (a folding file fixing every node gives the same
// bytes whatever target_fps chose before).
// FINN's FOLDED_HLS_CPPSIM verification hook is left out: Finn has no cppsim yet.
#include "finn/config/attribute_config.h"
#include "finn/step/step_tool.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/folding.h"
#include "finn/transform/tidy_up.h"

int main(int argc, char** argv) {
    finn::StepDefinition step{
        "step_apply_folding_config", "apply folding_config_file (PE, SIMD, ram_style, ...)",
        [](finn::StepContext& ctx) {
            const finn::BuildConfig& cfg = ctx.config();
            if (!cfg.folding_config_file) return;
            auto log = [&ctx](const std::string& line) { ctx.log("Warning: " + line); };
            finn::GiveUniqueNodeNames().run(ctx.model());
            finn::ApplyConfig(finn::AttributeConfig::load(*cfg.folding_config_file), log)
                .run(ctx.model());
            bool annotated = false;
            for (auto& node : ctx.model().nodes())
                annotated |= node.has_attr("cycles_estimate");
            if (annotated) finn::AnnotateCycles().run(ctx.model());
        }};
    return finn::run_step_tool(step, argc, argv);
}
