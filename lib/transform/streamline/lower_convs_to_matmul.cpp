// qonnx's LowerConvsToMatMul: a convolution is a matrix product of the sliding windows (Im2Col
// in NHWC) with the reshaped weights; the hardware flow has MVAU and SWG for exactly that.
#include "finn/core/error.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/streamline_conv.h"
#include "streamline_util.h"

#include <cstring>

namespace finn {

namespace {

using namespace streamline;

std::string shape_string(const Shape& shape) {
    std::string text = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + ")";
}

// W (O, C/group, kh, kw) as the (kh*kw*C, O) matrix Im2Col's column order needs; a depthwise W
// (C, 1, kh, kw) is spread on the diagonal of a dense (C, C, kh, kw) first, as qonnx does.
Tensor weight_matrix(const Tensor& w, std::int64_t channels, bool depthwise) {
    const std::int64_t out = w.shape()[0], kh = w.shape()[2], kw = w.shape()[3];
    const std::int64_t rows = kh * kw * channels;
    // A rearrangement: elements are moved as they are (integer weights become float32 first).
    Tensor converted;
    const Tensor& source = is_floating(w.type()) ? w : (converted = w.cast(ElementType::Float32));
    const auto size = static_cast<std::int64_t>(element_size(source.type()));
    Tensor m(source.type(), {rows, out});
    for (std::int64_t o = 0; o < out; ++o)
        for (std::int64_t c = 0; c < channels; ++c) {
            if (depthwise && c != o) continue;
            const std::int64_t wc = depthwise ? 0 : c;
            const std::int64_t w_channels = depthwise ? 1 : channels;
            for (std::int64_t ky = 0; ky < kh; ++ky)
                for (std::int64_t kx = 0; kx < kw; ++kx) {
                    const std::int64_t row = (ky * kw + kx) * channels + c;
                    const std::int64_t from = ((o * w_channels + wc) * kh + ky) * kw + kx;
                    std::memcpy(m.bytes() + (row * out + o) * size, source.bytes() + from * size,
                                static_cast<std::size_t>(size));
                }
        }
    return m;
}

class LowerConvPattern : public RewritePattern {
public:
    std::string_view name() const override { return "LowerConvsToMatMul"; }
    bool match_and_rewrite(Model& model, Node conv) override {
        if (!conv.is_standard_op("Conv")) return false;
        // A Conv with computed weights is not lowered (qonnx needs them as a constant too).
        if (conv.input_count() < 2 || !model.has_initializer(conv.input(1))) return false;
        const auto in_shape = model.shape(conv.input(0));
        const auto out_shape = model.shape(conv.output(0));
        const Tensor w = model.initializer(conv.input(1));
        auto refuse = [&](const std::string& why) {
            throw Error("LowerConvsToMatMul: " + conv.describe() + ": " + why);
        };
        if (w.rank() != 4) refuse("only 2D convolutions are lowered");
        if (!in_shape || !out_shape || in_shape->size() != 4 || out_shape->size() != 4)
            refuse("the input and output shapes must be known and 4D (run InferShapes)");
        const std::string auto_pad = conv.attr_string("auto_pad", "NOTSET");
        if (auto_pad != "NOTSET") refuse("auto_pad " + auto_pad + " is not supported");
        const std::int64_t channels = (*in_shape)[1], out_channels = w.shape()[0];
        const std::int64_t group = conv.attr_int("group", 1);
        const bool depthwise = group > 1;
        if (depthwise && !(group == channels && out_channels == channels && w.shape()[1] == 1))
            refuse("only depthwise grouped convolutions (group == input == output channels) "
                   "are lowered");
        const std::int64_t kh = w.shape()[2], kw = w.shape()[3];
        const auto strides = conv.attr_ints("strides", {1, 1});
        const auto pads = conv.attr_ints("pads", {0, 0, 0, 0});
        const auto dilations = conv.attr_ints("dilations", {1, 1});
        if (strides.size() != 2 || pads.size() != 4 || dilations.size() != 2)
            refuse("strides, pads and dilations must describe a 2D convolution");

        const std::string x = conv.input(0), y = conv.output(0);
        const std::string bias = conv.input_count() > 2 ? conv.input(2) : "";
        const std::string weights = conv.input(1);
        const DataType in_type = model.datatype(x);
        const std::int64_t n = (*in_shape)[0], h = (*in_shape)[2], wd = (*in_shape)[3];
        const std::int64_t oh = (*out_shape)[2], ow = (*out_shape)[3];

        const std::string w_matrix =
            add_param(model, weights + "_matmul", weight_matrix(w, channels, depthwise));
        model.set_datatype(w_matrix, model.datatype(weights));
        if (depthwise)
            model.set_sparsity(w_matrix, "{'dw': {'kernel_shape': [" + std::to_string(kh) + ", " +
                                             std::to_string(kw) + "]}}");

        // The new nodes take the place of the Conv, as qonnx inserts them, so that the later node
        // names follow the same order.
        int position = model.index_of(conv);
        const std::string nhwc = model.fresh_name(x + "_nhwc");
        Node to_nhwc = model.insert_node(position++, "Transpose", {x}, {nhwc},
                                         model.fresh_node_name("Transpose"));
        to_nhwc.set_attr_ints("perm", {0, 2, 3, 1});
        model.set_shape(nhwc, {n, h, wd, channels});
        model.set_datatype(nhwc, in_type);

        std::string matmul_in = nhwc;
        const bool pointwise = kh == 1 && kw == 1 && strides == std::vector<std::int64_t>{1, 1} &&
                               pads == std::vector<std::int64_t>{0, 0, 0, 0};
        if (!pointwise) {
            matmul_in = model.fresh_name(x + "_im2col");
            Node im2col =
                model.insert_node(position++, "Im2Col", {nhwc}, {matmul_in},
                                  model.fresh_node_name("Im2Col"), domains::kQonnxGeneral);
            im2col.set_attr_ints("stride", strides);
            im2col.set_attr_ints("kernel_size", {kh, kw});
            im2col.set_attr_ints("pad_amount", pads);
            im2col.set_attr_string("input_shape", shape_string({n, h, wd, channels}));
            im2col.set_attr_int("depthwise", depthwise ? 1 : 0);
            im2col.set_attr_ints("dilations", dilations);
            model.set_shape(matmul_in, {n, oh, ow, kh * kw * channels});
            model.set_datatype(matmul_in, in_type);
        }

        std::string product = model.fresh_name(y + "_matmul");
        model.insert_node(position++, "MatMul", {matmul_in, w_matrix}, {product},
                          model.fresh_node_name("MatMul"));
        model.set_shape(product, {n, oh, ow, out_channels});
        if (!bias.empty()) {
            // The bias runs along the channels, the last axis in NHWC.
            const std::string b =
                add_param(model, bias + "_nhwc", model.initializer(bias).reshaped({out_channels}));
            const std::string biased = model.fresh_name(y + "_bias");
            model.insert_node(position++, "Add", {product, b}, {biased},
                              model.fresh_node_name("Add"));
            model.set_shape(biased, {n, oh, ow, out_channels});
            product = biased;
        }
        Node to_nchw = model.insert_node(position++, "Transpose", {product}, {y},
                                         model.fresh_node_name("Transpose"));
        to_nchw.set_attr_ints("perm", {0, 3, 1, 2});

        model.remove_node(position); // the Conv
        remove_if_unused(model, {weights});
        if (!bias.empty()) remove_if_unused(model, {bias});
        return true;
    }
};

} // namespace

bool LowerConvsToMatMul::run(Model& model) {
    return apply_pattern(model, std::make_unique<LowerConvPattern>());
}

} // namespace finn
