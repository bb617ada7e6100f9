// Kernels of the general (qonnx) custom ops: MultiThreshold, Quant, BipolarQuant, Trunc,
// XnorPopcountMatMul, Im2Col, MaxPoolNHWC and QuantAvgPool2d (spec/finn-ops.md §2).
//
// qonnx executes these ops with numpy, so float32 inputs are computed in float32: each arithmetic
// step below is rounded to the working precision (rounding an exact double result of +, -, *, /
// to float gives the float32 result bit for bit). Counts, sums and copies are exact.
#include "finn/core/datatype.h"
#include "finn/exec/broadcast.h"
#include "finn/exec/kernel.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/ir/model.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace finn {

namespace {

// --- shared helpers ----------------------------------------------------------------------------

// numpy promotes float32 with these types to float64.
bool is_wide(ElementType type) {
    return type == ElementType::Float64 || type == ElementType::Int32 ||
           type == ElementType::Int64 || type == ElementType::UInt32 || type == ElementType::UInt64;
}

// The working precision numpy would use for a set of operands.
struct Precision {
    bool single = true;

    static Precision of(const std::vector<const Tensor*>& operands) {
        Precision p;
        for (const Tensor* t : operands)
            if (is_wide(t->type())) p.single = false;
        return p;
    }
    double fl(double v) const { return single ? static_cast<double>(static_cast<float>(v)) : v; }
    ElementType type() const { return single ? ElementType::Float32 : ElementType::Float64; }
};

// Operands broadcast against each other, each expanded to the common shape as doubles.
struct Expanded {
    Shape shape;
    std::vector<std::vector<double>> values;
};

Expanded expand_all(const std::vector<const Tensor*>& operands) {
    Expanded e;
    e.shape = operands.front()->shape();
    for (const Tensor* t : operands)
        e.shape = broadcast_shapes(e.shape, t->shape());
    for (const Tensor* t : operands) {
        auto index = broadcast_indices(t->shape(), e.shape);
        auto source = t->to_doubles();
        std::vector<double> values(index.size());
        for (std::size_t i = 0; i < index.size(); ++i)
            values[i] = source[index[i]];
        e.values.push_back(std::move(values));
    }
    return e;
}

enum class Rounding { HalfEven, Ceil, Floor, Up, Down, HalfUp, HalfDown };

// qonnx resolve_rounding_mode (case-insensitive; ROUND is HALF_EVEN).
Rounding rounding_attr(const KernelContext& ctx, const std::string& fallback) {
    std::string mode = ctx.node.attr_string("rounding_mode", fallback);
    std::string upper = mode;
    for (char& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper == "ROUND" || upper == "HALF_EVEN") return Rounding::HalfEven;
    if (upper == "CEIL") return Rounding::Ceil;
    if (upper == "FLOOR") return Rounding::Floor;
    if (upper == "UP") return Rounding::Up;
    if (upper == "DOWN") return Rounding::Down;
    if (upper == "HALF_UP") return Rounding::HalfUp;
    if (upper == "HALF_DOWN") return Rounding::HalfDown;
    ctx.fail("unsupported rounding_mode '" + mode +
             "'; expected ROUND, HALF_EVEN, CEIL, FLOOR, UP, DOWN, HALF_UP or HALF_DOWN");
}

// np.sign: 0 for +-0.
double sign_of(double v) {
    return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0);
}

double apply_rounding(Rounding mode, double v, const Precision& p) {
    switch (mode) {
    case Rounding::HalfEven:
        return std::nearbyint(v); // default FE_TONEAREST: ties to even, keeps -0.0 like np.round
    case Rounding::Ceil:
        return std::ceil(v);
    case Rounding::Floor:
        return std::floor(v);
    case Rounding::Up:
        return sign_of(v) * std::ceil(std::fabs(v));
    case Rounding::Down:
        return std::trunc(v);
    case Rounding::HalfUp:
        return sign_of(v) * std::floor(p.fl(std::fabs(v) + 0.5));
    case Rounding::HalfDown:
        return sign_of(v) * std::ceil(p.fl(std::fabs(v) - 0.5));
    }
    return v;
}

