// finn-step-create-dataflow-partition: FINN's step_create_dataflow_partition — the hardware nodes
// become one child model, which is the step's output (FINN returns the child). Also writes
// intermediate_models/supported_op_partitions/partition_<id>.onnx (always),
// intermediate_models/dataflow_parent.onnx (with save_intermediate_models) and
// template_specialize_layers_config.json.
#include "finn/step/step_tool.h"
#include "finn/transform/dataflow.h"

int main(int argc, char** argv) {
    finn::StepDefinition step{
        "step_create_dataflow_partition",
        "move the hardware nodes into a single dataflow partition (child model)",
        [](finn::StepContext& ctx) {
            // The parent refers to the child relative to its own folder, intermediate_models/.
            const std::filesystem::path dir = "intermediate_models";
            finn::DataflowPartition p = finn::create_dataflow_partition(ctx.model());
            if (ctx.config().save_intermediate_models)
                ctx.write_output(dir / "dataflow_parent.onnx", p.parent.serialize());
            ctx.write_output(dir / p.child_path, p.child.serialize());
            auto config = finn::extract_model_config(p.child, {"preferred_impl_style"});
            ctx.write_output("template_specialize_layers_config.json",
                             config.dump(2, ' ', /*ensure_ascii=*/true));
            ctx.model() = std::move(p.child);
        }};
    return finn::run_step_tool(step, argc, argv);
}
