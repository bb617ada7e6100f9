// StreamingFIFO: a shift-register (rtl) or Vivado AXI-Stream FIFO, spec/finn-ops.md §3.11.
#include "cppsim_streams.h"
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/hls/streaming_fifo_model.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "hardware_params.h"
#include "reference_kernel_util.h"

#include <algorithm>
#include <cmath>

namespace finn::hw {

using namespace detail;

class StreamingFIFO : public HwLayer {
public:
    StreamingFIFO(Model& model, Node node, Impl impl)
        : HwLayer(model, node, "StreamingFIFO", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    DataType input_datatype(int index = 0) const override;
    DataType output_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    Resources resources(const std::string& fpga_part) const override;
    // impl_style vivado rounds the depth up to a power of two.
    std::int64_t adjusted_depth() const;
};

std::vector<AttrDecl> StreamingFIFO::attributes(Impl) {
    return {int_attr("depth", kRequired),
            ints_attr("folded_shape", kRequired),
            ints_attr("normal_shape", kRequired),
            string_attr("dataType", kRequired),
            string_attr("ram_style", "auto", {"auto", "block", "distributed", "ultra"}),
            int_attr("depth_monitor", 0, kBool),
            string_attr("impl_style", "rtl", {"rtl", "vivado"})};
}

DataType StreamingFIFO::input_datatype(int) const {
    return get_datatype("dataType");
}

DataType StreamingFIFO::output_datatype(int) const {
    return get_datatype("dataType");
}

Shape StreamingFIFO::normal_input_shape(int) const {
    return get_ints("normal_shape");
}

Shape StreamingFIFO::normal_output_shape(int) const {
    return get_ints("normal_shape");
}

Shape StreamingFIFO::folded_input_shape(int) const {
    return get_ints("folded_shape");
}

Shape StreamingFIFO::folded_output_shape(int) const {
    return get_ints("folded_shape");
}

std::int64_t StreamingFIFO::adjusted_depth() const {
    std::int64_t depth = get_int("depth");
    if (get_string("impl_style") != "vivado") return depth;
    std::int64_t pow2 = 1;
    while (pow2 < depth)
        pow2 *= 2;
    return pow2;
}

Resources StreamingFIFO::resources(const std::string&) const {
    const std::int64_t width = outstream_width(0), depth = adjusted_depth();
    const std::string impl = get_string("impl_style"), style = get_string("ram_style");
    Resources r;
    if (impl == "vivado" && style == "block") r.bram_18k = bram18_sdp(width, depth);
    if (impl == "vivado" && style == "ultra") r.uram = ceil_div(depth, 4096) * ceil_div(width, 72);
    const std::int64_t address_bits = static_cast<std::int64_t>(
        std::ceil(std::log2(static_cast<double>(std::max<std::int64_t>(depth, 1)))));
    r.lut = 2 * address_bits;
    if (impl == "rtl" || (impl == "vivado" && style == "distributed"))
        r.lut += ceil_div(depth, 32) * ceil_div(width, 2);
    return r;
}

// --- definition ---------------------------------------------------------------------------------

namespace {

namespace si = shape_inference;

// The bits of a count up to `value` ($clog2(value + 1)).
std::int64_t bit_width_of(std::int64_t value) {
    std::int64_t bits = 0;
    while ((std::int64_t{1} << bits) <= value)
        ++bits;
    return bits;
}

// hls/rtl/common/streaming_fifo.sv; capacity exactly `depth` words (impl_style vivado: FINN's
// power of two).
HardwareModule streaming_fifo_hardware(const HwLayer& layer) {
    const auto& fifo = static_cast<const StreamingFIFO&>(layer);
    ParameterList params;
    params.add("DEPTH", fifo.adjusted_depth()).add("WIDTH", layer.instream_width(0));
    params.add("RAM_STYLE", layer.get_string("ram_style"));
    HardwareModule hw{.module = "streaming_fifo", .parameters = params.take(), .memory_files = {}};
    // The depth monitor (depth_monitor = 1): the highest occupancy since reset, $clog2(DEPTH + 1)
    // bits as the module declares it.
    if (layer.get_int("depth_monitor"))
        hw.monitor_outputs.emplace_back("maxcount", bit_width_of(fifo.adjusted_depth()));
    return hw;
}

// cppsim: the words through a FIFO of `depth` words (the stream's width: the folded shape's
// innermost dimension times the datatype's bits).
hls::WordStream cppsim_streaming_fifo(const HwLayer& layer, const KernelContext&,
                                      const hls::WordStream& input) {
    hls::StreamingFifoModel fifo(static_cast<unsigned>(layer.get_int("depth")),
                                 static_cast<unsigned>(layer.outstream_width(0)));
    return fifo.run(input);
}

} // namespace

LayerDefinition streaming_fifo_layer() {
    LayerDefinition d;
    d.op = "StreamingFIFO";
    d.has_rtl = true;
    d.doc = "FIFO";
    d.infer_shapes = si::stream_passes_through;
    d.attributes = &StreamingFIFO::attributes;
    d.make = make_of<StreamingFIFO>();
    d.infer_datatypes = outputs_keep_input_datatype("dataType");
    d.execute = kernel::identity;
    d.generate_hardware = streaming_fifo_hardware;
    d.cppsim = cppsim::stream_kernel(cppsim_streaming_fifo);
    return d;
}

} // namespace finn::hw
