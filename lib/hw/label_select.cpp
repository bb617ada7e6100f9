// LabelSelect: indices of the K largest inputs, spec/finn-ops.md §3.7.
#include "cppsim_streams.h"
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/hls/label_select_model.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/model.h"
#include "finn/ir/shape_inference_util.h"
#include "finn/ir/tensor_proto.h"
#include "folding_rules.h"
#include "hardware_params.h"
#include "reference_kernel_util.h"

namespace finn::hw {

using namespace detail;

class LabelSelect : public HwLayer {
public:
    LabelSelect(Model& model, Node node, Impl impl) : HwLayer(model, node, "LabelSelect", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    bool fold(const FoldingGoal& goal) override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
};

std::vector<AttrDecl> LabelSelect::attributes(Impl) {
    return {int_attr("Labels", kRequired),
            int_attr("PE", kRequired),
            int_attr("K", kRequired),
            string_attr("inputDataType", kRequired),
            string_attr("outputDataType", ""),
            ints_attr("numInputVectors", nlohmann::json::array({1}))};
}

std::vector<FoldingAttribute> LabelSelect::folding_attributes() const {
    return {{"PE", divisors(get_int("Labels"))}};
}

Shape LabelSelect::normal_input_shape(int) const {
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("Labels"));
    return s;
}

Shape LabelSelect::normal_output_shape(int) const {
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("K"));
    return s;
}

Shape LabelSelect::folded_input_shape(int) const {
    const std::int64_t pe = get_int("PE");
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("Labels") / pe);
    s.push_back(pe);
    return s;
}

Shape LabelSelect::folded_output_shape(int) const {
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("K"));
    s.push_back(1);
    return s;
}

std::int64_t LabelSelect::exp_cycles() const {
    return get_int("Labels") / get_int("PE");
}

bool LabelSelect::fold(const FoldingGoal& goal) {
    fold_to_target(*this, "PE", get_int("Labels"), goal.target_cycles);
    return true;
}

// --- definition ---------------------------------------------------------------------------------

namespace {

using namespace kernel;
namespace si = shape_inference;

void infer_label_select(onnx::InferenceContext& ctx) {
    auto in = si::input_dims(ctx, 0);
    std::int64_t k = si::int_attr(ctx, "K", -1);
    if (!in || in->empty() || k < 0) return;
    si::Dims out = *in;
    out.back() = k;
    // The element type stays whatever the graph declares (FINN keeps TopK's INT64 indices).
    si::set_output_dims(ctx, 0, out);
}

std::vector<Tensor> execute_label_select(const KernelContext& ctx) {
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

// The C++ model parameters from the node's attributes, for cppsim and hw_codegen alike.
hls::LabelSelectParams label_select_params(const HwLayer& layer) {
    hls::LabelSelectParams p;
    p.labels = static_cast<unsigned>(layer.get_int("Labels"));
    p.pe = static_cast<unsigned>(layer.get_int("PE"));
    p.k = static_cast<unsigned>(layer.get_int("K"));
    p.input = element_type(layer, "inputDataType");
    p.output = element_type_of(layer, layer.output_datatype(0), "outputDataType");
    return p;
}

// hls/rtl/label_select/label_select.sv; the output type is the index width.
HardwareModule label_select_hardware(const HwLayer& layer) {
    const hls::LabelSelectParams p = label_select_params(layer);
    with_node_context(layer, [&] { return hls::LabelSelectModel(p); }); // checks the parameters
    ParameterList params;
    params.add("LABELS", p.labels).add("PE", p.pe).add("K", p.k);
    params.add("IN_BITS", p.input.bits).add("IN_SIGNED", p.input.is_signed);
    params.add("OUT_BITS", p.output.bits);
    return {.module = "label_select", .parameters = params.take(), .memory_files = {}};
}

// cppsim: the hardware's selection (hls/model/label_select_model.h), TopK's.
hls::WordStream cppsim_label_select(const HwLayer& layer, const KernelContext&,
                                    const hls::WordStream& input) {
    return with_node_context(
        layer, [&] { return hls::LabelSelectModel(label_select_params(layer)).run(input); });
}

} // namespace

LayerDefinition label_select_layer() {
    LayerDefinition d;
    d.op = "LabelSelect";
    d.legacy_names = {"LabelSelect_Batch"};
    d.has_hls = true;
    d.doc = "top-k indices";
    d.infer_shapes = infer_label_select;
    d.attributes = &LabelSelect::attributes;
    d.make = make_of<LabelSelect>();
    d.infer_datatypes = output_datatype_from_attribute;
    d.execute = execute_label_select;
    d.generate_hardware = label_select_hardware;
    d.cppsim = cppsim::stream_kernel(cppsim_label_select);
    return d;
}

} // namespace finn::hw
