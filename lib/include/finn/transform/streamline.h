// FINN's streamlining (arXiv:1709.04060): move the floating-point scales and shifts of a QNN
// (Mul, Add, BatchNormalization, ...) next to each other, collapse them, and absorb them into the
// thresholds of the following MultiThreshold, so that only integer operations remain. Then bipolar
// MatMuls become XNOR-popcounts.
//
// Each class carries FINN's (or qonnx's) name and semantics and applies its rewrite until nothing
// matches, as FINN's model.transform() does. A "constant" is an initializer; as in FINN, it is the
// second input of Add/Sub/Mul/Div (for Add and Mul either input may be the constant, since qonnx's
// cleanup would sort it last). Where FINN would leave a broken graph (rewiring a tensor another
// node still reads, a wrong result for a Conv with bias), the class does not match instead and
// says so. Every rewrite keeps the graph topologically sorted, records the shapes of the tensors
// it rewires and removes the tensors it orphans.
#pragma once

#include "finn/transform/transformation.h"

namespace finn {

// --- qonnx general / batchnorm_to_affine / FINN sign_to_thres ---------------------------------

// Sub(x, A) -> Add(x, -A) for a constant A.
class ConvertSubToAdd : public Transformation {
public:
    std::string_view name() const override { return "ConvertSubToAdd"; }
    bool run(Model& model) override;
};

// Div(x, A) -> Mul(x, 1/A) for a floating-point constant A (qonnx would truncate 1/A to an
// integer constant's type; such Divs are left alone).
class ConvertDivToMul : public Transformation {
public:
    std::string_view name() const override { return "ConvertDivToMul"; }
    bool run(Model& model) override;
};

// BatchNormalization -> Mul(A) -> Add(B), A = scale/sqrt(var+eps), B = bias - A*mean, both
// reshaped to (1, C, 1, ...); an Unsqueeze before it and a Squeeze after it that only add and
// remove trailing axes are swallowed (TFC's BatchNorm1d export).
class BatchNormToAffine : public Transformation {
public:
    std::string_view name() const override { return "BatchNormToAffine"; }
    bool run(Model& model) override;
};

// Sign -> MultiThreshold(T=[[0]], out_scale 2, out_bias -1, out_dtype BIPOLAR).
class ConvertSignToThres : public Transformation {
public:
    std::string_view name() const override { return "ConvertSignToThres"; }
    bool run(Model& model) override;
};

// --- reorder ----------------------------------------------------------------------------------

// Add(B) -> Mul(A) => Mul(A) -> Add(B*A) on a linear chain (both constants).
class MoveAddPastMul : public Transformation {
public:
    std::string_view name() const override { return "MoveAddPastMul"; }
    bool run(Model& model) override;
};

// Scalar Mul(a) -> MatMul(W) => MatMul(W) -> Mul(a).
class MoveScalarMulPastMatMul : public Transformation {
public:
    std::string_view name() const override { return "MoveScalarMulPastMatMul"; }
    bool run(Model& model) override;
};

// Scalar Add(a) -> MatMul(W) => MatMul(W) -> Add(a*1 @ W).
class MoveScalarAddPastMatMul : public Transformation {
public:
    std::string_view name() const override { return "MoveScalarAddPastMatMul"; }
    bool run(Model& model) override;
};

// Scalar or per-channel (1,C,1,1) Add(A) -> Conv without padding => Conv -> Add(conv(A)).
// The moved constant is the convolution of A without the Conv's bias (FINN executes the whole
// node and so counts a bias twice).
class MoveAddPastConv : public Transformation {
public:
    std::string_view name() const override { return "MoveAddPastConv"; }
    bool run(Model& model) override;
};

// Scalar Mul(a) -> Conv => Conv -> Mul(a); not for a Conv with a bias (a*(Wx+b) != W(ax)+b).
class MoveScalarMulPastConv : public Transformation {
public:
    std::string_view name() const override { return "MoveScalarMulPastConv"; }
    bool run(Model& model) override;
};

// Per-channel Mul(c) -> depthwise Conv without bias => Conv -> Mul(c repeated per output channel
// of each group). Not part of FINN's Streamline (FINN's MobileNet flow runs it in its own step).
class MoveMulPastDWConv : public Transformation {
public:
    std::string_view name() const override { return "MoveMulPastDWConv"; }
    bool run(Model& model) override;
};

// Non-negative scalar or per-channel Mul -> 2D MaxPool => MaxPool -> Mul.
class MoveMulPastMaxPool : public Transformation {
public:
    std::string_view name() const override { return "MoveMulPastMaxPool"; }
    bool run(Model& model) override;
};

// Scalar Mul/Add/Div -> f => f -> Mul/Add/Div for f in Reshape, Flatten, Transpose,
// GlobalAveragePool and nearest-neighbour Resize/Upsample (f(x*c) = f(x)*c). The constant becomes
// a 0-d tensor.
class MoveScalarLinearPastInvariants : public Transformation {
public:
    std::string_view name() const override { return "MoveScalarLinearPastInvariants"; }
    bool run(Model& model) override;
};

// FINN's MoveLinearPastFork: an Add/Mul with a constant whose output is read by several nodes is
// copied, one copy per further read, so that each branch can move and absorb its own.
class MoveLinearPastFork : public Transformation {
public:
    std::string_view name() const override { return "MoveLinearPastFork"; }
    bool run(Model& model) override;
};

// FINN's MoveLinearPastEltwiseAdd: Add(x*C, y*C) => Add(x, y)*C (equal constants) and
// Add(x+A, y+B) => Add(x, y) + (A+B), when both linear nodes only feed the Add and keep the shape
// of their data. With MoveLinearPastFork this streamlines residual blocks (finn-examples' ResNet).
class MoveLinearPastEltwiseAdd : public Transformation {
public:
    std::string_view name() const override { return "MoveLinearPastEltwiseAdd"; }
    bool run(Model& model) override;
};

// --- collapse_repeated ------------------------------------------------------------------------

// Add(A) -> Add(B) => Add(A+B); the parameter and the output are annotated FLOAT32.
class CollapseRepeatedAdd : public Transformation {
public:
    std::string_view name() const override { return "CollapseRepeatedAdd"; }
    bool run(Model& model) override;
};

// Mul(A) -> Mul(B) => Mul(A*B); the parameter and the output are annotated FLOAT32.
class CollapseRepeatedMul : public Transformation {
public:
    std::string_view name() const override { return "CollapseRepeatedMul"; }
    bool run(Model& model) override;
};

// --- absorb -----------------------------------------------------------------------------------

// MultiThreshold -> scalar Add(b) => MultiThreshold with out_bias += b and out_dtype the signed
// type INTn of the step count's smallest type (UINTn -> INTn). Skipped when that type cannot hold
// [bias, steps + bias] (FINN asserts).
class AbsorbSignBiasIntoMultiThreshold : public Transformation {
public:
    std::string_view name() const override { return "AbsorbSignBiasIntoMultiThreshold"; }
    bool run(Model& model) override;
};

// Scalar or per-channel Add(A) -> MultiThreshold => MultiThreshold with T - A (per row).
class AbsorbAddIntoMultiThreshold : public Transformation {
public:
    std::string_view name() const override { return "AbsorbAddIntoMultiThreshold"; }
    bool run(Model& model) override;
};

// Non-negative scalar or per-channel Mul(A) -> MultiThreshold => MultiThreshold with T / A.
// A zero factor gives -inf/+inf thresholds (0 >= T exactly when T <= 0; FINN's 0/0 gives NaN).
class AbsorbMulIntoMultiThreshold : public Transformation {
public:
    std::string_view name() const override { return "AbsorbMulIntoMultiThreshold"; }
    bool run(Model& model) override;
};

// Mul(A) with negative scalar/per-channel entries (A not annotated BIPOLAR) => Mul(sign(A))
// [annotated BIPOLAR, even where sign is 0, as FINN does] -> Mul(|A|).
class FactorOutMulSignMagnitude : public Transformation {
public:
    std::string_view name() const override { return "FactorOutMulSignMagnitude"; }
    bool run(Model& model) override;
};

// MatMul(W) -> Mul(A) with A annotated as a 1-bit type => MatMul(W*A), if W*A is still allowed by
// W's datatype. A must scale output columns (scalar or along the last axis).
class Absorb1BitMulIntoMatMul : public Transformation {
public:
    std::string_view name() const override { return "Absorb1BitMulIntoMatMul"; }
    bool run(Model& model) override;
};

// Conv(W) -> Mul(A) with A a 1-bit, scalar or per-output-channel constant => Conv(W*A) if allowed
// by W's datatype; not for a Conv with a bias.
class Absorb1BitMulIntoConv : public Transformation {
public:
    std::string_view name() const override { return "Absorb1BitMulIntoConv"; }
    bool run(Model& model) override;
};

// Scalar Add, or positive scalar Mul, producing TopK's input is removed (the indices do not
// change; the values output does). TopK's new input is annotated FLOAT32 before datatypes are
// inferred again, as in FINN.
class AbsorbScalarMulAddIntoTopK : public Transformation {
public:
    std::string_view name() const override { return "AbsorbScalarMulAddIntoTopK"; }
    bool run(Model& model) override;
};

// --- round_thresholds -------------------------------------------------------------------------

// For a MultiThreshold on an integer input type: T := ceil(T); for an unsigned input T := max(T,
// 0); T clipped to [min-1, max+1] of the input type; when anything changed the thresholds are
// annotated with the input type.
class RoundAndClipThresholds : public Transformation {
public:
    std::string_view name() const override { return "RoundAndClipThresholds"; }
    bool run(Model& model) override;
};

// --- qonnx bipolar_to_xnor --------------------------------------------------------------------

// MatMul with BIPOLAR input and BIPOLAR weights => XnorPopcountMatMul(W := (W+1)/2, BINARY) ->
// Mul(2) -> Add(-K), so that the result 2p-K is unchanged. The nearest upstream MultiThreshold with
// out_dtype BIPOLAR (through single-input nodes) becomes BINARY with scale 1 and bias 0; a MatMul
// on the first graph input instead re-annotates that input BINARY (FINN's quirk: the data must
// then be fed as 0/1). Not applied when that path forks (another reader would see 0/1 values).
class ConvertBipolarMatMulToXnorPopcount : public Transformation {
public:
    std::string_view name() const override { return "ConvertBipolarMatMulToXnorPopcount"; }
    bool run(Model& model) override;
};

// FINN's Streamline: ConvertSubToAdd, ConvertDivToMul, BatchNormToAffine, ConvertSignToThres,
// MoveMulPastMaxPool, MoveScalarLinearPastInvariants, AbsorbSignBiasIntoMultiThreshold,
// MoveAddPastMul, MoveScalarAddPastMatMul, MoveAddPastConv, MoveScalarMulPastMatMul,
// MoveScalarMulPastConv, MoveAddPastMul, CollapseRepeatedAdd, CollapseRepeatedMul,
// MoveMulPastMaxPool, AbsorbAddIntoMultiThreshold, FactorOutMulSignMagnitude,
// AbsorbMulIntoMultiThreshold, Absorb1BitMulIntoMatMul, Absorb1BitMulIntoConv,
// RoundAndClipThresholds — each followed by RemoveIdentityOps, GiveUniqueNodeNames,
// GiveReadableTensorNames and InferDataTypes.
class Streamline : public Transformation {
public:
    std::string_view name() const override { return "Streamline"; }
    bool run(Model& model) override;
};

// What FINN's step_streamline runs: AbsorbSignBiasIntoMultiThreshold, Streamline; for residual
// blocks (beyond FINN's default step, as its ResNet example does) up to four rounds of
// MoveLinearPastEltwiseAdd + MoveLinearPastFork, each followed by Streamline; when the model
// has a Conv, the Conv branch (LowerConvsToMatMul, MakeMaxPoolNHWC,
// AbsorbTransposeIntoMultiThreshold, MakeMaxPoolNHWC, AbsorbConsecutiveTransposes — see
// streamline_conv.h); then ConvertBipolarMatMulToXnorPopcount, Streamline,
// AbsorbScalarMulAddIntoTopK, InferDataLayouts, RemoveUnusedTensors.
Pipeline streamline_step_pipeline();

} // namespace finn
