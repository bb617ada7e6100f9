// DuplicateStreams: copies one stream to NumOutputStreams outputs, spec/finn-ops.md §3.8.
#include "channel_stream_layer.h"
#include "cppsim_streams.h"
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/core/error.h"
#include "finn/hls/duplicate_streams_model.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "hardware_params.h"
#include "reference_kernel_util.h"

namespace finn::hw {

using namespace detail;

class DuplicateStreams : public ChannelStreamLayer {
public:
    DuplicateStreams(Model& model, Node node, Impl impl)
        : ChannelStreamLayer(model, node, "DuplicateStreams", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
};

std::vector<AttrDecl> DuplicateStreams::attributes(Impl) {
    return {int_attr("NumChannels", kRequired), int_attr("PE", kRequired),
            int_attr("NumOutputStreams", kRequired), string_attr("inputDataType", kRequired),
            ints_attr("numInputVectors", nlohmann::json::array({1}))};
}

// --- definition ---------------------------------------------------------------------------------

namespace {

using namespace kernel;
namespace si = shape_inference;

std::vector<Tensor> execute_duplicate_streams(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    const int outputs = ctx.node.output_count();
    check_int_attr(ctx, "NumOutputStreams", outputs, "the node's output count");
    if (x.rank() > 0) check_int_attr(ctx, "NumChannels", x.shape().back(), "the input's channels");
    return std::vector<Tensor>(static_cast<std::size_t>(outputs), x);
}

// hls/rtl/duplicate_streams/duplicate_streams.sv: the word width and the output count.
HardwareModule duplicate_streams_hardware(const HwLayer& layer) {
    const hls::ElementType type = element_type(layer, "inputDataType");
    const std::int64_t outputs = layer.get_int("NumOutputStreams");
    if (outputs != layer.node().output_count())
        throw Error("node " + layer.node().describe() + ": NumOutputStreams is " +
                    std::to_string(outputs) + " but the node has " +
                    std::to_string(layer.node().output_count()) + " outputs");
    ParameterList params;
    params.add("WIDTH", layer.get_int("PE") * type.bits).add("OUTPUTS", outputs);
    return {.module = "duplicate_streams", .parameters = params.take(), .memory_files = {}};
}

std::vector<hls::WordStream> cppsim_duplicate_streams(const HwLayer& layer, const KernelContext&,
                                                      const std::vector<hls::WordStream>& inputs) {
    return with_node_context(layer, [&] {
        return hls::DuplicateStreamsModel(static_cast<unsigned>(layer.node().output_count()))
            .run(inputs.at(0));
    });
}

} // namespace

LayerDefinition duplicate_streams_layer() {
    LayerDefinition d;
    d.op = "DuplicateStreams";
    d.legacy_names = {"DuplicateStreams_Batch"};
    d.max_outputs = 16;
    d.has_hls = true;
    d.doc = "stream fan-out";
    d.infer_shapes = si::float_outputs_like_input;
    d.attributes = &DuplicateStreams::attributes;
    d.make = make_of<DuplicateStreams>();
    d.infer_datatypes = outputs_keep_input_datatype("inputDataType");
    d.execute = execute_duplicate_streams;
    d.generate_hardware = duplicate_streams_hardware;
    d.cppsim = cppsim::streams_kernel(cppsim_duplicate_streams);
    return d;
}

} // namespace finn::hw
