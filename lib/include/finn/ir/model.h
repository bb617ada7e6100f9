// Model: the intermediate representation every step reads and writes — an ONNX ModelProto with
// typed, checked access to graph structure, attributes, initializers, shapes and FINN's
// annotations (`finn_datatype`, `tensor_layout`, `tensor_sparsity`).
//
// ONNX protobuf is the only interchange format, so a Model loads and saves exactly what FINN's
// Python tools read and write; a load/save round trip is byte-identical.
#pragma once

#include "finn/core/datatype.h"
#include "finn/core/tensor.h"
#include "finn/ir/node.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <onnx/onnx_pb.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace finn {

class Model {
public:
    Model();
    explicit Model(onnx::ModelProto proto);

    // Loads an ONNX file; throws finn::Error "<path>: ..." for a missing, truncated or non-ONNX
    // file.
    static Model load(const std::filesystem::path& path);
    // Parses serialized ModelProto bytes; `source` names them in errors.
    static Model parse(std::string_view bytes, std::string_view source);
    // Deterministic serialization (same model, same bytes).
    std::string serialize() const;
    // Writes atomically and leaves the file untouched when the bytes are identical.
    // Returns true if the file was (re)written.
    bool save(const std::filesystem::path& path) const;

    onnx::ModelProto& proto() { return proto_; }
    const onnx::ModelProto& proto() const { return proto_; }
    onnx::GraphProto& graph() { return *proto_.mutable_graph(); }
    const onnx::GraphProto& graph() const { return proto_.graph(); }

    // --- nodes and graph structure --------------------------------------------------------------
    int node_count() const;
    Node node(int index);
    std::vector<Node> nodes();
    std::optional<Node> node_by_name(const std::string& name);
    // Index of a node in the graph's node list.
    int index_of(const Node& node) const;
    // The node that writes `tensor`, if any (graph inputs and initializers have none).
    std::optional<Node> producer(const std::string& tensor);
    // Nodes that read `tensor`, in graph order.
    std::vector<Node> consumers(const std::string& tensor);
    // Node indices in a topological order that keeps the current order where it is already
    // valid (stable Kahn). Throws finn::Error naming a node on a cycle.
    std::vector<int> topological_order() const;
    void sort_topologically();
    bool is_topologically_sorted() const;

    // The one node reading `tensor`, when exactly one node reads it and it is not a graph output
    // (a fork or a graph output is never rewired as a chain).
    std::optional<Node> single_consumer(const std::string& tensor);
    // The one node reading `node`'s only output (none when `node` has several outputs).
    std::optional<Node> single_consumer(const Node& node);
    bool is_graph_output(const std::string& tensor) const;

    // Appends a node; returns a handle to it.
    Node add_node(const std::string& op_type, const std::vector<std::string>& inputs,
                  const std::vector<std::string>& outputs, const std::string& name = "",
                  const std::string& domain = "");
    // Adds a node at position `index` of the graph (FINN's graph.node.insert), so that the graph
    // keeps FINN's node order (GiveUniqueNodeNames numbers nodes in that order).
    Node insert_node(int index, const std::string& op_type, const std::vector<std::string>& inputs,
                     const std::vector<std::string>& outputs, const std::string& name = "",
                     const std::string& domain = "");
    void remove_node(int index);

    // A name "<prefix><k>" (smallest k >= 0) used by no node and no tensor of the graph.
    std::string fresh_name(std::string_view prefix) const;
    // A node name "<op_type>_<k>" no node or tensor uses: new nodes get names like those
    // GiveUniqueNodeNames gives, so that the graph is always valid for GiveReadableTensorNames.
    std::string fresh_node_name(std::string_view op_type) const;
    // Every tensor name the graph mentions: inputs, outputs, initializers, value_info, node I/O.
    std::vector<std::string> tensor_names() const;

    // Graph inputs that are not initializers, and graph outputs, in order.
    std::vector<std::string> input_names() const;
    std::vector<std::string> output_names() const;
    // Every graph input in order, including those that also have an initializer (static inputs).
    std::vector<std::string> graph_input_names() const;
    // Drops `name` from the graph inputs; its ValueInfo (type and shape) moves to value_info. For a
    // static input of a model older than IR version 4 (where initializers had to be graph inputs)
    // the IR version is raised to 4.
    void remove_graph_input(const std::string& name);

