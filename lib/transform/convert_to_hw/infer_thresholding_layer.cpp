#include "convert_to_hw_util.h"
#include "finn/core/error.h"
#include "finn/transform/convert_to_hw.h"

#include <cmath>

namespace finn {

using namespace hw_convert;

namespace {

// Whether the MultiThreshold needs FINN's NCHW <-> NHWC Transposes around the Thresholding: its
// channels are on axis 1 of a 4D tensor. With a single threshold row the channel axis does not
// matter, and then (like FINN) only an NCHW layout annotation asks for them.
bool needs_transposes(const Model& model, const Node& mt, const Shape& in, std::int64_t rows) {
    const int rank = static_cast<int>(in.size());
    if (multithreshold_channel_axis(mt, rank) == rank - 1) return false;
    if (rows == 1) return is_nchw(model, mt.input(0));
    return true;
}

} // namespace

std::string InferThresholdingLayer::unsupported_reason(Model& model, const Node& node) {
    if (!node.is_general_op("MultiThreshold")) return "not a MultiThreshold";
    const std::string& input = node.input(0);
    const DataType idt = model.datatype(input);
    if (!idt.is_integer())
        return "input '" + input + "' has datatype " + idt.name() +
               ", not an integer type (thresholds of a float input stay in software)";
    auto in = model.shape(input);
    if (!in || in->size() < 2) return "input '" + input + "' has no known shape of rank >= 2";
    auto t = model.shape(node.input(1));
    if (!t || t->size() != 2)
        return "thresholds '" + node.input(1) + "' have no known shape (C or 1, steps)";
    const int rank = static_cast<int>(in->size());
    if (needs_transposes(model, node, *in, (*t)[0]) && rank != 4)
        return "channels are on axis 1 of a rank-" + std::to_string(rank) +
               " input; Thresholding needs them last (only 4D NCHW is transposed)";
    return "";
}

namespace {

bool convert(Model& model, Node node) {
    if (!node.is_general_op("MultiThreshold")) return false;
    if (!InferThresholdingLayer::unsupported_reason(model, node).empty()) return false;

    // FINN's assertions, checked before anything changes.
    const DataType odt = model.datatype(node.output(0));
    const double scale = node.attr_float("out_scale", 1.0f);
    const double bias = node.attr_float("out_bias", 0.0f);
    // Thresholding computes 2 * count - 1 for a BIPOLAR output, so the sign is representable.
    const bool bipolar_sign = odt == DataType::bipolar() && scale == 2 && bias == -1;
    if (scale != 1 && !bipolar_sign)
        throw Error(where(node) + ": out_scale " + format_number(scale) +
                    " must be 1 to become a Thresholding layer");
    if (bias != std::trunc(bias))
        throw Error(where(node) + ": out_bias " + format_number(bias) +
                    " must be an integer to become a Thresholding layer's ActVal");
    if (odt != DataType::bipolar() && odt.is_signed() && bias >= 0)
        throw Error(where(node) + ": the signed output datatype " + odt.name() +
                    " needs out_bias < 0, got " + format_number(bias));

    std::string input = node.input(0), output = node.output(0);
    const std::string thresholds = node.input(1), name = "Thresholding_" + node.name();
    const DataType idt = model.datatype(input), tdt = model.datatype(thresholds);
    Shape in_shape = *model.shape(input);
    const Shape t_shape = *model.shape(thresholds);
    int index = model.index_of(node);
    if (needs_transposes(model, node, in_shape, t_shape[0])) {
        if (!model.shape(output)) model.set_shape(output, in_shape);
        input = nhwc_input(model, index, input, idt);
        output = add_nhwc_transpose(model, index + 1, output, false, odt);
        in_shape = *model.shape(input);
    }
    replace_with_hw_node(model, index, "Thresholding", {input, thresholds}, {output}, name,
                         {{"NumChannels", in_shape.back()},
                          {"PE", 1},
                          {"numSteps", t_shape[1]},
                          {"inputDataType", idt.name()},
                          {"weightDataType", tdt.name()},
                          {"outputDataType", odt.name()},
                          {"numInputVectors", leading_dims(in_shape)},
                          {"ActVal", bipolar_sign ? 0 : static_cast<std::int64_t>(bias)}});
    return true;
}

} // namespace

bool InferThresholdingLayer::run(Model& model) {
    // FINN re-infers nothing here; the Transposes' tensors get shapes and datatypes on creation.
    return convert_all(model, std::string(name()), convert, false);
}

} // namespace finn
