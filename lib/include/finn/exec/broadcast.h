// numpy/ONNX multidirectional broadcasting, shared by the element-wise kernels.
#pragma once

#include "finn/core/tensor.h"

#include <cstdint>
#include <vector>

namespace finn {

// The broadcast shape of two shapes; throws finn::Error naming both when incompatible.
Shape broadcast_shapes(const Shape& a, const Shape& b);

// For each flat index of `out_shape`, the flat index into a tensor of shape `in_shape` that
// broadcasts to it (in_shape must broadcast to out_shape).
std::vector<std::int64_t> broadcast_indices(const Shape& in_shape, const Shape& out_shape);

// Strides, in elements, with which a tensor of shape `in_shape` is read along each dimension of
// `out_shape` it broadcasts to (0 along broadcast dimensions).
std::vector<std::int64_t> broadcast_strides(const Shape& in_shape, const Shape& out_shape);

// Strides of a C-ordered shape, in elements.
std::vector<std::int64_t> c_strides(const Shape& shape);

// Applies f(a, b) element-wise with broadcasting, computing in double and storing as `out_type`.
template <class F>
Tensor broadcast_binary(const Tensor& a, const Tensor& b, ElementType out_type, F f) {
    Shape shape = broadcast_shapes(a.shape(), b.shape());
    // Both operands' positions follow the output's by an odometer over its dimensions, instead of
    // index tables as large as the output (weights times per-channel factors).
    const std::vector<std::int64_t> sa = broadcast_strides(a.shape(), shape);
    const std::vector<std::int64_t> sb = broadcast_strides(b.shape(), shape);
    auto va = a.to_doubles();
    auto vb = b.to_doubles();
    std::vector<double> out(static_cast<std::size_t>(shape_size(shape)));
    std::vector<std::int64_t> counter(shape.size(), 0);
    std::int64_t pa = 0, pb = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = f(va[static_cast<std::size_t>(pa)], vb[static_cast<std::size_t>(pb)]);
        for (std::size_t d = shape.size(); d-- > 0;) {
            if (++counter[d] < shape[d]) {
                pa += sa[d];
                pb += sb[d];
                break;
            }
            pa -= sa[d] * (shape[d] - 1);
            pb -= sb[d] * (shape[d] - 1);
            counter[d] = 0;
        }
    }
    return Tensor::from_doubles(out_type, shape, out);
}

} // namespace finn
