// Thresholding (_hls: threshold memories in HLS; _rtl: binary-search stages), spec §3.3, §5.
#include "cppsim_streams.h"
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/hls/memory_file.h"
#include "finn/hls/thresholding_model.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "folding_rules.h"
#include "hardware_params.h"
#include "reference_kernel_util.h"

#include <array>
#include <limits>
#include <optional>

namespace finn::hw {

using namespace detail;

class Thresholding : public HwLayer {
public:
    Thresholding(Model& model, Node node, Impl impl) : HwLayer(model, node, "Thresholding", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    bool fold(const FoldingGoal& goal) override;
    DataType input_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
    Resources resources(const std::string& fpga_part) const override;
    nlohmann::ordered_json op_and_param_counts() const override;
};

std::vector<AttrDecl> Thresholding::attributes(Impl impl) {
    std::vector<AttrDecl> attrs = {int_attr("NumChannels", kRequired),
                                   int_attr("PE", kRequired),
                                   int_attr("numSteps", kRequired),
                                   string_attr("inputDataType", kRequired),
                                   string_attr("weightDataType", kRequired),
                                   string_attr("outputDataType", kRequired),
                                   ints_attr("numInputVectors", nlohmann::json::array({1})),
                                   int_attr("ActVal", 0),
                                   int_attr("runtime_writeable_weights", 0, kBool)};
    if (impl != Impl::Rtl) {
        attrs.push_back(string_attr("mem_mode", "internal_decoupled", mem_modes(false)));
        attrs.push_back(string_attr("ram_style", "distributed", {"distributed", "block"}));
    }
    if (impl != Impl::Hls) {
        attrs.push_back(int_attr("depth_trigger_uram", 0));
        attrs.push_back(int_attr("depth_trigger_bram", 0));
        attrs.push_back(int_attr("uniform_thres", 0, kBool));
        attrs.push_back(int_attr("deep_pipeline", 1, kBool));
    }
    return attrs;
}

std::vector<FoldingAttribute> Thresholding::folding_attributes() const {
    return {{"PE", divisors(get_int("NumChannels"))}};
}

DataType Thresholding::input_datatype(int index) const {
    return get_datatype(index == 1 ? "weightDataType" : "inputDataType");
}

Shape Thresholding::normal_input_shape(int) const {
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("NumChannels"));
    return s;
}

Shape Thresholding::folded_input_shape(int) const {
    const std::int64_t pe = get_int("PE");
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("NumChannels") / pe);
    s.push_back(pe);
    return s;
}

std::int64_t Thresholding::exp_cycles() const {
    Shape s = folded_output_shape(0);
    s.pop_back();
    return product(s);
}

namespace {

enum class MemKind { Uram, Bram, Lutram };
struct Primitive {
    MemKind kind;
    std::int64_t width, depth;
};
// The memory primitives the RTL thresholding maps a stage to, in FINN's order (ties keep it).
constexpr std::array<Primitive, 8> kPrimitives = {{{MemKind::Uram, 72, 4096},
                                                   {MemKind::Uram, 36, 8192},
                                                   {MemKind::Uram, 18, 16384},
                                                   {MemKind::Uram, 9, 32768},
                                                   {MemKind::Bram, 36, 512},
                                                   {MemKind::Bram, 18, 1024},
                                                   {MemKind::Bram, 9, 2048},
                                                   {MemKind::Lutram, 1, 64}}};

} // namespace

Resources Thresholding::resources(const std::string&) const {
    const std::int64_t P = get_int("PE"), C = get_int("NumChannels");
    const std::int64_t tmem = C / P;
    Resources r;
    if (impl() != Impl::Rtl) {
        const std::int64_t A = input_datatype(0).bitwidth();
        const std::string style = get_string("ram_style");
        if (style == "block" && tmem > 1) r.bram_18k = ceil_div(A * P, 16) * ceil_div(tmem, 1024);
        r.lut = A * P + (style == "distributed" && tmem > 1 ? P * A * ceil_div(tmem, 64) : 0);
        return r;
    }
    // One memory per output bit (binary-search stage) and PE. Block RAMs are reported as
    // BRAM_18K; FINN main looks them up under "BRAM" while filing them as "BRAM18" and so
    // reports 0 — a known difference.
    const std::int64_t stages = output_datatype(0).bitwidth();
    const std::int64_t bits = input_datatype(1).bitwidth();
    const bool uniform = get_int("uniform_thres") != 0;
    const std::int64_t trigger_uram = get_int("depth_trigger_uram");
    const std::int64_t trigger_bram = get_int("depth_trigger_bram");
    for (std::int64_t x = uniform ? 1 : 0; x < stages; ++x) {
        const std::int64_t width = uniform ? stages - x : bits;
        const std::int64_t depth = tmem << x;
        // The depth triggers restrict deep memories to BRAM or URAM. As in FINN, with only
        // depth_trigger_bram set, a memory at least that deep goes to URAM (the URAM trigger 0
        // is then already reached).
        std::optional<MemKind> only;
        if (trigger_bram != 0 || trigger_uram != 0) {
            if (depth >= trigger_bram && depth < trigger_uram)
                only = MemKind::Bram;
            else if (depth >= trigger_uram)
                only = MemKind::Uram;
        }
        const Primitive* best = nullptr;
        std::int64_t best_count = 0, best_waste = std::numeric_limits<std::int64_t>::max();
        for (const auto& p : kPrimitives) {
            if (only && p.kind != *only) continue;
            const std::int64_t count = ceil_div(width, p.width) * ceil_div(depth, p.depth);
            const std::int64_t waste = count * p.width * p.depth - width * depth;
            if (waste < best_waste) {
                best = &p;
                best_count = count;
                best_waste = waste;
            }
        }
        if (best->kind == MemKind::Uram) r.uram += best_count * P;
        if (best->kind == MemKind::Bram) r.bram_18k += best_count * P;
        if (best->kind == MemKind::Lutram) r.lut += best_count * P;
    }
    return r;
}