double min_int(bool is_signed, bool narrow, double bits) {
    if (!is_signed) return 0.0;
    return narrow ? -std::exp2(bits - 1) + 1 : -std::exp2(bits - 1);
}

double max_int(bool is_signed, bool narrow, double bits) {
    if (is_signed) return std::exp2(bits - 1) - 1;
    return narrow ? std::exp2(bits) - 2 : std::exp2(bits) - 1;
}

// A bit-width input: one integral value >= 1.
double bit_width_input(const KernelContext& ctx, int index, const std::string& what) {
    const Tensor& t = ctx.input(index);
    if (t.size() != 1)
        ctx.fail(what + " must hold a single value, got shape " + shape_to_string(t.shape()));
    double bits = t.get(0);
    if (!std::isfinite(bits) || bits != std::floor(bits) || bits < 1 || bits > 64)
        ctx.fail(what + " must be an integer in [1, 64], got " + std::to_string(bits));
    return bits;
}

// A 2-element ints attribute of positive values ([h, w]).
std::vector<std::int64_t> pair_attr(const KernelContext& ctx, const std::string& name,
                                    std::optional<std::vector<std::int64_t>> fallback) {
    auto values = fallback ? ctx.node.attr_ints(name, *fallback) : ctx.node.attr_ints(name);
    if (values.size() != 2 || values[0] < 1 || values[1] < 1)
        ctx.fail(name + " must be two positive integers [h, w]");
    return values;
}

void require_rank(const KernelContext& ctx, const Tensor& t, int rank, const std::string& what) {
    if (t.rank() != rank)
        ctx.fail(what + " must have rank " + std::to_string(rank) + ", got shape " +
                 shape_to_string(t.shape()));
}

// Copies element `from` of `src` to element `to` of `dst` (same element type), bytes exact.
void copy_element(const Tensor& src, std::int64_t from, Tensor& dst, std::int64_t to) {
    std::size_t size = element_size(src.type());
    std::memcpy(dst.bytes() + static_cast<std::size_t>(to) * size,
                src.bytes() + static_cast<std::size_t>(from) * size, size);
}

// --- MultiThreshold (§2.1) ---------------------------------------------------------------------

std::vector<Tensor> multi_threshold(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    const Tensor& thresholds = ctx.input(1);
    if (x.rank() < 2) ctx.fail("input must have rank >= 2, got " + shape_to_string(x.shape()));
    require_rank(ctx, thresholds, 2, "thresholds");
    std::string layout = ctx.node.attr_string("data_layout", "NCHW");
    if (layout.empty()) ctx.fail("data_layout must not be empty");
    // Channels last when the layout string ends in C (NHWC, NC, NWC), else axis 1.
    int axis = layout.back() == 'C' ? x.rank() - 1 : 1;
    const std::int64_t channels = x.shape()[axis];
    const std::int64_t rows = thresholds.shape()[0], steps = thresholds.shape()[1];
    if (rows != 1 && rows != channels)
        ctx.fail("thresholds have " + std::to_string(rows) + " rows, expected 1 or the " +
                 std::to_string(channels) + " channels of axis " + std::to_string(axis) +
                 " (data_layout " + layout + ")");
    std::int64_t inner = 1;
    for (int d = axis + 1; d < x.rank(); ++d)
        inner *= x.shape()[d];

    const double scale = ctx.node.attr_float("out_scale", 1.0f);
    const double bias = ctx.node.attr_float("out_bias", 0.0f);
    // qonnx casts the count to x's type before scaling: float32 x scales in float32.
    Precision p;
    p.single = is_floating(x.type()) && x.type() != ElementType::Float64;
    auto xv = x.to_doubles();
    auto tv = thresholds.to_doubles();
    std::vector<double> out(xv.size());
    for (std::size_t i = 0; i < xv.size(); ++i) {
        std::int64_t c = static_cast<std::int64_t>(i) / inner % channels;
        const double* row = tv.data() + (rows == 1 ? 0 : c) * steps;
        std::int64_t count = 0;
        for (std::int64_t s = 0; s < steps; ++s)
            if (xv[i] >= row[s]) ++count;
        out[i] = p.fl(p.fl(scale * static_cast<double>(count)) + bias);
    }
    return {Tensor::from_doubles(x.type(), x.shape(), out)};
}

