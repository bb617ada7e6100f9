// Kernels of FINN's hardware layers (spec/finn-ops.md §3): the reference ("py") execution of the
// fpgadataflow ops, so that models after convert_to_hw / specialize_layers can be run and checked.
//
// Every op computes on its normal (unfolded, channels-last) shape: the folding attributes (PE,
// SIMD, memory and FIFO settings) never change a result. Values are integers carried in float32
// containers, as in FINN; sums are exact (accumulated in double) and stored as float32.
//
// One convention goes beyond FINN's per-node Python code: tensors between nodes are always in the
// normal order. A depthwise ConvolutionInputGenerator (any name) emits the Im2Col order
// (ky, kx, c), and VVAU and Pool read that order whatever their producer is. FINN's own VVAU
// re-orders its input by PE unless the producer is an abstract SWG, because its specialised SWGs
// emit the hardware order (C/SIMD, k, SIMD); with one order everywhere no such guess is needed
// and FIFOs or width converters in between change nothing.
#include "finn/core/datatype.h"
#include "finn/exec/kernel.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/ir/model.h"
#include "finn/ir/tensor_proto.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <numeric>
#include <onnx/onnx_pb.h>
#include <string>
#include <utility>
#include <vector>

namespace finn {

namespace {

// --- shared helpers ----------------------------------------------------------------------------

std::string str(std::int64_t v) {
    return std::to_string(v);
}

void require_rank(const KernelContext& ctx, const Tensor& t, int rank, const std::string& what) {
    if (t.rank() != rank)
        ctx.fail(what + " must have rank " + str(rank) + ", got shape " +
                 shape_to_string(t.shape()));
}

void require_min_rank(const KernelContext& ctx, const Tensor& t, int rank,
                      const std::string& what) {
    if (t.rank() < rank)
        ctx.fail(what + " must have rank >= " + str(rank) + ", got shape " +
                 shape_to_string(t.shape()));
}

// A datatype attribute such as inputDataType="UINT4"; unparsable names fail naming the node.
DataType datatype_attr(const KernelContext& ctx, const std::string& name) {
    std::string text = ctx.node.attr_string(name);
    DataType type;
    if (!DataType::try_parse(text, type))
        ctx.fail(name + " '" + text + "' is not a FINN datatype (e.g. UINT4, INT8, BIPOLAR)");
    return type;
}

bool is_bipolar(const DataType& type) {
    return type.kind() == DataType::Kind::Bipolar;
}

// A 2D attribute given as [a, b], as [a] (meaning [a, a]) or, in legacy files, as a single int.
std::pair<std::int64_t, std::int64_t> pair_attr(const KernelContext& ctx, const std::string& name,
                                                std::int64_t fallback, bool required = false) {
    const onnx::AttributeProto* found = nullptr;
    for (const auto& a : ctx.node.proto().attribute())
        if (a.name() == name) found = &a;
    if (!found) {
        if (required) ctx.fail("missing required attribute " + name);
        return {fallback, fallback};
    }
    std::pair<std::int64_t, std::int64_t> value;
    if (found->type() == onnx::AttributeProto::INT) {
        value = {found->i(), found->i()};
    } else if (found->type() == onnx::AttributeProto::INTS && found->ints_size() == 2) {
        value = {found->ints(0), found->ints(1)};
    } else if (found->type() == onnx::AttributeProto::INTS && found->ints_size() == 1) {
        value = {found->ints(0), found->ints(0)};
    } else {
        ctx.fail("attribute " + name + " must be an int or two ints [h, w]");
    }
    if (value.first < 1 || value.second < 1)
        ctx.fail("attribute " + name + " must be positive, got [" + str(value.first) + ", " +
                 str(value.second) + "]");
    return value;
}

// An optional integer attribute that, when present, must agree with what the tensors say.
void check_int_attr(const KernelContext& ctx, const std::string& name, std::int64_t actual,
                    const std::string& what) {
    if (!ctx.node.has_attr(name)) return;
    std::int64_t declared = ctx.node.attr_int(name);
    if (declared != actual)
        ctx.fail(name + " is " + str(declared) + " but " + what + " is " + str(actual));
}

// Same for a 2D attribute ([h, w] or an int).
void check_pair_attr(const KernelContext& ctx, const std::string& name, std::int64_t h,
                     std::int64_t w, const std::string& what) {
    if (!ctx.node.has_attr(name)) return;
    auto [dh, dw] = pair_attr(ctx, name, 1);
    if (dh != h || dw != w)
        ctx.fail(name + " is [" + str(dh) + ", " + str(dw) + "] but " + what + " is [" + str(h) +
                 ", " + str(w) + "]");
}

// Shape with the last dimension replaced.
Shape with_last(Shape shape, std::int64_t last) {
    shape.back() = last;
    return shape;
}

Tensor float_tensor(const Shape& shape, const std::vector<double>& values) {
    return Tensor::from_doubles(ElementType::Float32, shape, values);
}

// --- thresholds (MultiThreshold semantics, §2.1) ------------------------------------------------

// A threshold matrix (C or 1 rows, S steps) checked against the channel count.
struct Thresholds {
    std::vector<double> values;
    std::int64_t rows = 0, steps = 0;

