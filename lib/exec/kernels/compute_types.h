// The types kernels compute in: double for floating tensors, int64 for integer tensors (uint64 for
// uint64 tensors, whose values may not fit int64), so integer data stays exact. Internal to the
// kernels in this folder.
#pragma once

#include "finn/core/tensor.h"

#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

namespace finn::kernels {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Calls fn(tag) with the type a tensor of `type` is computed in: double, int64_t or uint64_t.
template <class Fn> auto with_compute_type(ElementType type, Fn&& fn) {
    if (is_floating(type)) return fn(double{});
    if (type == ElementType::UInt64) return fn(std::uint64_t{});
    return fn(std::int64_t{});
}

// A tensor's values in compute type C.
template <class C> std::vector<C> values_as(const Tensor& tensor) {
    if constexpr (std::is_same_v<C, double>) {
        return tensor.to_doubles();
    } else {
        // uint64 values above 2^63 wrap through int64 and back unchanged.
        std::vector<std::int64_t> wide = tensor.to_int64s();
        return std::vector<C>(wide.begin(), wide.end());
    }
}

// A tensor of element type `type` from values in compute type C.
template <class C> Tensor make_tensor(ElementType type, Shape shape, const std::vector<C>& values) {
    if constexpr (std::is_same_v<C, double>) {
        return Tensor::from_doubles(type, std::move(shape), values);
    } else {
        // Narrower integer types wrap modulo 2^N, as numpy's integer arithmetic does.
        std::vector<std::int64_t> wide(values.begin(), values.end());
        return Tensor::from_int64s(std::move(shape), wide).cast(type);
    }
}

} // namespace finn::kernels