// --- Quant / IntQuant (§2.2) -------------------------------------------------------------------

std::vector<Tensor> quant(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    const Tensor& scale = ctx.input(1);
    const Tensor& zero_point = ctx.input(2);
    const double bits = bit_width_input(ctx, 3, "bit_width");
    const bool is_signed = ctx.node.attr_int("signed", 1) != 0;
    const bool narrow = ctx.node.attr_int("narrow", 1) != 0;
    const Rounding mode = rounding_attr(ctx, "ROUND");
    const Precision p = Precision::of({&x, &scale, &zero_point});
    const double lo = min_int(is_signed, narrow, bits), hi = max_int(is_signed, narrow, bits);

    Expanded e = expand_all({&x, &scale, &zero_point});
    const auto &xv = e.values[0], &sv = e.values[1], &zv = e.values[2];
    std::vector<double> out(xv.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        double y = p.fl(p.fl(xv[i] / sv[i]) + zv[i]);
        if (bits == 1 && is_signed) {
            y = y >= 0.0 ? 1.0 : -1.0; // bipolar: 0 maps to +1
        } else {
            if (y > hi) y = hi;
            if (y < lo) y = lo;
            y = apply_rounding(mode, y, p);
        }
        out[i] = p.fl(p.fl(y - zv[i]) * sv[i]);
    }
    // qonnx casts the result to float32.
    return {Tensor::from_doubles(ElementType::Float32, e.shape, out)};
}

// --- BipolarQuant (§2.3) -----------------------------------------------------------------------

std::vector<Tensor> bipolar_quant(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    const Tensor& scale = ctx.input(1);
    const Precision p = Precision::of({&x, &scale});
    return {broadcast_binary(
        x, scale, p.type(), [&](double v, double s) { return p.fl((v >= 0.0 ? 1.0 : -1.0) * s); })};
}

// --- Trunc v1 / v2 (§2.4) ----------------------------------------------------------------------

// v1: x, scale, zero_point, in_bit_width, out_bit_width.
std::vector<Tensor> trunc_v1(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    const Tensor& scale = ctx.input(1);
    const Tensor& zero_point = ctx.input(2);
    const double in_bits = bit_width_input(ctx, 3, "input bit width");
    const double out_bits = bit_width_input(ctx, 4, "output bit width");
    const Rounding mode = rounding_attr(ctx, "FLOOR");
    const Precision p = Precision::of({&x, &scale, &zero_point});
    const double trunc_scale = std::exp2(in_bits - out_bits); // a power of two: exact

    Expanded e = expand_all({&x, &scale, &zero_point});
    const auto &xv = e.values[0], &sv = e.values[1], &zv = e.values[2];
    std::vector<double> out(xv.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        double y = std::nearbyint(p.fl(p.fl(xv[i] / sv[i]) + zv[i]));
        y = apply_rounding(mode, p.fl(y / trunc_scale), p);
        out[i] = p.fl(p.fl(y - zv[i]) * sv[i]);
    }
    return {Tensor::from_doubles(p.type(), e.shape, out)};
}

