#include "finn/config/attribute_config.h"

#include "finn/config/build_config.h"
#include "finn/config/config_file.h"
#include "finn/core/error.h"

#include <algorithm>

namespace finn {
namespace {

using ordered_json = nlohmann::ordered_json;

constexpr const char* kDefaultsKey = "Defaults";

// Main's ApplyConfig takes [value, target] only; a target string other than "all" would be a
// Python substring test there, which we reject instead of imitating.
AttributeConfig::Default parse_default(const std::string& attr, const ordered_json& entry,
                                       const std::string& source) {
    auto bad = [&]() {
        return Error(source + ": 'Defaults' entry '" + attr +
                     "' must be [value, \"all\" | [op types]], got " + entry.dump());
    };
    if (!entry.is_array() || entry.size() != 2) throw bad();
    AttributeConfig::Default d;
    d.value = entry[0];
    const ordered_json& target = entry[1];
    if (target.is_string()) {
        if (target.get_ref<const std::string&>() != "all") throw bad();
        d.all = true;
        return d;
    }
    if (!target.is_array()) throw bad();
    for (const ordered_json& op : target) {
        if (!op.is_string()) throw bad();
        d.op_types.push_back(op.get<std::string>());
    }
    return d;
}

} // namespace

AttributeConfig AttributeConfig::from_json(const nlohmann::ordered_json& j,
                                           const std::string& source) {
    if (!j.is_object())
        throw Error(source +
                    ": attribute config must be an object of node name -> attributes, got " +
                    json_type_name(j));
    AttributeConfig config;
    // "Defaults" is mandatory in main's ApplyConfig but optional on FINN dev; we accept both.
    for (const auto& [key, value] : j.items()) {
        if (key == kDefaultsKey) {
            if (!value.is_object())
                throw Error(source + ": key 'Defaults' must be an object, got " +
                            json_type_name(value));
            for (const auto& [attr, entry] : value.items())
                config.defaults.emplace_back(attr, parse_default(attr, entry, source));
            continue;
        }
        if (!value.is_object())
            throw Error(source + ": node '" + key +
                        "' must be an object of attribute -> value, got " + json_type_name(value));
        config.nodes.emplace_back(key, value);
    }
    return config;
}

AttributeConfig AttributeConfig::parse(std::string_view text, bool yaml,
                                       const std::string& source) {
    return from_json(parse_config_document(text, yaml, source), source);
}

AttributeConfig AttributeConfig::load(const std::filesystem::path& path) {
    return from_json(read_config_document(path), path.string());
}

nlohmann::ordered_json AttributeConfig::to_json() const {
    ordered_json defaults_json = ordered_json::object();
    for (const auto& [attr, d] : defaults) {
        ordered_json target = d.all ? ordered_json("all") : ordered_json(d.op_types);
        defaults_json[attr] = ordered_json::array({ordered_json(d.value), target});
    }
    ordered_json out = ordered_json::object();
    out[kDefaultsKey] = std::move(defaults_json);
    for (const auto& [name, attrs] : nodes)
        out[name] = attrs;
    return out;
}

const nlohmann::ordered_json* AttributeConfig::find_node(std::string_view node_name) const {
    for (const auto& [name, attrs] : nodes)
        if (name == node_name) return &attrs;
    return nullptr;
}

std::vector<std::pair<std::string, nlohmann::json>>
AttributeConfig::attributes_for(const std::string& node_name, const std::string& op_type) const {
    const ordered_json* own = find_node(node_name);
    std::vector<std::pair<std::string, nlohmann::json>> out;
    for (const auto& [attr, d] : defaults) {
        // ApplyConfig quirk: a default named like a top-level key is ignored.
        if (attr == kDefaultsKey || find_node(attr)) continue;
        if (own && own->contains(attr)) continue; // the node's own value wins
        bool applies =
            d.all || std::find(d.op_types.begin(), d.op_types.end(), op_type) != d.op_types.end();
        if (applies) out.emplace_back(attr, d.value);
    }
    if (own)
        for (const auto& [attr, value] : own->items())
            out.emplace_back(attr, nlohmann::json(value));
    return out;
}

} // namespace finn
