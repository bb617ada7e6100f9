// StreamingMaxPool: max pooling with stride == kernel, spec/finn-ops.md §3.6.
#include "cppsim_streams.h"
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/hls/streaming_maxpool_model.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "hardware_params.h"
#include "reference_kernel_util.h"

namespace finn::hw {

using namespace detail;

class StreamingMaxPool : public HwLayer {
public:
    StreamingMaxPool(Model& model, Node node, Impl impl)
        : HwLayer(model, node, "StreamingMaxPool", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    DataType input_datatype(int index = 0) const override;
    DataType output_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
    std::string exp_cycles_caveat() const override;

private:
    bool is_1d() const;
    // ImgDim and PoolDim as FINN's expected-cycles formulas read them: a 1-D (H, 1) image (and
    // kernel) as (1, H).
    struct FormulaDims {
        std::vector<std::int64_t> image, kernel;
    };
    FormulaDims formula_dims() const;
};

std::vector<AttrDecl> StreamingMaxPool::attributes(Impl) {
    return {ints_attr("ImgDim", kRequired),     ints_attr("PoolDim", kRequired),
            int_attr("NumChannels", kRequired), int_attr("PE", 1),
            int_attr("CeilMode", 0, kBool),     string_attr("dataType", kRequired)};
}

bool StreamingMaxPool::is_1d() const {
    const auto dim = get_ints("ImgDim"), k = get_ints("PoolDim");
    return (dim[0] == 1 && k[0] == 1) || (dim[1] == 1 && k[1] == 1);
}

std::vector<FoldingAttribute> StreamingMaxPool::folding_attributes() const {
    // PE only matters in 1D; the 2D variant processes all channels at once.
    if (!is_1d()) return {};
    return {{"PE", divisors(get_int("NumChannels"))}};
}

DataType StreamingMaxPool::input_datatype(int) const {
    return get_datatype("dataType");
}

DataType StreamingMaxPool::output_datatype(int) const {
    return get_datatype("dataType");
}

namespace {
std::int64_t pooled(std::int64_t d, std::int64_t k, bool ceil_mode) {
    return ceil_mode ? (d - k + k - 1) / k + 1 : (d - k) / k + 1;
}
} // namespace

Shape StreamingMaxPool::normal_input_shape(int) const {
    const auto dim = get_ints("ImgDim");
    return {1, dim[0], dim[1], get_int("NumChannels")};
}

Shape StreamingMaxPool::normal_output_shape(int) const {
    const auto dim = get_ints("ImgDim"), k = get_ints("PoolDim");
    const bool ceil_mode = get_int("CeilMode") != 0;
    return {1, pooled(dim[0], k[0], ceil_mode), pooled(dim[1], k[1], ceil_mode),
            get_int("NumChannels")};
}

Shape StreamingMaxPool::folded_input_shape(int) const {
    Shape s = normal_input_shape(0);
    const std::int64_t pe = is_1d() ? get_int("PE") : s.back();
    s.back() /= pe;
    s.push_back(pe);
    return s;
}

Shape StreamingMaxPool::folded_output_shape(int) const {
    Shape s = normal_output_shape(0);
    const std::int64_t pe = is_1d() ? get_int("PE") : s.back();
    s.back() /= pe;
    s.push_back(pe);
    return s;
}

// FINN's formulas. The hardware (hls/rtl/streaming_maxpool) reads every input word and then emits
// each row of windows: (H*W + OH*OW) * C/PE cycles. That is the 2D formula for a square image
// with k dividing D (FINN's 2D requirement) and the 1D formula when k divides D; when it does not,
// the 1D formula counts OD*k input pixels where D are read (OD*k > D with CeilMode, < D without),
// so the hardware differs from it by (D - OD*k)*C/PE cycles (1x5 k2 CeilMode: 24 measured, 27
// estimated; 8x1 k3: 20 measured, 16 estimated), and FINN's 2D formula ignores a non-square image
// (D = ImgDim[1]). The estimate stays FINN's (docs/differences-from-finn.md).
StreamingMaxPool::FormulaDims StreamingMaxPool::formula_dims() const {
    FormulaDims d{get_ints("ImgDim"), get_ints("PoolDim")};
    if (d.image[1] == 1 && d.kernel[1] == 1) {
        std::swap(d.image[0], d.image[1]);
        std::swap(d.kernel[0], d.kernel[1]);
    }
    return d;
}

std::int64_t StreamingMaxPool::exp_cycles() const {
    const auto [dim, k] = formula_dims();
    if (is_1d()) {
        const std::int64_t out = pooled(dim[1], k[1], get_int("CeilMode") != 0);
        return out * (get_int("NumChannels") / get_int("PE")) * (k[1] + 1);
    }
    const double d = static_cast<double>(dim[1]), kk = static_cast<double>(k[1] * k[1]);
    return static_cast<std::int64_t>(d * d * (1 + 1 / kk));
}

// The cases the comment above names, where the hardware's (H*W + OH*OW)*C/PE differs from FINN's.
std::string StreamingMaxPool::exp_cycles_caveat() const {
    const auto [dim, k] = formula_dims();
    if (is_1d()) {
        const std::int64_t out = pooled(dim[1], k[1], get_int("CeilMode") != 0);
        if (out * k[1] == dim[1]) return "";
        return "FINN's 1-D formula counts " + std::to_string(out * k[1]) +
               " input pixels where Finn's hardware reads all " + std::to_string(dim[1]);
    }
    if (dim[0] == dim[1] && dim[1] % k[1] == 0 && k[0] == k[1]) return "";
    return "FINN's 2-D formula assumes a square image that the square kernel divides (image " +
           std::to_string(dim[0]) + "x" + std::to_string(dim[1]) + ", kernel " +
           std::to_string(k[0]) + "x" + std::to_string(k[1]) + ")";
}

// --- definition ---------------------------------------------------------------------------------

namespace {

using namespace kernel;
namespace si = shape_inference;

void infer_streaming_maxpool(onnx::InferenceContext& ctx) {
    auto in = si::input_dims(ctx, 0);
    if (!in || in->size() != 4) return;
    auto [kh, kw] = si::pair_attr(ctx, "PoolDim", 1);
    bool ceil_mode = si::int_attr(ctx, "CeilMode", 0) != 0;
    auto out_dim = [&](std::int64_t d, std::int64_t k) {
        return ceil_mode ? (d + k - 1) / k : d / k;
    };
    si::float_output(ctx, 0, {(*in)[0], out_dim((*in)[1], kh), out_dim((*in)[2], kw), (*in)[3]});
}

std::vector<Tensor> execute_streaming_max_pool(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_rank(ctx, x, 4, "input (N, H, W, C)");
    const std::int64_t n = x.shape()[0], h = x.shape()[1], w = x.shape()[2], c = x.shape()[3];
    auto [kh, kw] = pair_attr(ctx, "PoolDim", 1, true);
    const bool ceil_mode = declared_int(ctx, "CeilMode") != 0;
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

// The C++ model parameters from the node's attributes, for cppsim and hw_codegen alike: the
// elements per word follow the folded shape (a 2D image carries whole pixels).
hls::StreamingMaxPoolParams streaming_maxpool_params(const HwLayer& layer) {
    const auto dim = layer.get_ints("ImgDim"), k = layer.get_ints("PoolDim");
    hls::StreamingMaxPoolParams p;
    p.height = static_cast<unsigned>(dim.at(0));
    p.width = static_cast<unsigned>(dim.at(1));
    p.kernel_h = static_cast<unsigned>(k.at(0));
    p.kernel_w = static_cast<unsigned>(k.at(1));
    p.ceil_mode = layer.get_int("CeilMode") != 0;
    p.channels = static_cast<unsigned>(layer.get_int("NumChannels"));
    p.pe = static_cast<unsigned>(layer.folded_input_shape(0).back());
    p.type = element_type(layer, "dataType");
    return p;
}

// hls/rtl/streaming_maxpool/streaming_maxpool.sv.
HardwareModule streaming_maxpool_hardware(const HwLayer& layer) {
    const hls::StreamingMaxPoolParams p = streaming_maxpool_params(layer);
    with_node_context(layer, [&] { return hls::StreamingMaxPoolModel(p); }); // checks them
    ParameterList params;
    params.add("HEIGHT", p.height).add("WIDTH", p.width);
    params.add("KH", p.kernel_h).add("KW", p.kernel_w).add("CEIL_MODE", p.ceil_mode);
    params.add("CHANNELS", p.channels).add("PE", p.pe);
    // BIPOLAR's bit is ordered as its value (0 for -1): the unsigned max.
    params.add("BITS", p.type.bits).add("SIGNED", p.type.is_signed);
    return {.module = "streaming_maxpool", .parameters = params.take(), .memory_files = {}};
}

hls::WordStream cppsim_streaming_maxpool(const HwLayer& layer, const KernelContext&,
                                         const hls::WordStream& input) {
    return with_node_context(layer, [&] {
        return hls::StreamingMaxPoolModel(streaming_maxpool_params(layer)).run(input);
    });
}

} // namespace

LayerDefinition streaming_maxpool_layer() {
    LayerDefinition d;
    d.op = "StreamingMaxPool";
    d.legacy_names = {"StreamingMaxPool_Batch"};
    d.has_hls = true;
    d.doc = "max pooling with kernel == stride";
    d.infer_shapes = infer_streaming_maxpool;
    d.attributes = &StreamingMaxPool::attributes;
    d.make = make_of<StreamingMaxPool>();
    d.infer_datatypes = outputs_keep_input_datatype("dataType");
    d.execute = execute_streaming_max_pool;
    d.generate_hardware = streaming_maxpool_hardware;
    d.cppsim = cppsim::stream_kernel(cppsim_streaming_maxpool);
    return d;
}

} // namespace finn::hw
