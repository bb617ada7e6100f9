#include "node_hardware.h"

#include "finn/core/error.h"
#include "finn/hw/layer_definition.h"
#include "finn/hw/registry.h"
#include "finn/hwgen/ip_xact.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <vector>

namespace finn::steps {

namespace fs = std::filesystem;

std::string node_folder(const Node& node) {
    return std::string(hwgen::kHardwareFolder) + "/" + node.name();
}

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

hwgen::NodeFiles write_node_sources(StepContext& ctx, Model& model, Node node,
                                    std::string& manifest) {
    auto layer = hw::require_layer(model, node);
    const hw::LayerDefinition& def = *hw::find_definition_of_op_type(node.op_type());
    hwgen::NodeFiles files = hwgen::generate_node_files(*layer, def);
    const std::string folder = node_folder(node);
    for (const auto& [path, bytes] : files.files) {
        manifest += hwgen::content_hash(bytes) + " " + folder + "/" + path + "\n";
        ctx.write_tree_file(folder + "/" + path, bytes);
    }
    node.set_attr_string("code_gen_dir_ipgen", folder);
    return files;
}

std::string write_node_ip(StepContext& ctx, Node node, const std::string& folder,
                          const hwgen::NodeFiles& files) {
    std::string component =
        hwgen::component_xml(files.top, files.streams, files.rtl_sources, files.memory_files);
    ctx.write_tree_file(folder + "/component.xml", component);
    node.set_attr_string("ipgen_path", folder);
    node.set_attr_string("ip_path", folder);
    node.set_attr_string("ip_vlnv", hwgen::node_vlnv(files.top));
    return component;
}

void remove_stale_node_folders(StepContext& ctx, const std::set<std::string>& current,
                               const std::string& step) {
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
        ctx.log(step + ": removed " + std::string(hwgen::kHardwareFolder) + "/" +
                folder.filename().string() + " (no such node any more)");
    }
}

} // namespace finn::steps
