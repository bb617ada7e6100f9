// FMPadding: zero padding of an NHWC feature map, spec/finn-ops.md §3.5.
#include "cppsim_streams.h"
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/hls/fmpadding_model.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "folding_rules.h"
#include "hardware_params.h"
#include "reference_kernel_util.h"

namespace finn::hw {

using namespace detail;

class FMPadding : public HwLayer {
public:
    FMPadding(Model& model, Node node, Impl impl) : HwLayer(model, node, "FMPadding", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    bool fold(const FoldingGoal& goal) override;
    DataType output_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
};

std::vector<AttrDecl> FMPadding::attributes(Impl) {
    return {ints_attr("ImgDim", kRequired),          ints_attr("Padding", kRequired),
            int_attr("NumChannels", kRequired),      int_attr("SIMD", 1),
            string_attr("inputDataType", kRequired), int_attr("numInputVectors", 1)};
}

std::vector<FoldingAttribute> FMPadding::folding_attributes() const {
    return {{"SIMD", divisors(get_int("NumChannels"))}};
}

DataType FMPadding::output_datatype(int) const {
    return input_datatype(0);
}

namespace {
// Padding as [top, left, bottom, right] (a 2-value form means symmetric).
std::vector<std::int64_t> padding(const HwLayer& l) {
    auto p = l.get_ints("Padding");
    if (p.size() == 2) p = {p[0], p[1], p[0], p[1]};
    return p;
}
} // namespace

Shape FMPadding::normal_input_shape(int) const {
    const auto dim = get_ints("ImgDim");
    return {1, dim[0], dim[1], get_int("NumChannels")};
}

Shape FMPadding::normal_output_shape(int) const {
    const auto dim = get_ints("ImgDim");
    const auto p = padding(*this);
    return {1, dim[0] + p[0] + p[2], dim[1] + p[1] + p[3], get_int("NumChannels")};
}

Shape FMPadding::folded_input_shape(int) const {
    Shape s = normal_input_shape(0);
    const std::int64_t simd = get_int("SIMD");
    s.back() /= simd;
    s.push_back(simd);
    return s;
}

Shape FMPadding::folded_output_shape(int) const {
    Shape s = normal_output_shape(0);
    const std::int64_t simd = get_int("SIMD");
    s.back() /= simd;
    s.push_back(simd);
    return s;
}

std::int64_t FMPadding::exp_cycles() const {
    const Shape out = normal_output_shape(0);
    return (get_int("NumChannels") / get_int("SIMD")) * get_int("numInputVectors") * out[1] *
           out[2];
}

// FINN's SetFolding folds only FMPadding_hls (its simd_ops list has no FMPadding_rtl): the RTL
// variant, SpecializeLayers' default, is an op it does not know and keeps the SIMD InferConvInpGen
// gave it (all channels), with a warning.
bool FMPadding::fold(const FoldingGoal& goal) {
    if (impl() == Impl::Rtl) return false;
    fold_to_target(*this, "SIMD", get_int("NumChannels"), goal.target_cycles);
    return true;
}

// --- definition ---------------------------------------------------------------------------------

namespace {

using namespace kernel;
namespace si = shape_inference;

void infer_fmpadding(onnx::InferenceContext& ctx) {
    auto in = si::input_dims(ctx, 0);
    if (!in || in->size() != 4) return;
    si::Dims pad = si::ints_attr(ctx, "Padding", {0, 0, 0, 0});
    if (pad.size() == 2) pad = {pad[0], pad[1], pad[0], pad[1]};
    if (pad.size() != 4) fail_shape_inference("FMPadding: Padding must have 4 values");
    si::float_output(ctx, 0,
                     {(*in)[0], (*in)[1] + pad[0] + pad[2], (*in)[2] + pad[1] + pad[3], (*in)[3]});
}

std::vector<Tensor> execute_fm_padding(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_rank(ctx, x, 4, "input (N, H, W, C)");
    const std::int64_t n = x.shape()[0], h = x.shape()[1], w = x.shape()[2], c = x.shape()[3];
    auto pad = ctx.node.attr_ints("Padding");
    if (pad.size() == 2) pad = {pad[0], pad[1], pad[0], pad[1]};
    if (pad.size() != 4 || std::any_of(pad.begin(), pad.end(), [](auto v) { return v < 0; }))
        ctx.fail("Padding must be four non-negative integers [top, left, bottom, right]");
    check_pair_attr(ctx, "ImgDim", h, w, "the input's [H, W]");
    check_int_attr(ctx, "NumChannels", c, "the input's channel count");

    const std::int64_t oh = h + pad[0] + pad[2], ow = w + pad[1] + pad[3];
    auto xv = x.to_doubles();
    std::vector<double> out(static_cast<std::size_t>(n * oh * ow * c), 0.0);
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t y = 0; y < h; ++y)
            for (std::int64_t xx = 0; xx < w; ++xx)
                std::copy_n(xv.begin() + ((b * h + y) * w + xx) * c, c,
                            out.begin() + ((b * oh + y + pad[0]) * ow + xx + pad[1]) * c);
    return {Tensor::from_doubles(x.type(), {n, oh, ow, c}, out)};
}

// The C++ model parameters from the node's attributes, for cppsim and hw_codegen alike. Padding
// words are zero bit patterns, so the input type must hold 0.
hls::FmPaddingParams fmpadding_params(const HwLayer& layer) {
    const hls::ElementType type = element_type(layer, "inputDataType");
    if (type.bipolar)
        throw Error("node " + layer.node().describe() +
                    ": FMPadding pads with 0, which inputDataType BIPOLAR cannot hold");
    const auto dim = layer.get_ints("ImgDim");
    auto pad = layer.get_ints("Padding");
    if (pad.size() == 2) pad = {pad[0], pad[1], pad[0], pad[1]};
    if (dim.size() != 2 || pad.size() != 4 ||
        std::any_of(pad.begin(), pad.end(), [](auto v) { return v < 0; }))
        throw Error("node " + layer.node().describe() +
                    ": FMPadding needs ImgDim [H, W] and Padding [top, left, bottom, right] >= 0");
    hls::FmPaddingParams p;
    p.height = static_cast<unsigned>(dim[0]);
    p.width = static_cast<unsigned>(dim[1]);
    p.top = static_cast<unsigned>(pad[0]);
    p.left = static_cast<unsigned>(pad[1]);
    p.bottom = static_cast<unsigned>(pad[2]);
    p.right = static_cast<unsigned>(pad[3]);
    p.channels = static_cast<unsigned>(layer.get_int("NumChannels"));
    p.simd = static_cast<unsigned>(layer.get_int("SIMD"));
    p.bits = type.bits;
    return p;
}

// hls/rtl/fmpadding/fmpadding.sv.
HardwareModule fmpadding_hardware(const HwLayer& layer) {
    const hls::FmPaddingParams p = fmpadding_params(layer);
    with_node_context(layer, [&] { return hls::FmPaddingModel(p); }); // checks the parameters
    ParameterList params;
    params.add("IMG_H", p.height).add("IMG_W", p.width);
    params.add("PAD_TOP", p.top).add("PAD_LEFT", p.left);
    params.add("PAD_BOTTOM", p.bottom).add("PAD_RIGHT", p.right);
    params.add("CHANNELS", p.channels).add("SIMD", p.simd).add("BITS", p.bits);
    return {.module = "fmpadding", .parameters = params.take(), .memory_files = {}};
}

hls::WordStream cppsim_fmpadding(const HwLayer& layer, const KernelContext&,
                                 const hls::WordStream& input) {
    return with_node_context(
        layer, [&] { return hls::FmPaddingModel(fmpadding_params(layer)).run(input); });
}

} // namespace

LayerDefinition fmpadding_layer() {
    LayerDefinition d;
    d.op = "FMPadding";
    d.legacy_names = {"FMPadding_Batch"};
    d.has_hls = true;
    d.has_rtl = true;
    d.doc = "feature-map padding";
    d.infer_shapes = infer_fmpadding;
    d.attributes = &FMPadding::attributes;
    d.make = make_of<FMPadding>();
    d.infer_datatypes = outputs_keep_input_datatype("inputDataType");
    d.execute = execute_fm_padding;
    d.generate_hardware = fmpadding_hardware;
    d.cppsim = cppsim::stream_kernel(cppsim_fmpadding);
    return d;
}

} // namespace finn::hw
