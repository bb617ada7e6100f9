// The model zoo: FINN's example networks written as Brevitas' QONNX export (after qonnx's
// cleanup) writes them, with seeded random weights instead of trained ones, so that tests,
// examples and benchmarks have realistic models without a training run.
//
// Models: tfc/sfc/lfc (BNN-PYNQ's MNIST MLPs, 784-{64,256,1024}x3-10) and cnv (BNN-PYNQ's CIFAR-10
// convnet), each as _w1a1, _w1a2 and _w2a2; residual_w4a4 (a ResNet basic block) and dwsep_w4a4
// (a depthwise-separable block); and 4-bit nets whose last conv leaves a map larger than 1x1 for
// a fully connected layer (conv -> flatten -> FC): lenet_w4a4 (plain), strided_w4a4 (padded,
// strided), dwsepfc_w4a4 and residualfc_w4a4 (the blocks above followed by a classifier). The
// same name and seed give the same bytes.
#pragma once

#include "finn/core/tensor.h"
#include "finn/ir/model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace finn {

// Every zoo model name, in a fixed order.
std::vector<std::string> zoo_model_names();
// Builds a zoo model (shapes inferred, ONNX-checked); throws finn::Error listing the names for an
// unknown one. `width` (1..16) multiplies the hidden neurons of the MLPs and the channels and
// hidden neurons of CNV, so parameters grow about width^2 (benchmarks scale models with it).
Model make_zoo_model(const std::string& name, std::uint32_t seed, int width = 1);
// A seeded input for the model's first graph input (batch 1) whose values suit its first
// quantizer: integers over the range of an integer finn_datatype annotation (the UINT8 images of
// tfc/sfc/lfc/cnv), else values on the grid of a Quant/BipolarQuant reading the input directly,
// else uniform values in [0, 1). Works on any model with a recorded input shape.
Tensor make_zoo_input(const Model& model, std::uint32_t seed);

} // namespace finn
