// The QONNX -> FINN-ONNX conversion (FINN's step_qonnx_to_finn): qonnx's cleanup_model, then
// ConvertQONNXtoFINN, which folds quantized weights into integer initializers and turns quantized
// activations (Quant/BipolarQuant in the activation path) into MultiThreshold nodes.
//
// Each class carries FINN's/qonnx's name and semantics. Where FINN would silently compute
// something else (or leave a dangling tensor), the class does the correct thing or stops with a
// finn::Error naming the node, and its comment says so. New nodes get no name, as in FINN (the
// next GiveUniqueNodeNames names them); new tensors get deterministic names (FINN's are random).
#pragma once

#include "finn/transform/transformation.h"

#include <functional>
#include <string>
#include <vector>

namespace finn {

// qonnx's cleanup_model(preserve_qnt_ops=True): moves Quant, Trunc and BipolarQuant into the
// qonnx.custom_op.general domain, then InferShapes, GiveUniqueParameterTensors, FoldConstants (not
// folding Quant, BipolarQuant, QuantizeLinear, DequantizeLinear), FoldTransposeIntoQuantInit,
// RemoveUnusedTensors, RemoveStaticGraphInputs, GiveUniqueNodeNames, GiveReadableTensorNames.
class CleanupModel : public Transformation {
public:
    std::string_view name() const override { return "CleanupModel"; }
    bool run(Model& model) override;
};

// Transpose(Quant(all inputs constant)) -> Quant with every initializer input transposed by the
// permutation. Unlike qonnx, the Transpose is only absorbed when the Quant feeds nothing else and
// every parameter can follow the permutation (same rank as the weight, or a single element).
class FoldTransposeIntoQuantInit : public Transformation {
public:
    std::string_view name() const override { return "FoldTransposeIntoQuantInit"; }
    bool run(Model& model) override;
};

// Conv/ConvTranspose(x, W, b) -> Add(Conv(x, W), b reshaped to (1, C, 1, ...)), for a bias that is
// an initializer or a Quant/BipolarQuant of constants (whose parameters are reshaped with it).
// Another bias is left alone, with a warning.
class ExtractBiasFromConv : public Transformation {
public:
    explicit ExtractBiasFromConv(DiagnosticSink warn = {}) { set_diagnostics(std::move(warn)); }
    std::string_view name() const override { return "ExtractBiasFromConv"; }
    bool run(Model& model) override;
};

// Gemm(A, B, C) -> Add(Mul(MatMul(A', B'), alpha), Mul(C, beta)), with Transposes for transA and
// transB. As in qonnx, RemoveIdentityOps then runs on the whole model (dropping unit alpha/beta).
// A Gemm without C gets no Add.
class GemmToMatMul : public Transformation {
public:
    std::string_view name() const override { return "GemmToMatMul"; }
    bool run(Model& model) override;
};

// FINN's FoldQuantWeights: a Quant/BipolarQuant whose inputs are all constant becomes an
// initializer annotated with the quantizer's integer datatype (INTb/UINTb/BIPOLAR/BINARY). With
// scale 1 it holds the quantized values; otherwise the integers round(q / scale), and the scale
// moves behind the consuming node: Mul(consumer, scale) for Mul/Div/Conv/MatMul/
// Gather/ConvTranspose (a Conv's per-output-channel scale reshaped to (1, C, 1, 1)), and for
// Add/Sub also a Div by the scale on the other operand. Errors (as FINN): a non-zero zero point, a
// quantizer with several consumers or none, another consumer type with a non-unit scale.
// Beyond FINN: a Div whose divisor is the weight gets Div by the scale (FINN multiplies), the
// other operand of an Add/Sub is the one divided (FINN always divides input 0), and a scale that
// cannot move behind the consumer (it varies along a reduced axis) is an error, not a wrong model.
class FoldQuantWeights : public Transformation {
public:
    std::string_view name() const override { return "FoldQuantWeights"; }
    bool run(Model& model) override;
};

// Decides whether an activation quantizer becomes a MultiThreshold. Returning false keeps the
// node; `reason` (optional) completes the warning "... was not converted to a MultiThreshold node,
// because <reason>".
using QuantActFilter = std::function<bool(Model& model, const Node& node, std::string& reason)>;

// FINN's default_filter_function_generator: converts quantizers of at most
// `max_multithreshold_bit_width` bits (BipolarQuant counts as 1). Throws for a Quant whose bit
// width is not constant.
QuantActFilter default_quant_act_filter(int max_multithreshold_bit_width = 8);

// FINN's ConvertQuantActToMultiThreshold with its activation handlers. Every Quant/BipolarQuant in
// the activation path (neither its input nor its output is an initializer; zero point 0, else an
// error) that the filter accepts becomes MultiThreshold(x, T) [-> Add(bias)] [-> Mul(scale)], the
// last node writing the quantizer's output; the Mul is left out for a scalar scale of 1, the Add
// for a bias of 0. out_dtype is the quantizer's integer datatype; T has one row per channel (axis
// 1, FINN's ToDo for channels-last) and 2^b-1 (2^b-2 narrow) thresholds, in FINN's float32
// arithmetic:
// - QuantReluHandler (a Relu, then an unsigned, non-narrow Quant): T = |s|/2 + |s|*t, no bias,
//   the Relu is absorbed (it stays if something else reads it).
// - QuantIdentityHandler (everything else): signed Quant: T = -|s|/2 - |s|*(n//2 - 1) [- |s| if
//   not narrow] + |s|*t (i.e. (min_int + 1/2 + t) * s), bias min_int; BipolarQuant: T = [[0]],
//   out_scale 2, out_bias -1, out_dtype BIPOLAR on the MultiThreshold.
// Beyond FINN, which refuses or miscomputes these: an unsigned Quant without Relu (and one after
// Relu that is narrow) uses the Relu thresholds without absorbing anything; a signed Quant or a
// BipolarQuant after Relu, and any Quant after Selu, keep their activation node and convert as
// identity quantizers (FINN absorbs Selu assuming a fixed range); a 1-bit signed Quant and a
// BipolarQuant with another scale take the BipolarQuant form plus Mul(scale) (FINN: Add(-0.5),
// Mul(2) behind a MultiThreshold annotated BIPOLAR, scale 1 only); FLOOR rounding puts the
// thresholds on the grid points (FINN ignores the rounding mode). CEIL/UP/DOWN rounding, a
// non-positive scale and a scale that is not per tensor or per channel are errors.
// Quantizers the filter rejects stay, with a warning (FINN's text; see warnings()).
class ConvertQuantActToMultiThreshold : public Transformation {
public:
    explicit ConvertQuantActToMultiThreshold(QuantActFilter filter = default_quant_act_filter(),
                                             DiagnosticSink warn = {});
    std::string_view name() const override { return "ConvertQuantActToMultiThreshold"; }
    // warnings() holds the last run's.
    bool run(Model& model) override;

private:
    QuantActFilter filter_;
};

// FINN's AvgPoolAndTruncToQuantAvgPool: AveragePool(k x k, stride s, no padding) -> Mul(k*k) ->
// Trunc(scale, 0, in_bits, out_bits, FLOOR) becomes Div(scale) -> QuantAvgPool2d(kernel k,
// stride s, ibits floor(log2(2^in_bits / k^2)), obits out_bits, signed from upstream, NCHW) ->
// Mul(scale). Patterns that do not fit (FINN: ValueError) are errors. Only the 5-input Trunc of
// opset 1 is recognized there (FINN reads a 6-input Trunc's out_scale as its bit width).
// Beyond FINN, the form current Brevitas exports, AveragePool -> Trunc (5 or 6 inputs, the
// Trunc's scale that of the average, 1/k^2 of the input grid's), becomes Div(scale*k^2) ->
// QuantAvgPool2d -> Mul(out_scale) when that computes exactly what the Trunc does (its shift is
// the Trunc's, its clamp cannot bite); otherwise it stays, with a warning (see warnings()).
class AvgPoolAndTruncToQuantAvgPool : public Transformation {
public:
    std::string_view name() const override { return "AvgPoolAndTruncToQuantAvgPool"; }
    bool run(Model& model) override;
};

// FINN's ConvertQONNXtoFINN: ExtractBiasFromConv, GemmToMatMul, FoldTransposeIntoQuantInit,
// InferDataTypes, FoldQuantWeights, ConvertQuantActToMultiThreshold(filter), InferDataTypes,
// AvgPoolAndTruncToQuantAvgPool, RemoveIdentityOps.
class ConvertQONNXtoFINN : public Transformation {
public:
    explicit ConvertQONNXtoFINN(QuantActFilter filter = default_quant_act_filter(),
                                DiagnosticSink warn = {});
    std::string_view name() const override { return "ConvertQONNXtoFINN"; }
    // warnings() holds the last run's (activation quantizers left unconverted, biases left in
    // place).
    bool run(Model& model) override;

private:
    QuantActFilter filter_;
};

// True if the model has a node step_qonnx_to_finn converts: Quant, Trunc, BinaryQuant (FINN's
// check, which misspells BipolarQuant) or BipolarQuant. Counting BipolarQuant too departs from
// FINN, which would pass a model whose only quantizers are BipolarQuant (a w1a1 MLP) on
// unconverted.
bool has_qonnx_quantizers(const Model& model);

// What step_qonnx_to_finn runs: if has_qonnx_quantizers() at the start, CleanupModel then
// ConvertQONNXtoFINN with default_quant_act_filter(max_multithreshold_bit_width); otherwise both
// do nothing. Warnings (activation quantizers left unconverted) go to `warn`.
Pipeline qonnx_to_finn_step_pipeline(int max_multithreshold_bit_width = 8,
                                     DiagnosticSink warn = {});

} // namespace finn
