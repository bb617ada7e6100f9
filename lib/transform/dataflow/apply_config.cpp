#include "attribute_values.h"
#include "finn/core/error.h"
#include "finn/core/strings.h"
#include "finn/hw/registry.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/dataflow.h"

#include <algorithm>
#include <onnx/onnx_pb.h>
#include <set>

namespace finn {
namespace {

using json = nlohmann::json;
using namespace dataflow_detail;

// Sets one attribute, typed by the op's declaration; an attribute the op does not declare is an
// error. Returns true if the node changed.
bool set_attribute(Node& node, const CustomOpDecl* decl, const std::string& attr,
                   const json& value) {
    const std::string where = "ApplyConfig: node " + node.describe() + ": attribute '" + attr + "'";
    const AttrDecl* declared = find_attr_decl(decl, attr);
    if (!declared)
        throw Error("ApplyConfig: node " + node.describe() + " has no attribute '" + attr +
                    "' (Op has no such attribute)");
    check_attr_type(declared->type, value, where);
    if (!declared->allowed.empty() && std::find(declared->allowed.begin(), declared->allowed.end(),
                                                value) == declared->allowed.end())
        throw Error(where + " = " + value.dump() + " not in " + json(declared->allowed).dump());
    // An absent attribute already reads as its default: leaving it absent keeps one form per
    // configuration, so feeding final_hw_config.json back gives the same bytes.
    if (!node.has_attr(attr) && !declared->default_value.is_null() &&
        value == declared->default_value)
        return false;
    const std::string before = node.proto().SerializeAsString();
    write_attr_value(node, attr, declared->type, value, where);
    return node.proto().SerializeAsString() != before;
}

// The folding attributes the config set must take legal values (e.g. a PE dividing MH).
void check_folding(Model& model, Node node, const std::set<std::string>& set_attrs) {
    auto layer = hw::make_layer(model, node);
    if (!layer) return;
    try {
        layer->check_folding(set_attrs);
    } catch (const Error& e) {
        throw Error(std::string("ApplyConfig: ") + e.what());
    }
}

} // namespace

bool ApplyConfig::run(Model& model) {
    std::vector<std::string> missing;
    std::set<std::string> used;
    bool changed = false;
    for (Node node : model.nodes()) {
        // qonnx counts every node without an entry as missing, custom op or not.
        if (!config_.find_node(node.name())) missing.push_back(node.name());
        if (!is_custom_op_node(node)) continue;
        used.insert(node.name());
        const CustomOpDecl* decl = find_custom_op(node.domain(), node.op_type());
        std::set<std::string> set_attrs;
        for (const auto& [attr, value] : config_.attributes_for(node.name(), node.op_type())) {
            changed |= set_attribute(node, decl, attr, value);
            set_attrs.insert(attr);
        }
        check_folding(model, node, set_attrs);
    }
    std::vector<std::string> unused;
    for (const auto& [name, attrs] : config_.nodes)
        if (!used.count(name)) unused.push_back(name);
    if (!missing.empty()) warn("No HW configuration for nodes: " + join(missing));
    if (!unused.empty()) warn("Unused HW configurations: " + join(unused));
    return changed;
}

} // namespace finn