// v2: x, scale, zero_point, in_bit_width, out_scale, out_bit_width; clamps to the output range.
std::vector<Tensor> trunc_v2(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    const Tensor& scale = ctx.input(1);
    const Tensor& zero_point = ctx.input(2);
    bit_width_input(ctx, 3, "input bit width"); // validated; v2 derives the shift from the scales
    const Tensor& out_scale = ctx.input(4);
    const double out_bits = bit_width_input(ctx, 5, "output bit width");
    const Rounding mode = rounding_attr(ctx, "FLOOR");
    const bool is_signed = ctx.node.attr_int("signed", 1) != 0;
    const bool narrow = ctx.node.attr_int("narrow", 0) != 0;
    const Precision p = Precision::of({&x, &scale, &zero_point, &out_scale});
    const double lo = min_int(is_signed, narrow, out_bits);
    const double hi = max_int(is_signed, narrow, out_bits);

    Expanded e = expand_all({&x, &scale, &zero_point, &out_scale});
    const auto &xv = e.values[0], &sv = e.values[1], &zv = e.values[2], &ov = e.values[3];
    std::vector<double> out(xv.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        double y = std::nearbyint(p.fl(p.fl(xv[i] / sv[i]) + zv[i]));
        // The truncation scale is forced to a power of two.
        double t = std::exp2(std::nearbyint(std::log2(p.fl(ov[i] / sv[i]))));
        y = p.fl(y / t);
        if (y > hi) y = hi;
        if (y < lo) y = lo;
        y = apply_rounding(mode, y, p);
        out[i] = p.fl(p.fl(y - p.fl(zv[i] / t)) * ov[i]);
    }
    return {Tensor::from_doubles(p.type(), e.shape, out)};
}

std::vector<Tensor> trunc_op(const KernelContext& ctx) {
    // The inputs decide the version (qonnx picks Trunc_v2 from opset 2, which has 6 inputs).
    switch (ctx.inputs.size()) {
    case 5:
        return trunc_v1(ctx);
    case 6:
        return trunc_v2(ctx);
    default:
        ctx.fail("expected 5 inputs (Trunc v1) or 6 inputs (Trunc v2), got " +
                 std::to_string(ctx.inputs.size()));
    }
}

// --- XnorPopcountMatMul (§2.5) -----------------------------------------------------------------

std::vector<Tensor> xnor_popcount_matmul(const KernelContext& ctx) {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    if (a.rank() < 1) ctx.fail("input a must have rank >= 1");
    require_rank(ctx, b, 2, "input b");
    const std::int64_t k = a.shape().back(), m = b.shape()[1];
    if (b.shape()[0] != k)
        ctx.fail("inner dimensions differ: a " + shape_to_string(a.shape()) + ", b " +
                 shape_to_string(b.shape()));
    auto av = a.to_doubles();
    auto bv = b.to_doubles();
    auto binary = [](double v) { return v == 0.0 || v == 1.0; };
    if (!std::all_of(av.begin(), av.end(), binary) || !std::all_of(bv.begin(), bv.end(), binary))
        ctx.fail("operands must be BINARY (every value 0 or 1)");

    const std::int64_t rows = k == 0 ? a.size() : a.size() / k;
    Shape shape = a.shape();
    shape.back() = m;
    std::vector<double> out(static_cast<std::size_t>(rows * m));
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t j = 0; j < m; ++j) {
            std::int64_t agree = 0;
            for (std::int64_t i = 0; i < k; ++i)
                if (av[r * k + i] == bv[i * m + j]) ++agree;
            out[r * m + j] = static_cast<double>(agree);
        }
    ElementType type = is_floating(a.type()) ? a.type() : ElementType::Float32;
    return {Tensor::from_doubles(type, shape, out)};
}

// --- Im2Col (§2.6) -----------------------------------------------------------------------------

