#include "finn/core/error.h"
#include "finn/hw/layer_definition.h"
#include "finn/hw/mem_mode.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/tidy_up.h"

#include <algorithm>
#include <set>

namespace finn {
namespace {

// Nodes SpecializeLayers turns into _hls/_rtl: the abstract domain, plus hardware nodes of old
// files that still live in a general domain (backend "fpgadataflow").
bool is_abstract_hw_node(const Node& node) {
    if (node.op_type() == "StreamingDataflowPartition") return false; // a container, not a layer
    if (node.domain() == domains::kFpgaDataflow) return true;
    return is_general_custom_domain(node.domain()) && node.has_attr("backend") &&
           node.attr_string("backend") == "fpgadataflow";
}

// FINN's _determine_impl_style: the layer's own rule, or the generic one; `warn` receives the
// fallback warnings.
std::string impl_style(Model& model, const Node& node, const std::string& part,
                       const std::function<void(std::string)>& warn) {
    const hw::LayerDefinition* layer = hw::find_layer_definition(node.op_type());
    const std::string op = layer ? layer->op : node.op_type();
    if (!layer)
        throw Error("SpecializeLayers: node " + node.describe() + " with optype " + op +
                    " has no hw implementation variant");
    const std::string preferred = node.attr_string("preferred_impl_style", "");
    if (preferred != "" && preferred != "hls" && preferred != "rtl")
        throw Error("SpecializeLayers: node " + node.describe() +
                    ": invalid value for attribute preferred_impl_style: '" + preferred +
                    "'; expected one of \"\", \"hls\", \"rtl\"");
    const std::string label = node.name().empty() ? node.describe() : node.name();
    const hw::ImplRequest request{*layer, model, node, op, part, preferred, label, warn};
    return layer->choose_impl ? layer->choose_impl(request) : hw::generic_impl_style(request);
}

// Legacy mem_mode values of MVAU/VVAU/Thresholding (FINN before v0.10).
void map_legacy_mem_mode(Node& node) {
    if (!node.has_attr("mem_mode")) return;
    const std::string mode = node.attr_string("mem_mode");
    const std::string canonical = hw::canonical_mem_mode(mode);
    if (canonical != mode) node.set_attr_string("mem_mode", canonical);
}

} // namespace

std::string canonical_hw_op_type(const std::string& op_type) {
    const hw::LayerDefinition* layer = hw::find_layer_definition(op_type);
    return layer ? layer->op : op_type;
}

bool has_hls_variant(const std::string& abstract_op) {
    const hw::LayerDefinition* layer = hw::find_layer_definition(abstract_op);
    return layer && layer->has_hls;
}

bool has_rtl_variant(const std::string& abstract_op) {
    const hw::LayerDefinition* layer = hw::find_layer_definition(abstract_op);
    return layer && layer->has_rtl;
}

bool SpecializeLayers::run(Model& model) {
    auto warn = [this](std::string message) { this->warn(message); };
    bool changed = false;
    for (int i = 0; i < model.node_count(); ++i) {
        Node node = model.node(i);
        if (!is_abstract_hw_node(node)) continue;
        const std::string legacy = node.op_type();
        const std::string op = canonical_hw_op_type(legacy);
        const std::string style = impl_style(model, node, fpga_part_, warn);
        node.set_op_type(op + "_" + style);
        node.set_domain(style == "hls" ? domains::kFpgaDataflowHls : domains::kFpgaDataflowRtl);
        node.remove_attr("preferred_impl_style");
        map_legacy_mem_mode(node);
        const hw::LayerDefinition* layer = hw::find_layer_definition(op);
        if (layer && layer->upgrade_legacy) layer->upgrade_legacy(node, legacy);
        node.set_name(""); // FINN's replacement nodes are unnamed; renamed below
        changed = true;
    }
    // Names also for files whose specialized nodes came unnamed (FINN main's quirk).
    changed |= GiveUniqueNodeNames().run(model);
    if (changed) {
        InferShapes().run(model);
        InferDataTypes().run(model);
    }
    return changed;
}

} // namespace finn
