// The dataflow transformations of FINN's build flow between convert_to_hw and folding:
// CreateDataflowPartition (step_create_dataflow_partition), SpecializeLayers
// (step_specialize_layers), qonnx's ApplyConfig and extract_model_config_to_json.
//
// Partition files: FINN writes the child model to a build directory and stores its absolute path
// in the StreamingDataflowPartition node. Finn stores a path RELATIVE to the directory of the
// parent model instead (default "supported_op_partitions/partition_<id>.onnx", so that the
// parent saved as intermediate_models/dataflow_parent.onnx finds its child in
// intermediate_models/supported_op_partitions/), keeping every model free of absolute and
// temporary paths.
#pragma once

#include "finn/config/attribute_config.h"
#include "finn/config/boards.h"
#include "finn/transform/transformation.h"

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace finn {

// --- CreateDataflowPartition --------------------------------------------------------------------

inline constexpr const char* kDefaultPartitionDir = "supported_op_partitions";
inline constexpr const char* kPartitionOp = "StreamingDataflowPartition";

// FINN's assign_partition_id: a node with backend "fpgadataflow" (an fpgadataflow-domain node
// without the attribute has it by default), never a partition node itself. CreateDataflowPartition
// and CheckAllNodesConvertible use it, so that they agree.
bool is_dataflow_node(const Node& node);

struct DataflowPartition {
    // The non-hardware nodes and one StreamingDataflowPartition node (FINN keeps qonnx's node
    // name "GenericPartition_<id>") with attributes model, partition_id, slr, mem_port.
    Model parent;
    // The hardware nodes, with the tensors entering and leaving them as graph inputs/outputs.
    Model child;
    // The `model` attribute of the partition node: where the child belongs relative to the
    // parent's directory, e.g. "supported_op_partitions/partition_0.onnx".
    std::string child_path;
};

// FINN's CreateDataflowPartition (qonnx PartitionFromLambda): every node whose `backend` is
// "fpgadataflow" (or that lives in an fpgadataflow domain) goes to partition `partition_id`
// (attribute, default 0). Exactly one partition is supported, as step_create_dataflow_partition
// asserts: throws finn::Error "Only a single StreamingDataflowPartition supported. ..." when the
// model has no hardware node, hardware nodes with different partition ids, or non-hardware nodes
// between hardware nodes (naming them), and when the partition's nodes disagree on `slr` or use
// more than one `mem_port`. `partition_dir` must be relative.
DataflowPartition
create_dataflow_partition(const Model& model,
                          const std::string& partition_dir = kDefaultPartitionDir);

// The child model of the parent's single StreamingDataflowPartition node, its `model` path
// resolved against `parent_dir` when relative. Throws finn::Error when the parent has no or more
// than one partition node, or the file cannot be loaded.
Model load_partition_child(const Model& parent, const std::filesystem::path& parent_dir);

// CreateDataflowPartition as a Transformation: replaces the model by the parent; the child stays
// in the object (child()). Registered by name with the default partition dir.
class CreateDataflowPartition : public Transformation {
public:
    explicit CreateDataflowPartition(std::string partition_dir = kDefaultPartitionDir)
        : partition_dir_(std::move(partition_dir)) {}
    std::string_view name() const override { return "CreateDataflowPartition"; }
    bool run(Model& model) override;
    // The child of the last run; throws finn::Error before any run.
    const Model& child() const;
    const std::string& child_path() const { return child_path_; }

private:
    std::string partition_dir_;
    std::optional<Model> child_;
    std::string child_path_;
};

// --- SpecializeLayers ---------------------------------------------------------------------------

// The abstract hardware op a node type stands for: the legacy names the layers' definitions list
// (MatrixVectorActivation, StreamingFCLayer_Batch -> MVAU, VectorVectorActivation -> VVAU,
// ConvolutionInputGenerator1D -> ConvolutionInputGenerator, <Op>_Batch -> <Op>) map to FINN's
// current names; others unchanged.
std::string canonical_hw_op_type(const std::string& op_type);
// Whether FINN has an HLS / RTL implementation of an abstract hardware op (the layer's
// definition, lib/hw/).
bool has_hls_variant(const std::string& abstract_op);
bool has_rtl_variant(const std::string& abstract_op);

// FINN's SpecializeLayers(fpgapart): every node of domain finn.custom_op.fpgadataflow (and,
// for old files, of a general domain with backend "fpgadataflow") becomes <Op>_hls or <Op>_rtl
// in finn.custom_op.fpgadataflow.hls|rtl, following preferred_impl_style ("" = FINN's default:
// RTL when the op has an RTL variant and, for MVAU/VVAU, the datatypes and part allow it; a
// preference the op cannot satisfy falls back with a warning). preferred_impl_style is dropped,
// legacy names and mem_mode values (const -> internal_embedded, decoupled ->
// internal_decoupled) are mapped. Then, when anything changed: GiveUniqueNodeNames, InferShapes,
// InferDataTypes (FINN main leaves the new nodes unnamed; FINN dev renames them here too).
// The part matters for MVAU RTL (DSP48E1 needs narrow weights; an empty part is an error there,
// as in FINN) and VVAU RTL (Versal only). Warnings go to `warn` and to warnings().
class SpecializeLayers : public Transformation {
public:
    explicit SpecializeLayers(std::string fpga_part, DiagnosticSink warn = {})
        : fpga_part_(std::move(fpga_part)) {
        set_diagnostics(std::move(warn));
    }
    std::string_view name() const override { return "SpecializeLayers"; }
    bool run(Model& model) override;

private:
    std::string fpga_part_;
};

// --- ApplyConfig / extract_model_config ---------------------------------------------------------

// qonnx's ApplyConfig: for every custom-op node in graph order, the config's defaults for its op
// type, then its own entries (AttributeConfig::attributes_for). Values are typed by the op's
// declaration (custom_op_schemas.h); an attribute the op does not declare is a finn::Error naming
// node and attribute, so is a value of the wrong type or outside the allowed set, and a folding
// attribute (PE, SIMD, parallel_window) with a value the layer cannot take (e.g. a PE that does
// not divide MH), naming node, attribute, value and the legal values. Warnings (qonnx's texts, one
// line each): "No HW configuration for nodes: a, b" (every node without an entry, custom op or not)
// and "Unused HW configurations: x, y" (entries matching no custom-op node).
class ApplyConfig : public Transformation {
public:
    explicit ApplyConfig(AttributeConfig config, DiagnosticSink warn = {})
        : config_(std::move(config)) {
        set_diagnostics(std::move(warn));
    }
    std::string_view name() const override { return "ApplyConfig"; }
    bool run(Model& model) override;

private:
    AttributeConfig config_;
};

// qonnx's extract_model_config_to_json: {"Defaults": {}, "<node>": {"<attr>": value, ...}, ...}
// for the custom-op nodes in graph order; per node the listed attributes its op has (declared:
// the node's value or the declared default; undeclared: only when the node carries it), in list
// order; nodes with none are left out. Write it with dump(2) as FINN's json.dump(indent=2).
nlohmann::ordered_json extract_model_config(const Model& model,
                                            const std::vector<std::string>& attributes);

} // namespace finn