// "(1, 8, 8, 3)" -> {1, 8, 8, 3}; empty if it is not a list of integers.
std::vector<std::int64_t> parse_shape_string(const std::string& text) {
    std::string cleaned;
    for (char c : text)
        if (c != '(' && c != ')' && c != '[' && c != ']' && c != ' ') cleaned += c;
    std::vector<std::int64_t> dims;
    std::stringstream stream(cleaned);
    std::string item;
    while (std::getline(stream, item, ',')) {
        if (item.empty()) continue;
        std::size_t used = 0;
        try {
            dims.push_back(std::stoll(item, &used));
        } catch (const std::exception&) {
            return {};
        }
        if (used != item.size()) return {};
    }
    return dims;
}

std::int64_t conv_out_dim(std::int64_t in, std::int64_t pad, std::int64_t k, std::int64_t s,
                          std::int64_t d) {
    return (in + pad - d * (k - 1) - 1) / s + 1;
}

std::vector<Tensor> im2col(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_rank(ctx, x, 4, "input (NHWC)");
    const auto stride = pair_attr(ctx, "stride", std::nullopt);
    const auto kernel = pair_attr(ctx, "kernel_size", std::nullopt);
    const auto dilation = pair_attr(ctx, "dilations", std::vector<std::int64_t>{1, 1});
    const auto pad = ctx.node.attr_ints("pad_amount", {0, 0, 0, 0});
    if (pad.size() != 4 || std::any_of(pad.begin(), pad.end(), [](auto v) { return v < 0; }))
        ctx.fail("pad_amount must be four non-negative integers [top, left, bottom, right]");
    const std::int64_t pad_value = ctx.node.attr_int("pad_value", 0);
    const std::int64_t n = x.shape()[0], h = x.shape()[1], w = x.shape()[2], c = x.shape()[3];

    if (ctx.node.has_attr("input_shape")) {
        std::string text = ctx.node.attr_string("input_shape");
        auto declared = parse_shape_string(text);
        if (declared.size() != 4)
            ctx.fail("input_shape '" + text + "' is not a shape (N, H, W, C)");
        if (declared[1] != h || declared[2] != w || declared[3] != c)
            ctx.fail("input has shape " + shape_to_string(x.shape()) + " but input_shape is '" +
                     text + "'");
    }
    const std::int64_t pad_h = pad[0] + pad[2], pad_w = pad[1] + pad[3];
    if (h == 1 && (kernel[0] != 1 || pad_h != 0))
        ctx.fail("input height is 1: kernel height must be 1 and vertical padding 0");
    if (w == 1 && (kernel[1] != 1 || pad_w != 0))
        ctx.fail("input width is 1: kernel width must be 1 and horizontal padding 0");
    if (h + pad_h < dilation[0] * (kernel[0] - 1) + 1 ||
        w + pad_w < dilation[1] * (kernel[1] - 1) + 1)
        ctx.fail("the (dilated) kernel is larger than the padded input " +
                 shape_to_string(x.shape()));
    // qonnx asserts that the input datatype can hold the padding value.
    if (pad_h + pad_w > 0 && ctx.model && ctx.node.input_count() > 0) {
        DataType dt = ctx.model->datatype(ctx.node.input(0));
        if (!dt.allowed(static_cast<double>(pad_value)))
            ctx.fail("pad_value " + std::to_string(pad_value) + " is not allowed by the input " +
                     "datatype " + dt.name());
    }

    const std::int64_t oh = conv_out_dim(h, pad_h, kernel[0], stride[0], dilation[0]);
    const std::int64_t ow = conv_out_dim(w, pad_w, kernel[1], stride[1], dilation[1]);
    const std::int64_t kh = kernel[0], kw = kernel[1];
    Tensor out(x.type(), {n, oh, ow, kh * kw * c});
    std::int64_t o = 0;
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t oy = 0; oy < oh; ++oy)
            for (std::int64_t ox = 0; ox < ow; ++ox)
                for (std::int64_t ky = 0; ky < kh; ++ky)
                    for (std::int64_t kx = 0; kx < kw; ++kx) {
                        // Coordinates in the unpadded input.
                        std::int64_t y = oy * stride[0] + ky * dilation[0] - pad[0];
                        std::int64_t xx = ox * stride[1] + kx * dilation[1] - pad[1];
                        bool inside = y >= 0 && y < h && xx >= 0 && xx < w;
                        for (std::int64_t ch = 0; ch < c; ++ch, ++o) {
                            if (inside)
                                copy_element(x, ((b * h + y) * w + xx) * c + ch, out, o);
                            else
                                out.set(o, static_cast<double>(pad_value));
                        }
                    }
    return {out};
}

