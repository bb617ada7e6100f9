#include "convert_to_hw_util.h"
#include "finn/transform/convert_to_hw.h"

#include <algorithm>
#include <cmath>

namespace finn {

using namespace hw_convert;

namespace {

// The channel axis of `input` by its layout annotation (FINN: NHWC or NC -> last, NCHW -> 1);
// nothing for other or missing layouts.
std::optional<int> channel_axis(const Model& model, const std::string& input, int rank) {
    const auto layout = model.layout(input);
    if (layout == std::vector<std::string>{"N", "H", "W", "C"} ||
        layout == std::vector<std::string>{"N", "C"})
        return rank - 1;
    if (is_nchw(model, input)) return 1;
    return std::nullopt;
}

} // namespace

std::string InferChannelwiseLinearLayer::unsupported_reason(Model& model, const Node& node) {
    if (!node.is_standard_op("Add") && !node.is_standard_op("Mul")) return "not an Add or Mul";
    const std::string &input = node.input(0), &param = node.input(1);
    if (!model.has_initializer(param))
        return "its second operand '" + param +
               "' is not a constant (ChannelwiseOp takes a stream and constant parameters)";
    if (model.has_initializer(input)) return "its first operand '" + input + "' is a constant";
    auto in = model.shape(input), out = model.shape(node.output(0));
    if (!in || in->empty()) return "input '" + input + "' has no known shape";
    if (out && *out != *in)
        return "the constant broadcasts the input " + shape_to_string(*in) + " to " +
               shape_to_string(*out);
    const int rank = static_cast<int>(in->size());
    auto axis = channel_axis(model, input, rank);
    if (!axis)
        return "input '" + input + "' has layout '" + layout_to_string(model.layout(input)) +
               "'; ChannelwiseOp needs NHWC, NC or NCHW to find the channels";
    const std::int64_t channels = (*in)[static_cast<std::size_t>(*axis)];
    const Tensor p = model.initializer(param);
    // A scalar, or one value per channel on the channel axis (aligned as ONNX broadcasts).
    const Shape ps = p.shape();
    const int offset = rank - static_cast<int>(ps.size());
    const bool per_channel = p.size() == channels && offset >= 0 && *axis - offset >= 0 &&
                             ps[static_cast<std::size_t>(*axis - offset)] == channels;
    if (p.size() != 1 && !per_channel)
        return "the constant '" + param + "' of shape " + shape_to_string(ps) +
               " is neither a scalar nor one value per channel (axis " + std::to_string(*axis) +
               " of " + shape_to_string(*in) + ")";
    for (double v : p.to_doubles())
        if (v != std::trunc(v) || std::abs(v) > 2147483647.0)
            return "the constant '" + param + "' holds " + format_number(v) +
                   ", not a 32-bit integer";
    const DataType idt = model.datatype(input);
    if (!idt.is_integer())
        return "input '" + input + "' has datatype " + idt.name() + ", not an integer type";
    if (is_nchw(model, input) && rank != 4)
        return "an NCHW layout annotation on a tensor that is not 4D";
    return "";
}

namespace {

bool convert(Model& model, Node node) {
    if (!node.is_standard_op("Add") && !node.is_standard_op("Mul")) return false;
    if (!InferChannelwiseLinearLayer::unsupported_reason(model, node).empty()) return false;
    std::string input = node.input(0), output = node.output(0);
    const std::string param = node.input(1), name = "ChannelwiseOp_" + node.name();
    const bool add = node.op_type() == "Add";
    const Shape in = *model.shape(input);
    const bool nchw = is_nchw(model, input);
    const std::int64_t channels = nchw ? in[1] : in.back();
    const DataType idt = model.datatype(input);

    // One parameter per channel (a scalar is broadcast, as FINN does).
    auto values = model.initializer(param).to_doubles();
    if (values.size() == 1) values.assign(static_cast<std::size_t>(channels), values[0]);
    const double pmin = *std::min_element(values.begin(), values.end());
    const double pmax = *std::max_element(values.begin(), values.end());
    const DataType pdt = DataType::smallest_holding({pmin, pmax});
    const DataType odt = add ? DataType::smallest_holding({idt.min() + pmin, idt.max() + pmax})
                             : DataType::smallest_holding({idt.min() * pmin, idt.min() * pmax,
                                                           idt.max() * pmin, idt.max() * pmax});
    // The reshaped parameters get their own tensor if another node reads the original.
    std::string p = param;
    if (model.consumers(param).size() > 1) p = model.fresh_name(param + "_channelwise");
    model.set_initializer(p, Tensor::from_doubles(ElementType::Float32, {channels}, values));
    model.set_shape(p, {channels});
    model.set_datatype(p, pdt);

    if (!model.shape(output)) model.set_shape(output, in);
    model.set_datatype(output, odt);
    int index = model.index_of(node);
    if (nchw) {
        input = nhwc_input(model, index, input, idt);
        output = add_nhwc_transpose(model, index + 1, output, false, odt);
    }
    const Shape shape = *model.shape(input);
    replace_with_hw_node(model, index, "ChannelwiseOp", {input, p}, {output}, name,
                         {{"Func", std::string(add ? "add" : "mul")},
                          {"NumChannels", channels},
                          {"PE", 1},
                          {"inputDataType", idt.name()},
                          {"paramDataType", pdt.name()},
                          {"outputDataType", odt.name()},
                          {"numInputVectors", leading_dims(shape)}});
    return true;
}

} // namespace

bool InferChannelwiseLinearLayer::run(Model& model) {
    return convert_all(model, std::string(name()), convert);
}

} // namespace finn