nlohmann::ordered_json Thresholding::op_and_param_counts() const {
    nlohmann::ordered_json counts;
    counts["param_threshold_" + std::to_string(input_datatype(1).bitwidth()) + "b"] =
        get_int("NumChannels") * get_int("numSteps");
    return counts;
}

bool Thresholding::fold(const FoldingGoal& goal) {
    fold_to_target(*this, "PE", get_int("NumChannels"), goal.target_cycles);
    return true;
}

// --- definition ---------------------------------------------------------------------------------

namespace {

using namespace kernel;
namespace si = shape_inference;

std::vector<Tensor> execute_thresholding(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_min_rank(ctx, x, 1, "input");
    const std::int64_t c = x.shape().back();
    check_int_attr(ctx, "NumChannels", c, "the input's channel count");
    Thresholds th = thresholds_input(ctx, 1, c);
    check_int_attr(ctx, "numSteps", th.steps, "the thresholds' column count");
    const double act_val = static_cast<double>(declared_int(ctx, "ActVal"));
    const bool bipolar_out = is_bipolar(datatype_attr(ctx, "outputDataType"));
    auto xv = x.to_doubles();
    std::vector<double> out(xv.size());
    for (std::size_t i = 0; i < xv.size(); ++i) {
        double y = act_val + th.count(xv[i], static_cast<std::int64_t>(i) % c);
        out[i] = bipolar_out ? 2 * y - 1 : y;
    }
    return {float_tensor(x.shape(), out)};
}

// hls/rtl/thresholding/thresholding.sv for both variants, the thresholds as a $readmemh image.
// The C++ model parameters from the node (attributes, thresholds at input 1), for cppsim and
// hw_codegen alike.
hls::ThresholdingParams thresholding_params(const HwLayer& layer, const ParameterInputs& inputs) {
    const std::int64_t channels = layer.get_int("NumChannels");
    hls::ThresholdingParams p;
    p.channels = static_cast<unsigned>(channels);
    p.pe = static_cast<unsigned>(layer.get_int("PE"));
    p.input = element_type(layer, "inputDataType");
    p.output = element_type(layer, "outputDataType");
    // A BIPOLAR output is the count bit (hls/README.md): FINN's ActVal -1 is not added.
    p.act_val = p.output.bipolar ? 0 : layer.get_int("ActVal");
    p.thresholds =
        threshold_table(layer, inputs, 1, channels, element_type(layer, "weightDataType"));
    return p;
}

HardwareModule thresholding_hardware(const HwLayer& layer) {
    const hls::ThresholdingParams p = thresholding_params(layer, initializers_of(layer));
    const hls::ThresholdingModel model =
        with_node_context(layer, [&] { return hls::ThresholdingModel(p); });

    HardwareModule hw{.module = "thresholding", .parameters = {}, .memory_files = {}};
    const std::string thresh_file = memory_file_name(layer, "thresholds");
    hw.memory_files.emplace_back(thresh_file, hls::readmemh_text(model.threshold_memory()));
    ParameterList params;
    params.add("CHANNELS", p.channels).add("PE", p.pe).add("STEPS", p.thresholds.steps);
    params.add("IN_BITS", p.input.bits).add("IN_SIGNED", p.input.is_signed);
    params.add("THRESH_BITS", p.thresholds.type.bits);
    params.add("THRESH_SIGNED", p.thresholds.type.is_signed);
    params.add("OUT_BITS", p.output.bits).add("ACT_VAL", p.act_val);
    params.add("SHARED_THRESHOLDS", p.thresholds.shared()).add("THRESH_FILE", thresh_file);
    // Only the HLS variant has ram_style; the RTL one keeps the module's default (LUTs).
    if (layer.impl() == Impl::Hls) params.add("RAM_STYLE", layer.get_string("ram_style"));
    hw.parameters = params.take();
    return hw;
}

// cppsim: the Thresholding model with the node's thresholds (input 1); hls and rtl variants
// compute the same.
hls::WordStream cppsim_thresholding(const HwLayer& layer, const KernelContext& ctx,
                                    const hls::WordStream& input) {
    return with_node_context(layer, [&] {
        return hls::ThresholdingModel(thresholding_params(layer, kernel_inputs_of(ctx))).run(input);
    });
}

} // namespace

LayerDefinition thresholding_layer() {
    LayerDefinition d;
    d.op = "Thresholding";
    d.legacy_names = {"Thresholding_Batch"};
    d.max_inputs = 2;
    d.has_hls = true;
    d.has_rtl = true;
    d.doc = "multi-threshold activation";
    d.infer_shapes = si::float_outputs_like_input;
    d.attributes = &Thresholding::attributes;
    d.make = make_of<Thresholding>();
    d.infer_datatypes = output_datatype_from_attribute;
    d.execute = execute_thresholding;
    d.generate_hardware = thresholding_hardware;
    d.cppsim = cppsim::stream_kernel(cppsim_thresholding);
    return d;
}

} // namespace finn::hw