    // #{s : v >= T[c, s]}; one shared row serves every channel.
    double count(double v, std::int64_t channel) const {
        const double* row = values.data() + (rows == 1 ? 0 : channel) * steps;
        std::int64_t n = 0;
        for (std::int64_t s = 0; s < steps; ++s)
            if (v >= row[s]) ++n;
        return static_cast<double>(n);
    }
};

Thresholds thresholds_input(const KernelContext& ctx, int index, std::int64_t channels) {
    if (!ctx.has_input(index))
        ctx.fail("thresholds (input " + str(index) + ") are required when noActivation is 0");
    const Tensor& t = ctx.input(index);
    require_rank(ctx, t, 2, "thresholds");
    Thresholds th{t.to_doubles(), t.shape()[0], t.shape()[1]};
    if (th.rows != 1 && th.rows != channels)
        ctx.fail("thresholds have " + str(th.rows) + " rows, expected 1 or the " + str(channels) +
                 " channels");
    return th;
}

// MVAU/VVAU activation: ActVal + count, or 2*count-1 for a BIPOLAR output (ActVal unused then).
std::vector<double> activate(const KernelContext& ctx, const std::vector<double>& acc,
                             std::int64_t channels) {
    Thresholds th = thresholds_input(ctx, 2, channels);
    const bool bipolar_out = is_bipolar(datatype_attr(ctx, "outputDataType"));
    const double act_val = static_cast<double>(ctx.node.attr_int("ActVal", 0));
    std::vector<double> out(acc.size());
    for (std::size_t i = 0; i < acc.size(); ++i) {
        double count = th.count(acc[i], static_cast<std::int64_t>(i) % channels);
        out[i] = bipolar_out ? 2 * count - 1 : act_val + count;
    }
    return out;
}

// --- MVAU (§3.1) ---------------------------------------------------------------------------------

void require_values(const KernelContext& ctx, const std::vector<double>& values, double a, double b,
                    const std::string& what) {
    for (double v : values)
        if (v != a && v != b)
            ctx.fail(what + " holds " + std::to_string(v) + ", expected only " +
                     std::to_string(static_cast<int>(a)) + " and " +
                     std::to_string(static_cast<int>(b)));
}

std::vector<Tensor> mvau(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    const Tensor& w = ctx.input(1);
    require_min_rank(ctx, x, 1, "input");
    require_rank(ctx, w, 2, "weights (MW, MH)");
    const std::int64_t mw = w.shape()[0], mh = w.shape()[1];
    check_int_attr(ctx, "MW", mw, "the weight matrix's row count");
    check_int_attr(ctx, "MH", mh, "the weight matrix's column count");
    if (x.shape().back() != mw)
        ctx.fail("input " + shape_to_string(x.shape()) + " does not end in MW = " + str(mw));

    const bool xnor = ctx.node.attr_int("binaryXnorMode", 0) != 0;
    const bool bipolar = !xnor && is_bipolar(datatype_attr(ctx, "inputDataType")) &&
                         is_bipolar(datatype_attr(ctx, "weightDataType"));
    auto xv = x.to_doubles();
    auto wv = w.to_doubles();
    // Both popcount forms take their operands as bits (qonnx asserts binary values).
    if (xnor) {
        require_values(ctx, xv, 0, 1, "input (binaryXnorMode)");
        require_values(ctx, wv, 0, 1, "weights (binaryXnorMode)");
    } else if (bipolar) {
        require_values(ctx, xv, -1, 1, "BIPOLAR input");
        require_values(ctx, wv, -1, 1, "BIPOLAR weights");
    }

    const std::int64_t rows = x.size() / std::max<std::int64_t>(mw, 1);
    std::vector<double> acc(static_cast<std::size_t>(rows * mh));
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t j = 0; j < mh; ++j) {
            double sum = 0;
            for (std::int64_t i = 0; i < mw; ++i) {
                double a = xv[r * mw + i], b = wv[i * mh + j];
                sum += xnor ? (a == b ? 1.0 : 0.0) : a * b;
            }
            // bipolar x bipolar: the number of agreeing signs, ((x . w) + MW) / 2.
            acc[r * mh + j] = bipolar ? (sum + static_cast<double>(mw)) / 2 : sum;
        }
    const bool no_activation = ctx.node.attr_int("noActivation", 0) != 0;
    Shape shape = with_last(x.shape(), mh);
    return {float_tensor(shape, no_activation ? acc : activate(ctx, acc, mh))};
}

// --- VVAU (§3.2) ---------------------------------------------------------------------------------

std::vector<Tensor> vvau(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    const Tensor& w = ctx.input(1);
    require_min_rank(ctx, x, 1, "input");
    require_rank(ctx, w, 4, "weights (C, 1, kh, kw)");
    const std::int64_t c = w.shape()[0], kh = w.shape()[2], kw = w.shape()[3];
    if (w.shape()[1] != 1)
        ctx.fail("weights " + shape_to_string(w.shape()) + " must have shape (C, 1, kh, kw)");
    check_int_attr(ctx, "Channels", c, "the weights' channel count");
    check_pair_attr(ctx, "Kernel", kh, kw, "the weights' kernel");
    const std::int64_t k = kh * kw;
    if (x.shape().back() != k * c)
        ctx.fail("input " + shape_to_string(x.shape()) +
                 " does not end in kh*kw*C = " + str(k * c));
    if (ctx.node.attr_int("binaryXnorMode", 0) != 0)
        ctx.fail("binaryXnorMode=1 is not supported for VVAU (FINN never infers it)");
    const bool bipolar = is_bipolar(datatype_attr(ctx, "inputDataType")) &&
                         is_bipolar(datatype_attr(ctx, "weightDataType"));

    auto xv = x.to_doubles();
    auto wv = w.to_doubles();
    const std::int64_t pixels = x.size() / std::max<std::int64_t>(k * c, 1);
    std::vector<double> acc(static_cast<std::size_t>(pixels * c));
    for (std::int64_t p = 0; p < pixels; ++p)
        for (std::int64_t ch = 0; ch < c; ++ch) {
            // Input order per pixel is Im2Col's (ky, kx, c); weights are (c, ky, kx).
            double sum = 0;
            for (std::int64_t i = 0; i < k; ++i)
                sum += xv[(p * k + i) * c + ch] * wv[ch * k + i];
            acc[p * c + ch] = bipolar ? (sum + static_cast<double>(k)) / 2 : sum;
        }
    const bool no_activation = ctx.node.attr_int("noActivation", 0) != 0;
    Shape shape = with_last(x.shape(), c);
    return {float_tensor(shape, no_activation ? acc : activate(ctx, acc, c))};
}

// --- Thresholding (§3.3) -------------------------------------------------------------------------

std::vector<Tensor> thresholding(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_min_rank(ctx, x, 1, "input");
    const std::int64_t c = x.shape().back();
    check_int_attr(ctx, "NumChannels", c, "the input's channel count");
    Thresholds th = thresholds_input(ctx, 1, c);
    check_int_attr(ctx, "numSteps", th.steps, "the thresholds' column count");
    const double act_val = static_cast<double>(ctx.node.attr_int("ActVal", 0));
    const bool bipolar_out = is_bipolar(datatype_attr(ctx, "outputDataType"));
    auto xv = x.to_doubles();
    std::vector<double> out(xv.size());
    for (std::size_t i = 0; i < xv.size(); ++i) {
        double y = act_val + th.count(xv[i], static_cast<std::int64_t>(i) % c);
        out[i] = bipolar_out ? 2 * y - 1 : y;
    }
    return {float_tensor(x.shape(), out)};
}

// --- ConvolutionInputGenerator (§3.4)
// -------------------------------------------------------------

std::int64_t window_count(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d) {
    return (in - d * (k - 1) - 1) / s + 1;
}

std::vector<Tensor> sliding_window(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_rank(ctx, x, 4, "input (N, H, W, C)");
    const std::int64_t n = x.shape()[0], h = x.shape()[1], w = x.shape()[2], c = x.shape()[3];
    auto [kh, kw] = pair_attr(ctx, "ConvKernelDim", 1, true);
    auto [sh, sw] = pair_attr(ctx, "Stride", 1);
    auto [dh, dw] = pair_attr(ctx, "Dilation", 1);
    check_int_attr(ctx, "IFMChannels", c, "the input's channel count");
    check_pair_attr(ctx, "IFMDim", h, w, "the input's [H, W]");
    if (h < dh * (kh - 1) + 1 || w < dw * (kw - 1) + 1)
        ctx.fail("the (dilated) kernel [" + str(kh) + ", " + str(kw) +
                 "] is larger than the input " + shape_to_string(x.shape()));
    const std::int64_t oh = window_count(h, kh, sh, dh), ow = window_count(w, kw, sw, dw);
    check_pair_attr(ctx, "OFMDim", oh, ow, "the computed output [OH, OW]");

    // Im2Col order (oy, ox, ky, kx, c), also for depthwise SWGs (see the file comment).
    auto xv = x.to_doubles();
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(n * oh * ow * kh * kw * c));
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t oy = 0; oy < oh; ++oy)
            for (std::int64_t ox = 0; ox < ow; ++ox)
                for (std::int64_t ky = 0; ky < kh; ++ky)
                    for (std::int64_t kx = 0; kx < kw; ++kx) {
                        std::int64_t y = oy * sh + ky * dh, xx = ox * sw + kx * dw;
                        const double* pixel = xv.data() + ((b * h + y) * w + xx) * c;
                        out.insert(out.end(), pixel, pixel + c);
                    }
    return {Tensor::from_doubles(x.type(), {n, oh, ow, kh * kw * c}, out)};
}

