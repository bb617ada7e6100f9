// Reductions along axes: Reduce{Sum,Mean,Max,Min,Prod}, Softmax/LogSoftmax, ArgMax/ArgMin, TopK.
//
// Integer tensors are reduced exactly in int64 (uint64 for uint64 tensors) and floating tensors
// in double, then stored as the input's element type.
#include "compute_types.h"
#include "finn/exec/broadcast.h"
#include "finn/exec/kernel.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace finn {
namespace {

using namespace kernels;

template <class T, class C> std::pair<C, C> limits_of() {
    return {static_cast<C>(std::numeric_limits<T>::lowest()),
            static_cast<C>(std::numeric_limits<T>::max())};
}

// The value range of an element type in computation type C; +-inf for floating types.
template <class C> std::pair<C, C> value_range(ElementType type) {
    if constexpr (std::is_floating_point_v<C>) {
        return {-kInf, kInf};
    } else {
        switch (type) {
        case ElementType::Int8:
            return limits_of<std::int8_t, C>();
        case ElementType::Int16:
            return limits_of<std::int16_t, C>();
        case ElementType::Int32:
            return limits_of<std::int32_t, C>();
        case ElementType::UInt8:
            return limits_of<std::uint8_t, C>();
        case ElementType::UInt16:
            return limits_of<std::uint16_t, C>();
        case ElementType::UInt32:
            return limits_of<std::uint32_t, C>();
        case ElementType::Bool:
            return {C{0}, C{1}};
        default:
            return limits_of<C, C>(); // int64 and uint64
        }
    }
}

template <class C> bool is_nan(C v) {
    if constexpr (std::is_floating_point_v<C>)
        return std::isnan(v);
    else
        return false;
}

// `axis` in [-rank, rank) made non-negative, or a failure naming the attribute.
int normalize_axis(const KernelContext& ctx, std::int64_t axis, int rank, const char* what) {
    if (axis < -rank || axis >= rank)
        ctx.fail(std::string(what) + " " + std::to_string(axis) + " is out of range for rank " +
                 std::to_string(rank) + "; expected " + std::to_string(-rank) + " <= " + what +
                 " < " + std::to_string(rank));
    return static_cast<int>(axis < 0 ? axis + rank : axis);
}

std::int64_t product(const Shape& shape, int begin, int end) {
    std::int64_t p = 1;
    for (int d = begin; d < end; ++d)
        p *= shape[d];
    return p;
}

// ---------------------------------------------------------------------------------------------
// Reduce*

enum class Reduce { Sum, Mean, Max, Min, Prod };

// The axes a Reduce* node reduces, as a mask over dimensions; nullopt when it reduces nothing
// (empty axes with noop_with_empty_axes). Axes come from input 1 (ReduceSum from opset 13, the
// others from opset 18) or the `axes` attribute (older opsets): whichever the node has.
std::optional<std::vector<bool>> reduced_axes(const KernelContext& ctx, int rank) {
    std::vector<std::int64_t> axes;
    if (ctx.has_input(1)) {
        const Tensor& input = ctx.input(1);
        if (input.type() != ElementType::Int64 || input.rank() > 1)
            ctx.fail("axes input is " + std::string(element_type_name(input.type())) + " " +
                     shape_to_string(input.shape()) + "; expected a 1-D int64 tensor");
        axes = input.to_int64s();
    } else if (ctx.node.has_attr("axes")) {
        axes = ctx.node.attr_ints("axes");
    }
    if (axes.empty()) {
        if (ctx.node.attr_int("noop_with_empty_axes", 0) != 0) return std::nullopt;
        return std::vector<bool>(static_cast<std::size_t>(rank), true);
    }
    std::vector<bool> mask(static_cast<std::size_t>(rank), false);
    for (std::int64_t axis : axes) {
        int d = normalize_axis(ctx, axis, rank, "axis");
        if (mask[d]) ctx.fail("axis " + std::to_string(axis) + " is listed twice in axes");
        mask[d] = true;
    }
    return mask;
}

template <class C> C combine(Reduce op, C acc, C v) {
    using U = std::uint64_t;
    switch (op) {
    case Reduce::Sum:
    case Reduce::Mean:
        if constexpr (std::is_floating_point_v<C>)
            return acc + v;
        else
            return static_cast<C>(static_cast<U>(acc) + static_cast<U>(v)); // wraps
    case Reduce::Prod:
        if constexpr (std::is_floating_point_v<C>)
            return acc * v;
        else
            return static_cast<C>(static_cast<U>(acc) * static_cast<U>(v));
    case Reduce::Max:
        // NaN propagates, as numpy.max.
        return is_nan(acc) || is_nan(v) ? (is_nan(acc) ? acc : v) : (v > acc ? v : acc);
    case Reduce::Min:
        return is_nan(acc) || is_nan(v) ? (is_nan(acc) ? acc : v) : (v < acc ? v : acc);
    }
    return acc;
}

// The value of a reduction over no elements: 0, 1, or the type's lowest/highest value.
template <class C> C reduce_identity(Reduce op, ElementType type) {
    switch (op) {
    case Reduce::Sum:
    case Reduce::Mean:
        return C{0};
    case Reduce::Prod:
        return C{1};
    case Reduce::Max:
        return value_range<C>(type).first;
    case Reduce::Min:
        return value_range<C>(type).second;
    }
    return C{0};
}

template <class C>
Tensor reduce_typed(const KernelContext& ctx, Reduce op, const Tensor& x,
                    const std::vector<bool>& mask, bool keepdims) {
    Shape kept = x.shape(); // reduced dimensions set to 1
    Shape out_shape;
    for (int d = 0; d < x.rank(); ++d) {
        if (mask[d])
            kept[d] = 1;
        else
            out_shape.push_back(x.shape()[d]);
    }
    if (keepdims) out_shape = kept;
    // The reduced tensor broadcasts back to x: that maps each input element to its output.
    std::vector<std::int64_t> target = broadcast_indices(kept, x.shape());
    const std::int64_t out_size = shape_size(kept);
    const std::int64_t group = out_size == 0 ? 0 : x.size() / out_size;

    std::vector<C> acc(static_cast<std::size_t>(out_size), reduce_identity<C>(op, x.type()));
    std::vector<C> values = values_as<C>(x);
    for (std::size_t i = 0; i < values.size(); ++i)
        acc[target[i]] = combine(op, acc[target[i]], values[i]);
    if (op == Reduce::Mean) {
        if constexpr (std::is_floating_point_v<C>) {
            for (C& v : acc)
                v = group == 0 ? kNaN : v / static_cast<C>(group);
        } else {
            if (group == 0) ctx.fail("mean over an empty set of integers is undefined");
            // Truncates, like numpy's mean cast back to the integer type.
            for (C& v : acc)
                v /= static_cast<C>(group);
        }
    }
    return make_tensor(x.type(), std::move(out_shape), acc);
}

KernelFn reduce_kernel(Reduce op) {
    return [op](const KernelContext& ctx) {
        const Tensor& x = ctx.input(0);
        std::optional<std::vector<bool>> mask = reduced_axes(ctx, x.rank());
        if (!mask) return std::vector<Tensor>{x};
        const bool keepdims = ctx.node.attr_int("keepdims", 1) != 0;
        return std::vector<Tensor>{with_compute_type(x.type(), [&](auto tag) {
            return reduce_typed<decltype(tag)>(ctx, op, x, *mask, keepdims);
        })};
    };
}

// ---------------------------------------------------------------------------------------------
// Softmax, LogSoftmax

// From opset 13 the operator normalizes along `axis` (default -1). Older opsets (default axis 1)
// coerce the input to 2-D [prod(dims[:axis]), prod(dims[axis:])] and normalize each row; there
// axis == rank is accepted (rows of one element).
std::vector<Tensor> softmax(const KernelContext& ctx, bool log) {
    const Tensor& x = ctx.input(0);
    if (!is_floating(x.type()))
        ctx.fail("input has element type " + std::string(element_type_name(x.type())) +
                 "; expected float16, float32 or float64");
    const int rank = x.rank();
    const bool coerce_2d = ctx.opset > 0 && ctx.opset < 13;
    const std::int64_t axis = ctx.node.attr_int("axis", coerce_2d ? 1 : -1);
    int a = coerce_2d && axis == rank ? rank : normalize_axis(ctx, axis, rank, "axis");
    const Shape& dims = x.shape();
    const std::int64_t outer = product(dims, 0, a);
    const std::int64_t n = coerce_2d ? product(dims, a, rank) : dims[a];
    const std::int64_t inner = coerce_2d ? 1 : product(dims, a + 1, rank);

    std::vector<double> v = x.to_doubles();
    for (std::int64_t o = 0; o < outer; ++o) {
        for (std::int64_t i = 0; i < inner; ++i) {
            const std::int64_t base = o * n * inner + i;
            auto at = [&](std::int64_t k) -> double& { return v[base + k * inner]; };
            // Subtracting the maximum keeps exp() from overflowing.
            double max = -kInf;
            for (std::int64_t k = 0; k < n; ++k)
                max = std::max(max, at(k));
            double sum = 0;
            for (std::int64_t k = 0; k < n; ++k)
                sum += std::exp(at(k) - max);
            for (std::int64_t k = 0; k < n; ++k)
                at(k) = log ? at(k) - max - std::log(sum) : std::exp(at(k) - max) / sum;
        }
    }
    return {Tensor::from_doubles(x.type(), dims, v)};
}

// ---------------------------------------------------------------------------------------------
// ArgMax, ArgMin

// Whether `candidate` replaces `best`. NaN counts as the extreme (numpy.argmax/argmin); ties keep
// the first index unless select_last_index.
template <class C> bool replaces(C candidate, C best, bool want_max, bool last_on_tie) {
    if (is_nan(best)) return last_on_tie && is_nan(candidate);
    if (is_nan(candidate)) return true;
    if (candidate == best) return last_on_tie;
    return want_max ? candidate > best : candidate < best;
}

std::vector<Tensor> arg_extreme(const KernelContext& ctx, bool want_max) {
    const Tensor& x = ctx.input(0);
    const int a = normalize_axis(ctx, ctx.node.attr_int("axis", 0), x.rank(), "axis");
    const bool keepdims = ctx.node.attr_int("keepdims", 1) != 0;
    const bool last = ctx.node.attr_int("select_last_index", 0) != 0;
    const Shape& dims = x.shape();
    const std::int64_t n = dims[a];
    if (n == 0)
        ctx.fail("axis " + std::to_string(a) + " has size 0; expected at least one element");
    const std::int64_t outer = product(dims, 0, a);
    const std::int64_t inner = product(dims, a + 1, x.rank());
    Shape out_shape = dims;
    if (keepdims)
        out_shape[a] = 1;
    else
        out_shape.erase(out_shape.begin() + a);

    std::vector<std::int64_t> result(static_cast<std::size_t>(outer * inner));
    with_compute_type(x.type(), [&](auto tag) {
        using C = decltype(tag);
        std::vector<C> v = values_as<C>(x);
        for (std::int64_t o = 0; o < outer; ++o) {
            for (std::int64_t i = 0; i < inner; ++i) {
                const std::int64_t base = o * n * inner + i;
                std::int64_t best = 0;
                for (std::int64_t k = 1; k < n; ++k)
                    if (replaces(v[base + k * inner], v[base + best * inner], want_max, last))
                        best = k;
                result[o * inner + i] = best;
            }
        }
        return 0;
    });
    return {Tensor::from_int64s(out_shape, result)};
}

// ---------------------------------------------------------------------------------------------
// TopK

// K is input 1 (opset >= 10, a one-element int64 tensor) or attribute `k` (opset 1).
std::int64_t top_k_count(const KernelContext& ctx) {
    if (ctx.has_input(1)) {
        const Tensor& k = ctx.input(1);
        if (k.type() != ElementType::Int64 || k.size() != 1)
            ctx.fail("K is " + std::string(element_type_name(k.type())) + " " +
                     shape_to_string(k.shape()) + "; expected a one-element int64 tensor");
        return k.to_int64s()[0];
    }
    if (ctx.node.has_attr("k")) return ctx.node.attr_int("k");
    ctx.fail("K is missing; expected input 1 (opset >= 10) or attribute 'k' (opset 1)");
}

// Values and int64 indices of the K largest (or smallest) elements along `axis`, best first;
// equal values keep the lower index first. NaN counts as larger than any number. The output is
// sorted even with sorted=0, where ONNX leaves the order unspecified.
std::vector<Tensor> top_k(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    const int a = normalize_axis(ctx, ctx.node.attr_int("axis", -1), x.rank(), "axis");
    const bool largest = ctx.node.attr_int("largest", 1) != 0;
    const std::int64_t k = top_k_count(ctx);
    const Shape& dims = x.shape();
    const std::int64_t n = dims[a];
    if (k < 0 || k > n)
        ctx.fail("K = " + std::to_string(k) + " for axis " + std::to_string(a) + " of size " +
                 std::to_string(n) + "; expected 0 <= K <= " + std::to_string(n));
    const std::int64_t outer = product(dims, 0, a);
    const std::int64_t inner = product(dims, a + 1, x.rank());
    Shape out_shape = dims;
    out_shape[a] = k;

    Tensor values(x.type(), out_shape);
    std::vector<std::int64_t> indices(static_cast<std::size_t>(shape_size(out_shape)));
    const std::size_t width = element_size(x.type());
    with_compute_type(x.type(), [&](auto tag) {
        using C = decltype(tag);
        std::vector<C> v = values_as<C>(x);
        auto ahead = [&](C p, C q) {
            if (is_nan(p) || is_nan(q)) return largest ? !is_nan(q) : !is_nan(p);
            return largest ? p > q : p < q;
        };
        std::vector<std::int64_t> order(static_cast<std::size_t>(n));
        for (std::int64_t o = 0; o < outer; ++o) {
            for (std::int64_t i = 0; i < inner; ++i) {
                const std::int64_t base = o * n * inner + i;
                std::iota(order.begin(), order.end(), std::int64_t{0});
                auto before = [&](std::int64_t p, std::int64_t q) {
                    C vp = v[base + p * inner];
                    C vq = v[base + q * inner];
                    if (ahead(vp, vq)) return true;
                    return !ahead(vq, vp) && p < q;
                };
                std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
                for (std::int64_t j = 0; j < k; ++j) {
                    const std::int64_t out = o * k * inner + j * inner + i;
                    const std::int64_t in = base + order[j] * inner;
                    indices[out] = order[j];
                    std::memcpy(values.bytes() + out * width, x.bytes() + in * width, width);
                }
            }
        }
        return 0;
    });
    return {values, Tensor::from_int64s(out_shape, indices)};
}

} // namespace

void register_reduction_kernels(KernelRegistry& registry) {
    registry.add("", "ReduceSum", reduce_kernel(Reduce::Sum));
    registry.add("", "ReduceMean", reduce_kernel(Reduce::Mean));
    registry.add("", "ReduceMax", reduce_kernel(Reduce::Max));
    registry.add("", "ReduceMin", reduce_kernel(Reduce::Min));
    registry.add("", "ReduceProd", reduce_kernel(Reduce::Prod));
    registry.add("", "Softmax", [](const KernelContext& ctx) { return softmax(ctx, false); });
    registry.add("", "LogSoftmax", [](const KernelContext& ctx) { return softmax(ctx, true); });
    registry.add("", "ArgMax", [](const KernelContext& ctx) { return arg_extreme(ctx, true); });
    registry.add("", "ArgMin", [](const KernelContext& ctx) { return arg_extreme(ctx, false); });
    registry.add("", "TopK", top_k);
}

} // namespace finn
