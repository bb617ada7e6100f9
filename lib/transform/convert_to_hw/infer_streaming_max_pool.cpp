#include "convert_to_hw_util.h"
#include "finn/transform/convert_to_hw.h"

#include <algorithm>

namespace finn {

using namespace hw_convert;

std::string InferStreamingMaxPool::unsupported_reason(Model& model, const Node& node) {
    if (!node.is_general_op("MaxPoolNHWC")) return "not a MaxPoolNHWC";
    auto in = model.shape(node.input(0));
    if (!in || in->size() != 4) return "input needs a known 4D (N, H, W, C) shape";
    const auto k = node.attr_ints("kernel_shape", {});
    const auto s = node.attr_ints("strides", {1, 1});
    if (k.size() != 2 || s.size() != 2) return "kernel_shape and strides need two values";
    if (k != s)
        return "stride is not equal to kernel (StreamingMaxPool pools non-overlapping windows; "
               "other windows are InferPool's case)";
    // FINN ignores pads; StreamingMaxPool has none.
    const auto pads = node.attr_ints("pads", {0, 0, 0, 0});
    if (std::any_of(pads.begin(), pads.end(), [](auto p) { return p != 0; }))
        return "it pads its input, which StreamingMaxPool cannot";
    const std::int64_t h = (*in)[1], w = (*in)[2];
    const bool is_1d = (h == 1 && k[0] == 1) || (w == 1 && k[1] == 1);
    if (is_1d && model.datatype(node.input(0)) == DataType::bipolar())
        return "1D StreamingMaxPool does not support BIPOLAR inputs";
    // FINN's test, kept as is: one divisible dimension suffices.
    if (!is_1d && h % k[0] != 0 && w % k[1] != 0)
        return "neither image dimension is divisible by the kernel";
    return "";
}

namespace {

bool convert(Model& model, Node node) {
    if (!node.is_general_op("MaxPoolNHWC")) return false;
    if (!InferStreamingMaxPool::unsupported_reason(model, node).empty()) return false;
    const Shape in = *model.shape(node.input(0));
    replace_with_hw_node(model, model.index_of(node), "StreamingMaxPool", {node.input(0)},
                         {node.output(0)}, "StreamingMaxPool_" + node.name(),
                         {{"PoolDim", node.attr_ints("kernel_shape")},
                          {"NumChannels", in[3]},
                          {"ImgDim", Shape{in[1], in[2]}},
                          {"dataType", model.datatype(node.input(0)).name()},
                          {"PE", 1},
                          {"CeilMode", node.attr_int("ceil_mode", 0)}});
    return true;
}

} // namespace

bool InferStreamingMaxPool::run(Model& model) {
    return convert_all(model, std::string(name()), convert);
}

} // namespace finn