// --- MaxPoolNHWC (§2.7) ------------------------------------------------------------------------

// ONNX MaxPool output size; with ceil_mode a last window starting in the right padding is dropped.
std::int64_t pool_out_dim(std::int64_t in, std::int64_t pad, std::int64_t k, std::int64_t s,
                          bool ceil_mode) {
    std::int64_t span = in + 2 * pad - k;
    std::int64_t out = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
    if (ceil_mode && (out - 1) * s >= in + pad) --out;
    return out;
}

std::vector<Tensor> max_pool_nhwc(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_rank(ctx, x, 4, "input (NHWC)");
    const auto kernel = pair_attr(ctx, "kernel_shape", std::nullopt);
    const auto stride = pair_attr(ctx, "strides", std::vector<std::int64_t>{1, 1});
    const auto pads = ctx.node.attr_ints("pads", {0, 0, 0, 0});
    if (pads.size() != 4 || std::any_of(pads.begin(), pads.end(), [](auto v) { return v < 0; }))
        ctx.fail("pads must be four non-negative integers [top, left, bottom, right]");
    if (pads[0] != pads[2] || pads[1] != pads[3])
        ctx.fail("uneven padding is not supported (pads[0] == pads[2], pads[1] == pads[3])");
    if (pads[0] >= kernel[0] || pads[1] >= kernel[1])
        ctx.fail("pads must be smaller than the kernel");
    const std::int64_t ceil_attr = ctx.node.attr_int("ceil_mode", 0);
    if (ceil_attr != 0 && ceil_attr != 1) ctx.fail("ceil_mode must be 0 or 1");
    const std::int64_t n = x.shape()[0], h = x.shape()[1], w = x.shape()[2], c = x.shape()[3];
    if (h + 2 * pads[0] < kernel[0] || w + 2 * pads[1] < kernel[1])
        ctx.fail("the kernel is larger than the padded input " + shape_to_string(x.shape()));

    const std::int64_t oh = pool_out_dim(h, pads[0], kernel[0], stride[0], ceil_attr == 1);
    const std::int64_t ow = pool_out_dim(w, pads[1], kernel[1], stride[1], ceil_attr == 1);
    Tensor out(x.type(), {n, oh, ow, c});
    std::int64_t o = 0;
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t oy = 0; oy < oh; ++oy)
            for (std::int64_t ox = 0; ox < ow; ++ox)
                for (std::int64_t ch = 0; ch < c; ++ch, ++o) {
                    // Padding never wins (ONNX pads with -inf); every window holds an input.
                    std::int64_t best = -1;
                    double best_value = 0;
                    for (std::int64_t ky = 0; ky < kernel[0]; ++ky) {
                        std::int64_t y = oy * stride[0] + ky - pads[0];
                        if (y < 0 || y >= h) continue;
                        for (std::int64_t kx = 0; kx < kernel[1]; ++kx) {
                            std::int64_t xx = ox * stride[1] + kx - pads[1];
                            if (xx < 0 || xx >= w) continue;
                            std::int64_t i = ((b * h + y) * w + xx) * c + ch;
                            double v = x.get(i);
                            if (best < 0 || v > best_value) {
                                best = i;
                                best_value = v;
                            }
                        }
                    }
                    copy_element(x, best, out, o);
                }
    return {out};
}

