// Node attributes as JSON values, typed by the custom-op declarations: what ApplyConfig writes and
// extract_model_config reads (private to transform/dataflow/).
#pragma once

#include "finn/ir/custom_op_schemas.h"
#include "finn/ir/node.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace finn::dataflow_detail {

// A node qonnx's getCustomOp accepts: a declared custom op, or any node of a custom domain.
bool is_custom_op_node(const Node& node);
// The declaration of `attr` in `decl` (which may be null), or nullptr.
const AttrDecl* find_attr_decl(const CustomOpDecl* decl, const std::string& attr);
// The type of an attribute the node carries (nullopt for types Finn does not model).
std::optional<AttrType> carried_attr_type(const Node& node, const std::string& attr);
// Throws finn::Error "<where> expects ..." when a JSON value does not have the attribute type.
void check_attr_type(AttrType type, const nlohmann::json& value, const std::string& where);
// Writes a JSON value as an attribute of `type` (checked first).
void write_attr_value(Node& node, const std::string& attr, AttrType type,
                      const nlohmann::json& value, const std::string& where);
// Reads an attribute the node carries as JSON (nullopt for tensor attributes).
std::optional<nlohmann::ordered_json> read_attr_value(const Node& node, const std::string& attr,
                                                      AttrType type);

} // namespace finn::dataflow_detail
