// Small helpers over onnx::InferenceContext for writing a custom op's shape inference: reading
// attributes with a fallback, reading fully known input shapes and setting output shapes. Used by
// the general ops (ir/custom_op_schemas.cpp) and by each hardware layer's definition (lib/hw/).
#pragma once

#include "finn/ir/custom_op_schemas.h"

#include <cstdint>
#include <onnx/defs/shape_inference.h>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace finn::shape_inference {

using onnx::InferenceContext;
using Dims = std::vector<std::int64_t>;

// The fully known dimensions of an input, or nothing (inference then leaves the output alone).
std::optional<Dims> input_dims(InferenceContext& ctx, std::size_t index);
void set_output_dims(InferenceContext& ctx, std::size_t index, const Dims& dims);

std::int64_t int_attr(InferenceContext& ctx, const std::string& name, std::int64_t fallback);
Dims ints_attr(InferenceContext& ctx, const std::string& name, const Dims& fallback);
std::string string_attr(InferenceContext& ctx, const std::string& name,
                        const std::string& fallback);
// A 2D attribute given as [a, b] or as a single value meaning [a, a].
std::pair<std::int64_t, std::int64_t> pair_attr(InferenceContext& ctx, const std::string& name,
                                                std::int64_t fallback);

// Output i keeps input 0's element type and shape: MultiThreshold, Quant, ...
void same_as_input(InferenceContext& ctx);
// Hardware ops carry integers in float32 containers, as FINN does.
void float_output(InferenceContext& ctx, std::size_t index, const Dims& dims);
// Every output is float32 with input 0's shape (Thresholding, ...).
void float_outputs_like_input(InferenceContext& ctx);
// A stream passed through unchanged (FIFOs, width converters): the output has input 0's shape and
// element type where they are known, and else what the graph declares (a FIFO behind a
// LabelSelect carries its INT64 indices, whose type only the graph output declares).
void stream_passes_through(InferenceContext& ctx);
// Replaces the last dimension of input 0 by an attribute (MVAU: MW -> MH; VVAU, Pool: k*k*C -> C).
ShapeInferenceFn last_dim_from_attr(std::string attr);

// Output size of a convolution-like window along one axis (`pad` is both ends together).
std::int64_t conv_out_dim(std::int64_t in, std::int64_t pad, std::int64_t kernel,
                          std::int64_t stride, std::int64_t dilation);

} // namespace finn::shape_inference
