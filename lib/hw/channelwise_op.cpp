// ChannelwiseOp: per-channel add, multiply or compare with a parameter, spec §3.12.
#include "channel_stream_layer.h"
#include "cppsim_streams.h"
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/core/error.h"
#include "finn/hls/channelwise_op_model.h"
#include "finn/hls/memory_file.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "hardware_params.h"
#include "reference_kernel_util.h"

namespace finn::hw {

using namespace detail;

class ChannelwiseOp : public ChannelStreamLayer {
public:
    ChannelwiseOp(Model& model, Node node, Impl impl)
        : ChannelStreamLayer(model, node, "ChannelwiseOp", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    Resources resources(const std::string& fpga_part) const override;
};

std::vector<AttrDecl> ChannelwiseOp::attributes(Impl) {
    return {string_attr("Func", "cmp_le", {"cmp_le", "cmp_ge", "add", "mul"}),
            int_attr("PE", kRequired),
            int_attr("NumChannels", kRequired),
            string_attr("ram_style", "distributed", {"distributed", "block"}),
            string_attr("inputDataType", kRequired),
            string_attr("paramDataType", kRequired),
            string_attr("outputDataType", kRequired),
            ints_attr("numInputVectors", nlohmann::json::array({1}))};
}

Resources ChannelwiseOp::resources(const std::string&) const {
    // FINN estimates it like Thresholding_hls: parameter memories per PE.
    const std::int64_t P = get_int("PE"), A = input_datatype(0).bitwidth();
    const std::int64_t tmem = get_int("NumChannels") / P;
    const std::string style = get_string("ram_style");
    Resources r;
    if (style == "block" && tmem > 1) r.bram_18k = ceil_div(A * P, 16) * ceil_div(tmem, 1024);
    r.lut = A * P + (style == "distributed" && tmem > 1 ? P * A * ceil_div(tmem, 64) : 0);
    return r;
}

// --- definition ---------------------------------------------------------------------------------

namespace {

using namespace kernel;
namespace si = shape_inference;

std::vector<Tensor> execute_channelwise_op(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    const Tensor& p = ctx.input(1);
    require_min_rank(ctx, x, 1, "input");
    const std::int64_t c = x.shape().back();
    check_int_attr(ctx, "NumChannels", c, "the input's channel count");
    if (p.size() != c && p.size() != 1)
        ctx.fail("parameters " + shape_to_string(p.shape()) + " must hold 1 or " + str(c) +
                 " (one per channel) values");
    const std::string func = declared_string(ctx, "Func");
    if (func != "add" && func != "mul" && func != "cmp_le" && func != "cmp_ge")
        ctx.fail("Func '" + func + "' is not supported; expected add, mul, cmp_le or cmp_ge");

    auto xv = x.to_doubles();
    auto pv = p.to_doubles();
    std::vector<double> out(xv.size());
    for (std::size_t i = 0; i < xv.size(); ++i) {
        double param = pv[pv.size() == 1 ? 0 : i % static_cast<std::size_t>(c)];
        // y = Func(p[c], x), as the HLS op computes it.
        if (func == "add")
            out[i] = param + xv[i];
        else if (func == "mul")
            out[i] = param * xv[i];
        else if (func == "cmp_le")
            out[i] = param <= xv[i] ? 1.0 : 0.0;
        else
            out[i] = param >= xv[i] ? 1.0 : 0.0;
    }
    return {float_tensor(x.shape(), out)};
}

// A new input type changes the output range: recompute it from the parameters.
bool infer_channelwise_op_datatypes(Model& model, Node& node) {
    const DataType idt = input_datatype_of(model, node);
    bool changed = false;
    if (node.attr_string("inputDataType", "") != idt.name()) {
        const std::string func = node.attr_string("Func");
        if ((func != "add" && func != "mul") || !model.has_initializer(node.input(1)))
            throw Error("InferDataTypes: node " + node.describe() + ": input datatype " +
                        idt.name() + " differs from inputDataType and Func '" + func +
                        "' cannot follow it");
        const auto params = model.initializer(node.input(1)).to_doubles();
        const double pmin = *std::min_element(params.begin(), params.end());
        const double pmax = *std::max_element(params.begin(), params.end());
        std::vector<double> limits = func == "add"
                                         ? std::vector<double>{idt.min() + pmin, idt.max() + pmax}
                                         : std::vector<double>{idt.min() * pmin, idt.min() * pmax,
                                                               idt.max() * pmin, idt.max() * pmax};
        record_datatype(node, "inputDataType", idt);
        record_datatype(node, "outputDataType", DataType::smallest_holding(limits));
        changed = true;
    }
    model.set_datatype(node.output(0), datatype_of_attr(node, "outputDataType"));
    return changed;
}

// The C++ model parameters from the node (parameters at input 1), for cppsim and hw_codegen.
hls::ChannelwiseOpParams channelwise_op_params(const HwLayer& layer,
                                               const ParameterInputs& inputs) {
    hls::ChannelwiseOpParams p;
    p.channels = static_cast<unsigned>(layer.get_int("NumChannels"));
    p.pe = static_cast<unsigned>(layer.get_int("PE"));
    p.func = layer.get_string("Func");
    p.input = element_type(layer, "inputDataType");
    p.param = element_type(layer, "paramDataType");
    p.output = element_type(layer, "outputDataType");
    p.params = integer_values(layer, inputs, 1, "parameter");
    return p;
}

// hls/rtl/channelwise_op/channelwise_op.sv with the parameters as a $readmemh image.
HardwareModule channelwise_op_hardware(const HwLayer& layer) {
    const hls::ChannelwiseOpParams p = channelwise_op_params(layer, initializers_of(layer));
    const hls::ChannelwiseOpModel model =
        with_node_context(layer, [&] { return hls::ChannelwiseOpModel(p); });
    HardwareModule hw{.module = "channelwise_op", .parameters = {}, .memory_files = {}};
    const std::string file = memory_file_name(layer, "params");
    hw.memory_files.emplace_back(file, hls::readmemh_text(model.param_memory()));
    ParameterList params;
    params.add("CHANNELS", p.channels).add("PE", p.pe).add("FUNC", p.func);
    params.add("IN_BITS", p.input.bits).add("IN_SIGNED", p.input.is_signed);
    params.add("P_BITS", p.param.bits).add("P_SIGNED", p.param.is_signed);
    params.add("OUT_BITS", p.output.bits).add("SHARED_PARAMS", model.shared());
    params.add("PARAM_FILE", file).add("RAM_STYLE", layer.get_string("ram_style"));
    hw.parameters = params.take();
    return hw;
}

hls::WordStream cppsim_channelwise_op(const HwLayer& layer, const KernelContext& ctx,
                                      const hls::WordStream& input) {
    return with_node_context(layer, [&] {
        return hls::ChannelwiseOpModel(channelwise_op_params(layer, kernel_inputs_of(ctx)))
            .run(input);
    });
}

} // namespace

LayerDefinition channelwise_op_layer() {
    LayerDefinition d;
    d.op = "ChannelwiseOp";
    d.legacy_names = {"ChannelwiseOp_Batch"};
    d.min_inputs = 2;
    d.max_inputs = 2;
    d.has_hls = true;
    d.doc = "per-channel add/mul/compare";
    d.infer_shapes = si::float_outputs_like_input;
    d.attributes = &ChannelwiseOp::attributes;
    d.make = make_of<ChannelwiseOp>();
    d.infer_datatypes = infer_channelwise_op_datatypes;
    d.execute = execute_channelwise_op;
    d.generate_hardware = channelwise_op_hardware;
    d.cppsim = cppsim::stream_kernel(cppsim_channelwise_op);
    return d;
}

} // namespace finn::hw
