// step_specialize_layers, FINN's step of that name: applies specialize_layers_config_file (path
// relative to the working directory, node names as GiveUniqueNodeNames gives them), then turns
// every hardware node into its HLS or RTL variant for the resolved FPGA part.
#include "builtin_steps.h"
#include "finn/config/attribute_config.h"
#include "finn/step/step_tool.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/tidy_up.h"

namespace finn::steps {
namespace {

void run(StepContext& ctx) {
    auto log = [&ctx](const std::string& line) { ctx.log("Warning: " + line); };
    const BuildConfig& cfg = ctx.config();
    // Resolve the part first: without one nothing below can be decided.
    const std::string part = cfg.fpga_part_resolved();
    if (cfg.specialize_layers_config_file) {
        GiveUniqueNodeNames().run(ctx.model());
        ApplyConfig(AttributeConfig::load(*cfg.specialize_layers_config_file), log)
            .run(ctx.model());
    }
    SpecializeLayers(part, log).run(ctx.model());
}

} // namespace

const StepDeclaration specialize_layers{
    .name = "step_specialize_layers",
    .summary = "choose the HLS or RTL variant of every hardware node",
    .reads = with_part_keys({"specialize_layers_config_file"}),
    .run = run,
};

} // namespace finn::steps
