#include "finn/ir/node.h"

#include "finn/core/error.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/ir/tensor_proto.h"

#include <onnx/onnx_pb.h>

namespace finn {

using onnx::AttributeProto;

static const char* attr_type_name(int type) {
    switch (type) {
    case AttributeProto::FLOAT:
        return "float";
    case AttributeProto::INT:
        return "int";
    case AttributeProto::STRING:
        return "string";
    case AttributeProto::TENSOR:
        return "tensor";
    case AttributeProto::GRAPH:
        return "graph";
    case AttributeProto::FLOATS:
        return "floats";
    case AttributeProto::INTS:
        return "ints";
    case AttributeProto::STRINGS:
        return "strings";
    default:
        return "other";
    }
}

bool is_standard_domain(std::string_view domain) {
    return domain.empty() || domain == "ai.onnx";
}

namespace {

// One spelling per domain: "" for the standard domain, qonnx's for the general custom ops.
std::string_view canonical_domain(std::string_view domain) {
    if (is_standard_domain(domain)) return {};
    if (is_general_custom_domain(std::string(domain))) return domains::kQonnxGeneral;
    return domain;
}

} // namespace

bool same_domain(std::string_view a, std::string_view b) {
    return a == b || canonical_domain(a) == canonical_domain(b);
}

bool Node::is_op(std::string_view domain, std::string_view op_type) const {
    // The op type first: it rejects almost every node without looking at domains.
    return proto_->op_type() == op_type && same_domain(proto_->domain(), domain);
}

bool Node::is_general_op(std::string_view op_type) const {
    return is_op(domains::kQonnxGeneral, op_type);
}

void Node::serialize(std::string& bytes) const {
    proto_->SerializeToString(&bytes);
}

const std::string& Node::name() const {
    return proto_->name();
}
void Node::set_name(const std::string& name) {
    proto_->set_name(name);
}
const std::string& Node::op_type() const {
    return proto_->op_type();
}
void Node::set_op_type(const std::string& op_type) {
    proto_->set_op_type(op_type);
}
const std::string& Node::domain() const {
    return proto_->domain();
}
void Node::set_domain(const std::string& domain) {
    proto_->set_domain(domain);
}

std::string Node::describe() const {
    std::string label = name().empty() ? "<unnamed>" : name();
    return label + " (" + op_type() + (domain().empty() ? "" : ", " + domain()) + ")";
}

int Node::input_count() const {
    return proto_->input_size();
}
int Node::output_count() const {
    return proto_->output_size();
}

const std::string& Node::input(int index) const {
    if (index < 0 || index >= proto_->input_size())
        throw Error("node " + describe() + ": has no input " + std::to_string(index) + " (it has " +
                    std::to_string(proto_->input_size()) + ")");
    return proto_->input(index);
}

const std::string& Node::output(int index) const {
    if (index < 0 || index >= proto_->output_size())
        throw Error("node " + describe() + ": has no output " + std::to_string(index) +
                    " (it has " + std::to_string(proto_->output_size()) + ")");
    return proto_->output(index);
}

void Node::set_input(int index, const std::string& tensor) {
    input(index);
    proto_->set_input(index, tensor);
}

void Node::set_output(int index, const std::string& tensor) {
    output(index);
    proto_->set_output(index, tensor);
}

void Node::remove_input(int index) {
    input(index);
    proto_->mutable_input()->DeleteSubrange(index, 1);
}

std::vector<std::string> Node::inputs() const {
    return {proto_->input().begin(), proto_->input().end()};
}
std::vector<std::string> Node::outputs() const {
    return {proto_->output().begin(), proto_->output().end()};
}

const AttributeProto* Node::find_attr(const std::string& name) const {
    for (const auto& attr : proto_->attribute())
        if (attr.name() == name) return &attr;
    return nullptr;
}

bool Node::has_attr(const std::string& name) const {
    return find_attr(name) != nullptr;
}

std::vector<std::string> Node::attr_names() const {
    std::vector<std::string> names;
    for (const auto& attr : proto_->attribute())
        names.push_back(attr.name());
    return names;
}

const AttributeProto& Node::require_attr(const std::string& name, int type) const {
    const AttributeProto* attr = find_attr(name);
    if (!attr) throw Error("node " + describe() + ": missing attribute '" + name + "'");
    if (attr->type() != type)
        throw Error("node " + describe() + ": attribute '" + name + "' has type " +
                    attr_type_name(attr->type()) + ", expected " + attr_type_name(type));
    return *attr;
}

std::int64_t Node::attr_int(const std::string& name) const {
    return require_attr(name, AttributeProto::INT).i();
}
std::int64_t Node::attr_int(const std::string& name, std::int64_t fallback) const {
    return has_attr(name) ? attr_int(name) : fallback;
}
float Node::attr_float(const std::string& name) const {
    return require_attr(name, AttributeProto::FLOAT).f();
}
float Node::attr_float(const std::string& name, float fallback) const {
    return has_attr(name) ? attr_float(name) : fallback;
}
std::string Node::attr_string(const std::string& name) const {
    return require_attr(name, AttributeProto::STRING).s();
}
std::string Node::attr_string(const std::string& name, const std::string& fallback) const {
    return has_attr(name) ? attr_string(name) : fallback;
}
std::vector<std::int64_t> Node::attr_ints(const std::string& name) const {
    const auto& attr = require_attr(name, AttributeProto::INTS);
    return {attr.ints().begin(), attr.ints().end()};
}
std::vector<std::int64_t> Node::attr_ints(const std::string& name,
                                          const std::vector<std::int64_t>& fallback) const {
    return has_attr(name) ? attr_ints(name) : fallback;
}
std::vector<float> Node::attr_floats(const std::string& name) const {
    const auto& attr = require_attr(name, AttributeProto::FLOATS);
    return {attr.floats().begin(), attr.floats().end()};
}
std::vector<std::string> Node::attr_strings(const std::string& name) const {
    const auto& attr = require_attr(name, AttributeProto::STRINGS);
    return {attr.strings().begin(), attr.strings().end()};
}
Tensor Node::attr_tensor(const std::string& name) const {
    return tensor_from_proto(require_attr(name, AttributeProto::TENSOR).t());
}

AttributeProto& Node::replace_attr(const std::string& name, int type) {
    AttributeProto* attr = nullptr;
    for (auto& existing : *proto_->mutable_attribute())
        if (existing.name() == name) attr = &existing;
    if (!attr) attr = proto_->add_attribute();
    attr->Clear();
    attr->set_name(name);
    attr->set_type(static_cast<AttributeProto::AttributeType>(type));
    return *attr;
}

void Node::set_attr_int(const std::string& name, std::int64_t value) {
    replace_attr(name, AttributeProto::INT).set_i(value);
}
void Node::set_attr_float(const std::string& name, float value) {
    replace_attr(name, AttributeProto::FLOAT).set_f(value);
}
void Node::set_attr_string(const std::string& name, const std::string& value) {
    replace_attr(name, AttributeProto::STRING).set_s(value);
}
void Node::set_attr_ints(const std::string& name, const std::vector<std::int64_t>& values) {
    auto& attr = replace_attr(name, AttributeProto::INTS);
    for (auto v : values)
        attr.add_ints(v);
}
void Node::set_attr_floats(const std::string& name, const std::vector<float>& values) {
    auto& attr = replace_attr(name, AttributeProto::FLOATS);
    for (auto v : values)
        attr.add_floats(v);
}
void Node::set_attr_strings(const std::string& name, const std::vector<std::string>& values) {
    auto& attr = replace_attr(name, AttributeProto::STRINGS);
    for (const auto& v : values)
        attr.add_strings(v);
}
void Node::set_attr_tensor(const std::string& name, const Tensor& value) {
    *replace_attr(name, AttributeProto::TENSOR).mutable_t() = tensor_to_proto(value);
}

void Node::remove_attr(const std::string& name) {
    auto* attrs = proto_->mutable_attribute();
    for (int i = 0; i < attrs->size(); ++i)
        if (attrs->Get(i).name() == name) {
            attrs->DeleteSubrange(i, 1);
            return;
        }
}

} // namespace finn
