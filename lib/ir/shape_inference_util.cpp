#include "finn/ir/shape_inference_util.h"

namespace finn::shape_inference {

std::optional<Dims> input_dims(InferenceContext& ctx, std::size_t index) {
    if (index >= ctx.getNumInputs() || !onnx::hasInputShape(ctx, index)) return std::nullopt;
    Dims dims;
    for (const auto& d : onnx::getInputShape(ctx, index).dim()) {
        if (!d.has_dim_value()) return std::nullopt;
        dims.push_back(d.dim_value());
    }
    return dims;
}

void set_output_dims(InferenceContext& ctx, std::size_t index, const Dims& dims) {
    onnx::TensorShapeProto shape;
    for (auto d : dims)
        shape.add_dim()->set_dim_value(d);
    onnx::updateOutputShape(ctx, index, shape);
}

std::int64_t int_attr(InferenceContext& ctx, const std::string& name, std::int64_t fallback) {
    const auto* attr = ctx.getAttribute(name);
    return attr && attr->has_i() ? attr->i() : fallback;
}

Dims ints_attr(InferenceContext& ctx, const std::string& name, const Dims& fallback) {
    const auto* attr = ctx.getAttribute(name);
    if (!attr || attr->ints_size() == 0) return fallback;
    return {attr->ints().begin(), attr->ints().end()};
}

std::string string_attr(InferenceContext& ctx, const std::string& name,
                        const std::string& fallback) {
    const auto* attr = ctx.getAttribute(name);
    return attr && attr->has_s() ? attr->s() : fallback;
}

std::pair<std::int64_t, std::int64_t> pair_attr(InferenceContext& ctx, const std::string& name,
                                                std::int64_t fallback) {
    Dims v = ints_attr(ctx, name, {});
    if (v.empty()) {
        std::int64_t single = int_attr(ctx, name, fallback);
        return {single, single};
    }
    if (v.size() == 1) return {v[0], v[0]};
    return {v[0], v[1]};
}

void same_as_input(InferenceContext& ctx) {
    for (std::size_t i = 0; i < ctx.getNumOutputs(); ++i) {
        onnx::propagateElemTypeFromInputToOutput(ctx, 0, i);
        if (onnx::hasInputShape(ctx, 0)) onnx::propagateShapeFromInputToOutput(ctx, 0, i);
    }
}

void float_output(InferenceContext& ctx, std::size_t index, const Dims& dims) {
    onnx::updateOutputElemType(ctx, index, onnx::TensorProto::FLOAT);
    set_output_dims(ctx, index, dims);
}

void float_outputs_like_input(InferenceContext& ctx) {
    auto in = input_dims(ctx, 0);
    if (!in) return;
    for (std::size_t i = 0; i < ctx.getNumOutputs(); ++i)
        float_output(ctx, i, *in);
}

void stream_passes_through(InferenceContext& ctx) {
    const auto* in = ctx.getInputType(0);
    if (in && in->has_tensor_type() &&
        in->tensor_type().elem_type() != onnx::TensorProto::UNDEFINED)
        onnx::propagateElemTypeFromInputToOutput(ctx, 0, 0);
    if (auto dims = input_dims(ctx, 0)) set_output_dims(ctx, 0, *dims);
}

ShapeInferenceFn last_dim_from_attr(std::string attr) {
    return [attr](InferenceContext& ctx) {
        auto in = input_dims(ctx, 0);
        std::int64_t last = int_attr(ctx, attr, -1);
        if (!in || in->empty() || last < 0) return;
        Dims out = *in;
        out.back() = last;
        float_output(ctx, 0, out);
    };
}

std::int64_t conv_out_dim(std::int64_t in, std::int64_t pad, std::int64_t kernel,
                          std::int64_t stride, std::int64_t dilation) {
    if (stride <= 0) fail_shape_inference("stride must be positive, got ", stride);
    return (in + pad - dilation * (kernel - 1) - 1) / stride + 1;
}

} // namespace finn::shape_inference
