// The Conv branch of FINN's step_streamline: convolutions become Im2Col + MatMul in NHWC, and
// the Transposes this adds are moved into MaxPool and MultiThreshold (data_layout NHWC) or
// cancelled, so that the convert_to_hw step finds MatMul/Im2Col/MaxPoolNHWC/MultiThreshold
// chains without layout changes between them.
#pragma once

#include "finn/transform/transformation.h"

namespace finn {

// qonnx's LowerConvsToMatMul: Conv(x, W[, b]) with x NCHW =>
// Transpose(0,2,3,1) -> Im2Col -> MatMul(W') [-> Add(b)] -> Transpose(0,3,1,2), where
// W'[(ky*kw + kx)*C + c, o] = W[o, c, ky, kx] (its datatype annotation is W's). A pointwise
// Conv (1x1 kernel, stride 1, no padding) needs no Im2Col. A depthwise Conv (group == C == out
// channels) gets qonnx's sparse dense matrix with the sparsity annotation
// {'dw': {'kernel_shape': [kh, kw]}}; any other grouped Conv, auto_pad or a non-2D Conv throws
// finn::Error naming the node.
class LowerConvsToMatMul : public Transformation {
public:
    std::string_view name() const override { return "LowerConvsToMatMul"; }
    bool run(Model& model) override;
};

// FINN's MakeMaxPoolNHWC: MaxPool -> Transpose(0,2,3,1) => Transpose(0,2,3,1) -> MaxPoolNHWC,
// and Transpose(0,3,1,2) -> MaxPool => MaxPoolNHWC -> Transpose(0,3,1,2). Only for a 2D MaxPool
// without dilations, auto_pad or indices output, with symmetric pads (what MaxPoolNHWC executes).
class MakeMaxPoolNHWC : public Transformation {
public:
    std::string_view name() const override { return "MakeMaxPoolNHWC"; }
    bool run(Model& model) override;
};

// FINN's AbsorbTransposeIntoMultiThreshold: Transpose(0,3,1,2) -> MultiThreshold ->
// Transpose(0,2,3,1) => MultiThreshold(data_layout NHWC); any other Transpose(0,3,1,2) ->
// MultiThreshold => MultiThreshold(NHWC) -> Transpose(0,3,1,2) (e.g. before the Reshape of the
// CNV-to-FC transition). Datatypes are inferred again after a change.
class AbsorbTransposeIntoMultiThreshold : public Transformation {
public:
    std::string_view name() const override { return "AbsorbTransposeIntoMultiThreshold"; }
    bool run(Model& model) override;
};

} // namespace finn
