// step_create_dataflow_partition, FINN's step of that name: the hardware nodes become one child
// model, which is the step's output (FINN returns the child). Also writes
// intermediate_models/supported_op_partitions/partition_<id>.onnx (always),
// intermediate_models/dataflow_parent.onnx (with save_intermediate_models) and
// template_specialize_layers_config.json.
#include "builtin_steps.h"
#include "finn/step/step_tool.h"
#include "finn/transform/dataflow.h"

namespace finn::steps {
namespace {

// The parent refers to the child relative to its own folder, intermediate_models/.
const std::filesystem::path kModelDir = "intermediate_models";
const std::filesystem::path kParent = kModelDir / "dataflow_parent.onnx";
const char* const kTemplateConfig = "template_specialize_layers_config.json";

void run(StepContext& ctx) {
    // Qualified: finn::steps::create_dataflow_partition is this declaration.
    DataflowPartition p = finn::create_dataflow_partition(ctx.model());
    if (ctx.config().save_intermediate_models) ctx.write_output(kParent, p.parent.serialize());
    ctx.write_output(kModelDir / p.child_path, p.child.serialize());
    auto config = extract_model_config(p.child, {"preferred_impl_style"});
    ctx.write_output(kTemplateConfig, config.dump(2, ' ', /*ensure_ascii=*/true));
    ctx.model() = std::move(p.child);
}

std::vector<std::string> outputs(const BuildConfig& config) {
    std::vector<std::string> files{
        (kModelDir / "supported_op_partitions/partition_0.onnx").string()};
    if (config.save_intermediate_models) files.push_back(kParent.string());
    files.push_back(kTemplateConfig);
    return files;
}

} // namespace

const StepDeclaration create_dataflow_partition{
    .name = "step_create_dataflow_partition",
    .summary = "move the hardware nodes into a single dataflow partition (child model)",
    .reads = {"save_intermediate_models"},
    .outputs = outputs,
    .run = run,
};

} // namespace finn::steps
