// DownSampler: the sliding window of a strided 1x1 convolution, which only drops pixels: it keeps
// every Stride-th row and column, starting at pixel 0 (FINN's downsampler.py; finn-hlslib's
// ConvolutionInputGenerator_{1D,2D}_kernel1). That is Im2Col with a 1x1 kernel and no padding,
// so an image of D pixels becomes (D - 1) / Stride + 1. spec/finn-ops.md §3.15.
#include "cppsim_streams.h"
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/hls/downsampler_model.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "folding_rules.h"
#include "hardware_params.h"
#include "reference_kernel_util.h"

namespace finn::hw {

using namespace detail;

class DownSampler : public HwLayer {
public:
    DownSampler(Model& model, Node node, Impl impl) : HwLayer(model, node, "DownSampler", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    bool fold(const FoldingGoal& goal) override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;

private:
    // [H, W] of an image of `dim` pixels along its non-unit axes.
    Shape image(std::int64_t dim) const;
};

std::vector<AttrDecl> DownSampler::attributes(Impl) {
    // ImgDim is one side: the image is square (2D) or a row or column (1D).
    return {int_attr("ImgDim", kRequired), int_attr("NumChannels", kRequired), int_attr("SIMD", 1),
            int_attr("Stride", kRequired), string_attr("inputDataType", kRequired),
            int_attr("numInputVectors", 1), int_attr("is1D", 0, kBool),
            // 1D only: the image is a column (D, 1) when set, else a row (1, D).
            int_attr("is1D_unitx", 1, kBool)};
}

std::vector<FoldingAttribute> DownSampler::folding_attributes() const {
    return {{"SIMD", divisors(get_int("NumChannels"))}};
}

bool DownSampler::fold(const FoldingGoal& goal) {
    fold_to_target(*this, "SIMD", get_int("NumChannels"), goal.target_cycles);
    return true;
}

Shape DownSampler::image(std::int64_t dim) const {
    if (get_int("is1D") == 0) return {dim, dim};
    return get_int("is1D_unitx") != 0 ? Shape{dim, 1} : Shape{1, dim};
}

// FINN's batch axis is numInputVectors.
Shape DownSampler::normal_input_shape(int) const {
    const Shape hw = image(get_int("ImgDim"));
    return {get_int("numInputVectors"), hw[0], hw[1], get_int("NumChannels")};
}

Shape DownSampler::normal_output_shape(int) const {
    const Shape hw = image((get_int("ImgDim") - 1) / get_int("Stride") + 1);
    return {get_int("numInputVectors"), hw[0], hw[1], get_int("NumChannels")};
}

Shape DownSampler::folded_input_shape(int) const {
    Shape s = normal_input_shape(0);
    const std::int64_t simd = get_int("SIMD");
    s.back() /= simd;
    s.push_back(simd);
    return s;
}

Shape DownSampler::folded_output_shape(int) const {
    Shape s = normal_output_shape(0);
    const std::int64_t simd = get_int("SIMD");
    s.back() /= simd;
    s.push_back(simd);
    return s;
}

// Every input pixel takes C/SIMD cycles, kept or dropped.
std::int64_t DownSampler::exp_cycles() const {
    const double dim = static_cast<double>(get_int("ImgDim"));
    const double pixels = get_int("is1D") != 0 ? dim : dim * dim;
    // FINN's float expression, truncated.
    return static_cast<std::int64_t>(static_cast<double>(get_int("NumChannels")) /
                                     static_cast<double>(get_int("SIMD")) *
                                     static_cast<double>(get_int("numInputVectors")) * pixels);
}

// --- definition ---------------------------------------------------------------------------------

namespace {

using namespace kernel;
namespace si = shape_inference;

std::int64_t downsampled(std::int64_t dim, std::int64_t stride) {
    return (dim - 1) / stride + 1;
}

void infer_downsampler(onnx::InferenceContext& ctx) {
    auto in = si::input_dims(ctx, 0);
    const std::int64_t stride = si::int_attr(ctx, "Stride", 0);
    if (!in || in->size() != 4 || stride < 1) return;
    // A unit axis of a 1D image stays 1.
    si::float_output(
        ctx, 0, {(*in)[0], downsampled((*in)[1], stride), downsampled((*in)[2], stride), (*in)[3]});
}

std::vector<Tensor> execute_downsampler(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_rank(ctx, x, 4, "input (N, H, W, C)");
    const std::int64_t n = x.shape()[0], h = x.shape()[1], w = x.shape()[2], c = x.shape()[3];
    const std::int64_t dim = declared_int(ctx, "ImgDim"), stride = declared_int(ctx, "Stride");
    if (stride < 1) ctx.fail("Stride must be positive, got " + str(stride));
    const bool is_1d = declared_int(ctx, "is1D") != 0;
    const bool column = declared_int(ctx, "is1D_unitx") != 0;
    const std::int64_t eh = !is_1d || column ? dim : 1, ew = !is_1d || !column ? dim : 1;
    if (h != eh || w != ew)
        ctx.fail("ImgDim " + str(dim) + " with is1D " + str(is_1d) +
                 (is_1d ? ", is1D_unitx " + str(column) : std::string()) + " means an [H, W] of [" +
                 str(eh) + ", " + str(ew) + "], but the input's is [" + str(h) + ", " + str(w) +
                 "]");
    if (declared_int(ctx, "NumChannels") != c)
        ctx.fail("NumChannels is " + str(declared_int(ctx, "NumChannels")) +
                 " but the input's channel count is " + str(c));

    const std::int64_t oh = downsampled(h, stride), ow = downsampled(w, stride);
    auto xv = x.to_doubles();
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(n * oh * ow * c));
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t oy = 0; oy < oh; ++oy)
            for (std::int64_t ox = 0; ox < ow; ++ox) {
                auto pixel = xv.begin() + ((b * h + oy * stride) * w + ox * stride) * c;
                out.insert(out.end(), pixel, pixel + c);
            }
    return {Tensor::from_doubles(x.type(), {n, oh, ow, c}, out)};
}

// The C++ model parameters from the node's attributes, for cppsim and hw_codegen alike.
hls::DownSamplerParams downsampler_params(const HwLayer& layer) {
    const Shape in = layer.normal_input_shape(0);
    hls::DownSamplerParams p;
    p.height = static_cast<unsigned>(in[1]);
    p.width = static_cast<unsigned>(in[2]);
    p.channels = static_cast<unsigned>(layer.get_int("NumChannels"));
    p.simd = static_cast<unsigned>(layer.get_int("SIMD"));
    p.stride = static_cast<unsigned>(layer.get_int("Stride"));
    return p;
}

// hls/rtl/downsampler/downsampler.sv: the elements are only moved, so only their width matters.
HardwareModule downsampler_hardware(const HwLayer& layer) {
    const hls::DownSamplerParams p = downsampler_params(layer);
    with_node_context(layer, [&] { return hls::DownSamplerModel(p); }); // checks the parameters
    ParameterList params;
    params.add("HEIGHT", p.height).add("WIDTH", p.width);
    params.add("CHANNELS", p.channels).add("SIMD", p.simd).add("STRIDE", p.stride);
    params.add("BITS", element_type(layer, "inputDataType").bits);
    return {.module = "downsampler", .parameters = params.take(), .memory_files = {}};
}

hls::WordStream cppsim_downsampler(const HwLayer& layer, const KernelContext&,
                                   const hls::WordStream& input) {
    return with_node_context(
        layer, [&] { return hls::DownSamplerModel(downsampler_params(layer)).run(input); });
}

} // namespace

LayerDefinition downsampler_layer() {
    LayerDefinition d;
    d.op = "DownSampler";
    d.has_hls = true;
    d.doc = "pixel subsampling of a strided 1x1 convolution";
    d.infer_shapes = infer_downsampler;
    d.attributes = &DownSampler::attributes;
    d.make = make_of<DownSampler>();
    d.infer_datatypes = outputs_keep_input_datatype("inputDataType");
    d.execute = execute_downsampler;
    d.generate_hardware = downsampler_hardware;
    d.cppsim = cppsim::stream_kernel(cppsim_downsampler);
    return d;
}

} // namespace finn::hw