// --- QuantAvgPool2d (§2.8) ---------------------------------------------------------------------

std::vector<Tensor> quant_avg_pool_2d(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_rank(ctx, x, 4, "input");
    const std::int64_t stride = ctx.node.attr_int("stride");
    const std::int64_t k = ctx.node.attr_int("kernel");
    const std::int64_t ibits = ctx.node.attr_int("ibits");
    const std::int64_t obits = ctx.node.attr_int("obits");
    const std::string layout = ctx.node.attr_string("data_layout", "NCHW");
    if (layout != "NCHW" && layout != "NHWC")
        ctx.fail("data_layout must be NCHW or NHWC, got '" + layout + "'");
    if (stride < 1 || k < 1) ctx.fail("stride and kernel must be positive");
    if (ibits < 1 || ibits > 32 || obits < 1)
        ctx.fail("ibits must be in [1, 32] and obits positive");
    const bool nhwc = layout == "NHWC";
    const Shape& s = x.shape();
    const std::int64_t n = s[0], c = nhwc ? s[3] : s[1];
    const std::int64_t h = nhwc ? s[1] : s[2], w = nhwc ? s[2] : s[3];
    if (h < k || w < k) ctx.fail("kernel " + std::to_string(k) + " is larger than the input");

    // Shift so that the largest possible window sum of unsigned ibits values fits in obits.
    using Wide = unsigned __int128;
    const Wide max_sum = ((Wide{1} << ibits) - 1) * static_cast<Wide>(k) * static_cast<Wide>(k);
    std::int64_t acc_bits = 0;
    while (max_sum >> acc_bits)
        ++acc_bits;
    const std::int64_t shift = std::max<std::int64_t>(0, acc_bits - obits);

    const std::int64_t oh = (h - k) / stride + 1, ow = (w - k) / stride + 1;
    auto at = [&](std::int64_t b, std::int64_t ch, std::int64_t y, std::int64_t xx) {
        return nhwc ? ((b * h + y) * w + xx) * c + ch : ((b * c + ch) * h + y) * w + xx;
    };
    auto xv = x.to_doubles();
    Shape out_shape = nhwc ? Shape{n, oh, ow, c} : Shape{n, c, oh, ow};
    Tensor out(x.type(), out_shape);
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t ch = 0; ch < c; ++ch)
            for (std::int64_t oy = 0; oy < oh; ++oy)
                for (std::int64_t ox = 0; ox < ow; ++ox) {
                    double sum = 0;
                    for (std::int64_t ky = 0; ky < k; ++ky)
                        for (std::int64_t kx = 0; kx < k; ++kx)
                            sum += xv[at(b, ch, oy * stride + ky, ox * stride + kx)];
                    // Arithmetic right shift: floor division, also for negative sums.
                    auto total = static_cast<std::int64_t>(std::nearbyint(sum));
                    std::int64_t o = nhwc ? ((b * oh + oy) * ow + ox) * c + ch
                                          : ((b * c + ch) * oh + oy) * ow + ox;
                    out.set(o, static_cast<double>(total >> shift));
                }
    return {out};
}

} // namespace

void register_qonnx_kernels(KernelRegistry& registry) {
    const std::string& domain = domains::kQonnxGeneral;
    registry.add(domain, "MultiThreshold", multi_threshold);
    registry.add(domain, "Quant", quant);
    registry.add(domain, "IntQuant", quant); // qonnx's newer name of the same op
    registry.add(domain, "BipolarQuant", bipolar_quant);
    registry.add(domain, "Trunc", trunc_op);
    registry.add(domain, "XnorPopcountMatMul", xnor_popcount_matmul);
    registry.add(domain, "Im2Col", im2col);
    registry.add(domain, "MaxPoolNHWC", max_pool_nhwc);
    registry.add(domain, "QuantAvgPool2d", quant_avg_pool_2d);
}

} // namespace finn
