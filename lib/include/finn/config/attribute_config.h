// AttributeConfig: the qonnx ApplyConfig format used by folding_config.json,
// specialize_layers_config.json and Vitis floorplan files:
//
//   { "Defaults": { "<attr>": [<value>, "all" | ["OpTypeA", ...]], ... },
//     "<node name>": { "<attr>": <value>, ... }, ... }
//
// Entries keep file order. Writing it back gives the same format ("Defaults" first).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace finn {

struct AttributeConfig {
    struct Default {
        nlohmann::json value;
        bool all = false;                  // target "all"
        std::vector<std::string> op_types; // otherwise: the op types it applies to
        bool operator==(const Default&) const = default;
    };
    std::vector<std::pair<std::string, Default>> defaults;
    // Node name -> object of attribute -> value.
    std::vector<std::pair<std::string, nlohmann::ordered_json>> nodes;

    bool operator==(const AttributeConfig&) const = default;

    static AttributeConfig from_json(const nlohmann::ordered_json& j, const std::string& source);
    static AttributeConfig parse(std::string_view text, bool yaml, const std::string& source);
    // YAML for .yaml/.yml, JSON otherwise.
    static AttributeConfig load(const std::filesystem::path& path);

    nlohmann::ordered_json to_json() const;

    // What ApplyConfig sets on a node: the defaults targeting its op type, then the node's own
    // entries, which replace defaults of the same attribute (each attribute appears once).
    std::vector<std::pair<std::string, nlohmann::json>>
    attributes_for(const std::string& node_name, const std::string& op_type) const;

    // nullptr when the config has no entry for this node.
    const nlohmann::ordered_json* find_node(std::string_view node_name) const;
};

} // namespace finn
