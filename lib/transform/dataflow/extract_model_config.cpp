#include "attribute_values.h"
#include "finn/transform/dataflow.h"

namespace finn {

using namespace dataflow_detail;

nlohmann::ordered_json extract_model_config(const Model& model,
                                            const std::vector<std::string>& attributes) {
    nlohmann::ordered_json config = nlohmann::ordered_json::object();
    config["Defaults"] = nlohmann::ordered_json::object();
    Model copy = model; // Node handles need a mutable graph
    for (Node node : copy.nodes()) {
        if (!is_custom_op_node(node)) continue;
        const CustomOpDecl* decl = find_custom_op(node.domain(), node.op_type());
        nlohmann::ordered_json layer = nlohmann::ordered_json::object();
        for (const auto& attr : attributes) {
            const AttrDecl* declared = find_attr_decl(decl, attr);
            std::optional<nlohmann::ordered_json> value;
            if (node.has_attr(attr)) {
                std::optional<AttrType> type =
                    declared ? std::optional(declared->type) : carried_attr_type(node, attr);
                if (type) value = read_attr_value(node, attr, *type);
            } else if (declared && !declared->default_value.is_null()) {
                value = declared->default_value; // qonnx's get_nodeattr default
            }
            if (value) layer[attr] = std::move(*value);
        }
        // Python dict semantics: a repeated name keeps its first position, takes the last value.
        if (!layer.empty()) config[node.name()] = std::move(layer);
    }
    return config;
}

} // namespace finn
