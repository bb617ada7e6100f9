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

// Strides of a C-ordered shape, in elements.
std::vector<std::int64_t> c_strides(const Shape& shape);

// Applies f(a, b) element-wise with broadcasting, computing in double and storing as `out_type`.
template <class F>
Tensor broadcast_binary(const Tensor& a, const Tensor& b, ElementType out_type, F f) {
    Shape shape = broadcast_shapes(a.shape(), b.shape());
    auto ia = broadcast_indices(a.shape(), shape);
    auto ib = broadcast_indices(b.shape(), shape);
    auto va = a.to_doubles();
    auto vb = b.to_doubles();
    std::vector<double> out(ia.size());
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = f(va[ia[i]], vb[ib[i]]);
    return Tensor::from_doubles(out_type, shape, out);
}

} // namespace finn
