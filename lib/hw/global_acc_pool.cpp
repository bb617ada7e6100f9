// GlobalAccPool: sum over all pixels of an NHWC map, spec/finn-ops.md §3.13.
#include "cppsim_streams.h"
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/core/error.h"
#include "finn/hls/global_acc_pool_model.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "folding_rules.h"
#include "hardware_params.h"
#include "reference_kernel_util.h"

namespace finn::hw {

using namespace detail;

class GlobalAccPool : public HwLayer {
public:
    GlobalAccPool(Model& model, Node node, Impl impl)
        : HwLayer(model, node, "GlobalAccPool", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    DataType output_datatype(int index = 0) const override;
    std::vector<FoldingAttribute> folding_attributes() const override;
    bool fold(const FoldingGoal& goal) override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
};

std::vector<AttrDecl> GlobalAccPool::attributes(Impl) {
    return {int_attr("NumChannels", kRequired), int_attr("PE", kRequired),
            string_attr("inputDataType", kRequired),
            ints_attr("numInputVectors", nlohmann::json::array({1}))};
}

DataType GlobalAccPool::output_datatype(int) const {
    // The sum of all pixels of a channel: the smallest type holding pixels * the input extreme.
    const DataType idt = input_datatype(0);
    const double pixels = static_cast<double>(product(get_ints("numInputVectors")));
    return DataType::smallest_possible(pixels * (idt.is_signed() ? idt.min() : idt.max()));
}

std::vector<FoldingAttribute> GlobalAccPool::folding_attributes() const {
    return {{"PE", divisors(get_int("NumChannels"))}};
}

Shape GlobalAccPool::normal_input_shape(int) const {
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("NumChannels"));
    return s;
}

Shape GlobalAccPool::normal_output_shape(int) const {
    Shape s = normal_input_shape(0);
    for (std::size_t i = 1; i + 1 < s.size(); ++i)
        s[i] = 1;
    return s;
}

Shape GlobalAccPool::folded_input_shape(int) const {
    const std::int64_t pe = get_int("PE");
    Shape s = normal_input_shape(0);
    s.back() /= pe;
    s.push_back(pe);
    return s;
}

Shape GlobalAccPool::folded_output_shape(int) const {
    const std::int64_t pe = get_int("PE");
    Shape s = normal_output_shape(0);
    s.back() /= pe;
    s.push_back(pe);
    return s;
}

std::int64_t GlobalAccPool::exp_cycles() const {
    Shape s = folded_input_shape(0);
    s.pop_back();
    return product(s) + get_int("NumChannels") / get_int("PE");
}

bool GlobalAccPool::fold(const FoldingGoal& goal) {
    fold_to_target(*this, "PE", get_int("NumChannels"), goal.target_cycles);
    return true;
}

// --- definition ---------------------------------------------------------------------------------

namespace {

using namespace kernel;
namespace si = shape_inference;

void infer_global_acc_pool(onnx::InferenceContext& ctx) {
    auto in = si::input_dims(ctx, 0);
    if (!in || in->size() != 4) return;
    si::float_output(ctx, 0, {(*in)[0], 1, 1, (*in)[3]});
}

std::vector<Tensor> execute_global_acc_pool(const KernelContext& ctx) {
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

bool infer_global_acc_pool_datatypes(Model& model, Node& node) {
    const DataType idt = input_datatype_of(model, node);
    const bool changed = record_datatype(node, "inputDataType", idt);
    const auto vecs = node.attr_ints("numInputVectors");
    if (vecs.size() < 2)
        throw Error("InferDataTypes: node " + node.describe() +
                    ": numInputVectors needs at least two entries");
    const double pixels = static_cast<double>(vecs[vecs.size() - 1] * vecs[vecs.size() - 2]);
    model.set_datatype(node.output(0), DataType::smallest_possible(
                                           pixels * (idt.is_signed() ? idt.min() : idt.max())));
    return changed;
}

// The C++ model parameters from the node's attributes, for cppsim and hw_codegen alike: a frame
// is the pixels of numInputVectors after its batch entry.
hls::GlobalAccPoolParams global_acc_pool_params(const HwLayer& layer) {
    const auto vecs = layer.get_ints("numInputVectors");
    if (vecs.size() < 2)
        throw Error("node " + layer.node().describe() +
                    ": numInputVectors needs the batch and the pixels ([1, H, W]), got " +
                    std::to_string(vecs.size()) + " entries");
    hls::GlobalAccPoolParams p;
    p.pixels = static_cast<unsigned>(product(Shape(vecs.begin() + 1, vecs.end())));
    p.channels = static_cast<unsigned>(layer.get_int("NumChannels"));
    p.pe = static_cast<unsigned>(layer.get_int("PE"));
    p.input = element_type(layer, "inputDataType");
    p.output = element_type_of(layer, layer.output_datatype(0), "output datatype");
    return p;
}

// hls/rtl/global_acc_pool/global_acc_pool.sv.
HardwareModule global_acc_pool_hardware(const HwLayer& layer) {
    const hls::GlobalAccPoolParams p = global_acc_pool_params(layer);
    with_node_context(layer, [&] { return hls::GlobalAccPoolModel(p); }); // checks the parameters
    ParameterList params;
    params.add("PIXELS", p.pixels).add("CHANNELS", p.channels).add("PE", p.pe);
    params.add("IN_BITS", p.input.bits).add("IN_SIGNED", p.input.is_signed);
    params.add("IN_BIPOLAR", p.input.bipolar).add("OUT_BITS", p.output.bits);
    return {.module = "global_acc_pool", .parameters = params.take(), .memory_files = {}};
}

hls::WordStream cppsim_global_acc_pool(const HwLayer& layer, const KernelContext&,
                                       const hls::WordStream& input) {
    return with_node_context(
        layer, [&] { return hls::GlobalAccPoolModel(global_acc_pool_params(layer)).run(input); });
}

} // namespace

LayerDefinition global_acc_pool_layer() {
    LayerDefinition d;
    d.op = "GlobalAccPool";
    d.legacy_names = {"GlobalAccPool_Batch"};
    d.has_hls = true;
    d.doc = "global accumulating pool";
    d.infer_shapes = infer_global_acc_pool;
    d.attributes = &GlobalAccPool::attributes;
    d.make = make_of<GlobalAccPool>();
    d.infer_datatypes = infer_global_acc_pool_datatypes;
    d.execute = execute_global_acc_pool;
    d.generate_hardware = global_acc_pool_hardware;
    d.cppsim = cppsim::stream_kernel(cppsim_global_acc_pool);
    return d;
}

} // namespace finn::hw
