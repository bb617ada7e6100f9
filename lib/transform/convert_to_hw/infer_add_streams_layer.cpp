#include "convert_to_hw_util.h"
#include "finn/transform/convert_to_hw.h"

namespace finn {

using namespace hw_convert;

std::string InferAddStreamsLayer::unsupported_reason(Model& model, const Node& node) {
    if (!node.is_standard_op("Add")) return "not an Add";
    const std::string &a = node.input(0), &b = node.input(1);
    if (model.has_initializer(a) || model.has_initializer(b))
        return "one operand is a constant (AddStreams adds two streams; a constant is "
               "InferChannelwiseLinearLayer's case)";
    auto sa = model.shape(a), sb = model.shape(b);
    if (!sa || !sb || sa->empty() || *sa != *sb)
        return "its operands need the same known shape (no broadcasting), got " +
               (sa ? shape_to_string(*sa) : std::string("unknown")) + " and " +
               (sb ? shape_to_string(*sb) : std::string("unknown"));
    const DataType ta = model.datatype(a), tb = model.datatype(b);
    if (ta != tb)
        return "its operands have different datatypes (" + ta.name() + " and " + tb.name() +
               "); AddStreams adds two streams of one type";
    if (!ta.is_integer())
        return "its operands have datatype " + ta.name() + ", not an integer type";
    if (is_nchw(model, a) != is_nchw(model, b))
        return "one operand is annotated NCHW and the other is not";
    if (is_nchw(model, a) && sa->size() != 4)
        return "an NCHW layout annotation on a tensor that is not 4D";
    return "";
}

namespace {

bool convert(Model& model, Node node) {
    if (!node.is_standard_op("Add")) return false;
    if (!InferAddStreamsLayer::unsupported_reason(model, node).empty()) return false;
    std::string a = node.input(0), b = node.input(1), result = node.output(0);
    const std::string name = "AddStreams_" + node.name();
    const DataType idt = model.datatype(a);
    if (!model.shape(result)) model.set_shape(result, *model.shape(a));
    // Channels last, as FINN's nchw_to_nhwc makes them: NCHW operands are transposed to NHWC and
    // the sum back (decided by the operands, so that a missing annotation on the sum cannot
    // leave it in the wrong order). The sum's type is re-inferred below.
    int index = model.index_of(node);
    if (is_nchw(model, a)) {
        a = nhwc_input(model, index, a, idt);
        b = nhwc_input(model, index, b, idt);
        result = add_nhwc_transpose(model, index + 1, result, false, idt);
    }
    const Shape shape = *model.shape(a);
    replace_with_hw_node(model, index, "AddStreams", {a, b}, {result}, name,
                         {{"NumChannels", shape.back()},
                          {"PE", 1},
                          {"inputDataType", idt.name()},
                          {"numInputVectors", leading_dims(shape)}});
    return true;
}

} // namespace

bool InferAddStreamsLayer::run(Model& model) {
    return convert_all(model, std::string(name()), convert);
}

} // namespace finn
