// finn-step-specialize-layers: FINN's step_specialize_layers — applies
// specialize_layers_config_file (path relative to the working directory, node names as
// GiveUniqueNodeNames gives them), then turns every hardware node into its HLS or RTL variant for
// the resolved FPGA part.
#include "finn/config/attribute_config.h"
#include "finn/step/step_tool.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/tidy_up.h"

int main(int argc, char** argv) {
    finn::StepDefinition step{
        "step_specialize_layers", "choose the HLS or RTL variant of every hardware node",
        [](finn::StepContext& ctx) {
            auto log = [&ctx](const std::string& line) { ctx.log("Warning: " + line); };
            const finn::BuildConfig& cfg = ctx.config();
            // Resolve the part first: without one nothing below can be decided.
            const std::string part = cfg.fpga_part_resolved();
            if (cfg.specialize_layers_config_file) {
                finn::GiveUniqueNodeNames().run(ctx.model());
                finn::ApplyConfig(finn::AttributeConfig::load(*cfg.specialize_layers_config_file),
                                  log)
                    .run(ctx.model());
            }
            finn::SpecializeLayers(part, log).run(ctx.model());
        }};
    return finn::run_step_tool(step, argc, argv);
}
