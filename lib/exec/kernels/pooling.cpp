// Pooling: MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool over N-D inputs
// (N, C, spatial...).
//
// The windows of MaxPool and AveragePool are resolved once per node into a table of input offsets
// (one list per output position, shared by every channel plane), so the per-element loops only
// read contiguous double arrays.
#include "finn/exec/broadcast.h"
#include "finn/exec/kernel.h"
#include "window_axes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace finn {

namespace {

using kernels::window_axes;
using kernels::WindowAxis;

// Reads kernel_shape and ceil_mode and derives each axis' window (see window_axes.h).
std::vector<WindowAxis> pool_axes(const KernelContext& ctx, const Shape& in) {
    const auto kernel = ctx.node.attr_ints("kernel_shape");
    if (kernel.size() != in.size())
        ctx.fail("kernel_shape " + shape_to_string(kernel) + " has " +
                 std::to_string(kernel.size()) + " values, expected one per spatial axis (" +
                 std::to_string(in.size()) + ")");
    return window_axes(ctx, in, kernel, ctx.node.attr_int("ceil_mode", 0) != 0);
}

// The windows of every output position (C order): output p covers the input elements at
// offsets[start[p] .. start[p + 1]) of a channel plane; padded_count[p] counts its taps inside the
// padded input (the count_include_pad divisor).
struct Windows {
    std::vector<std::int64_t> start{0};
    std::vector<std::int64_t> offsets;
    std::vector<std::int64_t> padded_count;
};

// Per axis and output index: the input coordinates the window reads.
using AxisTaps = std::vector<std::vector<std::int64_t>>;

void append_offsets(const std::vector<AxisTaps>& taps, const std::vector<std::int64_t>& position,
                    const std::vector<std::int64_t>& in_strides, std::size_t d, std::int64_t offset,
                    std::vector<std::int64_t>& out) {
    if (d == taps.size()) {
        out.push_back(offset);
        return;
    }
    for (auto i : taps[d][position[d]])
        append_offsets(taps, position, in_strides, d + 1, offset + i * in_strides[d], out);
}

// `allow_empty`: whether a window lying entirely in the padding is acceptable (it is for an
// average that counts the padding; max or an average over nothing has no value).
Windows build_windows(const KernelContext& ctx, const std::vector<WindowAxis>& axes,
                      bool allow_empty) {
    std::vector<AxisTaps> taps(axes.size());
    std::vector<std::vector<std::int64_t>> padded(axes.size());
    Shape in_shape, out_shape;
    for (std::size_t d = 0; d < axes.size(); ++d) {
        const WindowAxis& ax = axes[d];
        in_shape.push_back(ax.in);
        out_shape.push_back(ax.out);
        for (std::int64_t o = 0; o < ax.out; ++o) {
            std::vector<std::int64_t> coords;
            std::int64_t inside_padding = 0;
            for (std::int64_t k = 0; k < ax.kernel; ++k) {
                const std::int64_t i = o * ax.stride - ax.pad_begin + k * ax.dilation;
                if (i >= 0 && i < ax.in) coords.push_back(i);
                if (i >= -ax.pad_begin && i < ax.in + ax.pad_end) ++inside_padding;
            }
            if (coords.empty() && !allow_empty)
                ctx.fail("output " + std::to_string(o) + " of spatial axis " + std::to_string(d) +
                         " has a window entirely in the padding; expected pads smaller than the "
                         "window");
            taps[d].push_back(std::move(coords));
            padded[d].push_back(inside_padding);
        }
    }
    const auto in_strides = c_strides(in_shape);
    const std::int64_t outputs = shape_size(out_shape);
    Windows w;
    std::vector<std::int64_t> position(axes.size(), 0);
    for (std::int64_t p = 0; p < outputs; ++p) {
        append_offsets(taps, position, in_strides, 0, 0, w.offsets);
        w.start.push_back(static_cast<std::int64_t>(w.offsets.size()));
        std::int64_t count = 1;
        for (std::size_t d = 0; d < axes.size(); ++d)
            count *= padded[d][position[d]];
        w.padded_count.push_back(count);
        for (std::size_t d = axes.size(); d-- > 0;) { // next output position, C order
            if (++position[d] < out_shape[d]) break;
            position[d] = 0;
        }
    }
    return w;
}

struct PoolPlan {
    Shape out_shape;
    Windows windows;
    std::int64_t planes, in_size;
};

// Shared set-up of MaxPool and AveragePool.
PoolPlan prepare_pool(const KernelContext& ctx, const Tensor& x, bool allow_empty) {
    if (x.rank() < 3)
        ctx.fail("X has shape " + shape_to_string(x.shape()) +
                 ", expected rank >= 3 (N, C, spatial...)");
    const Shape in(x.shape().begin() + 2, x.shape().end());
    const auto axes = pool_axes(ctx, in);
    PoolPlan p{{x.shape()[0], x.shape()[1]},
               build_windows(ctx, axes, allow_empty),
               x.shape()[0] * x.shape()[1],
               shape_size(in)};
    for (const auto& ax : axes)
        p.out_shape.push_back(ax.out);
    return p;
}

std::vector<Tensor> max_pool_kernel(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    if (x.type() == ElementType::Bool) ctx.fail("X has element type bool, expected a numeric type");
    if (ctx.node.output_count() > 1 && !ctx.node.output(1).empty())
        ctx.fail("the Indices output is not supported; expected MaxPool with one output");
    const PoolPlan p = prepare_pool(ctx, x, false);
    const auto vx = x.to_doubles();
    const std::int64_t outputs = static_cast<std::int64_t>(p.windows.padded_count.size());
    std::vector<double> y(static_cast<std::size_t>(p.planes * outputs));
    for (std::int64_t plane = 0; plane < p.planes; ++plane) {
        const double* xp = vx.data() + plane * p.in_size;
        double* yp = y.data() + plane * outputs;
        for (std::int64_t o = 0; o < outputs; ++o) {
            double best = -std::numeric_limits<double>::infinity();
            for (std::int64_t t = p.windows.start[o]; t < p.windows.start[o + 1]; ++t) {
                const double v = xp[p.windows.offsets[t]];
                if (v > best || std::isnan(v)) best = v; // NaN propagates, as numpy's max
                if (std::isnan(best)) break;
            }
            yp[o] = best;
        }
    }
    return {Tensor::from_doubles(x.type(), p.out_shape, y)};
}

std::vector<Tensor> average_pool_kernel(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    if (!is_floating(x.type()))
        ctx.fail("X has element type " + std::string(element_type_name(x.type())) +
                 ", expected float16/32/64");
    const bool include_pad = ctx.node.attr_int("count_include_pad", 0) != 0;
    const PoolPlan p = prepare_pool(ctx, x, include_pad);
    const auto vx = x.to_doubles();
    const std::int64_t outputs = static_cast<std::int64_t>(p.windows.padded_count.size());
    std::vector<double> y(static_cast<std::size_t>(p.planes * outputs));
    for (std::int64_t plane = 0; plane < p.planes; ++plane) {
        const double* xp = vx.data() + plane * p.in_size;
        double* yp = y.data() + plane * outputs;
        for (std::int64_t o = 0; o < outputs; ++o) {
            const std::int64_t first = p.windows.start[o], last = p.windows.start[o + 1];
            double sum = 0.0;
            for (std::int64_t t = first; t < last; ++t)
                sum += xp[p.windows.offsets[t]];
            // Padding counts as zeros with count_include_pad, else only real elements count.
            const std::int64_t divisor = include_pad ? p.windows.padded_count[o] : last - first;
            yp[o] = sum / static_cast<double>(divisor);
        }
    }
    return {Tensor::from_doubles(x.type(), p.out_shape, y)};
}

// GlobalAveragePool / GlobalMaxPool: one value per (N, C) plane, spatial axes kept as 1.
template <bool Max> std::vector<Tensor> global_pool_kernel(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    if (Max ? x.type() == ElementType::Bool : !is_floating(x.type()))
        ctx.fail("X has element type " + std::string(element_type_name(x.type())) + ", expected " +
                 (Max ? "a numeric type" : "float16/32/64"));
    if (x.rank() < 2)
        ctx.fail("X has shape " + shape_to_string(x.shape()) +
                 ", expected rank >= 2 (N, C, spatial...)");
    Shape out_shape(x.shape().begin(), x.shape().begin() + 2);
    out_shape.resize(x.shape().size(), 1);
    const std::int64_t planes = x.shape()[0] * x.shape()[1];
    const std::int64_t size = shape_size(Shape(x.shape().begin() + 2, x.shape().end()));
    if (size == 0) ctx.fail("X has shape " + shape_to_string(x.shape()) + ", an empty plane");
    const auto vx = x.to_doubles();
    std::vector<double> y(static_cast<std::size_t>(planes));
    for (std::int64_t plane = 0; plane < planes; ++plane) {
        const double* xp = vx.data() + plane * size;
        if constexpr (Max) {
            double best = xp[0];
            for (std::int64_t i = 1; i < size && !std::isnan(best); ++i)
                if (xp[i] > best || std::isnan(xp[i])) best = xp[i];
            y[plane] = best;
        } else {
            double sum = 0.0;
            for (std::int64_t i = 0; i < size; ++i)
                sum += xp[i];
            y[plane] = sum / static_cast<double>(size);
        }
    }
    return {Tensor::from_doubles(x.type(), out_shape, y)};
}

} // namespace

void register_pooling_kernels(KernelRegistry& registry) {
    registry.add("", "MaxPool", max_pool_kernel);
    registry.add("", "AveragePool", average_pool_kernel);
    registry.add("", "GlobalAveragePool", global_pool_kernel<false>);
    registry.add("", "GlobalMaxPool", global_pool_kernel<true>);
}

} // namespace finn
