#include "convert_to_hw_util.h"
#include "finn/transform/convert_to_hw.h"

namespace finn {

using namespace hw_convert;

std::string InferGlobalAccPoolLayer::unsupported_reason(Model& model, const Node& node) {
    if (!node.is_standard_op("GlobalAveragePool")) return "not a GlobalAveragePool";
    const std::string& input = node.input(0);
    const DataType idt = model.datatype(input);
    if (!idt.is_integer())
        return "input '" + input + "' has datatype " + idt.name() + ", not an integer type";
    auto in = model.shape(input);
    if (!in || in->size() != 4) return "input '" + input + "' has no known 4D shape";
    const auto layout = model.layout(input);
    if (!is_nchw(model, input) && layout != std::vector<std::string>{"N", "H", "W", "C"})
        return "input '" + input + "' has layout '" + layout_to_string(layout) +
               "'; GlobalAccPool needs NCHW (transposed) or NHWC";
    return "";
}

namespace {

bool convert(Model& model, Node node) {
    if (!node.is_standard_op("GlobalAveragePool")) return false;
    if (!InferGlobalAccPoolLayer::unsupported_reason(model, node).empty()) return false;
    std::string input = node.input(0), result = node.output(0);
    const std::string name = node.name();
    const DataType idt = model.datatype(input);
    const bool nchw = is_nchw(model, input);
    const Shape in = *model.shape(input);
    if (!model.shape(result))
        model.set_shape(result, nchw ? Shape{in[0], in[1], 1, 1} : Shape{in[0], 1, 1, in[3]});
    if (nchw) model.set_layout(result, {"N", "C", "H", "W"});

    int index = model.index_of(node);
    if (nchw) {
        input = nhwc_input(model, index, input, idt);
        // The Mul's output is the NHWC tensor; the Transpose after it restores `result`.
        result = add_nhwc_transpose(model, index + 1, result, false, DataType::float32());
    }
    const Shape nhwc = *model.shape(input);
    const std::int64_t pixels = nhwc[1] * nhwc[2];
    const std::string sums = model.fresh_name(result + "_sum");
    model.set_shape(sums, *model.shape(result));
    if (!model.layout(result).empty()) model.set_layout(sums, model.layout(result));
    replace_with_hw_node(model, index, "GlobalAccPool", {input}, {sums}, "GlobalAccPool_" + name,
                         {{"NumChannels", nhwc[3]},
                          {"PE", 1},
                          {"inputDataType", idt.name()},
                          {"numInputVectors", leading_dims(nhwc)}});
    // The average is the sum times 1/(H*W), a float Mul left to software (or to streamlining).
    const std::string factor = model.fresh_name(result + "_inv_pixels");
    model.set_initializer(factor, Tensor::from_doubles(ElementType::Float32, {},
                                                       {1.0 / static_cast<double>(pixels)}));
    model.insert_node(index + 1, "Mul", {sums, factor}, {result}, model.fresh_node_name("Mul"));
    return true;
}

} // namespace

bool InferGlobalAccPoolLayer::run(Model& model) {
    return convert_all(model, std::string(name()), convert);
}

} // namespace finn
