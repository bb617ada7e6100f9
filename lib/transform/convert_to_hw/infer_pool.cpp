#include "convert_to_hw_util.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/convert_to_hw.h"

#include <algorithm>

namespace finn {

using namespace hw_convert;

namespace {

bool is_pool(const Node& node) {
    return node.is_standard_op("MaxPool") || node.is_general_op("QuantAvgPool2d") ||
           node.is_general_op("MaxPoolNHWC");
}

// A pooling node's window, whatever its op type.
struct Window {
    std::int64_t kh = 0, kw = 0, sh = 1, sw = 1;
    std::vector<std::int64_t> pads{0, 0, 0, 0};
    bool nchw = true;
};

std::optional<Window> window_of(const Node& node) {
    Window w;
    if (node.is_general_op("QuantAvgPool2d")) {
        w.kh = w.kw = node.attr_int("kernel");
        w.sh = w.sw = node.attr_int("stride");
        w.nchw = node.attr_string("data_layout", "NCHW") == "NCHW";
        return w;
    }
    const auto k = node.attr_ints("kernel_shape", {});
    const auto s = node.attr_ints("strides", {1, 1});
    w.pads = node.attr_ints("pads", {0, 0, 0, 0});
    if (k.size() != 2 || s.size() != 2 || w.pads.size() != 4) return std::nullopt;
    w.kh = k[0], w.kw = k[1], w.sh = s[0], w.sw = s[1];
    w.nchw = node.is_standard_op("MaxPool");
    return w;
}

} // namespace

std::string InferPool::unsupported_reason(Model& model, const Node& node) {
    if (!is_pool(node)) return "not a MaxPool, QuantAvgPool2d or MaxPoolNHWC";
    auto in = model.shape(node.input(0)), out = model.shape(node.output(0));
    if (!in || in->size() != 4 || !out || out->size() != 4)
        return "input and output need known 4D shapes";
    if ((*in)[0] != 1) return "batch size " + std::to_string((*in)[0]) + "; Pool needs 1";
    const DataType idt = model.datatype(node.input(0));
    if (!idt.is_integer())
        return "input '" + node.input(0) + "' has datatype " + idt.name() + ", not an integer type";
    auto w = window_of(node);
    if (!w) return "kernel_shape and strides need two values and pads four";
    if (w->kh < w->sh || w->kw < w->sw)
        return "its stride is larger than its kernel (windows that skip pixels)";
    if (node.is_general_op("MaxPoolNHWC") &&
        InferStreamingMaxPool::unsupported_reason(model, node).empty())
        return "StreamingMaxPool applies (InferStreamingMaxPool converts it)";
    if (node.is_standard_op("MaxPool")) {
        if (node.output_count() > 1 && !node.output(1).empty()) return "its Indices output is used";
        if (node.attr_string("auto_pad", "NOTSET") != "NOTSET")
            return "auto_pad " + node.attr_string("auto_pad") + " is not supported";
        const auto d = node.attr_ints("dilations", {1, 1});
        if (std::any_of(d.begin(), d.end(), [](auto v) { return v != 1; }))
            return "dilated pooling is not supported";
    }
    const bool padded = std::any_of(w->pads.begin(), w->pads.end(), [](auto p) { return p != 0; });
    // The padding becomes an FMPadding, which pads with 0; max pooling pads with the minimum.
    if (padded && idt.min() != 0)
        return "it pads a " + idt.name() +
               " input, which needs a pad value equal to its minimum; FMPadding pads with 0";
    if (node.is_general_op("QuantAvgPool2d")) {
        if (padded) return "QuantAvgPool2d with padding is not supported";
        if (idt.bitwidth() != node.attr_int("ibits"))
            return "its input datatype " + idt.name() +
                   " does not have ibits = " + std::to_string(node.attr_int("ibits")) +
                   " bits (Pool derives the shift from the datatype)";
        const DataType odt = model.datatype(node.output(0));
        if (!odt.is_integer()) return "its output datatype " + odt.name() + " is not an integer";
    }
    // Im2Col + Pool compute floor-mode windows; ceil mode must not add one.
    const Shape& i = *in;
    const std::int64_t h = w->nchw ? i[2] : i[1], wd = w->nchw ? i[3] : i[2];
    const std::int64_t oh = (h + w->pads[0] + w->pads[2] - w->kh) / w->sh + 1;
    const std::int64_t ow = (wd + w->pads[1] + w->pads[3] - w->kw) / w->sw + 1;
    const std::int64_t out_h = w->nchw ? (*out)[2] : (*out)[1];
    const std::int64_t out_w = w->nchw ? (*out)[3] : (*out)[2];
    if (oh != out_h || ow != out_w)
        return "its output " + shape_to_string(*out) +
               " is not what floor-mode windows give (ceil_mode is not supported)";
    return "";
}

namespace {

// Shift of QuantAvgPool2d: the window sum's bits beyond obits (qonnx's get_shifts).
std::int64_t avg_pool_shift(const Node& node, std::int64_t* accum_bits) {
    const std::int64_t k = node.attr_int("kernel");
    const std::int64_t max_sum = ((std::int64_t{1} << node.attr_int("ibits")) - 1) * k * k;
    std::int64_t bits = 0;
    while (max_sum >> bits)
        ++bits;
    *accum_bits = bits;
    return std::max<std::int64_t>(0, bits - node.attr_int("obits"));
}

bool convert(Model& model, Node node) {
    if (!is_pool(node)) return false;
    if (!InferPool::unsupported_reason(model, node).empty()) return false;
    const Window w = *window_of(node);
    std::string input = node.input(0), output = node.output(0);
    const std::string name = node.name();
    const DataType idt = model.datatype(input);
    const bool max = !node.is_general_op("QuantAvgPool2d");
    const DataType odt = max ? idt : model.datatype(output);
    std::int64_t accum_bits = 0, shift = 0;
    if (!max) shift = avg_pool_shift(node, &accum_bits);

    int index = model.index_of(node);
    if (w.nchw) {
        input = nhwc_input(model, index, input, idt);
        output = add_nhwc_transpose(model, index + 1, output, false, odt);
    }
    const Shape in = *model.shape(input), out = *model.shape(output);
    const std::int64_t c = in[3];
    const std::string windows = model.fresh_name(output + "_windows");
    model.set_shape(windows, {in[0], out[1], out[2], w.kh * w.kw * c});
    model.set_datatype(windows, idt);
    Node im2col = model.insert_node(index++, "Im2Col", {input}, {windows}, "Im2Col_" + name,
                                    domains::kQonnxGeneral);
    set_attrs(im2col, {{"stride", Shape{w.sh, w.sw}},
                       {"kernel_size", Shape{w.kh, w.kw}},
                       {"pad_amount", w.pads},
                       {"pad_value", static_cast<std::int64_t>(max ? idt.min() : 0)},
                       {"depthwise", 1},
                       {"input_shape", "(1," + std::to_string(in[1]) + "," + std::to_string(in[2]) +
                                           "," + std::to_string(c) + ")"}});
    // PE = C: FINN's Pool expects the whole channel vector of each window position at once.
    replace_with_hw_node(model, index, "Pool", {windows}, {output}, "Pool_" + name,
                         {{"InputDataType", idt.name()},
                          {"OutputDataType", odt.name()},
                          {"Channels", c},
                          {"PE", c},
                          {"KernelSize", Shape{w.kh, w.kw}},
                          {"Function", std::string(max ? "MaxPool" : "QuantAvgPool")},
                          {"OutImgDims", Shape{out[1], out[2]}},
                          {"AccumBits", accum_bits},
                          {"Size", shift},
                          {"BatchSize", 1}});
    return true;
}

} // namespace

bool InferPool::run(Model& model) {
    return convert_all(model, std::string(name()), convert);
}

} // namespace finn
