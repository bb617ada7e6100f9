// AddStreams: element-wise sum of two streams, spec/finn-ops.md §3.9.
#include "channel_stream_layer.h"
#include "cppsim_streams.h"
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/hls/add_streams_model.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "hardware_params.h"
#include "reference_kernel_util.h"

namespace finn::hw {

using namespace detail;

class AddStreams : public ChannelStreamLayer {
public:
    AddStreams(Model& model, Node node, Impl impl)
        : ChannelStreamLayer(model, node, "AddStreams", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    DataType output_datatype(int index = 0) const override;
};

std::vector<AttrDecl> AddStreams::attributes(Impl) {
    return {int_attr("NumChannels", kRequired), int_attr("PE", kRequired),
            string_attr("inputDataType", kRequired),
            ints_attr("numInputVectors", nlohmann::json::array({1}))};
}

DataType AddStreams::output_datatype(int) const {
    // One bit more than the inputs: the smallest type holding twice their extreme.
    const DataType idt = input_datatype(0);
    return DataType::smallest_possible(2 * (idt.is_signed() ? idt.min() : idt.max()));
}

// --- definition ---------------------------------------------------------------------------------

namespace {

using namespace kernel;
namespace si = shape_inference;

std::vector<Tensor> execute_add_streams(const KernelContext& ctx) {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    if (a.shape() != b.shape())
        ctx.fail("inputs must have the same shape, got " + shape_to_string(a.shape()) + " and " +
                 shape_to_string(b.shape()));
    if (a.rank() > 0) check_int_attr(ctx, "NumChannels", a.shape().back(), "the input's channels");
    auto av = a.to_doubles();
    auto bv = b.to_doubles();
    for (std::size_t i = 0; i < av.size(); ++i)
        av[i] += bv[i];
    return {float_tensor(a.shape(), av)};
}

// The sum of two values needs one more bit.
bool infer_add_streams_datatypes(Model& model, Node& node) {
    const DataType idt = input_datatype_of(model, node);
    const bool changed = record_datatype(node, "inputDataType", idt);
    model.set_datatype(node.output(0),
                       DataType::smallest_possible(2 * (idt.is_signed() ? idt.min() : idt.max())));
    return changed;
}

// The C++ model parameters from the node, for cppsim and hw_codegen alike.
hls::AddStreamsParams add_streams_params(const HwLayer& layer) {
    hls::AddStreamsParams p;
    p.channels = static_cast<unsigned>(layer.get_int("NumChannels"));
    p.pe = static_cast<unsigned>(layer.get_int("PE"));
    p.input = element_type(layer, "inputDataType");
    p.output = element_type_of(layer, layer.output_datatype(0), "output datatype");
    return p;
}

HardwareModule add_streams_hardware(const HwLayer& layer) {
    const hls::AddStreamsParams p = add_streams_params(layer);
    with_node_context(layer, [&] { return hls::AddStreamsModel(p); });
    ParameterList params;
    params.add("CHANNELS", p.channels).add("PE", p.pe);
    params.add("IN_BITS", p.input.bits).add("IN_SIGNED", p.input.is_signed);
    params.add("OUT_BITS", p.output.bits);
    return {.module = "add_streams", .parameters = params.take(), .memory_files = {}};
}

std::vector<hls::WordStream> cppsim_add_streams(const HwLayer& layer, const KernelContext&,
                                                const std::vector<hls::WordStream>& inputs) {
    return with_node_context(layer, [&] {
        return std::vector<hls::WordStream>{
            hls::AddStreamsModel(add_streams_params(layer)).run(inputs.at(0), inputs.at(1))};
    });
}

} // namespace

LayerDefinition add_streams_layer() {
    LayerDefinition d;
    d.op = "AddStreams";
    d.legacy_names = {"AddStreams_Batch"};
    d.min_inputs = 2;
    d.max_inputs = 2;
    d.stream_inputs = 2;
    d.has_hls = true;
    d.doc = "element-wise addition of two streams";
    d.infer_shapes = si::float_outputs_like_input;
    d.attributes = &AddStreams::attributes;
    d.make = make_of<AddStreams>();
    d.infer_datatypes = infer_add_streams_datatypes;
    d.execute = execute_add_streams;
    d.generate_hardware = add_streams_hardware;
    d.cppsim = cppsim::streams_kernel(cppsim_add_streams);
    return d;
}

} // namespace finn::hw
