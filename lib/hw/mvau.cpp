// MVAU (MatrixVectorActivation), spec/finn-ops.md §3.1, §4.1, §5.
#include "estimate_util.h"
#include "finn/hw/layers.h"

#include <algorithm>
#include <cmath>

namespace finn::hw {

using namespace detail;

std::vector<AttrDecl> Mvau::attributes(Impl) {
    return {int_attr("PE", kRequired),
            int_attr("SIMD", kRequired),
            int_attr("MW", kRequired),
            int_attr("MH", kRequired),
            string_attr("resType", "auto", {"auto", "lut", "dsp"}),
            int_attr("ActVal", 0),
            string_attr("inputDataType", kRequired),
            string_attr("weightDataType", kRequired),
            string_attr("outputDataType", kRequired),
            string_attr("accDataType", "INT32"),
            int_attr("binaryXnorMode", 0, kBool),
            int_attr("noActivation", 0, kBool),
            ints_attr("numInputVectors", nlohmann::json::array({1})),
            string_attr("mem_mode", "internal_decoupled", mem_modes(true)),
            string_attr("ram_style", "auto", {"auto", "block", "distributed", "ultra"}),
            string_attr("ram_style_thresholds", "auto", {"auto", "block", "distributed"}),
            int_attr("runtime_writeable_weights", 0, kBool)};
}

std::vector<FoldingAttribute> Mvau::folding_attributes() const {
    return {{"SIMD", divisors(get_int("MW"))}, {"PE", divisors(get_int("MH"))}};
}

DataType Mvau::input_datatype(int index) const {
    return get_datatype(index == 1 ? "weightDataType" : "inputDataType");
}

Shape Mvau::normal_input_shape(int index) const {
    if (index == 1) return {get_int("MW"), get_int("MH")};
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("MW"));
    return s;
}

Shape Mvau::normal_output_shape(int) const {
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("MH"));
    return s;
}

Shape Mvau::folded_input_shape(int index) const {
    const std::int64_t simd = get_int("SIMD"), pe = get_int("PE");
    const std::int64_t sf = get_int("MW") / simd, nf = get_int("MH") / pe;
    Shape s = get_ints("numInputVectors");
    if (index == 1) {
        s.push_back(sf * nf);
        s.push_back(simd * pe);
    } else {
        s.push_back(sf);
        s.push_back(simd);
    }
    return s;
}

Shape Mvau::folded_output_shape(int) const {
    const std::int64_t pe = get_int("PE");
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("MH") / pe);
    s.push_back(pe);
    return s;
}

std::int64_t Mvau::instream_width(int index) const {
    if (index == 1) {
        // The weight stream exists only for decoupled and external weights.
        if (canonical_mem_mode(get_string("mem_mode")) == "internal_embedded") return 0;
        return get_int("PE") * get_int("SIMD") * input_datatype(1).bitwidth();
    }
    return get_int("SIMD") * input_datatype(0).bitwidth();
}

std::int64_t Mvau::wmem() const {
    return get_int("MW") * get_int("MH") / (get_int("PE") * get_int("SIMD"));
}

std::int64_t Mvau::tmem() const {
    return get_int("noActivation") ? 0 : get_int("MH") / get_int("PE");
}

std::int64_t Mvau::exp_cycles() const {
    return (get_int("MH") / get_int("PE")) * (get_int("MW") / get_int("SIMD")) *
           product(get_ints("numInputVectors"));
}

Resources Mvau::resources(const std::string& fpga_part) const {
    const std::int64_t P = get_int("PE"), Q = get_int("SIMD");
    const std::int64_t MW = get_int("MW"), MH = get_int("MH");
    const DataType idt = input_datatype(0);
    const std::int64_t W = input_datatype(1).bitwidth(), A = idt.bitwidth();
    const std::string mode = canonical_mem_mode(get_string("mem_mode"));
    const std::string style = get_string("ram_style");
    const std::int64_t omega = wmem(), width = P * Q * W;
    const double weight_bits = static_cast<double>(W * MW * MH);
    Resources r;

    // Weights in BRAM unless they live in LUTs/URAM, in the HLS source (small), or off-chip.
    const bool no_bram =
        (mode == "internal_decoupled" && (style == "distributed" || style == "ultra")) ||
        (mode == "internal_embedded" && omega <= 128) || mode == "external";
    if (!no_bram) r.bram_18k = bram18_sdp(width, omega);
    if (r.bram_18k > 0) r.bram_efficiency = weight_bits / (r.bram_18k * 36.0 * 512.0);

    const bool uram = (mode == "internal_decoupled" && style == "ultra") ||
                      (mode == "internal_embedded" && omega > 128);
    if (uram) r.uram = ceil_div(width, 72) * ceil_div(omega, 4096);
    if (r.uram > 0) r.uram_efficiency = weight_bits / (r.uram * 72.0 * 4096.0);

    const std::string res_type = get_string("resType");
    if (impl() == Impl::Rtl) {
        // The RTL MVU packs multiplications into DSP slices, three or four per slice.
        r.dsp = dsp_block(fpga_part) == "DSP58" ? P * ceil_div(Q, 3) : ceil_div(P, 4) * Q;
        return r;
    }
    if (res_type == "dsp") r.dsp = P * Q * ceil_div(W + A, 48);

    std::optional<double> threshold_words;
    if (!get_int("noActivation") && get_string("ram_style_thresholds") == "distributed")
        threshold_words = static_cast<double>(ceil_div(tmem(), 64));
    r.lut = weight_layer_luts({P, Q, W, A, MW, idt.is_signed(),
                               get_datatype("accDataType").bitwidth(), res_type == "dsp", mode,
                               style, omega, threshold_words, output_datatype(0).bitwidth()});
    return r;
}

nlohmann::ordered_json Mvau::op_and_param_counts() const {
    const std::int64_t w = input_datatype(1).bitwidth(), a = input_datatype(0).bitwidth();
    const std::int64_t weights = get_int("MW") * get_int("MH");
    const std::int64_t thresholds = get_int("noActivation") ? 0 : get_int("MH");
    return detail::weight_layer_counts(
        a, w, weights, weights * product(get_ints("numInputVectors")),
        thresholds ? get_datatype("accDataType").bitwidth() : 0, thresholds);
}

std::vector<Resources> Mvau::resource_alternatives(const std::string& fpga_part) {
    return resources_with("resType", {"dsp", "lut"}, fpga_part);
}

} // namespace finn::hw
