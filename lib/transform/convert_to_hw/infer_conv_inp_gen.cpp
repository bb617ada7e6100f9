#include "convert_to_hw_util.h"
#include "finn/core/error.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/convert_to_hw.h"

#include <algorithm>

namespace finn {

using namespace hw_convert;

namespace {

std::vector<std::int64_t> pair_attr(const Node& node, const std::string& name,
                                    std::vector<std::int64_t> fallback) {
    auto v = node.attr_ints(name, fallback);
    if (v.size() == 1) v.push_back(v[0]);
    return v;
}

// A 1x1 window with a stride only drops pixels: FINN's DownSampler instead of a sliding window.
bool is_downsampling(const std::vector<std::int64_t>& kernel,
                     const std::vector<std::int64_t>& stride) {
    return kernel[0] == 1 && kernel[1] == 1 && (stride[0] > 1 || stride[1] > 1);
}

// [H, W] of the window generator's input: the Im2Col's input after its padding.
Shape padded_dim(const Node& im2col, const Shape& in) {
    const auto pad = im2col.attr_ints("pad_amount", {0, 0, 0, 0});
    return {in[1] + pad[0] + pad[2], in[2] + pad[1] + pad[3]};
}

bool is_1d_image(const Shape& dim) {
    return dim[0] == 1 || dim[1] == 1;
}

} // namespace

std::string InferConvInpGen::unsupported_reason(Model& model, const Node& node) {
    if (!node.is_general_op("Im2Col")) return "not an Im2Col";
    const std::string& input = node.input(0);
    const DataType idt = model.datatype(input);
    if (!idt.is_integer())
        return "input '" + input + "' has datatype " + idt.name() + ", not an integer type";
    auto in = model.shape(input);
    auto out = model.shape(node.output(0));
    if (!in || in->size() != 4 || !out || out->size() != 4)
        return "input and output need known 4D (N, H, W, C) shapes";
    const auto stride = pair_attr(node, "stride", {1, 1});
    const auto kernel = pair_attr(node, "kernel_size", {1, 1});
    if (stride.size() != 2 || kernel.size() != 2 ||
        node.attr_ints("pad_amount", {0, 0, 0, 0}).size() != 4)
        return "stride and kernel_size need two values and pad_amount four";
    if (is_downsampling(kernel, stride)) {
        const Shape dim = padded_dim(node, *in);
        if (!is_1d_image(dim) && (dim[0] != dim[1] || stride[0] != stride[1]))
            return "a strided 1x1 kernel becomes FINN's DownSampler only on a 1D or square "
                   "image with equal strides, not on [" +
                   std::to_string(dim[0]) + ", " + std::to_string(dim[1]) + "] (padded) with " +
                   "stride [" + std::to_string(stride[0]) + ", " + std::to_string(stride[1]) + "]";
    }
    return "";
}

namespace {

bool convert(Model& model, Node node) {
    if (!node.is_general_op("Im2Col")) return false;
    if (!InferConvInpGen::unsupported_reason(model, node).empty()) return false;
    const std::string input = node.input(0), output = node.output(0), name = node.name();
    const DataType dt = model.datatype(input);
    const Shape in = *model.shape(input), out = *model.shape(output);
    const auto stride = pair_attr(node, "stride", {1, 1});
    const auto kernel = pair_attr(node, "kernel_size", {1, 1});
    const auto dilation = pair_attr(node, "dilations", {1, 1});
    const auto pad = node.attr_ints("pad_amount", {0, 0, 0, 0});
    const std::int64_t pad_h = pad[0] + pad[2], pad_w = pad[1] + pad[3];
    const std::int64_t channels = in[3];
    const bool is_1d = in[1] == 1 || in[2] == 1;
    const std::int64_t depthwise = node.attr_int("depthwise", 0);
    const std::int64_t pad_value = node.attr_int("pad_value", 0);

    int index = model.index_of(node);
    std::string swg_input = input;
    Shape swg_dim = {in[1], in[2]};
    if (pad_h > 0 || pad_w > 0) {
        if (pad_value != 0)
            throw Error(where(node) + ": pad_value " + std::to_string(pad_value) +
                        " is not supported; FMPadding pads with 0");
        swg_dim = {in[1] + pad_h, in[2] + pad_w};
        swg_input = model.fresh_name(output + "_padded");
        model.set_shape(swg_input, {in[0], swg_dim[0], swg_dim[1], channels});
        model.set_datatype(swg_input, dt);
        Node padding = model.insert_node(index++, "FMPadding", {input}, {swg_input},
                                         "FMPadding_Batch_" + name, domains::kFpgaDataflow);
        set_attrs(padding, {{"ImgDim", Shape{in[1], in[2]}},
                            {"Padding", pad},
                            {"NumChannels", channels},
                            {"inputDataType", dt.name()},
                            {"SIMD", channels},
                            {"backend", std::string("fpgadataflow")}});
    }
    if (is_downsampling(kernel, stride)) {
        // A 1D image is strided along its long axis only; FINN takes the larger of the two
        // strides, which differs when only the unit axis is strided (Im2Col then keeps every
        // pixel).
        const bool column = swg_dim[1] == 1;
        const std::int64_t step = !is_1d_image(swg_dim) || column ? stride[0] : stride[1];
        replace_with_hw_node(model, index, "DownSampler", {swg_input}, {output},
                             "DownSampler_" + name,
                             {{"ImgDim", std::max(swg_dim[0], swg_dim[1])},
                              {"NumChannels", channels},
                              {"SIMD", channels},
                              {"Stride", step},
                              {"inputDataType", dt.name()},
                              {"is1D", is_1d_image(swg_dim) ? 1 : 0},
                              {"is1D_unitx", column ? 1 : 0}});
        return true;
    }
    replace_with_hw_node(model, index, "ConvolutionInputGenerator", {swg_input}, {output},
                         "ConvolutionInputGenerator_" + name,
                         {{"ConvKernelDim", kernel},
                          {"IFMChannels", channels},
                          {"IFMDim", swg_dim},
                          {"OFMDim", Shape{out[1], out[2]}},
                          {"SIMD", channels},
                          {"Stride", stride},
                          {"Dilation", dilation},
                          {"inputDataType", dt.name()},
                          {"outputDataType", dt.name()},
                          {"depthwise", depthwise},
                          {"is1D", is_1d ? 1 : 0}});
    return true;
}

} // namespace

bool InferConvInpGen::run(Model& model) {
    return convert_all(model, std::string(name()), convert);
}

} // namespace finn
