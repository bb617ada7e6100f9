// MVAU (MatrixVectorActivation), spec/finn-ops.md §3.1, §4.1, §5.
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
#include <optional>

namespace finn::hw {

using namespace detail;

class Mvau : public HwLayer {
public:
    Mvau(Model& model, Node node, Impl impl) : HwLayer(model, node, "MVAU", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    bool fold(const FoldingGoal& goal) override;
    DataType input_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t instream_width(int index = 0) const override;
    std::int64_t exp_cycles() const override;
    Resources resources(const std::string& fpga_part) const override;
    nlohmann::ordered_json op_and_param_counts() const override;
    std::vector<Resources> resource_alternatives(const std::string& fpga_part) override;
    // WMEM = MW*MH/(PE*SIMD); TMEM = MH/PE, 0 without activation.
    std::int64_t wmem() const;
    std::int64_t tmem() const;
};

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

// SIMD first, while the weight stream of one PE stays within mvau_wwidth_max (unless that SIMD
// already meets the target), then PE.
bool Mvau::fold(const FoldingGoal& goal) {
    const std::int64_t wbits = input_datatype(1).bitwidth();
    set_int("PE", 1);
    set_int("SIMD", 1);
    for (std::int64_t simd : divisors(get_int("MW"))) {
        const std::int64_t previous = get_int("SIMD");
        set_int("SIMD", simd);
        if (exp_cycles() < goal.target_cycles) break;
        if (wbits * simd > goal.mvau_wwidth_max) {
            set_int("SIMD", previous);
            break;
        }
    }
    fold_to_target(*this, "PE", get_int("MH"), goal.target_cycles);
    return true;
}

// --- definition ---------------------------------------------------------------------------------

namespace {

using namespace kernel;
namespace si = shape_inference;

// The MVAU reads a stream of MW-element vectors. Normally the input's last dimension is MW and
// every position before it is one vector (InferQuantizedMVAU sets numInputVectors to those
// dimensions). After RemoveCNVtoFCFlatten a fully connected MVAU reads a conv's NHWC tensor
// (N, H, W, C) with H*W*C = MW instead: the stream is the same, and FINN shapes the output by
// numInputVectors + [MH] (get_normal_output_shape) whatever the input looks like; the batch is
// taken from the input. Nothing when the input holds neither form.
std::optional<Shape> mvau_output_shape(const Shape& in, std::int64_t mw, std::int64_t mh,
                                       Shape vectors) {
    if (in.empty()) return std::nullopt;
    if (in.back() == mw) return with_last(in, mh);
    if (vectors.empty()) return std::nullopt;
    vectors[0] = in[0];
    if (product(in) != product(vectors) * mw) return std::nullopt;
    vectors.push_back(mh);
    return vectors;
}

std::string input_form_error(const Shape& in, std::int64_t mw, const Shape& vectors) {
    return "input " + shape_to_string(in) + " does not end in MW = " + str(mw) +
           " and does not hold numInputVectors " + shape_to_string(vectors) +
           " flattened vectors of MW either";
}

void infer_mvau_shape(si::InferenceContext& ctx) {
    auto in = si::input_dims(ctx, 0);
    const std::int64_t mw = si::int_attr(ctx, "MW", -1), mh = si::int_attr(ctx, "MH", -1);
    if (!in || mw < 0 || mh < 0) return;
    const Shape vectors = si::ints_attr(ctx, "numInputVectors", {1});
    auto out = mvau_output_shape(*in, mw, mh, vectors);
    if (!out) fail_shape_inference("MVAU: ", input_form_error(*in, mw, vectors));
    si::float_output(ctx, 0, *out);
}

std::vector<Tensor> execute_mvau(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    const Tensor& w = ctx.input(1);
    require_min_rank(ctx, x, 1, "input");
    require_rank(ctx, w, 2, "weights (MW, MH)");
    const std::int64_t mw = w.shape()[0], mh = w.shape()[1];
    check_int_attr(ctx, "MW", mw, "the weight matrix's row count");
    check_int_attr(ctx, "MH", mh, "the weight matrix's column count");
    const Shape vectors = ctx.node.attr_ints("numInputVectors", {1});
    auto shape = mvau_output_shape(x.shape(), mw, mh, vectors);
    if (!shape) ctx.fail(input_form_error(x.shape(), mw, vectors));

    const bool xnor = declared_int(ctx, "binaryXnorMode") != 0;
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
    const bool no_activation = declared_int(ctx, "noActivation") != 0;
    return {float_tensor(*shape, no_activation ? acc : activate(ctx, acc, mh))};
}

// FINN's RTL MVU: no embedded thresholds, no XNOR mode, signed weights of at most 8 bits,
// inputs of at most 8 bits (or signed 9), and narrow-range weights on DSP48E1.
bool mvu_rtl_possible(Model& model, const Node& node, const std::string& part) {
    if (node.attr_int("noActivation", 0) == 0 || node.attr_int("binaryXnorMode", 0) == 1)
        return false;
    const DataType wdt = datatype_of_attr(node, "weightDataType");
    if (!wdt.is_signed()) return false;
    if (part.empty())
        throw Error("SpecializeLayers: node " + node.describe() +
                    ": an FPGA part is needed to decide whether the RTL MVU fits its DSP blocks");
    // Without weights in the model (external weights) they cannot be shown to be narrow.
    bool narrow = false;
    if (node.input_count() > 1 && model.has_initializer(node.input(1))) {
        auto w = model.initializer(node.input(1)).to_doubles();
        narrow = !w.empty() && *std::min_element(w.begin(), w.end()) != wdt.min();
    }
    if (!narrow && dsp_block_of_part(part) == "DSP48E1") return false;
    const DataType idt = datatype_of_attr(node, "inputDataType");
    const bool input_fits = idt.bitwidth() <= 8 || (idt.bitwidth() == 9 && idt.is_signed());
    return input_fits && wdt.bitwidth() <= 8;
}

std::string choose_mvau_impl(const ImplRequest& r) {
    auto possible = [&] { return mvu_rtl_possible(r.model, r.node, r.fpga_part); };
    return choose_weight_layer_impl(
        r, [&] { return weights_and_inputs_at_least_4_bits(r.node) && possible(); }, possible, "");
}

// hls/rtl/mvau/mvau.sv with the node's weights (and thresholds) as $readmemh images. Both variants
// use it: MVAU_rtl is the noActivation case. MEM_MODE picks the weights' source (ROM, streamer of
// the same image, or in1_V for external).
// The MVAU's C++ model parameters from the node's attributes, weights (input 1) and thresholds
// (input 2). cppsim and hw_codegen both start here, so the simulated and the generated hardware
// cannot disagree on a parameter.
hls::MvauParams mvau_params(const HwLayer& layer, const ParameterInputs& inputs) {
    hls::MvauParams p;
    p.mw = static_cast<unsigned>(layer.get_int("MW"));
    p.mh = static_cast<unsigned>(layer.get_int("MH"));
    p.pe = static_cast<unsigned>(layer.get_int("PE"));
    p.simd = static_cast<unsigned>(layer.get_int("SIMD"));
    p.input = element_type(layer, "inputDataType");
    p.weight = element_type(layer, "weightDataType");
    p.xnor = layer.get_int("binaryXnorMode") != 0;
    p.weights = integer_values(layer, inputs, 1, "weight");
    p.no_activation = layer.get_int("noActivation") != 0;
    p.output = element_type(layer, "outputDataType");
    p.act_val = layer.get_int("ActVal");
    if (!p.no_activation)
        p.thresholds = threshold_table(layer, inputs, 2, p.mh, element_type(layer, "accDataType"));
    return p;
}

// cppsim: every mem_mode computes the same; the weight stream of the decoupled and external modes
// is not simulated as a stream.
hls::WordStream cppsim_mvau(const HwLayer& layer, const KernelContext& ctx,
                            const hls::WordStream& input) {
    return with_node_context(layer, [&] {
        return hls::MvauModel(mvau_params(layer, kernel_inputs_of(ctx))).run(input);
    });
}

// rtlsim with mem_mode external: in1_V carries the weight image once per input vector.
hls::WordStream mvau_weight_stream(const HwLayer& layer, const KernelContext& ctx,
                                   std::size_t in0_words) {
    const hls::MvauParams p = mvau_params(layer, kernel_inputs_of(ctx));
    const hls::WordStream image =
        with_node_context(layer, [&] { return hls::MvauModel(p).weight_memory(); });
    hls::WordStream words;
    for (std::size_t v = 0; v < in0_words / (p.mw / p.simd); ++v)
        words.insert(words.end(), image.begin(), image.end());
    return words;
}

HardwareModule mvau_hardware(const HwLayer& layer) {
    const hls::MvauParams p = mvau_params(layer, initializers_of(layer));
    const hls::ElementType input = p.input, weight = p.weight;
    const bool no_activation = p.no_activation;
    const hls::MvauModel model = with_node_context(layer, [&] { return hls::MvauModel(p); });

    HardwareModule hw{.module = "mvau", .parameters = {}, .memory_files = {}};
    const std::string weight_file = memory_file_name(layer, "weights");
    hw.memory_files.emplace_back(weight_file, hls::readmemh_text(model.weight_memory()));
    std::string thresh_file;
    if (!no_activation) {
        thresh_file = memory_file_name(layer, "thresholds");
        hw.memory_files.emplace_back(thresh_file, hls::readmemh_text(model.threshold_memory()));
    }
    const std::string mode = canonical_mem_mode(layer.get_string("mem_mode"));
    const int thresh_bits = no_activation ? 1 : static_cast<int>(p.thresholds.type.bits);
    ParameterList params;
    params.add("MW", p.mw).add("MH", p.mh).add("PE", p.pe).add("SIMD", p.simd);
    params.add("IN_BITS", input.bits).add("IN_SIGNED", input.is_signed);
    params.add("IN_BIPOLAR", input.bipolar);
    params.add("W_BITS", weight.bits).add("W_SIGNED", weight.is_signed);
    params.add("W_BIPOLAR", weight.bipolar).add("XNOR", p.xnor);
    params.add("NO_ACTIVATION", no_activation);
    params.add("STEPS", no_activation ? 1 : p.thresholds.steps);
    params.add("THRESH_BITS", thresh_bits);
    params.add("THRESH_SIGNED", no_activation ? 1 : p.thresholds.type.is_signed);
    params.add("SHARED_THRESHOLDS", !no_activation && p.thresholds.shared());
    params.add("ACT_VAL", p.output.bipolar ? 0 : p.act_val);
    params.add("OUT_BITS", p.output.bits);
    params.add("MEM_MODE", mode).add("RES_TYPE", layer.get_string("resType"));
    params.add("WEIGHT_FILE", weight_file).add("THRESH_FILE", thresh_file);
    params.add("RAM_STYLE", layer.get_string("ram_style"));
    params.add("RAM_STYLE_THRESHOLDS", layer.get_string("ram_style_thresholds"));
    hw.parameters = params.take();
    return hw;
}

} // namespace

LayerDefinition mvau_layer() {
    LayerDefinition d;
    d.op = "MVAU";
    d.legacy_names = {"MatrixVectorActivation", "StreamingFCLayer_Batch"};
    d.min_inputs = 2;
    d.max_inputs = 3;
    d.has_hls = true;
    d.has_rtl = true;
    d.doc = "matrix-vector activation unit (fully connected / conv)";
    d.infer_shapes = infer_mvau_shape;
    d.attributes = &Mvau::attributes;
    d.make = make_of<Mvau>();
    d.infer_datatypes = output_datatype_from_attribute;
    d.execute = execute_mvau;
    d.choose_impl = choose_mvau_impl;
    d.generate_hardware = mvau_hardware;
    d.cppsim = cppsim::stream_kernel(cppsim_mvau);
    d.weight_stream = mvau_weight_stream;
    return d;
}

} // namespace finn::hw
