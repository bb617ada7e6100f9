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
    // An operand that already has the output shape is read in order, without an index table
    // (weights times per-channel factors: the table would be as large as the weights).
    const bool a_full = a.shape() == shape;
    const bool b_full = b.shape() == shape;
    std::vector<std::int64_t> ia, ib;
    if (!a_full) ia = broadcast_indices(a.shape(), shape);
    if (!b_full) ib = broadcast_indices(b.shape(), shape);
    auto va = a.to_doubles();
    auto vb = b.to_doubles();
    std::vector<double> out(static_cast<std::size_t>(shape_size(shape)));
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = f(va[a_full ? i : static_cast<std::size_t>(ia[i])],
                   vb[b_full ? i : static_cast<std::size_t>(ib[i])]);
    return Tensor::from_doubles(out_type, shape, out);
}

} // namespace finn
