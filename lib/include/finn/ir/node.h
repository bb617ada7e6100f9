// Node: typed, checked access to one node of a Model's graph.
//
// A Node is a light handle (a pointer into the graph); it stays valid until nodes are added to or
// removed from the graph. Attribute getters throw finn::Error naming the node and the attribute
// when it is missing or has another type, so passes never poke at raw protobuf.
#pragma once

#include "finn/core/tensor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace onnx {
class NodeProto;
class AttributeProto;
} // namespace onnx

namespace finn {

// Op domains with their aliases resolved, so that passes never spell an alias: "" and "ai.onnx"
// are ONNX's standard domain; the general custom-op domain and its legacy names
// (is_general_custom_domain) are one domain. Other domains (the fpgadataflow ones included) are
// compared as written.
bool is_standard_domain(std::string_view domain);
bool same_domain(std::string_view a, std::string_view b);

class Node {
public:
    explicit Node(onnx::NodeProto* proto) : proto_(proto) {}

    const std::string& name() const;
    void set_name(const std::string& name);
    const std::string& op_type() const;
    void set_op_type(const std::string& op_type);
    const std::string& domain() const;
    void set_domain(const std::string& domain);
    // The node is `op_type` of `domain` (or of one of the domain's aliases, see same_domain): how
    // passes match ops, e.g. is_op(domains::kFpgaDataflow, "MVAU").
    bool is_op(std::string_view domain, std::string_view op_type) const;
    // An ONNX standard op ("Mul", "MatMul", ...) in "" or "ai.onnx".
    bool is_standard_op(std::string_view op_type) const { return is_op("", op_type); }
    // A qonnx/FINN general custom op (MultiThreshold, Im2Col, Quant, ...) in any of its domains.
    bool is_general_op(std::string_view op_type) const;
    // "MVAU_hls_0 (MVAU_hls, finn.custom_op.fpgadataflow.hls)" — how errors name a node.
    std::string describe() const;

    int input_count() const;
    int output_count() const;
    // Throws finn::Error if the index is out of range.
    const std::string& input(int index) const;
    const std::string& output(int index) const;
    void set_input(int index, const std::string& tensor);
    void set_output(int index, const std::string& tensor);
    // Drops input `index` (later inputs move up); throws finn::Error if out of range.
    void remove_input(int index);
    std::vector<std::string> inputs() const;
    std::vector<std::string> outputs() const;

    bool has_attr(const std::string& name) const;
    std::vector<std::string> attr_names() const;
    // Typed getters; the overloads with a default return it when the attribute is absent.
    std::int64_t attr_int(const std::string& name) const;
    std::int64_t attr_int(const std::string& name, std::int64_t fallback) const;
    float attr_float(const std::string& name) const;
    float attr_float(const std::string& name, float fallback) const;
    std::string attr_string(const std::string& name) const;
    std::string attr_string(const std::string& name, const std::string& fallback) const;
    std::vector<std::int64_t> attr_ints(const std::string& name) const;
    std::vector<std::int64_t> attr_ints(const std::string& name,
                                        const std::vector<std::int64_t>& fallback) const;
    std::vector<float> attr_floats(const std::string& name) const;
    std::vector<std::string> attr_strings(const std::string& name) const;
    Tensor attr_tensor(const std::string& name) const;

    // Setters replace an attribute of the same name (whatever its previous type).
    void set_attr_int(const std::string& name, std::int64_t value);
    void set_attr_float(const std::string& name, float value);
    void set_attr_string(const std::string& name, const std::string& value);
    void set_attr_ints(const std::string& name, const std::vector<std::int64_t>& values);
    void set_attr_floats(const std::string& name, const std::vector<float>& values);
    void set_attr_strings(const std::string& name, const std::vector<std::string>& values);
    void set_attr_tensor(const std::string& name, const Tensor& value);
    void remove_attr(const std::string& name);

    // Replaces `bytes` by the node in ONNX's encoding: equal bytes, equal node (op, name,
    // tensors, attributes). Reuses the string's buffer.
    void serialize(std::string& bytes) const;

    onnx::NodeProto& proto() { return *proto_; }
    const onnx::NodeProto& proto() const { return *proto_; }
    bool operator==(const Node& other) const { return proto_ == other.proto_; }

private:
    const onnx::AttributeProto* find_attr(const std::string& name) const;
    const onnx::AttributeProto& require_attr(const std::string& name, int type) const;
    onnx::AttributeProto& replace_attr(const std::string& name, int type);
    onnx::NodeProto* proto_;
};

} // namespace finn