// --- FMPadding (§3.5) ----------------------------------------------------------------------------

std::vector<Tensor> fm_padding(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_rank(ctx, x, 4, "input (N, H, W, C)");
    const std::int64_t n = x.shape()[0], h = x.shape()[1], w = x.shape()[2], c = x.shape()[3];
    auto pad = ctx.node.attr_ints("Padding");
    if (pad.size() == 2) pad = {pad[0], pad[1], pad[0], pad[1]};
    if (pad.size() != 4 || std::any_of(pad.begin(), pad.end(), [](auto v) { return v < 0; }))
        ctx.fail("Padding must be four non-negative integers [top, left, bottom, right]");
    check_pair_attr(ctx, "ImgDim", h, w, "the input's [H, W]");
    check_int_attr(ctx, "NumChannels", c, "the input's channel count");

    const std::int64_t oh = h + pad[0] + pad[2], ow = w + pad[1] + pad[3];
    auto xv = x.to_doubles();
    std::vector<double> out(static_cast<std::size_t>(n * oh * ow * c), 0.0);
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t y = 0; y < h; ++y)
            for (std::int64_t xx = 0; xx < w; ++xx)
                std::copy_n(xv.begin() + ((b * h + y) * w + xx) * c, c,
                            out.begin() + ((b * oh + y + pad[0]) * ow + xx + pad[1]) * c);
    return {Tensor::from_doubles(x.type(), {n, oh, ow, c}, out)};
}

