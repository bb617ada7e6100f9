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
#include "finn/core/error.h"
#include "finn/hw/layer_definition.h"
#include "finn/hw/registry.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/step/step_tool.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace finn::steps {
namespace {

namespace fs = std::filesystem;

constexpr const char* kManifest = "hw/codegen_manifest.txt";

// Every node must have hardware before any file is written: one line naming what is missing.
void require_hardware(Model& model) {
    std::map<std::string, std::vector<std::string>> missing; // op type -> nodes
    for (Node node : model.nodes()) {
        const hw::LayerDefinition* def = hw::find_definition_of_op_type(node.op_type());
        auto layer = hw::make_layer(model, node);
        if (!def || !layer || !def->generate_hardware || layer->impl() == hw::Impl::Abstract)
            missing[node.op_type()].push_back(node.name());
    }
    if (missing.empty()) return;
    // One line per op type with a count; every node in the log (a conv net has dozens).
    std::string list, details;
    for (const auto& [op, nodes] : missing) {
        list += (list.empty() ? "" : ", ") + op + " (" + std::to_string(nodes.size()) +
                (nodes.size() == 1 ? " node)" : " nodes)");
        for (const auto& name : nodes)
            details += "no hardware generation yet: node " + name + " (" + op + ")\n";
    }
    std::string with_hardware;
    for (const auto& def : hw::layer_definitions())
        if (def.generate_hardware) with_hardware += (with_hardware.empty() ? "" : ", ") + def.op;
    throw Error("no hardware generation yet for " + list +
                    "; layers with hardware: " + with_hardware,
                details);
}

// Folders of nodes that are gone (removed or renamed since the last build) are deleted, so hw/
// holds this model's hardware only; the rtlsim runtime step_hw_ipgen shares between nodes stays.
void remove_stale_node_folders(StepContext& ctx, const std::set<std::string>& current) {
    const fs::path hw = ctx.output_dir() / hwgen::kHardwareFolder;
    const std::string runtime = fs::path(hwgen::kRtlsimRuntimeFolder).filename().string();
    std::error_code ec;
    std::vector<fs::path> stale;
    for (const auto& entry : fs::directory_iterator(hw, ec)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_directory() && name != runtime && !current.count(name))
            stale.push_back(entry.path());
    }
    std::sort(stale.begin(), stale.end());
    for (const fs::path& folder : stale) {
        fs::remove_all(folder);
        ctx.log("hw_codegen: removed " + std::string(hwgen::kHardwareFolder) + "/" +
                folder.filename().string() + " (no such node any more)");
    }
}

void run(StepContext& ctx) {
    Model& model = ctx.model();
    require_hardware(model);
    std::string manifest;
    std::set<std::string> node_folders;
    for (Node node : model.nodes()) {
        auto layer = hw::require_layer(model, node);
        const hw::LayerDefinition& def = *hw::find_definition_of_op_type(node.op_type());
        const hwgen::NodeFiles files = hwgen::generate_node_files(*layer, def);
        const std::string folder = std::string(hwgen::kHardwareFolder) + "/" + files.top;
        node_folders.insert(files.top);
        for (const auto& [path, bytes] : files.files) {
            manifest += hwgen::content_hash(bytes) + " " + folder + "/" + path + "\n";
            ctx.write_tree_file(folder + "/" + path, bytes);
        }
        node.set_attr_string("code_gen_dir_ipgen", folder);
    }
    remove_stale_node_folders(ctx, node_folders);
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
