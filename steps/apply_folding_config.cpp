// step_apply_folding_config, FINN's step of that name: when folding_config_file is set (absolute,
// or relative to the working directory): GiveUniqueNodeNames, ApplyConfig. cycles_estimate is then
// re-annotated from the final folding, so that this step's output depends only on the folding it
// ends with (a folding file fixing every node gives the same bytes whatever target_fps chose
// before).
// FINN's FOLDED_HLS_CPPSIM verification: every node of the partition set to exec_mode "cppsim"
// (the bit-accurate model of its folded hardware), the parent model run with that partition.
// Unlike FINN, exec_mode is set on the verified copy only: the step's output model is the same
// whether or not the verification is requested. When a node's layer has no cppsim model yet, the
// verification is skipped with a warning naming those op types.
#include "builtin_steps.h"
#include "finn/config/attribute_config.h"
#include "finn/core/strings.h"
#include "finn/hw/layer_definition.h"
#include "finn/step/step_tool.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/folding.h"
#include "finn/transform/tidy_up.h"

#include <set>

namespace finn::steps {
namespace {

const StepVerification kVerification{VerificationStepType::FOLDED_HLS_CPPSIM,
                                     "folded_hls_cppsim",
                                     {"intermediate_models/dataflow_parent.onnx"}};

void verify_cppsim(StepContext& ctx) {
    if (!ctx.verification_requested(kVerification.type)) return;
    std::set<std::string> without_model;
    for (auto& node : ctx.model().nodes()) {
        const hw::LayerDefinition* layer = hw::find_definition_of_op_type(node.op_type());
        if (!layer || !layer->cppsim) without_model.insert(node.op_type());
    }
    if (!without_model.empty()) {
        const std::vector<std::string> ops(without_model.begin(), without_model.end());
        ctx.skip_verification(kVerification,
                              "Finn cannot run this verification yet: no cppsim model of " +
                                  join(ops));
        return;
    }
    Model child(ctx.model().proto());
    for (auto& node : child.nodes())
        node.set_attr_string("exec_mode", "cppsim");
    ctx.verify_in_parent_if_requested(kVerification, child);
}

void run(StepContext& ctx) {
    const BuildConfig& cfg = ctx.config();
    if (cfg.folding_config_file) {
        auto log = [&ctx](const std::string& line) { ctx.log("Warning: " + line); };
        GiveUniqueNodeNames().run(ctx.model());
        ApplyConfig(AttributeConfig::load(*cfg.folding_config_file), log).run(ctx.model());
        bool annotated = false;
        for (auto& node : ctx.model().nodes())
            annotated |= node.has_attr("cycles_estimate");
        if (annotated) AnnotateCycles().run(ctx.model());
    }
    verify_cppsim(ctx);
}

} // namespace

const StepDeclaration apply_folding_config{
    .name = "step_apply_folding_config",
    .summary = "apply folding_config_file (PE, SIMD, ram_style, ...)",
    .reads = {"folding_config_file", "save_intermediate_models"},
    .verification = kVerification,
    .run = run,
};

} // namespace finn::steps