// --- StreamingMaxPool (§3.6) ---------------------------------------------------------------------

std::vector<Tensor> streaming_max_pool(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_rank(ctx, x, 4, "input (N, H, W, C)");
    const std::int64_t n = x.shape()[0], h = x.shape()[1], w = x.shape()[2], c = x.shape()[3];
    auto [kh, kw] = pair_attr(ctx, "PoolDim", 1, true);
    const bool ceil_mode = ctx.node.attr_int("CeilMode", 0) != 0;
    check_pair_attr(ctx, "ImgDim", h, w, "the input's [H, W]");
    check_int_attr(ctx, "NumChannels", c, "the input's channel count");
    // Stride == kernel; with CeilMode a last, partial window takes the max of what it covers.
    auto out_dim = [&](std::int64_t d, std::int64_t k) {
        return ceil_mode ? (d + k - 1) / k : d / k;
    };
    const std::int64_t oh = out_dim(h, kh), ow = out_dim(w, kw);
    if (oh < 1 || ow < 1)
        ctx.fail("PoolDim [" + str(kh) + ", " + str(kw) + "] is larger than the input " +
                 shape_to_string(x.shape()));

    auto xv = x.to_doubles();
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(n * oh * ow * c));
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t oy = 0; oy < oh; ++oy)
            for (std::int64_t ox = 0; ox < ow; ++ox)
                for (std::int64_t ch = 0; ch < c; ++ch) {
                    double best = -std::numeric_limits<double>::infinity();
                    for (std::int64_t y = oy * kh; y < std::min(h, (oy + 1) * kh); ++y)
                        for (std::int64_t xx = ox * kw; xx < std::min(w, (ox + 1) * kw); ++xx)
                            best = std::max(best, xv[((b * h + y) * w + xx) * c + ch]);
                    out.push_back(best);
                }
    return {Tensor::from_doubles(x.type(), {n, oh, ow, c}, out)};
}

