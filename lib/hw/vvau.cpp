// VVAU (VectorVectorActivation, depthwise convolution), spec/finn-ops.md §3.2, §5.
#include "cppsim_streams.h"
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/config/boards.h"
#include "finn/core/error.h"
#include "finn/hls/memory_file.h"
#include "finn/hls/mvau_model.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "folding_rules.h"
#include "hardware_params.h"
#include "impl_choice.h"
#include "reference_kernel_util.h"

#include <algorithm>
#include <cmath>

namespace finn::hw {

using namespace detail;

class Vvau : public HwLayer {
public:
    Vvau(Model& model, Node node, Impl impl) : HwLayer(model, node, "VVAU", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    bool fold(const FoldingGoal& goal) override;
    DataType input_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
    Resources resources(const std::string& fpga_part) const override;
    nlohmann::ordered_json op_and_param_counts() const override;
    std::vector<Resources> resource_alternatives(const std::string& fpga_part) override;
    std::int64_t wmem() const;
    std::int64_t tmem() const;
};

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

bool Vvau::fold(const FoldingGoal& goal) {
    fold_depthwise(model(), *this, goal.target_cycles);
    return true;
}

// --- definition ---------------------------------------------------------------------------------

namespace {

using namespace kernel;
namespace si = shape_inference;

std::vector<Tensor> execute_vvau(const KernelContext& ctx) {
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
    if (declared_int(ctx, "binaryXnorMode") != 0)
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
    const bool no_activation = declared_int(ctx, "noActivation") != 0;
    Shape shape = with_last(x.shape(), c);
    return {float_tensor(shape, no_activation ? acc : activate(ctx, acc, c))};
}

// FINN's RTL VVU: DSP58 (Versal) only, no embedded thresholds, signed weights of at most 8 bits,
// inputs of at most 8 bits (or signed 9).
bool vvu_rtl_possible(const Node& node, const std::string& part) {
    if (!node.attr_int("noActivation", 0)) return false;
    if (!is_versal_part(part)) return false;
    const DataType idt = datatype_of_attr(node, "inputDataType");
    const DataType wdt = datatype_of_attr(node, "weightDataType");
    const bool input_fits = idt.bitwidth() <= 8 || (idt.bitwidth() == 9 && idt.min() < 0);
    return input_fits && wdt.bitwidth() <= 8 && wdt.min() < 0;
}

std::string choose_vvau_impl(const ImplRequest& r) {
    auto possible = [&] { return vvu_rtl_possible(r.node, r.fpga_part); };
    return choose_weight_layer_impl(
        r, [&] { return weights_and_inputs_at_least_4_bits(r.node) && possible(); }, possible,
        ". Note that the RTL-variant of this layer is only supported on Versal boards");
}

// The VVAU's C++ model parameters: the MVAU model in its depthwise form, MW = kh*kw, MH = C, with
// the weights (C, 1, kh, kw) of input 1 as the (k, C) matrix and the thresholds of input 2. cppsim
// and hw_codegen both start here.
hls::MvauParams vvau_params(const HwLayer& layer, const ParameterInputs& inputs) {
    const std::int64_t k = kernel_size(layer.get_ints("Kernel")), c = layer.get_int("Channels");
    hls::MvauParams p;
    p.depthwise = true;
    p.mw = static_cast<unsigned>(k);
    p.mh = static_cast<unsigned>(c);
    p.pe = static_cast<unsigned>(layer.get_int("PE"));
    p.simd = static_cast<unsigned>(layer.get_int("SIMD"));
    p.input = element_type(layer, "inputDataType");
    p.weight = element_type(layer, "weightDataType");
    p.xnor = layer.get_int("binaryXnorMode") != 0;
    const std::vector<std::int64_t> w = integer_values(layer, inputs, 1, "weight");
    if (static_cast<std::int64_t>(w.size()) != k * c)
        throw Error("node " + layer.node().describe() + ": " + std::to_string(w.size()) +
                    " weights, expected Channels * kh * kw = " + std::to_string(k * c));
    p.weights.resize(w.size());
    for (std::int64_t ch = 0; ch < c; ++ch)
        for (std::int64_t i = 0; i < k; ++i)
            p.weights[static_cast<std::size_t>(i * c + ch)] =
                w[static_cast<std::size_t>(ch * k + i)];
    p.no_activation = layer.get_int("noActivation") != 0;
    p.output = element_type(layer, "outputDataType");
    p.act_val = layer.get_int("ActVal");
    if (!p.no_activation)
        p.thresholds = threshold_table(layer, inputs, 2, c, element_type(layer, "accDataType"));
    return p;
}

hls::WordStream cppsim_vvau(const HwLayer& layer, const KernelContext& ctx,
                            const hls::WordStream& input) {
    return with_node_context(layer, [&] {
        return hls::MvauModel(vvau_params(layer, kernel_inputs_of(ctx))).run(input);
    });
}

// rtlsim with mem_mode external: in1_V carries the weight image once per pixel.
hls::WordStream vvau_weight_stream(const HwLayer& layer, const KernelContext& ctx,
                                   std::size_t in0_words) {
    const hls::MvauParams p = vvau_params(layer, kernel_inputs_of(ctx));
    const hls::WordStream image =
        with_node_context(layer, [&] { return hls::MvauModel(p).weight_memory(); });
    hls::WordStream words;
    for (std::size_t v = 0; v < in0_words / image.size(); ++v)
        words.insert(words.end(), image.begin(), image.end());
    return words;
}

// hls/rtl/vvau/vvau.sv (the MVAU's hardware in its depthwise form) with the node's weights and
// thresholds as $readmemh images; MEM_MODE picks the weights' source as the MVAU's.
HardwareModule vvau_hardware(const HwLayer& layer) {
    const hls::MvauParams p = vvau_params(layer, initializers_of(layer));
    const hls::MvauModel model = with_node_context(layer, [&] { return hls::MvauModel(p); });
    HardwareModule hw{.module = "vvau", .parameters = {}, .memory_files = {}};
    const std::string weight_file = memory_file_name(layer, "weights");
    hw.memory_files.emplace_back(weight_file, hls::readmemh_text(model.weight_memory()));
    std::string thresh_file;
    if (!p.no_activation) {
        thresh_file = memory_file_name(layer, "thresholds");
        hw.memory_files.emplace_back(thresh_file, hls::readmemh_text(model.threshold_memory()));
    }
    ParameterList params;
    params.add("CHANNELS", p.mh).add("KERNEL", p.mw).add("PE", p.pe).add("SIMD", p.simd);
    params.add("IN_BITS", p.input.bits).add("IN_SIGNED", p.input.is_signed);
    params.add("IN_BIPOLAR", p.input.bipolar);
    params.add("W_BITS", p.weight.bits).add("W_SIGNED", p.weight.is_signed);
    params.add("W_BIPOLAR", p.weight.bipolar);
    params.add("NO_ACTIVATION", p.no_activation);
    params.add("STEPS", p.no_activation ? 1 : p.thresholds.steps);
    params.add("THRESH_BITS", p.no_activation ? 1 : static_cast<int>(p.thresholds.type.bits));
    params.add("THRESH_SIGNED", p.no_activation ? 1 : p.thresholds.type.is_signed);
    params.add("SHARED_THRESHOLDS", !p.no_activation && p.thresholds.shared());
    params.add("ACT_VAL", p.output.bipolar ? 0 : p.act_val);
    params.add("OUT_BITS", p.output.bits);
    params.add("MEM_MODE", canonical_mem_mode(layer.get_string("mem_mode")));
    params.add("RES_TYPE", layer.get_string("resType"));
    params.add("WEIGHT_FILE", weight_file).add("THRESH_FILE", thresh_file);
    params.add("RAM_STYLE", layer.get_string("ram_style"));
    hw.parameters = params.take();
    return hw;
}

} // namespace

LayerDefinition vvau_layer() {
    LayerDefinition d;
    d.op = "VVAU";
    d.legacy_names = {"VectorVectorActivation", "Vector_Vector_Activation_Batch"};
    d.min_inputs = 2;
    d.max_inputs = 3;
    d.has_hls = true;
    d.has_rtl = true;
    d.doc = "vector-vector activation unit (depthwise conv)";
    d.infer_shapes = si::last_dim_from_attr("Channels");
    d.attributes = &Vvau::attributes;
    d.make = make_of<Vvau>();
    d.infer_datatypes = output_datatype_from_attribute;
    d.execute = execute_vvau;
    d.choose_impl = choose_vvau_impl;
    d.generate_hardware = vvau_hardware;
    d.cppsim = cppsim::stream_kernel(cppsim_vvau);
    d.weight_stream = vvau_weight_stream;
    return d;
}

} // namespace finn::hw
