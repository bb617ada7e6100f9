// StreamingDataWidthConverter: repacks a stream into words of another width, spec §3.10.
#include "cppsim_streams.h"
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/core/error.h"
#include "finn/hls/width_converter_model.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "hardware_params.h"
#include "reference_kernel_util.h"

#include <cmath>
#include <numeric>

namespace finn::hw {

using namespace detail;

class StreamingDataWidthConverter : public HwLayer {
public:
    StreamingDataWidthConverter(Model& model, Node node, Impl impl)
        : HwLayer(model, node, "StreamingDataWidthConverter", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    DataType input_datatype(int index = 0) const override;
    DataType output_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    Resources resources(const std::string& fpga_part) const override;
};

std::vector<AttrDecl> StreamingDataWidthConverter::attributes(Impl) {
    return {ints_attr("shape", kRequired), int_attr("inWidth", kRequired),
            int_attr("outWidth", kRequired), string_attr("dataType", kRequired)};
}

DataType StreamingDataWidthConverter::input_datatype(int) const {
    return get_datatype("dataType");
}

DataType StreamingDataWidthConverter::output_datatype(int) const {
    return get_datatype("dataType");
}

Shape StreamingDataWidthConverter::normal_input_shape(int) const {
    return get_ints("shape");
}

Shape StreamingDataWidthConverter::normal_output_shape(int) const {
    return get_ints("shape");
}

namespace {
// FINN's folding (..., C/(width/bits), width/bits). Beyond FINN: when width/bits does not divide C
// (an MVAU reading a flattened conv output with a SIMD that does not divide the channels), the
// words run across pixels, (N, elements/(width/bits), width/bits), the folded shape of that
// MVAU's input; FINN fails there.
Shape fold_by_width(Shape s, std::int64_t width, std::int64_t bits) {
    const std::int64_t elems = width / bits;
    if (s.back() % elems != 0) {
        std::int64_t elements = 1;
        for (std::size_t k = 1; k < s.size(); ++k)
            elements *= s[k];
        return {s.front(), elements / elems, elems};
    }
    s.back() /= elems;
    s.push_back(elems);
    return s;
}
} // namespace

Shape StreamingDataWidthConverter::folded_input_shape(int) const {
    return fold_by_width(get_ints("shape"), get_int("inWidth"), input_datatype(0).bitwidth());
}

Shape StreamingDataWidthConverter::folded_output_shape(int) const {
    return fold_by_width(get_ints("shape"), get_int("outWidth"), input_datatype(0).bitwidth());
}

Resources StreamingDataWidthConverter::resources(const std::string&) const {
    // Counters and word registers around the intermediate width lcm(in, out).
    const std::int64_t in = get_int("inWidth"), out = get_int("outWidth");
    const std::int64_t l = std::lcm(in, out);
    auto log_ratio = [](double a, double b) {
        return static_cast<std::int64_t>(std::abs(std::ceil(std::log2(a / b))));
    };
    const std::int64_t cnt =
        (in != l ? log_ratio(static_cast<double>(in), static_cast<double>(l)) : 0) +
        (l != out ? log_ratio(static_cast<double>(l), static_cast<double>(out)) : 0);
    const std::int64_t cset = (in != l ? l : 0) + (l != out ? out : 0);
    Resources r;
    r.lut = cnt + cset;
    return r;
}

// --- definition ---------------------------------------------------------------------------------

namespace {

using namespace kernel;
namespace si = shape_inference;

// The width converter's `shape` attribute is the normal shape it was built for.
std::vector<Tensor> execute_data_width_converter(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    if (ctx.node.has_attr("shape") && ctx.node.attr_ints("shape") != x.shape())
        ctx.fail("input " + shape_to_string(x.shape()) + " does not have the converter's shape " +
                 shape_to_string(ctx.node.attr_ints("shape")));
    return {x};
}

// cppsim: the words cut into words of outWidth bits (hls and rtl variants alike).
hls::WordStream cppsim_data_width_converter(const HwLayer& layer, const KernelContext&,
                                            const hls::WordStream& input) {
    return hls::WidthConverterModel(static_cast<unsigned>(layer.get_int("inWidth")),
                                    static_cast<unsigned>(layer.get_int("outWidth")))
        .run(input);
}

// RTL DWC only converts between widths that divide one another.
std::string dwc_impl_style(const Node& node) {
    const std::int64_t in = node.attr_int("inWidth"), out = node.attr_int("outWidth");
    if (in <= 0 || out <= 0)
        throw Error("SpecializeLayers: node " + node.describe() +
                    ": inWidth and outWidth must be positive");
    return in % out == 0 || out % in == 0 ? "rtl" : "hls";
}

std::string choose_dwc_impl(const ImplRequest& r) {
    if (r.preferred.empty()) return dwc_impl_style(r.node);
    if (r.preferred != "rtl") return generic_impl_style(r);
    if (dwc_impl_style(r.node) == "rtl") return "rtl";
    r.warn("RTL implementation of DWC requires stream widths that are integer width ratios "
           "from each other. Node " +
           r.label + " will automatically be set to HLS variant.");
    return "hls";
}

// hls/rtl/common/streaming_dwc.sv, any ratio of the node's widths.
HardwareModule data_width_converter_hardware(const HwLayer& layer) {
    ParameterList params;
    params.add("IN_WIDTH", layer.get_int("inWidth")).add("OUT_WIDTH", layer.get_int("outWidth"));
    return {.module = "streaming_dwc", .parameters = params.take(), .memory_files = {}};
}

} // namespace

LayerDefinition data_width_converter_layer() {
    LayerDefinition d;
    d.op = "StreamingDataWidthConverter";
    d.legacy_names = {"StreamingDataWidthConverter_Batch"};
    d.has_hls = true;
    d.has_rtl = true;
    d.doc = "stream width conversion";
    d.infer_shapes = si::stream_passes_through;
    d.attributes = &StreamingDataWidthConverter::attributes;
    d.make = make_of<StreamingDataWidthConverter>();
    d.infer_datatypes = outputs_keep_input_datatype("dataType");
    d.execute = execute_data_width_converter;
    d.generate_hardware = data_width_converter_hardware;
    d.choose_impl = choose_dwc_impl;
    d.cppsim = cppsim::stream_kernel(cppsim_data_width_converter);
    return d;
}

} // namespace finn::hw
