// The tidy-up transformations of qonnx/FINN (step_tidy_up, qonnx's cleanup_model): shape and
// datatype inference, constant folding, naming, and removal of what no longer does anything.
//
// Each class carries qonnx's name and semantics; where qonnx has a bug that would leave a broken
// graph (a dangling tensor, a lost output), the class does the safe thing instead and says so.
// Unlike qonnx's model.transform(), which runs a cleanup after every transformation, these passes
// remove the tensors they themselves orphan (FoldConstants, RemoveIdentityOps).
#pragma once

#include "finn/transform/transformation.h"

#include <string>
#include <vector>

namespace finn {

// ONNX shape inference with the FINN/QONNX custom-op schemas (Model::infer_shapes).
class InferShapes : public Transformation {
public:
    std::string_view name() const override { return "InferShapes"; }
    bool run(Model& model) override;
};

// Replaces every deterministic node whose inputs are all initializers (or that has no inputs, or
// is a Shape of a tensor with a known shape) by initializers holding its outputs, computed by the
// reference executor's kernels. Outputs keep their names and annotations. Nodes of the excluded op
// types, and nodes the executor has no kernel for, are left alone.
class FoldConstants : public Transformation {
public:
    // qonnx's default excludes Quant and BipolarQuant.
    explicit FoldConstants(std::vector<std::string> exclude_op_types = {"Quant", "BipolarQuant"});
    // What qonnx's cleanup_model excludes (preserve_qnt_ops).
    static std::vector<std::string> quant_op_types();
    std::string_view name() const override { return "FoldConstants"; }
    bool run(Model& model) override;

private:
    std::vector<std::string> exclude_op_types_;
};

// Names every node "<prefix><op_type>_<k>", k counting nodes of that op type in graph order.
class GiveUniqueNodeNames : public Transformation {
public:
    explicit GiveUniqueNodeNames(std::string prefix = "") : prefix_(std::move(prefix)) {}
    std::string_view name() const override { return "GiveUniqueNodeNames"; }
    bool run(Model& model) override;

private:
    std::string prefix_;
};

// qonnx's readable tensor names: node outputs "<node>_out<i>", initializer inputs
// "<node>_param<j>" (j counts the node's initializer inputs), graph inputs "global_in",
// "global_in_1", ..., graph outputs "global_out", "global_out_1", ...; any other tensor with a
// ValueInfo becomes "tensor_<i>". Requires unique, non-empty node names (GiveUniqueNodeNames).
class GiveReadableTensorNames : public Transformation {
public:
    std::string_view name() const override { return "GiveReadableTensorNames"; }
    bool run(Model& model) override;
};

// Gives every use of an initializer beyond its first its own copy, so that rewriting one node's
// parameters never affects another node.
class GiveUniqueParameterTensors : public Transformation {
public:
    std::string_view name() const override { return "GiveUniqueParameterTensors"; }
    bool run(Model& model) override;
};

// Removes initializers, value_info and annotations of tensors no node reads or writes (graph
// inputs and outputs are kept).
class RemoveUnusedTensors : public Transformation {
public:
    std::string_view name() const override { return "RemoveUnusedTensors"; }
    bool run(Model& model) override;
};

// Removes graph inputs that have an initializer; their ValueInfo moves to value_info.
class RemoveStaticGraphInputs : public Transformation {
public:
    std::string_view name() const override { return "RemoveStaticGraphInputs"; }
    bool run(Model& model) override;
};

// Removes nodes that compute the identity: Identity, Add/Sub of a constant 0, Mul/Div by a
// constant 1 (within `atol`, constant as second input), Pad with all-zero pads, Dropout with ratio
// 0 (or no ratio input from opset 12 on). Graph outputs keep their names; a node whose constant
// would broadcast its input to a larger shape is kept.
class RemoveIdentityOps : public Transformation {
public:
    explicit RemoveIdentityOps(double atol = 1e-5) : atol_(atol) {}
    std::string_view name() const override { return "RemoveIdentityOps"; }
    bool run(Model& model) override;

private:
    double atol_;
};

// qonnx's datatype inference: annotates every node output with its FINN datatype (custom ops by
// their own rules, MatMul/Conv/Gemm/Add/Sub/Mul by their inputs, shape ops keep the input type,
// everything else FLOAT32 unless already annotated otherwise). SCALEDINT results become FLOAT32
// unless `allow_scaled_int`. Hardware ops also update their input datatype attributes.
class InferDataTypes : public Transformation {
public:
    explicit InferDataTypes(bool allow_scaled_int = false) : allow_scaled_int_(allow_scaled_int) {}
    std::string_view name() const override { return "InferDataTypes"; }
    bool run(Model& model) override;

private:
    bool allow_scaled_int_;
};

// qonnx's layout inference: annotates the first graph input by rank if it has no layout (4D
// NCHW, 3D NWC, 2D NC), then every node output: Transpose permutes, Unsqueeze appends 'x', Squeeze
// drops a trailing 'x', MultiThreshold/QuantAvgPool2d follow their data_layout, others propagate
// the first input's layout or guess by rank (NHWC, NWC, NC); [] when nothing fits.
class InferDataLayouts : public Transformation {
public:
    std::string_view name() const override { return "InferDataLayouts"; }
    bool run(Model& model) override;
};

// What FINN's step_tidy_up runs: InferShapes, FoldConstants, GiveUniqueNodeNames,
// GiveReadableTensorNames, InferDataTypes, RemoveStaticGraphInputs.
Pipeline tidy_up_step_pipeline();

} // namespace finn
