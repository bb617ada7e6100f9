// FINN's convert_to_hw transformations (step_convert_to_hw): turn the streamlined integer graph
// into hardware layers of the domain finn.custom_op.fpgadataflow (attribute `backend` =
// "fpgadataflow"), with FINN's op types, attribute names and initial folding (PE = SIMD = 1
// unless noted).
//
// Each class carries FINN's name and converts every matching node, then re-infers shapes and
// datatypes as FINN does. Where FINN asserts, the class throws finn::Error naming the node;
// where FINN skips a node (with a warning), the node is left alone and `unsupported_reason` says
// why, so that CheckAllNodesConvertible can report it. Where FINN would silently change what the
// graph computes (a fork it does not see, padding or a layout it ignores, an activation it
// cannot represent), the class does not convert and says so instead.
#pragma once

#include "finn/transform/transformation.h"

#include <string>

namespace finn {

// XnorPopcountMatMul (BINARY input and weights) -> MVAU with binaryXnorMode=1. A MultiThreshold
// that is the only reader of the popcount is absorbed (ActVal 0 for 1-bit outputs, else the
// output type's minimum); otherwise noActivation=1 and the output keeps UINT32. Non-BINARY
// operands are an error (FINN asserts).
class InferBinaryMatrixVectorActivation : public Transformation {
public:
    std::string_view name() const override { return "InferBinaryMatrixVectorActivation"; }
    bool run(Model& model) override;
    // Why `node` (an XnorPopcountMatMul) is not converted; empty when it is.
    static std::string unsupported_reason(Model& model, const Node& node);
};

// MatMul with integer input and integer constant weights (no sparsity annotation) -> MVAU. A
// MultiThreshold that is the only reader of the product is absorbed: ActVal = out_bias, out_scale
// must be 1 (or 2 with bias -1 for a BIPOLAR output, ActVal 0). For BIPOLAR x BIPOLAR operands the
// MVAU computes the popcount (x.w + MW) / 2, so absorbed thresholds become ceil((T + MW) / 2)
// and such a MatMul without thresholds is not converted (FINN changes its result).
class InferQuantizedMatrixVectorActivation : public Transformation {
public:
    std::string_view name() const override { return "InferQuantizedMatrixVectorActivation"; }
    bool run(Model& model) override;
    static std::string unsupported_reason(Model& model, const Node& node);
};

// MatMul of a lowered depthwise convolution (weights with qonnx's sparsity annotation
// {'dw': {'kernel_shape': [kh, kw]}}) on integer operands -> VVAU with PE = C and the dense
// (C, 1, kh, kw) weights, absorbing a MultiThreshold that is the only reader of the product as
// the MVAU inference does. Another sparsity annotation is an error (FINN raises); weights outside
// the diagonal blocks (which FINN would drop) and BIPOLAR x BIPOLAR operands are left alone.
class InferVectorVectorActivation : public Transformation {
public:
    std::string_view name() const override { return "InferVectorVectorActivation"; }
    bool run(Model& model) override;
    static std::string unsupported_reason(Model& model, const Node& node);
};

// MultiThreshold on an integer input -> Thresholding (PE 1, ActVal = out_bias). Channels must be
// last: a 4D input with channels on axis 1 gets Transposes to and from NHWC, as FINN's
// nchw_to_nhwc. out_scale must be 1 (a BIPOLAR sign, scale 2 bias -1, is accepted with ActVal 0,
// which FINN rejects although its Thresholding computes exactly that).
class InferThresholdingLayer : public Transformation {
public:
    std::string_view name() const override { return "InferThresholdingLayer"; }
    bool run(Model& model) override;
    static std::string unsupported_reason(Model& model, const Node& node);
};

// TopK (largest, along the last axis) on an integer input whose value output is unused ->
// LabelSelect with K from the initializer; outputDataType as FINN's LabelSelect chooses it
// (smallest unsigned type for Labels-1, rounded up to a multiple of 8 bits).
class InferLabelSelectLayer : public Transformation {
public:
    std::string_view name() const override { return "InferLabelSelectLayer"; }
    bool run(Model& model) override;
    static std::string unsupported_reason(Model& model, const Node& node);
};

// Im2Col on an integer NHWC input -> [FMPadding (SIMD = C) ->] ConvolutionInputGenerator (SIMD =
// C). Padding needs pad_value 0 (FINN asserts). A strided 1x1 kernel becomes a DownSampler (SIMD
// = C) instead, as in FINN on a 1D image or a square one with equal strides; on other images it
// is left alone (FINN warns and leaves it too).
class InferConvInpGen : public Transformation {
public:
    std::string_view name() const override { return "InferConvInpGen"; }
    bool run(Model& model) override;
    static std::string unsupported_reason(Model& model, const Node& node);
};

// MaxPoolNHWC with stride == kernel and no padding -> StreamingMaxPool (PE 1). As FINN: 1D
// (H == kh == 1 or W == kw == 1) needs a non-BIPOLAR input, 2D needs H % kh == 0 *or*
// W % kw == 0 (FINN's test, kept).
class InferStreamingMaxPool : public Transformation {
public:
    std::string_view name() const override { return "InferStreamingMaxPool"; }
    bool run(Model& model) override;
    static std::string unsupported_reason(Model& model, const Node& node);
};

// Add of two non-constant tensors of the same shape and the same integer datatype -> AddStreams
// (PE 1); NCHW operands get Transposes to and from NHWC, as FINN's nchw_to_nhwc.
class InferAddStreamsLayer : public Transformation {
public:
    std::string_view name() const override { return "InferAddStreamsLayer"; }
    bool run(Model& model) override;
    static std::string unsupported_reason(Model& model, const Node& node);
};

// Add or Mul of an integer input (first operand) and an integer constant (second operand) that is
// a scalar or one value per channel -> ChannelwiseOp with Func add/mul (PE 1), the parameters
// reshaped to (C) and parameter/output datatypes as FINN chooses them. The channel axis comes
// from the input's layout annotation (NHWC, NC: last; NCHW: 1, with Transposes).
class InferChannelwiseLinearLayer : public Transformation {
public:
    std::string_view name() const override { return "InferChannelwiseLinearLayer"; }
    bool run(Model& model) override;
    static std::string unsupported_reason(Model& model, const Node& node);
};

// GlobalAveragePool on an integer 4D input -> GlobalAccPool (the sum over H and W, PE 1) followed
// by a float Mul by 1/(H*W), as FINN does; the Mul stays in software unless streamlining moves it.
class InferGlobalAccPoolLayer : public Transformation {
public:
    std::string_view name() const override { return "InferGlobalAccPoolLayer"; }
    bool run(Model& model) override;
    static std::string unsupported_reason(Model& model, const Node& node);
};

// MaxPool (NCHW), QuantAvgPool2d and MaxPoolNHWC on an integer 4D input with kernel >= stride ->
// [Transpose ->] Im2Col (depthwise) -> Pool (PE = C) [-> Transpose], which InferConvInpGen then
// turns into a sliding window generator. A MaxPoolNHWC that StreamingMaxPool handles is left to
// InferStreamingMaxPool. Padding is only accepted where FMPadding's zero equals the input type's
// minimum; ceil-mode windows are not supported.
class InferPool : public Transformation {
public:
    std::string_view name() const override { return "InferPool"; }
    bool run(Model& model) override;
    static std::string unsupported_reason(Model& model, const Node& node);
};

// A Flatten or Reshape to 2D (same batch) between hardware layers is removed. A Transpose NHWC ->
// NCHW before it, fed by a hardware layer, with an MVAU after it, is absorbed into the MVAU's
// weights (rows reordered from (c, h, w) to (h, w, c)) and removed too. As in FINN the consumer
// then reads the unflattened tensor.
class RemoveCNVtoFCFlatten : public Transformation {
public:
    std::string_view name() const override { return "RemoveCNVtoFCFlatten"; }
    bool run(Model& model) override;
};

// Transpose -> Transpose pairs whose permutations cancel are removed (a first Transpose read only
// by inverse Transposes is removed with all of them). A pair ending in a graph output is kept
// (FINN asserts).
class AbsorbConsecutiveTransposes : public Transformation {
public:
    std::string_view name() const override { return "AbsorbConsecutiveTransposes"; }
    bool run(Model& model) override;
};

// A node whose first output is read more than once, by hardware layers only, gets a
// DuplicateStreams after it with one output per read (NumOutputStreams), since a stream has one
// reader. Forks read by software, of graph outputs or of non-integer tensors stay as they are.
// unsupported_reason takes the producing node.
class InferDuplicateStreamsLayer : public Transformation {
public:
    std::string_view name() const override { return "InferDuplicateStreamsLayer"; }
    bool run(Model& model) override;
    static std::string unsupported_reason(Model& model, const Node& producer);
};

// Fails early, before create_dataflow_partition, when the graph cannot become FINN's single
// dataflow partition: throws one finn::Error listing every node that is not a hardware layer
// (backend "fpgadataflow") and is not allowed outside the partition, with its op type and why.
// Allowed outside: layout glue (Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Identity) before
// the first or after the last hardware layer, Add/Sub/Mul/Div after the last one (output
// scaling left to the host) and, before the first one, a MultiThreshold quantizing a float input
// (input quantization left to the host; FINN's parent model runs it). Also fails when there is no
// hardware layer at all. Never changes the model.
class CheckAllNodesConvertible : public Transformation {
public:
    std::string_view name() const override { return "CheckAllNodesConvertible"; }
    bool run(Model& model) override;
};

// What FINN's step_convert_to_hw runs, extended by the inferences FINN's residual and
// depthwise-separable builds add (finn-examples run them in custom steps) at the places where
// they see what they need: [InferThresholdingLayer if standalone_thresholds],
// InferBinaryMatrixVectorActivation, InferQuantizedMatrixVectorActivation,
// InferVectorVectorActivation (before thresholds become standalone), InferLabelSelectLayer,
// InferThresholdingLayer, InferAddStreamsLayer, InferChannelwiseLinearLayer,
// InferGlobalAccPoolLayer, InferPool (its Im2Cols count for the next decision), [InferConvInpGen,
// InferStreamingMaxPool, RemoveCNVtoFCFlatten when the graph has an Im2Col],
// AbsorbConsecutiveTransposes, InferDuplicateStreamsLayer (once every reader of a fork is
// hardware), GiveUniqueNodeNames, InferDataLayouts — then CheckAllNodesConvertible.
Pipeline convert_to_hw_step_pipeline(bool standalone_thresholds);

} // namespace finn
