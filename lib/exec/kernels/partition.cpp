// Kernel of StreamingDataflowPartition, the node create_dataflow_partition leaves in the parent
// model in place of the hardware layers: it runs the child model its `model` attribute names
// (relative paths resolve against the parent's folder), so that the parent can be executed as a
// whole, as FINN's parent-mode verification does. Inputs and outputs map by position, since the
// child may name its graph inputs and outputs differently. Parent-mode verification substitutes
// the child it checks for the file (substitute_partition_child).
#include "finn/core/error.h"
#include "finn/exec/executor.h"
#include "finn/exec/kernel.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/ir/model.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace finn {

namespace {

// Runs `child` on the node's inputs, mapped by position.
std::vector<Tensor> run_child(const KernelContext& ctx, const Model& child,
                              const std::filesystem::path& child_dir, const std::string& what) {
    const auto inputs = child.input_names();
    const auto outputs = child.output_names();
    if (static_cast<int>(inputs.size()) != ctx.node.input_count() ||
        static_cast<int>(outputs.size()) != ctx.node.output_count())
        ctx.fail("the node has " + std::to_string(ctx.node.input_count()) + " inputs and " +
                 std::to_string(ctx.node.output_count()) + " outputs, its child model " + what +
                 " " + std::to_string(inputs.size()) + " and " + std::to_string(outputs.size()));
    TensorMap feed;
    for (std::size_t i = 0; i < inputs.size(); ++i)
        feed.emplace(inputs[i], ctx.input(static_cast<int>(i)));
    const TensorMap results = Executor(child, child_dir).run(feed);
    std::vector<Tensor> out;
    for (const auto& name : outputs)
        out.push_back(results.at(name));
    return out;
}

std::vector<Tensor> streaming_dataflow_partition(const KernelContext& ctx) {
    std::filesystem::path path = ctx.node.attr_string("model");
    if (path.empty()) ctx.fail("attribute model (the child model's file) is empty");
    if (path.is_relative()) path = ctx.model_dir / path;
    if (!std::filesystem::exists(path))
        ctx.fail("child model '" + path.string() +
                 "' does not exist (a relative path resolves against the parent model's folder)");
    const Model child = Model::load(path);
    return run_child(ctx, child, path.parent_path(), "'" + path.string() + "'");
}

} // namespace

void register_partition_kernels(KernelRegistry& registry) {
    // create_dataflow_partition writes the fpgadataflow domain; FINN's older files the general one.
    registry.add(domains::kFpgaDataflow, "StreamingDataflowPartition",
                 streaming_dataflow_partition);
    registry.add(domains::kQonnxGeneral, "StreamingDataflowPartition",
                 streaming_dataflow_partition);
}

void substitute_partition_child(KernelRegistry& registry, std::shared_ptr<const Model> child) {
    KernelFn kernel = [child](const KernelContext& ctx) {
        return run_child(ctx, *child, ctx.model_dir, "(substituted)");
    };
    registry.add(domains::kFpgaDataflow, "StreamingDataflowPartition", kernel);
    registry.add(domains::kQonnxGeneral, "StreamingDataflowPartition", kernel);
}

} // namespace finn
