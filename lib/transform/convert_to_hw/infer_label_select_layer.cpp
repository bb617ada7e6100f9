#include "convert_to_hw_util.h"
#include "finn/transform/convert_to_hw.h"

namespace finn {

using namespace hw_convert;

namespace {

// K from TopK's second input (opset >= 10) or its attribute `k` (opset 1); empty if not constant.
std::optional<std::int64_t> constant_k(const Model& model, const Node& topk) {
    if (topk.input_count() < 2) {
        if (!topk.has_attr("k")) return std::nullopt;
        return topk.attr_int("k");
    }
    if (!model.has_initializer(topk.input(1))) return std::nullopt;
    const Tensor k = model.initializer(topk.input(1));
    if (k.size() != 1) return std::nullopt;
    return static_cast<std::int64_t>(k.get(0));
}

// What FINN's LabelSelect picks when outputDataType is empty: the smallest type holding Labels-1,
// its bit count rounded up to a multiple of 8 by renaming (so BINARY stays BINARY).
DataType label_type(std::int64_t labels) {
    const DataType smallest = DataType::smallest_possible(static_cast<double>(labels - 1));
    if (smallest.kind() != DataType::Kind::UInt) return smallest;
    return DataType::uint((smallest.bitwidth() + 7) / 8 * 8);
}

} // namespace

std::string InferLabelSelectLayer::unsupported_reason(Model& model, const Node& node) {
    if (!node.is_standard_op("TopK")) return "not a TopK";
    const std::string& input = node.input(0);
    const DataType idt = model.datatype(input);
    if (!idt.is_integer())
        return "input '" + input + "' has datatype " + idt.name() + ", not an integer type";
    const std::string& values = node.output(0);
    if (!values.empty() && (!model.consumers(values).empty() || model.is_graph_output(values)))
        return "its value output '" + values + "' is used (LabelSelect only gives the indices)";
    if (node.output_count() < 2 || node.output(1).empty()) return "it has no index output";
    if (!constant_k(model, node)) return "K is not a constant";
    auto in = model.shape(input);
    if (!in || in->empty()) return "input '" + input + "' has no known shape";
    const std::int64_t rank = static_cast<std::int64_t>(in->size());
    const std::int64_t axis = node.attr_int("axis", -1);
    if (axis != -1 && axis != rank - 1)
        return "it selects along axis " + std::to_string(axis) + ", not the last one";
    if (node.attr_int("largest", 1) != 1) return "it selects the smallest values (largest=0)";
    return "";
}

namespace {

bool convert(Model& model, Node node) {
    if (!node.is_standard_op("TopK")) return false;
    if (!InferLabelSelectLayer::unsupported_reason(model, node).empty()) return false;
    const std::string input = node.input(0), values = node.output(0), indices = node.output(1);
    const std::string k_input = node.input_count() > 1 ? node.input(1) : "";
    const Shape in_shape = *model.shape(input);
    const std::int64_t labels = in_shape.back();
    replace_with_hw_node(model, model.index_of(node), "LabelSelect", {input}, {indices},
                         "LabelSelect_" + node.name(),
                         {{"Labels", labels},
                          {"PE", 1},
                          {"K", *constant_k(model, node)},
                          {"inputDataType", model.datatype(input).name()},
                          {"outputDataType", label_type(labels).name()},
                          {"numInputVectors", leading_dims(in_shape)}});
    if (!values.empty()) model.remove_tensor_if_unused(values);
    if (!k_input.empty()) model.remove_tensor_if_unused(k_input);
    return true;
}

} // namespace

bool InferLabelSelectLayer::run(Model& model) {
    return convert_all(model, std::string(name()), convert);
}

} // namespace finn
