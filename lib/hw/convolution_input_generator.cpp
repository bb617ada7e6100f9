// ConvolutionInputGenerator (sliding window generator), spec/finn-ops.md §3.4, §5.
#include "estimate_util.h"
#include "finn/hw/layers.h"

#include <algorithm>

namespace finn::hw {

using namespace detail;

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

std::int64_t ConvolutionInputGenerator::exp_cycles() const {
    if (impl() == Impl::Abstract) return 0;
    const Geometry g = geometry(*this);
    const std::int64_t cf = g.c / g.simd;
    const bool dws = get_int("depthwise") != 0;
    if (impl() == Impl::Rtl) {
        if (rtl_impl_style() == "parallel") return number_input_values() + 2;
        if (g.ih == 1) {
            if (dws) return g.ow * g.kw * cf + cf * (g.kw - 1) * (g.sw - 1) - (g.kw - 1) + 2;
            return g.ow * g.kw * cf + 2;
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

} // namespace finn::hw