// --- Pool (§3.14) --------------------------------------------------------------------------------

std::int64_t bit_length(std::int64_t v) {
    std::int64_t bits = 0;
    while (v >> bits)
        ++bits;
    return bits;
}

std::vector<Tensor> pool(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_min_rank(ctx, x, 1, "input");
    const std::int64_t c = ctx.node.attr_int("Channels");
    auto [kh, kw] = pair_attr(ctx, "KernelSize", 1, true);
    const std::int64_t k = kh * kw;
    if (c < 1 || x.shape().back() != k * c)
        ctx.fail("input " + shape_to_string(x.shape()) +
                 " does not end in k*k*Channels = " + str(k * c));
    const std::string function = ctx.node.attr_string("Function");
    if (function != "MaxPool" && function != "QuantAvgPool")
        ctx.fail("Function '" + function + "' is not supported; expected MaxPool or QuantAvgPool");

    std::int64_t shift = 0;
    if (function == "QuantAvgPool") {
        // Shift so that the largest window sum of unsigned ibits values fits in obits.
        const std::int64_t ibits = datatype_attr(ctx, "InputDataType").bitwidth();
        const std::int64_t obits = datatype_attr(ctx, "OutputDataType").bitwidth();
        if (ibits > 32) ctx.fail("InputDataType must have at most 32 bits for QuantAvgPool");
        shift = std::max<std::int64_t>(0, bit_length(((std::int64_t{1} << ibits) - 1) * k) - obits);
    }
    // Windows are in Im2Col order (k, C): window element i of channel ch is at i*C + ch.
    auto xv = x.to_doubles();
    const std::int64_t pixels = x.size() / (k * c);
    std::vector<double> out(static_cast<std::size_t>(pixels * c));
    for (std::int64_t p = 0; p < pixels; ++p)
        for (std::int64_t ch = 0; ch < c; ++ch) {
            const double* window = xv.data() + p * k * c + ch;
            if (function == "MaxPool") {
                double best = window[0];
                for (std::int64_t i = 1; i < k; ++i)
                    best = std::max(best, window[i * c]);
                out[p * c + ch] = best;
            } else {
                double sum = 0;
                for (std::int64_t i = 0; i < k; ++i)
                    sum += window[i * c];
                // astype(int) then an arithmetic right shift (floor division by 2^shift).
                auto total = static_cast<std::int64_t>(std::trunc(sum));
                out[p * c + ch] = static_cast<double>(total >> shift);
            }
        }
    return {float_tensor(with_last(x.shape(), c), out)};
}

