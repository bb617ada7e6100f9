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
    const Shape shape = broadcast_shapes(a.shape(), b.shape());
    // Both operands' positions follow the output's: the innermost dimension in one tight loop, an
    // odometer over the outer ones (no index tables as large as the output, say weights times
    // per-channel factors).
    const std::vector<std::int64_t> sa = broadcast_strides(a.shape(), shape);
    const std::vector<std::int64_t> sb = broadcast_strides(b.shape(), shape);
    const std::size_t rank = shape.size();
    const std::int64_t total = shape_size(shape);
    const std::int64_t inner = rank ? shape.back() : 1;
    const std::int64_t ia = rank ? sa.back() : 0, ib = rank ? sb.back() : 0;
    auto for_each = [&](auto&& visit) {
        std::vector<std::int64_t> counter(rank, 0);
        std::int64_t pa = 0, pb = 0;
        for (std::int64_t base = 0; base < total; base += inner) {
            for (std::int64_t k = 0; k < inner; ++k)
                visit(base + k, pa + k * ia, pb + k * ib);
            for (std::size_t d = rank ? rank - 1 : 0; d-- > 0;) {
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
    };
    if (a.type() == ElementType::Float32 && b.type() == ElementType::Float32 &&
        out_type == ElementType::Float32) {
        // The common case (float weights, float factors) without double copies of the operands
        // and the result; float -> double is exact, so the values are the same.
        Tensor out(ElementType::Float32, shape);
        const float* va = a.data<float>();
        const float* vb = b.data<float>();
        float* vo = out.data<float>();
        for_each([&](std::int64_t i, std::int64_t pa, std::int64_t pb) {
            vo[i] = static_cast<float>(f(static_cast<double>(va[pa]), static_cast<double>(vb[pb])));
        });
        return out;
    }
    const std::vector<double> va = a.to_doubles();
    const std::vector<double> vb = b.to_doubles();
    std::vector<double> out(static_cast<std::size_t>(total));
    for_each([&](std::int64_t i, std::int64_t pa, std::int64_t pb) {
        out[static_cast<std::size_t>(i)] =
            f(va[static_cast<std::size_t>(pa)], vb[static_cast<std::size_t>(pb)]);
    });
    return Tensor::from_doubles(out_type, shape, out);
}

} // namespace finn
