// ConvolutionInputGenerator (sliding window generator), spec/finn-ops.md §3.4, §5.
#include "cppsim_streams.h"
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/hls/sliding_window_model.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "folding_rules.h"
#include "hardware_params.h"
#include "reference_kernel_util.h"

#include <algorithm>

namespace finn::hw {

using namespace detail;

class ConvolutionInputGenerator : public HwLayer {
public:
    ConvolutionInputGenerator(Model& model, Node node, Impl impl)
        : HwLayer(model, node, "ConvolutionInputGenerator", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    bool fold(const FoldingGoal& goal) override;
    DataType output_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
    std::string exp_cycles_caveat() const override;
    Resources resources(const std::string& fpga_part) const override;
    std::vector<Resources> resource_alternatives(const std::string& fpga_part) override;
    // The RTL SWG's implementation style: "parallel" or "default".
    std::string rtl_impl_style() const;

private:
    std::int64_t rtl_buffer_depth() const;
    bool is_1d() const;
};

std::vector<AttrDecl> ConvolutionInputGenerator::attributes(Impl impl) {
    std::vector<AttrDecl> attrs = {
        ints_attr("ConvKernelDim", kRequired),
        int_attr("IFMChannels", kRequired),
        ints_attr("IFMDim", kRequired),
        ints_attr("OFMDim", kRequired),
        int_attr("SIMD", kRequired),
        ints_attr("Stride", kRequired),
        ints_attr("Dilation", kRequired),
        string_attr("inputDataType", kRequired),
        string_attr("outputDataType", kRequired),
        int_attr("depthwise", 0, kBool),
        string_attr("ram_style", "distributed", {"auto", "block", "distributed", "ultra"}),
        int_attr("parallel_window", 0, kBool),
        int_attr("is1D", 0, kBool),
        int_attr("dynamic_mode", 0, kBool)};
    if (impl != Impl::Hls) attrs.push_back(int_attr("M", 1));
    return attrs;
}

namespace {

// A 2D attribute pair, normalised so that a 1D window runs along the second axis (FINN's
// get_1d_conv_attrs_normalized: an (H, 1) image becomes (1, H)).
struct Geometry {
    std::int64_t ih, iw, oh, ow, kh, kw, sh, sw, dh, dw, c, simd;
};

Geometry geometry(const HwLayer& l) {
    const auto ifm = l.get_ints("IFMDim"), ofm = l.get_ints("OFMDim");
    const auto k = l.get_ints("ConvKernelDim"), s = l.get_ints("Stride"),
               d = l.get_ints("Dilation");
    Geometry g{ifm[0],
               ifm[1],
               ofm[0],
               ofm[1],
               k[0],
               k[1],
               s[0],
               s[1],
               d[0],
               d[1],
               l.get_int("IFMChannels"),
               l.get_int("SIMD")};
    if (g.iw == 1 && g.ih != 1) {
        std::swap(g.ih, g.iw);
        std::swap(g.oh, g.ow);
        std::swap(g.kh, g.kw);
        std::swap(g.sh, g.sw);
        std::swap(g.dh, g.dw);
    }
    return g;
}

enum class HlsVariant { TwoD, OneDParallel, OneD, OneDDws, OneDDwsStride, OneDDwsNaive };

HlsVariant hls_variant(const HwLayer& l, const Geometry& g) {
    if (g.ih != 1) return HlsVariant::TwoD;
    if (l.get_int("depthwise")) {
        if (g.dw != 1) return HlsVariant::OneDDwsNaive;
        if (g.sw == 1) return HlsVariant::OneDDws;
        return g.sw == 2 ? HlsVariant::OneDDwsStride : HlsVariant::OneDDwsNaive;
    }
    return l.get_int("parallel_window") ? HlsVariant::OneDParallel : HlsVariant::OneD;
}

// Block-RAM word width Vivado picks for a buffer depth.
std::int64_t ram_width_for_depth(std::int64_t depth) {
    if (depth <= 512) return 36;
    if (depth <= 1024) return 18;
    if (depth <= 2048) return 9;
    if (depth <= 4096) return 4;
    if (depth <= 8192) return 2;
    return 1;
}

} // namespace

bool ConvolutionInputGenerator::is_1d() const {
    const auto ifm = get_ints("IFMDim");
    return ifm[0] == 1 || ifm[1] == 1;
}

std::vector<FoldingAttribute> ConvolutionInputGenerator::folding_attributes() const {
    return {{"SIMD", divisors(get_int("IFMChannels"))}, {"parallel_window", {0, 1}}};
}

DataType ConvolutionInputGenerator::output_datatype(int) const {
    return get_datatype("outputDataType");
}

Shape ConvolutionInputGenerator::normal_input_shape(int) const {
    const auto ifm = get_ints("IFMDim");
    return {1, ifm[0], ifm[1], get_int("IFMChannels")};
}

Shape ConvolutionInputGenerator::normal_output_shape(int) const {
    const auto ofm = get_ints("OFMDim");
    return {1, ofm[0], ofm[1], product(get_ints("ConvKernelDim")) * get_int("IFMChannels")};
}

Shape ConvolutionInputGenerator::folded_input_shape(int) const {
    const auto ifm = get_ints("IFMDim");
    const std::int64_t simd = get_int("SIMD");
    return {1, ifm[0], ifm[1], get_int("IFMChannels") / simd, simd};
}

Shape ConvolutionInputGenerator::folded_output_shape(int) const {
    const auto ofm = get_ints("OFMDim");
    const std::int64_t simd = get_int("SIMD"), c = get_int("IFMChannels");
    const std::int64_t k = product(get_ints("ConvKernelDim"));
    if (get_int("parallel_window")) return {1, ofm[0], ofm[1], c / simd, k * simd};
    return {1, ofm[0], ofm[1], k * c / simd, simd};
}

std::string ConvolutionInputGenerator::rtl_impl_style() const {
    if (get_int("parallel_window")) return "parallel";
    return product(get_ints("ConvKernelDim")) == 1 ? "parallel" : "default";
}

std::int64_t ConvolutionInputGenerator::rtl_buffer_depth() const {
    const auto ifm = get_ints("IFMDim");
    const auto k = get_ints("ConvKernelDim"), s = get_ints("Stride"), d = get_ints("Dilation");
    const std::int64_t cf = get_int("IFMChannels") / get_int("SIMD"), w = ifm[1];
    if (rtl_impl_style() == "parallel") return ((k[0] - 1) * d[0] * w + (k[1] - 1) * d[1]) * cf + 2;
    const std::int64_t window = k[0] * k[1];
    return ((k[0] - 1) * d[0] * w + (k[1] - 1) * d[1] + 1) * cf +
           std::max<std::int64_t>(0, (s[1] - 1 - window) * cf) +
           std::max<std::int64_t>(0, ((s[0] - 1) * w - window) * cf);
}

// FINN's formulas (spec finn-ops.md §5.1), which SetFolding and the reports use, with one
// correction. Finn's hardware (hls/rtl/convolution_input_generator) sends every output word as
// soon as the input word it needs has arrived, one word per cycle, so a frame takes about
// max(output words, input words) plus the wait for the first window:
// - 2-D: FINN's formulas count their buffer fill (RTL: up to the first window's last word; HLS:
//   kh image rows) on top of the output rows, while this hardware overlaps most of it with
//   output; on small maps it is faster than the estimate by up to that term (CNV-sized maps:
//   within 1 %, tests/hls/window_rtlsim_test.cpp). The depthwise terms of FINN's RTL formula and
//   its stride_w * IW input words per output row (more than the image holds when the stride
//   exceeds the kernel) are FINN's hardware's costs, not this one's. The estimate stays FINN's,
//   an upper bound here, so folding matches FINN.
// - 1-D RTL with dilation > 1: FINN's formula counts no fill, but no generator can finish the
//   first window before its last word, ((kw-1)*dw + 1)*CF words into the row; the estimate adds
//   the (kw-1)*(dw-1)*CF cycles FINN's formula misses (it cannot hold there).
std::int64_t ConvolutionInputGenerator::exp_cycles() const {
    if (impl() == Impl::Abstract) return 0;
    const Geometry g = geometry(*this);
    const std::int64_t cf = g.c / g.simd;
    const bool dws = get_int("depthwise") != 0;
    if (impl() == Impl::Rtl) {
        if (rtl_impl_style() == "parallel") return number_input_values() + 2;
        if (g.ih == 1) {
            const std::int64_t dilated_wait = (g.kw - 1) * (g.dw - 1) * cf; // not FINN's
            if (dws)
                return g.ow * g.kw * cf + cf * (g.kw - 1) * (g.sw - 1) - (g.kw - 1) + 2 +
                       dilated_wait;
            return g.ow * g.kw * cf + 2 + dilated_wait;
        }
        const std::int64_t buffer = ((g.kh - 1) * g.dh * g.iw + (g.kw - 1) * g.dw + 1) * cf;
        std::int64_t block = std::max(g.ow * g.kw * g.kh * cf, g.sw * g.iw * cf);
        if (dws) block += g.ow * (g.sw - 1) * (cf - 1);
        std::int64_t cycles = buffer + g.oh * block;
        if (dws) cycles += (g.sh - 1) * g.iw * cf;
        return cycles;
    }
    switch (hls_variant(*this, g)) {
    case HlsVariant::TwoD:
        return g.iw * g.kh * g.dh * cf + g.oh * std::max(g.ow * g.kw * g.kh * cf, g.sw * g.iw * cf);
    case HlsVariant::OneDParallel:
        return g.kw + g.ow;
    case HlsVariant::OneD:
        return 1 + g.ow * g.kw * cf;
    case HlsVariant::OneDDws:
    case HlsVariant::OneDDwsStride:
        return 1 + g.ow * g.kw * cf + cf * (g.kw - 1) - (g.kw - 1);
    case HlsVariant::OneDDwsNaive:
        return g.iw * cf + g.ow * g.kw * cf;
    }
    return 0;
}

// The 2-D case above: FINN's buffer-fill term, which this generator overlaps with its output.
std::string ConvolutionInputGenerator::exp_cycles_caveat() const {
    if (impl() == Impl::Abstract) return "";
    const Geometry g = geometry(*this);
    if (g.ih == 1 || (impl() == Impl::Rtl && rtl_impl_style() == "parallel")) return "";
    const std::int64_t cf = g.c / g.simd;
    const std::int64_t fill = impl() == Impl::Rtl
                                  ? ((g.kh - 1) * g.dh * g.iw + (g.kw - 1) * g.dw + 1) * cf
                                  : g.iw * g.kh * g.dh * cf;
    const std::int64_t estimate = exp_cycles();
    if (estimate <= 0 || fill * 20 <= estimate) return ""; // within 5 %
    return "FINN's formula counts a buffer fill of " + std::to_string(fill) +
           " cycles that Finn's sliding window generator overlaps with its output: the hardware "
           "takes up to " +
           std::to_string(fill * 100 / estimate) + " % fewer than the " + std::to_string(estimate) +
           " estimated";
}

Resources ConvolutionInputGenerator::resources(const std::string&) const {
    Resources r;
    if (impl() == Impl::Abstract) return r;
    const Geometry g = geometry(*this);
    const std::string style = get_string("ram_style");
    const std::int64_t bits = input_datatype(0).bitwidth();
    const std::int64_t width = g.simd * bits;
    if (impl() == Impl::Rtl) {
        const bool parallel = rtl_impl_style() == "parallel";
        std::int64_t depth = rtl_buffer_depth(), count = 1;
        if (parallel) {
            depth = (g.iw - ((g.kw - 1) * g.dw + 1)) + g.iw * (g.dh - 1);
            count = g.kh - 1;
        }
        const bool line_buffers = !(parallel && g.ih == 1);
        if ((style == "block" || style == "auto") && line_buffers) {
            const std::int64_t ram_width = ram_width_for_depth(depth);
            const std::int64_t cascade_width = ceil_div(width, ram_width);
            std::int64_t savings = 0;
            if (depth > 16384)
                savings = cascade_width - ceil_div(width, ram_width_for_depth(depth % 16384));
            r.bram_18k = (ceil_div(depth, 16384) * cascade_width - savings) * count;
        }
        if (style == "ultra" && line_buffers)
            r.uram = ceil_div(depth, 4096) * ceil_div(width, 72) * count;
        r.lut = 300 + (style == "distributed" ? width * ceil_div(rtl_buffer_depth(), 38) : 0);
        return r;
    }
    const HlsVariant variant = hls_variant(*this, g);
    const std::int64_t cf = g.c / g.simd;
    if (variant == HlsVariant::TwoD) {
        // kh + stride line buffers of one image row each.
        const std::int64_t depth = g.iw * cf, lines = g.kh + g.sh;
        if (style == "block" || style == "auto")
            r.bram_18k = lines * ceil_div(width, ram_width_for_depth(depth));
        if (style == "ultra") r.uram = lines * ceil_div(width, 64) * ceil_div(depth, 4096);
        if (style == "distributed") r.lut = lines * width * ceil_div(depth, 64);
    } else {
        std::int64_t depth = 0, lut_bits = 0;
        switch (variant) {
        case HlsVariant::OneD:
            depth = (g.kw - 1) * cf;
            lut_bits = bits * (g.kw - 1) * g.c;
            break;
        case HlsVariant::OneDDwsNaive:
            depth = g.iw * cf;
            lut_bits = bits * g.iw * g.c;
            break;
        case HlsVariant::OneDDws:
        case HlsVariant::OneDDwsStride:
            depth = g.kw * cf;
            lut_bits = bits * g.kw * g.c;
            break;
        default: // the parallel variant keeps its window in registers
            lut_bits = width * (g.kw + 1);
            break;
        }
        if (depth > 0 && (style == "block" || style == "auto"))
            r.bram_18k = ceil_div(width, ram_width_for_depth(depth)) * ceil_div(depth, 18432);
        if (depth > 0 && style == "ultra") r.uram = ceil_div(width, 72) * ceil_div(depth, 4096);
        if (style == "distributed") r.lut = ceil_div(lut_bits, 64);
    }
    r.lut += 300;
    return r;
}

std::vector<Resources>
ConvolutionInputGenerator::resource_alternatives(const std::string& fpga_part) {
    return resources_with("ram_style", {"block", "distributed", "ultra"}, fpga_part);
}

// SIMD over the channels, then (RTL) the parallel window. A depthwise SWG is folded with its
// consumer (VVAU or Pool), which sets its SIMD.
bool ConvolutionInputGenerator::fold(const FoldingGoal& goal) {
    if (get_int("depthwise")) return true;
    const std::int64_t max_simd = get_int("IFMChannels");
    const bool rtl = impl() == Impl::Rtl;
    if (rtl) set_int("parallel_window", 0);
    fold_to_target(*this, "SIMD", max_simd, goal.target_cycles);
    if (rtl && get_int("SIMD") == max_simd && exp_cycles() > goal.target_cycles)
        set_int("parallel_window", 1);
    return true;
}

// --- definition ---------------------------------------------------------------------------------

namespace {

using namespace kernel;
namespace si = shape_inference;

void infer_swg(onnx::InferenceContext& ctx) {
    auto in = si::input_dims(ctx, 0);
    if (!in || in->size() != 4) return;
    auto [kh, kw] = si::pair_attr(ctx, "ConvKernelDim", 1);
    auto [sh, sw] = si::pair_attr(ctx, "Stride", 1);
    auto [dh, dw] = si::pair_attr(ctx, "Dilation", 1);
    const std::int64_t c = si::int_attr(ctx, "IFMChannels", (*in)[3]);
    si::float_output(ctx, 0,
                     {(*in)[0], si::conv_out_dim((*in)[1], 0, kh, sh, dh),
                      si::conv_out_dim((*in)[2], 0, kw, sw, dw), kh * kw * c});
}

std::int64_t window_count(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d) {
    return (in - d * (k - 1) - 1) / s + 1;
}

std::vector<Tensor> execute_sliding_window(const KernelContext& ctx) {
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

    // Im2Col order (oy, ox, ky, kx, c), also for depthwise SWGs (see LayerDefinition::execute in
    // finn/hw/layer_definition.h).
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

// The HLS SWG has no dynamic mode and, in 2D, needs square windows, images and strides and no
// dilation.
bool swg_hls_possible(const Node& node) {
    if (node.attr_int("dynamic_mode", 0)) return false;
    if (node.attr_int("is1D", 0)) return true;
    auto square = [&](const std::string& attr, std::vector<std::int64_t> fallback = {}) {
        auto v = fallback.empty() ? node.attr_ints(attr) : node.attr_ints(attr, fallback);
        return v.size() == 2 && v[0] == v[1];
    };
    auto dilation = node.attr_ints("Dilation", {1, 1});
    return square("ConvKernelDim") && square("IFMDim") && square("OFMDim") && square("Stride") &&
           dilation.size() == 2 && dilation[0] == 1 && dilation[1] == 1;
}

std::string choose_swg_impl(const ImplRequest& r) {
    if (r.preferred == "hls" && !swg_hls_possible(r.node)) {
        r.warn("Settings are not supported in HLS. Node " + r.label +
               " will automatically be set to RTL variant.");
        return "rtl";
    }
    return generic_impl_style(r);
}

// The C++ model parameters from the node's attributes, for cppsim and hw_codegen alike. The
// depthwise generator needs none of its own: it emits the normal order too.
hls::SlidingWindowParams sliding_window_params(const HwLayer& layer) {
    const std::string node = "node " + layer.node().describe();
    if (layer.get_int("dynamic_mode"))
        throw Error(node + ": the ConvolutionInputGenerator's dynamic_mode has no hardware yet");
    if (layer.impl() == Impl::Rtl && layer.get_int("M") != 1)
        throw Error(node + ": the ConvolutionInputGenerator's hardware needs M = 1, got " +
                    std::to_string(layer.get_int("M")));
    auto pair = [&](const char* attr) {
        const auto v = layer.get_ints(attr);
        if (v.size() != 2 || v[0] < 1 || v[1] < 1)
            throw Error(node + ": " + attr + " must be two positive integers");
        return std::pair{static_cast<unsigned>(v[0]), static_cast<unsigned>(v[1])};
    };
    hls::SlidingWindowParams p;
    std::tie(p.ifm_h, p.ifm_w) = pair("IFMDim");
    std::tie(p.kernel_h, p.kernel_w) = pair("ConvKernelDim");
    std::tie(p.stride_h, p.stride_w) = pair("Stride");
    std::tie(p.dilation_h, p.dilation_w) = pair("Dilation");
    p.channels = static_cast<unsigned>(layer.get_int("IFMChannels"));
    p.simd = static_cast<unsigned>(layer.get_int("SIMD"));
    p.bits = element_type(layer, "inputDataType").bits;
    p.parallel_window = layer.get_int("parallel_window") != 0;
    const auto ofm = layer.get_ints("OFMDim");
    if (p.ifm_h >= p.dilation_h * (p.kernel_h - 1) + 1 &&
        p.ifm_w >= p.dilation_w * (p.kernel_w - 1) + 1 &&
        (ofm.size() != 2 || ofm[0] != p.ofm_h() || ofm[1] != p.ofm_w()))
        throw Error(node + ": OFMDim must be the window count [" + std::to_string(p.ofm_h()) +
                    ", " + std::to_string(p.ofm_w()) + "] of IFMDim, ConvKernelDim, Stride and " +
                    "Dilation");
    return p;
}

// hls/rtl/convolution_input_generator/convolution_input_generator.sv.
HardwareModule sliding_window_hardware(const HwLayer& layer) {
    const hls::SlidingWindowParams p = sliding_window_params(layer);
    with_node_context(layer, [&] { return hls::SlidingWindowModel(p); }); // checks the parameters
    ParameterList params;
    params.add("IFM_H", p.ifm_h).add("IFM_W", p.ifm_w);
    params.add("KERNEL_H", p.kernel_h).add("KERNEL_W", p.kernel_w);
    params.add("STRIDE_H", p.stride_h).add("STRIDE_W", p.stride_w);
    params.add("DILATION_H", p.dilation_h).add("DILATION_W", p.dilation_w);
    params.add("CHANNELS", p.channels).add("SIMD", p.simd).add("BITS", p.bits);
    params.add("PARALLEL_WINDOW", p.parallel_window ? 1 : 0);
    params.add("RAM_STYLE", layer.get_string("ram_style"));
    return {
        .module = "convolution_input_generator", .parameters = params.take(), .memory_files = {}};
}

hls::WordStream cppsim_sliding_window(const HwLayer& layer, const KernelContext&,
                                      const hls::WordStream& input) {
    return with_node_context(
        layer, [&] { return hls::SlidingWindowModel(sliding_window_params(layer)).run(input); });
}

} // namespace

// FINN's old name of the 1D generator.
constexpr const char* kLegacy1DName = "ConvolutionInputGenerator1D";

LayerDefinition convolution_input_generator_layer() {
    LayerDefinition d;
    d.op = "ConvolutionInputGenerator";
    d.legacy_names = {kLegacy1DName};
    d.has_hls = true;
    d.has_rtl = true;
    d.doc = "sliding window generator";
    d.infer_shapes = infer_swg;
    d.attributes = &ConvolutionInputGenerator::attributes;
    d.make = make_of<ConvolutionInputGenerator>();
    d.infer_datatypes = outputs_keep_input_datatype("");
    d.execute = execute_sliding_window;
    d.choose_impl = choose_swg_impl;
    d.generate_hardware = sliding_window_hardware;
    d.cppsim = cppsim::stream_kernel(cppsim_sliding_window);
    d.upgrade_legacy = [](Node& node, const std::string& old_op_type) {
        // The old 1D generator was its own op; today's says so by an attribute.
        if (old_op_type == kLegacy1DName && !node.has_attr("is1D")) node.set_attr_int("is1D", 1);
    };
    return d;
}

} // namespace finn::hw
