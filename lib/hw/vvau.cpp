// VVAU (VectorVectorActivation, depthwise convolution), spec/finn-ops.md §3.2, §5.
#include "estimate_util.h"
#include "finn/hw/layers.h"

#include <algorithm>
#include <cmath>

namespace finn::hw {

using namespace detail;

std::vector<AttrDecl> Vvau::attributes(Impl) {
    return {int_attr("PE", kRequired),
            int_attr("SIMD", 1),
            ints_attr("Dim", kRequired),
            int_attr("Channels", kRequired),
            ints_attr("Kernel", kRequired),
            string_attr("resType", "auto", {"auto", "lut", "dsp"}),
            int_attr("ActVal", 0),
            string_attr("inputDataType", kRequired),
            string_attr("weightDataType", kRequired),
            string_attr("outputDataType", kRequired),
            string_attr("accDataType", "INT32"),
            int_attr("binaryXnorMode", 0, kBool),
            int_attr("noActivation", 0, kBool),
            string_attr("mem_mode", "internal_decoupled", mem_modes(true)),
            string_attr("ram_style", "auto", {"auto", "block", "distributed", "ultra"}),
            int_attr("runtime_writeable_weights", 0, kBool)};
}

namespace {
std::int64_t kernel_size(const std::vector<std::int64_t>& k) {
    return product(k);
}
} // namespace

std::vector<FoldingAttribute> Vvau::folding_attributes() const {
    return {{"PE", divisors(get_int("Channels"))},
            {"SIMD", divisors(kernel_size(get_ints("Kernel")))}};
}

DataType Vvau::input_datatype(int index) const {
    return get_datatype(index == 1 ? "weightDataType" : "inputDataType");
}

Shape Vvau::normal_input_shape(int) const {
    const auto dim = get_ints("Dim");
    return {1, dim[0], dim[1], kernel_size(get_ints("Kernel")) * get_int("Channels")};
}

Shape Vvau::normal_output_shape(int) const {
    const auto dim = get_ints("Dim");
    return {1, dim[0], dim[1], get_int("Channels")};
}

Shape Vvau::folded_input_shape(int) const {
    const auto dim = get_ints("Dim");
    const std::int64_t pe = get_int("PE"), simd = get_int("SIMD");
    const std::int64_t k = kernel_size(get_ints("Kernel"));
    return {1, dim[0], dim[1], (k / simd) * (get_int("Channels") / pe), simd * pe};
}

Shape Vvau::folded_output_shape(int) const {
    const auto dim = get_ints("Dim");
    const std::int64_t pe = get_int("PE");
    return {1, dim[0], dim[1], get_int("Channels") / pe, pe};
}

std::int64_t Vvau::wmem() const {
    return kernel_size(get_ints("Kernel")) * get_int("Channels") /
           (get_int("PE") * get_int("SIMD"));
}

std::int64_t Vvau::tmem() const {
    return get_int("noActivation") ? 0 : get_int("Channels") / get_int("PE");
}

std::int64_t Vvau::exp_cycles() const {
    const auto dim = get_ints("Dim");
    return get_int("Channels") * kernel_size(get_ints("Kernel")) / get_int("PE") / get_int("SIMD") *
           dim[0] * dim[1];
}

Resources Vvau::resources(const std::string&) const {
    const std::int64_t P = get_int("PE"), Q = get_int("SIMD");
    const DataType idt = input_datatype(0);
    const std::int64_t W = input_datatype(1).bitwidth(), A = idt.bitwidth();
    const std::int64_t k = kernel_size(get_ints("Kernel")), C = get_int("Channels");
    const std::string mode = canonical_mem_mode(get_string("mem_mode"));
    const std::string style = get_string("ram_style");
    const std::int64_t omega = wmem(), width = P * Q * W;
    const double weight_bits = static_cast<double>(W * k * C);
    Resources r;

    const bool no_bram =
        (mode == "internal_decoupled" && (style == "distributed" || style == "ultra")) ||
        (style == "auto" && omega <= 128) || (mode == "internal_embedded" && omega <= 128) ||
        mode == "external";
    if (!no_bram) {
        // FINN's VVAU table divides the width by powers of two, unlike the MVAU's.
        if (width == 1)
            r.bram_18k = ceil_div(omega, 16384);
        else if (width == 2)
            r.bram_18k = ceil_div(omega, 8192);
        else if (width <= 4)
            r.bram_18k = ceil_div(omega, 4096) * ceil_div(width, 4);
        else if (width <= 9)
            r.bram_18k = ceil_div(omega, 2048) * ceil_div(width, 8);
        else if (width <= 18 || omega > 512)
            r.bram_18k = ceil_div(omega, 1024) * ceil_div(width, 16);
        else
            r.bram_18k = ceil_div(omega, 512) * ceil_div(width, 32);
    }
    if (r.bram_18k > 0) r.bram_efficiency = weight_bits / (r.bram_18k * 36.0 * 512.0);
    if (mode == "internal_decoupled" && style == "ultra")
        r.uram = ceil_div(width, 72) * ceil_div(omega, 4096);
    if (r.uram > 0) r.uram_efficiency = weight_bits / (r.uram * 72.0 * 4096.0);

    if (impl() == Impl::Rtl) { // DSP58 only (Versal), three multiplications per slice
        r.dsp = P * ceil_div(Q, 3);
        return r;
    }
    const std::string res_type = get_string("resType");
    if (res_type == "dsp") r.dsp = P * ceil_div(W + A, 48);

    std::optional<double> threshold_words; // FINN's VVAU counts them fractionally, always
    if (!get_int("noActivation")) threshold_words = static_cast<double>(tmem()) / 64.0;
    r.lut = weight_layer_luts({P, Q, W, A, k, idt.is_signed(),
                               get_datatype("accDataType").bitwidth(), res_type == "dsp", mode,
                               style, omega, threshold_words, output_datatype(0).bitwidth()});
    return r;
}

nlohmann::ordered_json Vvau::op_and_param_counts() const {
    const std::int64_t w = input_datatype(1).bitwidth(), a = input_datatype(0).bitwidth();
    const auto dim = get_ints("Dim");
    const std::int64_t weights = kernel_size(get_ints("Kernel")) * get_int("Channels");
    const std::int64_t thresholds = get_int("noActivation") ? 0 : get_int("Channels");
    return detail::weight_layer_counts(a, w, weights, weights * dim[0] * dim[1],
                                       thresholds ? get_datatype("accDataType").bitwidth() : 0,
                                       thresholds);
}

std::vector<Resources> Vvau::resource_alternatives(const std::string& fpga_part) {
    return resources_with("resType", {"dsp", "lut"}, fpga_part);
}

} // namespace finn::hw