// --- LabelSelect (§3.7) --------------------------------------------------------------------------

std::vector<Tensor> label_select(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_min_rank(ctx, x, 1, "input");
    const std::int64_t labels = x.shape().back();
    check_int_attr(ctx, "Labels", labels, "the input's last dimension");
    const std::int64_t k = ctx.node.attr_int("K");
    if (k < 1 || k > labels)
        ctx.fail("K must be in [1, " + str(labels) + "] (the number of labels), got " + str(k));

    auto xv = x.to_doubles();
    const std::int64_t rows = x.size() / labels;
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(rows * k));
    std::vector<std::int64_t> order(static_cast<std::size_t>(labels));
    for (std::int64_t r = 0; r < rows; ++r) {
        const double* row = xv.data() + r * labels;
        std::iota(order.begin(), order.end(), 0);
        // Highest value first; among equal values the lower index wins (as TopK and the HLS).
        std::stable_sort(order.begin(), order.end(),
                         [&](std::int64_t a, std::int64_t b) { return row[a] > row[b]; });
        for (std::int64_t i = 0; i < k; ++i)
            out.push_back(static_cast<double>(order[i]));
    }
    // FINN stores the indices as float32 but declares the tensor as TopK's INT64; keep what the
    // graph declares.
    ElementType type = ElementType::Float32;
    if (ctx.model && ctx.node.output_count() > 0) {
        int declared = ctx.model->elem_type(ctx.node.output(0));
        if (declared != 0) type = element_type_from_onnx(declared, "output " + ctx.node.output(0));
    }
    return {Tensor::from_doubles(type, with_last(x.shape(), k), out)};
}

// --- DuplicateStreams, AddStreams (§3.8, §3.9) ---------------------------------------------------

std::vector<Tensor> duplicate_streams(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    const int outputs = ctx.node.output_count();
    check_int_attr(ctx, "NumOutputStreams", outputs, "the node's output count");
    if (x.rank() > 0) check_int_attr(ctx, "NumChannels", x.shape().back(), "the input's channels");
    return std::vector<Tensor>(static_cast<std::size_t>(outputs), x);
}

std::vector<Tensor> add_streams(const KernelContext& ctx) {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    if (a.shape() != b.shape())
        ctx.fail("inputs must have the same shape, got " + shape_to_string(a.shape()) + " and " +
                 shape_to_string(b.shape()));
    if (a.rank() > 0) check_int_attr(ctx, "NumChannels", a.shape().back(), "the input's channels");
    auto av = a.to_doubles();
    auto bv = b.to_doubles();
    for (std::size_t i = 0; i < av.size(); ++i)
        av[i] += bv[i];
    return {float_tensor(a.shape(), av)};
}

// --- ChannelwiseOp (§3.12) -----------------------------------------------------------------------

std::vector<Tensor> channelwise_op(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    const Tensor& p = ctx.input(1);
    require_min_rank(ctx, x, 1, "input");
    const std::int64_t c = x.shape().back();
    check_int_attr(ctx, "NumChannels", c, "the input's channel count");
    if (p.size() != c && p.size() != 1)
        ctx.fail("parameters " + shape_to_string(p.shape()) + " must hold 1 or " + str(c) +
                 " (one per channel) values");
    const std::string func = ctx.node.attr_string("Func", "cmp_le");
    if (func != "add" && func != "mul" && func != "cmp_le" && func != "cmp_ge")
        ctx.fail("Func '" + func + "' is not supported; expected add, mul, cmp_le or cmp_ge");

    auto xv = x.to_doubles();
    auto pv = p.to_doubles();
    std::vector<double> out(xv.size());
    for (std::size_t i = 0; i < xv.size(); ++i) {
        double param = pv[pv.size() == 1 ? 0 : i % static_cast<std::size_t>(c)];
        // y = Func(p[c], x), as the HLS op computes it.
        if (func == "add")
            out[i] = param + xv[i];
        else if (func == "mul")
            out[i] = param * xv[i];
        else if (func == "cmp_le")
            out[i] = param <= xv[i] ? 1.0 : 0.0;
        else
            out[i] = param >= xv[i] ? 1.0 : 0.0;
    }
    return {float_tensor(x.shape(), out)};
}

