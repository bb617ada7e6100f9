// Matrix products and convolution: MatMul, Gemm, Conv (im2col + GEMM) and BatchNormalization
// (inference).
//
// Every product goes through gemm_accumulate (gemm.h), which accumulates in double: FINN's
// quantized nets carry integers in float32 tensors and their sums may exceed float32's 2^24, so
// computing in float32 would not be exact. Float32 tensors are read in place, other types are
// converted to a contiguous double array once per node; inner loops never go through Tensor::get.
#include "finn/core/error.h"
#include "finn/exec/broadcast.h"
#include "finn/exec/kernel.h"
#include "gemm.h"
#include "window_axes.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

namespace finn {

namespace {

using kernels::window_axes;
using kernels::WindowAxis;

std::string type_name(const Tensor& t) {
    return std::string(element_type_name(t.type()));
}

// MatMul and Gemm accept every numeric type (integers are exact below 2^53).
void require_numeric(const KernelContext& ctx, const Tensor& t, const std::string& what) {
    if (t.type() == ElementType::Bool)
        ctx.fail(what + " has element type bool, expected a numeric type");
}

// Conv and BatchNormalization are defined for floating-point types only.
void require_floating(const KernelContext& ctx, const Tensor& t, const std::string& what) {
    if (!is_floating(t.type()))
        ctx.fail(what + " has element type " + type_name(t) + ", expected float16/32/64");
}

void require_same_type(const KernelContext& ctx, const Tensor& a, const Tensor& b,
                       const std::string& what_a, const std::string& what_b) {
    if (a.type() != b.type())
        ctx.fail(what_b + " has element type " + type_name(b) + ", expected " + type_name(a) +
                 " like " + what_a);
}

// Calls f(a, b) with pointers to the elements of two tensors of one type: float32 data in place,
// any other type converted to double (the products are computed in double either way).
template <class F> void with_elements(const Tensor& a, const Tensor& b, F&& f) {
    if (a.type() == ElementType::Float32) {
        f(a.data<float>(), b.data<float>());
        return;
    }
    const auto va = a.to_doubles();
    const auto vb = b.to_doubles();
    f(va.data(), vb.data());
}

std::int64_t product(const Shape& dims) {
    std::int64_t n = 1;
    for (auto d : dims)
        n *= d;
    return n;
}

// ------------------------------------------------------------------------------------------------
// MatMul: numpy.matmul (1-D operands promoted and the added axis dropped, leading dimensions
// broadcast).

std::vector<Tensor> matmul_kernel(const KernelContext& ctx) {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    require_numeric(ctx, a, "A");
    require_same_type(ctx, a, b, "A", "B");
    if (a.rank() == 0 || b.rank() == 0)
        ctx.fail("inputs must have rank >= 1, got A " + shape_to_string(a.shape()) + " and B " +
                 shape_to_string(b.shape()));
    Shape sa = a.shape();
    Shape sb = b.shape();
    if (a.rank() == 1) sa.insert(sa.begin(), 1);
    if (b.rank() == 1) sb.push_back(1);
    const std::int64_t m = sa[sa.size() - 2];
    const std::int64_t k = sa.back();
    const std::int64_t n = sb.back();
    if (sb[sb.size() - 2] != k)
        ctx.fail("A " + shape_to_string(a.shape()) + " and B " + shape_to_string(b.shape()) +
                 " do not multiply; expected A's last dimension to equal B's " +
                 (b.rank() == 1 ? "only" : "second-to-last") + " dimension");

    const Shape batch_a(sa.begin(), sa.end() - 2);
    const Shape batch_b(sb.begin(), sb.end() - 2);
    Shape batch;
    try {
        batch = broadcast_shapes(batch_a, batch_b);
    } catch (const Error&) {
        ctx.fail("the batch dimensions of A " + shape_to_string(a.shape()) + " and B " +
                 shape_to_string(b.shape()) + " cannot be broadcast together");
    }
    Shape out_shape = batch;
    if (a.rank() > 1) out_shape.push_back(m);
    if (b.rank() > 1) out_shape.push_back(n);

    std::vector<double> out(static_cast<std::size_t>(shape_size(out_shape)), 0.0);
    with_elements(a, b, [&](const auto* pa, const auto* pb) {
        if (product(batch_b) == 1) {
            // One shared right operand: A's matrices, in order, fold into the rows of one product.
            gemm_accumulate(product(batch) * m, n, k, row_major(pa, k), row_major(pb, n),
                            out.data(), n);
            return;
        }
        const auto ia = broadcast_indices(batch_a, batch);
        const auto ib = broadcast_indices(batch_b, batch);
        for (std::size_t i = 0; i < ia.size(); ++i)
            gemm_accumulate(m, n, k, row_major(pa + ia[i] * m * k, k),
                            row_major(pb + ib[i] * k * n, n),
                            out.data() + static_cast<std::int64_t>(i) * m * n, n);
    });
    return {Tensor::from_doubles(a.type(), out_shape, out)};
}

// Whether `from` broadcasts to `to` without changing it (unidirectional, as Gemm's C).
bool broadcasts_to(const Shape& from, const Shape& to) {
    if (from.size() > to.size()) return false;
    const std::size_t offset = to.size() - from.size();
    for (std::size_t i = 0; i < from.size(); ++i)
        if (from[i] != 1 && from[i] != to[i + offset]) return false;
    return true;
}

// ------------------------------------------------------------------------------------------------
// Gemm: Y = alpha * A' * B' + beta * C, A' and B' optionally transposed, C broadcast to (M, N).

std::vector<Tensor> gemm_kernel(const KernelContext& ctx) {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    require_numeric(ctx, a, "A");
    require_same_type(ctx, a, b, "A", "B");
    if (a.rank() != 2 || b.rank() != 2)
        ctx.fail("A and B must be 2-D, got A " + shape_to_string(a.shape()) + " and B " +
                 shape_to_string(b.shape()));
    const bool trans_a = ctx.node.attr_int("transA", 0) != 0;
    const bool trans_b = ctx.node.attr_int("transB", 0) != 0;
    const double alpha = ctx.node.attr_float("alpha", 1.0f);
    const double beta = ctx.node.attr_float("beta", 1.0f);

    const std::int64_t a_cols = a.shape()[1];
    const std::int64_t b_cols = b.shape()[1];
    const std::int64_t m = trans_a ? a_cols : a.shape()[0];
    const std::int64_t k = trans_a ? a.shape()[0] : a_cols;
    const std::int64_t n = trans_b ? b.shape()[0] : b_cols;
    if ((trans_b ? b_cols : b.shape()[0]) != k)
        ctx.fail("A " + shape_to_string(a.shape()) + (trans_a ? " (transposed)" : "") + " and B " +
                 shape_to_string(b.shape()) + (trans_b ? " (transposed)" : "") +
                 " do not multiply; expected equal inner dimensions");

    std::vector<double> y(static_cast<std::size_t>(m * n), 0.0);
    with_elements(a, b, [&](const auto* pa, const auto* pb) {
        gemm_accumulate(m, n, k, trans_a ? transposed(pa, a_cols) : row_major(pa, a_cols),
                        trans_b ? transposed(pb, b_cols) : row_major(pb, b_cols), y.data(), n);
    });
    if (alpha != 1.0)
        for (auto& v : y)
            v *= alpha;

    if (ctx.has_input(2)) {
        const Tensor& c = ctx.input(2);
        require_same_type(ctx, a, c, "A", "C");
        const Shape out_shape{m, n};
        if (!broadcasts_to(c.shape(), out_shape))
            ctx.fail("C " + shape_to_string(c.shape()) + " does not broadcast to the output " +
                     shape_to_string(out_shape));
        const auto vc = c.to_doubles();
        const auto ic = broadcast_indices(c.shape(), out_shape);
        for (std::size_t i = 0; i < y.size(); ++i)
            y[i] += beta * vc[ic[i]];
    }
    return {Tensor::from_doubles(a.type(), {m, n}, y)};
}

// ------------------------------------------------------------------------------------------------
// Conv

// Fills one im2col row: for every output position (C order over the axes from `d` on), the input
// value kernel tap `tap` sees there, 0 in the padding. `x` points at the input block of axis d.
template <class T>
void fill_tap_row(const T* x, const std::vector<WindowAxis>& axes,
                  const std::vector<std::int64_t>& tap, const std::vector<std::int64_t>& in_strides,
                  const std::vector<std::int64_t>& out_strides, std::size_t d, T* row) {
    const WindowAxis& ax = axes[d];
    const std::int64_t offset = tap[d] * ax.dilation - ax.pad_begin;
    // Output positions o in [lo, hi) read inside the input: 0 <= o * stride + offset < in.
    std::int64_t lo = offset >= 0 ? 0 : (-offset + ax.stride - 1) / ax.stride;
    std::int64_t hi = ax.in - offset <= 0 ? 0 : (ax.in - 1 - offset) / ax.stride + 1;
    lo = std::min(lo, ax.out);
    hi = std::clamp(hi, lo, ax.out);
    const std::int64_t block = out_strides[d];
    std::fill(row, row + lo * block, T(0));
    std::fill(row + hi * block, row + ax.out * block, T(0));
    if (d + 1 == axes.size()) {
        for (std::int64_t o = lo; o < hi; ++o)
            row[o] = x[o * ax.stride + offset];
        return;
    }
    for (std::int64_t o = lo; o < hi; ++o)
        fill_tap_row(x + (o * ax.stride + offset) * in_strides[d], axes, tap, in_strides,
                     out_strides, d + 1, row + o * block);
}

// im2col: `col` gets one row per (channel, kernel tap), C order, and one column per output
// position, so the convolution of a group is W_group (M_g x C_g*K) times col.
template <class T>
void im2col(const T* x, const std::vector<WindowAxis>& axes, std::int64_t channels, T* col) {
    Shape in_shape, out_shape, kernel_shape;
    for (const auto& ax : axes) {
        in_shape.push_back(ax.in);
        out_shape.push_back(ax.out);
        kernel_shape.push_back(ax.kernel);
    }
    const auto in_strides = c_strides(in_shape);
    const auto out_strides = c_strides(out_shape);
    const std::int64_t in_size = product(in_shape);
    const std::int64_t out_size = product(out_shape);
    const std::int64_t taps = product(kernel_shape);
    std::vector<std::int64_t> tap(axes.size());
    for (std::int64_t c = 0; c < channels; ++c) {
        for (std::int64_t t = 0; t < taps; ++t) {
            for (std::size_t d = axes.size(), rest = static_cast<std::size_t>(t); d-- > 0;) {
                tap[d] = static_cast<std::int64_t>(rest) % kernel_shape[d];
                rest /= static_cast<std::size_t>(kernel_shape[d]);
            }
            fill_tap_row(x + c * in_size, axes, tap, in_strides, out_strides, 0,
                         col + (c * taps + t) * out_size);
        }
    }
}

std::vector<Tensor> conv_kernel(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    const Tensor& w = ctx.input(1);
    require_floating(ctx, x, "X");
    require_same_type(ctx, x, w, "X", "W");
    if (x.rank() < 3 || w.rank() != x.rank())
        ctx.fail("X " + shape_to_string(x.shape()) + " and W " + shape_to_string(w.shape()) +
                 " must have the same rank >= 3 (N, C, spatial...) and (M, C/group, kernel...)");
    const std::int64_t group = ctx.node.attr_int("group", 1);
    const std::int64_t batch = x.shape()[0];
    const std::int64_t channels = x.shape()[1];
    const std::int64_t out_channels = w.shape()[0];
    const std::int64_t group_channels = w.shape()[1];
    if (group < 1 || channels != group * group_channels || out_channels % group != 0)
        ctx.fail("X has " + std::to_string(channels) + " channels and W " +
                 shape_to_string(w.shape()) + " with group " + std::to_string(group) +
                 "; expected C = group * W[1] and W[0] divisible by group");
    const Shape in_spatial(x.shape().begin() + 2, x.shape().end());
    const Shape kernel(w.shape().begin() + 2, w.shape().end());
    if (ctx.node.has_attr("kernel_shape") && ctx.node.attr_ints("kernel_shape") != kernel)
        ctx.fail("kernel_shape " + shape_to_string(ctx.node.attr_ints("kernel_shape")) +
                 " does not match W's spatial dimensions " + shape_to_string(kernel));
    const auto axes = window_axes(ctx, in_spatial, kernel, /*ceil_mode=*/false);

    std::vector<double> bias;
    if (ctx.has_input(2)) {
        const Tensor& b = ctx.input(2);
        require_same_type(ctx, x, b, "X", "B");
        if (b.shape() != Shape{out_channels})
            ctx.fail("B has shape " + shape_to_string(b.shape()) + ", expected (" +
                     std::to_string(out_channels) + ",)");
        bias = b.to_doubles();
    }

    Shape out_shape{batch, out_channels};
    bool pointwise = true; // a 1x1 kernel, stride 1, no padding: im2col would copy X unchanged
    for (const auto& ax : axes) {
        out_shape.push_back(ax.out);
        pointwise =
            pointwise && ax.kernel == 1 && ax.stride == 1 && ax.pad_begin == 0 && ax.pad_end == 0;
    }
    const std::int64_t in_size = product(in_spatial);
    const std::int64_t out_size = product(Shape(out_shape.begin() + 2, out_shape.end()));
    const std::int64_t rows = group_channels * product(kernel); // K of the product
    const std::int64_t group_out = out_channels / group;        // M of the product

    std::vector<double> y(static_cast<std::size_t>(shape_size(out_shape)), 0.0);
    with_elements(x, w, [&](const auto* px, const auto* pw) {
        using T = std::remove_cv_t<std::remove_pointer_t<decltype(px)>>;
        std::vector<T> col(pointwise ? 0 : static_cast<std::size_t>(rows * out_size));
        for (std::int64_t n = 0; n < batch; ++n) {
            for (std::int64_t g = 0; g < group; ++g) {
                const T* xg = px + (n * channels + g * group_channels) * in_size;
                if (!pointwise) im2col(xg, axes, group_channels, col.data());
                double* yg = y.data() + (n * out_channels + g * group_out) * out_size;
                if (!bias.empty())
                    for (std::int64_t r = 0; r < group_out; ++r)
                        std::fill_n(yg + r * out_size, out_size, bias[g * group_out + r]);
                gemm_accumulate(group_out, out_size, rows,
                                row_major(pw + g * group_out * rows, rows),
                                row_major(pointwise ? xg : col.data(), out_size), yg, out_size);
            }
        }
    });
    return {Tensor::from_doubles(x.type(), out_shape, y)};
}

// ------------------------------------------------------------------------------------------------
// BatchNormalization, inference mode: Y = (X - mean) / sqrt(var + epsilon) * scale + B per channel
// (axis 1). The running-statistics outputs of old opsets are the unchanged mean and var.

std::vector<Tensor> batch_norm_kernel(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_floating(ctx, x, "X");
    if (x.rank() < 2)
        ctx.fail("X has shape " + shape_to_string(x.shape()) + ", expected rank >= 2 (N, C, ...)");
    if (ctx.node.attr_int("training_mode", 0) != 0)
        ctx.fail("training_mode=1 is not supported (the executor runs inference only)");
    // Opsets < 9: spatial=0 gives every element of a sample its own statistics.
    const bool spatial = ctx.node.attr_int("spatial", 1) != 0;
    const std::int64_t channels = x.shape()[1];
    const std::int64_t inner = product(Shape(x.shape().begin() + 2, x.shape().end()));
    const std::int64_t params = spatial ? channels : channels * inner;
    const std::int64_t block = spatial ? inner : 1; // consecutive elements sharing a parameter

    const char* names[] = {"scale", "B", "mean", "var"};
    std::vector<std::vector<double>> p;
    for (int i = 1; i <= 4; ++i) {
        const Tensor& t = ctx.input(i);
        require_floating(ctx, t, names[i - 1]); // opset 15 lets their types differ from X's
        if (t.size() != params)
            ctx.fail(std::string(names[i - 1]) + " has shape " + shape_to_string(t.shape()) +
                     ", expected " + std::to_string(params) + " values for X " +
                     shape_to_string(x.shape()));
        p.push_back(t.to_doubles());
    }
    const double epsilon = ctx.node.attr_float("epsilon", 1e-5f);
    std::vector<double> factor(static_cast<std::size_t>(params));
    for (std::size_t c = 0; c < factor.size(); ++c)
        factor[c] = p[0][c] / std::sqrt(p[3][c] + epsilon);

    auto y = x.to_doubles();
    const std::int64_t samples = x.shape()[0];
    for (std::int64_t s = 0; s < samples; ++s) {
        for (std::int64_t c = 0; c < params; ++c) {
            double* v = y.data() + (s * params + c) * block;
            const double f = factor[c], mean = p[2][c], shift = p[1][c];
            for (std::int64_t i = 0; i < block; ++i)
                v[i] = (v[i] - mean) * f + shift;
        }
    }

    std::vector<Tensor> outputs{Tensor::from_doubles(x.type(), x.shape(), y)};
    for (int i = 1; i < ctx.node.output_count(); ++i) {
        if (ctx.node.output(i).empty()) {
            outputs.emplace_back();
        } else if (i <= 2) {
            outputs.push_back(ctx.input(i == 1 ? 3 : 4)); // running mean / var, unchanged
        } else {
            ctx.fail("output " + std::to_string(i) +
                     " (saved_mean/saved_var) needs training mode, which is not supported");
        }
    }
    return outputs;
}

} // namespace

void register_conv_gemm_kernels(KernelRegistry& registry) {
    registry.add("", "MatMul", matmul_kernel);
    registry.add("", "Gemm", gemm_kernel);
    registry.add("", "Conv", conv_kernel);
    registry.add("", "BatchNormalization", batch_norm_kernel);
}

} // namespace finn