    // Renames tensors everywhere the graph mentions them (node inputs and outputs, graph inputs
    // and outputs, value_info, initializers, annotations); all renames apply at once, so
    // {a->b, b->a} swaps. Names not in the map are left alone.
    void rename_tensors(const std::map<std::string, std::string>& renames);
    void rename_tensor(const std::string& from, const std::string& to);
    // Removes the initializer, value_info and annotations of `tensor` when no node reads or writes
    // it and it is neither a graph output nor a (non-static) graph input; an unused static input
    // leaves the graph inputs too. Returns true if it was unused.
    bool remove_tensor_if_unused(const std::string& tensor);

    // --- initializers ---------------------------------------------------------------------------
    bool has_initializer(const std::string& name) const;
    // Throws finn::Error if there is no such initializer.
    Tensor initializer(const std::string& name) const;
    // Its dimensions, without decoding the data. Throws finn::Error if there is no such
    // initializer.
    Shape initializer_shape(const std::string& name) const;
    void set_initializer(const std::string& name, const Tensor& value);
    void remove_initializer(const std::string& name);
    // Initializer names in graph order.
    std::vector<std::string> initializer_names() const;

    // --- shapes and element types ---------------------------------------------------------------
    // The shape recorded for a tensor (graph input/output, value_info, initializer); unknown or
    // symbolic dimensions are -1. Empty optional if nothing is recorded.
    std::optional<Shape> shape(const std::string& tensor) const;
    // Records a shape in value_info (or the graph input/output that declares the tensor).
    void set_shape(const std::string& tensor, const Shape& shape,
                   int elem_type = 1 /* onnx::TensorProto::FLOAT */);
    // ONNX element type of a tensor (TensorProto::DataType), 0 if unknown.
    int elem_type(const std::string& tensor) const;
    // Names of the value_info entries in order (graph inputs and outputs are not among them).
    std::vector<std::string> value_info_names() const;
    // Removes every value_info entry of `tensor`.
    void remove_value_info(const std::string& tensor);
    // The opset version imported for `domain` ("" and "ai.onnx" are the same), 0 if none.
    int opset_version(const std::string& domain) const;

    // Adds an opset_import (version 1) for every custom domain used by a node but not imported;
    // ONNX's checker and shape inference stop at such nodes otherwise. Returns true if any added.
    bool add_missing_opset_imports();
    // ONNX shape inference with the FINN/QONNX custom-op schemas registered. Adds missing opset
    // imports first. Throws finn::Error naming the node when inference finds a contradiction.
    void infer_shapes();
    // Tensors (node outputs) for which no shape is known, in graph order.
    std::vector<std::string> tensors_without_shape() const;
    // ONNX's model checker; throws finn::Error with the checker's message.
    void check() const;
    // The structure every step relies on, checked before any work (model_validation.cpp): at
    // least one graph output, every tensor written once, every node input provided, no cycle,
    // and every finn_datatype annotation a datatype. Throws finn::Error "<source>: ...".
    void validate_structure(std::string_view source) const;

    // --- FINN annotations
    // ------------------------------------------------------------------------- `finn_datatype`;
    // FLOAT32 when absent (FLOAT16 for a float16 tensor).
    DataType datatype(const std::string& tensor) const;
    bool has_datatype(const std::string& tensor) const;
    void set_datatype(const std::string& tensor, const DataType& type);
    void clear_datatype(const std::string& tensor);
    // `tensor_layout` as axis letters, e.g. {"N","H","W","C"}; empty when absent.
    std::vector<std::string> layout(const std::string& tensor) const;
    void set_layout(const std::string& tensor, const std::vector<std::string>& axes);
    // `tensor_sparsity` verbatim (a Python dict repr); empty optional when absent.
    std::optional<std::string> sparsity(const std::string& tensor) const;
    void set_sparsity(const std::string& tensor, const std::string& value);
    // Any quantization-annotation key of a tensor, verbatim.
    std::optional<std::string> annotation(const std::string& tensor, const std::string& key) const;
    void set_annotation(const std::string& tensor, const std::string& key,
                        const std::string& value);
    void clear_annotation(const std::string& tensor, const std::string& key);
    // Tensors that have a quantization annotation, in order.
    std::vector<std::string> annotated_tensor_names() const;
    // Removes every annotation of `tensor`.
    void remove_annotations(const std::string& tensor);

    // --- metadata_props -------------------------------------------------------------------------
    std::optional<std::string> metadata(const std::string& key) const;
    void set_metadata(const std::string& key, const std::string& value);

private:
    onnx::ModelProto proto_;
};

// Formats a layout as FINN stores it: "['N', 'H', 'W', 'C']".
std::string layout_to_string(const std::vector<std::string>& axes);
// Parses FINN's layout string; throws finn::Error for anything else.
std::vector<std::string> layout_from_string(const std::string& text);

} // namespace finn
