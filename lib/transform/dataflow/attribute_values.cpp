#include "attribute_values.h"

#include "finn/config/build_config.h"
#include "finn/core/error.h"

#include <onnx/onnx_pb.h>

namespace finn::dataflow_detail {

using json = nlohmann::json;

bool is_custom_op_node(const Node& node) {
    return find_custom_op(node.domain(), node.op_type()) ||
           is_general_custom_domain(node.domain()) || is_fpgadataflow_domain(node.domain());
}

const AttrDecl* find_attr_decl(const CustomOpDecl* decl, const std::string& attr) {
    if (!decl) return nullptr;
    for (const auto& a : decl->attributes)
        if (a.name == attr) return &a;
    return nullptr;
}

std::optional<AttrType> carried_attr_type(const Node& node, const std::string& attr) {
    for (const auto& a : node.proto().attribute()) {
        if (a.name() != attr) continue;
        switch (a.type()) {
        case onnx::AttributeProto::INT:
            return AttrType::Int;
        case onnx::AttributeProto::FLOAT:
            return AttrType::Float;
        case onnx::AttributeProto::STRING:
            return AttrType::String;
        case onnx::AttributeProto::INTS:
            return AttrType::Ints;
        case onnx::AttributeProto::FLOATS:
            return AttrType::Floats;
        case onnx::AttributeProto::STRINGS:
            return AttrType::Strings;
        case onnx::AttributeProto::TENSOR:
            return AttrType::Tensor;
        default:
            return std::nullopt;
        }
    }
    return std::nullopt;
}

namespace {

// JSON booleans count as integers, as Python's True does.
bool is_int(const json& v) {
    return v.is_number_integer() || v.is_boolean();
}
std::int64_t as_int(const json& v) {
    return v.is_boolean() ? (v.get<bool>() ? 1 : 0) : v.get<std::int64_t>();
}
template <class Pred> bool all_of(const json& v, Pred pred) {
    if (!v.is_array()) return false;
    for (const auto& e : v)
        if (!pred(e)) return false;
    return true;
}

} // namespace

void check_attr_type(AttrType type, const json& value, const std::string& where) {
    const char* expected = nullptr;
    switch (type) {
    case AttrType::Int:
        if (!is_int(value)) expected = "an integer";
        break;
    case AttrType::Float:
        if (!value.is_number()) expected = "a number";
        break;
    case AttrType::String:
        if (!value.is_string()) expected = "a string";
        break;
    case AttrType::Ints:
        if (!all_of(value, is_int)) expected = "a list of integers";
        break;
    case AttrType::Floats:
        if (!all_of(value, [](const json& e) { return e.is_number(); }))
            expected = "a list of numbers";
        break;
    case AttrType::Strings:
        if (!all_of(value, [](const json& e) { return e.is_string(); }))
            expected = "a list of strings";
        break;
    case AttrType::Tensor:
        throw Error(where + " is a tensor attribute, which a configuration file cannot set");
    }
    if (expected)
        throw Error(where + " expects " + expected + ", got " + json_type_name(value) + " " +
                    value.dump());
}

void write_attr_value(Node& node, const std::string& attr, AttrType type, const json& value,
                      const std::string& where) {
    check_attr_type(type, value, where);
    switch (type) {
    case AttrType::Int:
        node.set_attr_int(attr, as_int(value));
        return;
    case AttrType::Float:
        node.set_attr_float(attr, value.get<float>());
        return;
    case AttrType::String:
        node.set_attr_string(attr, value.get<std::string>());
        return;
    case AttrType::Ints: {
        std::vector<std::int64_t> v;
        for (const auto& e : value)
            v.push_back(as_int(e));
        node.set_attr_ints(attr, v);
        return;
    }
    case AttrType::Floats: {
        std::vector<float> v;
        for (const auto& e : value)
            v.push_back(e.get<float>());
        node.set_attr_floats(attr, v);
        return;
    }
    case AttrType::Strings:
        node.set_attr_strings(attr, value.get<std::vector<std::string>>());
        return;
    case AttrType::Tensor:
        return; // rejected by check_attr_type
    }
}

std::optional<nlohmann::ordered_json> read_attr_value(const Node& node, const std::string& attr,
                                                      AttrType type) {
    switch (type) {
    case AttrType::Int:
        return node.attr_int(attr);
    case AttrType::Float:
        // Python reads the float32 attribute as a double: same value, same repr.
        return static_cast<double>(node.attr_float(attr));
    case AttrType::String:
        return node.attr_string(attr);
    case AttrType::Ints:
        return node.attr_ints(attr);
    case AttrType::Floats: {
        nlohmann::ordered_json out = nlohmann::ordered_json::array();
        for (float f : node.attr_floats(attr))
            out.push_back(static_cast<double>(f));
        return out;
    }
    case AttrType::Strings:
        return node.attr_strings(attr);
    case AttrType::Tensor:
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace finn::dataflow_detail