// --- GlobalAccPool (§3.13) -----------------------------------------------------------------------

std::vector<Tensor> global_acc_pool(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_rank(ctx, x, 4, "input (N, H, W, C)");
    const std::int64_t n = x.shape()[0], hw = x.shape()[1] * x.shape()[2], c = x.shape()[3];
    check_int_attr(ctx, "NumChannels", c, "the input's channel count");
    auto xv = x.to_doubles();
    std::vector<double> out(static_cast<std::size_t>(n * c), 0.0);
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t p = 0; p < hw; ++p)
            for (std::int64_t ch = 0; ch < c; ++ch)
                out[b * c + ch] += xv[(b * hw + p) * c + ch];
    return {float_tensor({n, 1, 1, c}, out)};
}

// --- identities: StreamingDataWidthConverter, StreamingFIFO, IODMA, TLastMarker (§3.10, §3.11) ---

std::vector<Tensor> identity(const KernelContext& ctx) {
    return {ctx.input(0)};
}

// The width converter's `shape` attribute is the normal shape it was built for.
std::vector<Tensor> data_width_converter(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    if (ctx.node.has_attr("shape") && ctx.node.attr_ints("shape") != x.shape())
        ctx.fail("input " + shape_to_string(x.shape()) + " does not have the converter's shape " +
                 shape_to_string(ctx.node.attr_ints("shape")));
    return {x};
}

// Registers `op` under all its names: abstract, _hls, _rtl and legacy.
void add_hw_op(KernelRegistry& registry, const std::string& op,
               std::initializer_list<const char*> legacy_names, const KernelFn& kernel) {
    registry.add(domains::kFpgaDataflow, op, kernel);
    registry.add(domains::kFpgaDataflowHls, op + "_hls", kernel);
    registry.add(domains::kFpgaDataflowRtl, op + "_rtl", kernel);
    for (const char* legacy : legacy_names)
        registry.add(domains::kFpgaDataflow, legacy, kernel);
}

} // namespace

void register_hardware_kernels(KernelRegistry& registry) {
    add_hw_op(registry, "MVAU", {"MatrixVectorActivation", "StreamingFCLayer_Batch"}, mvau);
    add_hw_op(registry, "VVAU", {"VectorVectorActivation"}, vvau);
    add_hw_op(registry, "Thresholding", {"Thresholding_Batch"}, thresholding);
    add_hw_op(registry, "ConvolutionInputGenerator", {"ConvolutionInputGenerator1D"},
              sliding_window);
    add_hw_op(registry, "FMPadding", {"FMPadding_Batch"}, fm_padding);
    add_hw_op(registry, "StreamingMaxPool", {"StreamingMaxPool_Batch"}, streaming_max_pool);
    add_hw_op(registry, "Pool", {"Pool_Batch"}, pool);
    add_hw_op(registry, "LabelSelect", {"LabelSelect_Batch"}, label_select);
    add_hw_op(registry, "DuplicateStreams", {"DuplicateStreams_Batch"}, duplicate_streams);
    add_hw_op(registry, "AddStreams", {"AddStreams_Batch"}, add_streams);
    add_hw_op(registry, "ChannelwiseOp", {"ChannelwiseOp_Batch"}, channelwise_op);
    add_hw_op(registry, "GlobalAccPool", {"GlobalAccPool_Batch"}, global_acc_pool);
    add_hw_op(registry, "StreamingDataWidthConverter", {"StreamingDataWidthConverter_Batch"},
              data_width_converter);
    add_hw_op(registry, "StreamingFIFO", {}, identity);
    add_hw_op(registry, "IODMA", {}, identity);
    add_hw_op(registry, "TLastMarker", {}, identity);
}

} // namespace finn
