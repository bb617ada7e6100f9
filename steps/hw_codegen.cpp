// step_hw_codegen, FINN's step of that name: the sources of every hardware node of the dataflow
// partition. Each node gets a self-contained folder hw/<node name>/ (relative paths only): the
// wrapper <node name>.sv (module named after the node, FINN's ports ap_clk, ap_rst_n, in0_V_*,
// out_V_*) instantiating the hardware library's module with the node's parameters, its memory
// images, the library sources it needs (sources.txt lists them in compile order, wrapper last)
// and the rtlsim driver sources (sim/). The node attribute code_gen_dir_ipgen holds the folder
// relative to the output folder (FINN stores an absolute /tmp path there). The step's declared
// output is hw/codegen_manifest.txt, one "<content hash> <path>" line per file written, so the
// build graph has one fixed output while the tree grows. Folders of nodes no longer in the model
// are deleted.
#include "builtin_steps.h"
#include "finn/step/step_tool.h"
#include "node_hardware.h"

#include <set>

namespace finn::steps {
namespace {

constexpr const char* kManifest = "hw/codegen_manifest.txt";

void run(StepContext& ctx) {
    Model& model = ctx.model();
    require_hardware(model);
    std::string manifest;
    std::set<std::string> node_folders;
    for (Node node : model.nodes())
        node_folders.insert(write_node_sources(ctx, model, node, manifest).top);
    remove_stale_node_folders(ctx, node_folders, "hw_codegen");
    ctx.write_output(kManifest, manifest);
}

std::vector<std::string> outputs(const BuildConfig&) {
    return {kManifest};
}

} // namespace

const StepDeclaration hw_codegen{
    .name = "step_hw_codegen",
    .summary = "generate the sources of every hardware layer",
    .aliases = {"step_hls_codegen"},
    // The generated sources depend on the model alone (no clock: nothing is synthesized here).
    .reads = {},
    .outputs = outputs,
    .run = run,
};

} // namespace finn::steps
