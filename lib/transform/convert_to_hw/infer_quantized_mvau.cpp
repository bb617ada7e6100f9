#include "convert_to_hw_util.h"
#include "finn/core/error.h"
#include "finn/transform/convert_to_hw.h"

#include <cmath>

namespace finn {

using namespace hw_convert;

namespace {

bool both_bipolar(const Model& model, const Node& matmul) {
    return model.datatype(matmul.input(0)) == DataType::bipolar() &&
           model.datatype(matmul.input(1)) == DataType::bipolar();
}

// The MVAU's activation for an absorbed MultiThreshold: ActVal, checked as FINN asserts.
std::int64_t act_val_of(const Model& model, const Node& mt) {
    const DataType odt = model.datatype(mt.output(0));
    const double scale = mt.attr_float("out_scale", 1.0f);
    const double bias = mt.attr_float("out_bias", 0.0f);
    if (bias != std::trunc(bias))
        throw Error(where(mt) + ": out_bias " + format_number(bias) +
                    " must be an integer to become an MVAU's ActVal");
    const bool bipolar_ok = odt == DataType::bipolar() && scale == 2 && bias == -1;
    if (scale != 1 && !bipolar_ok)
        throw Error(where(mt) + ": out_scale " + format_number(scale) +
                    " cannot be absorbed into an MVAU (needs 1, or 2 with out_bias -1 for a "
                    "BIPOLAR output)");
    if (odt.is_signed() && bias >= 0)
        throw Error(where(mt) + ": the signed output datatype " + odt.name() +
                    " needs out_bias < 0, got " + format_number(bias));
    // BIPOLAR outputs are the count reinterpreted (0 -> -1), so no bias.
    return bipolar_ok ? 0 : static_cast<std::int64_t>(bias);
}

// For BIPOLAR x BIPOLAR the MVAU compares the popcount p = (x.w + MW) / 2 instead of x.w:
// x.w >= T  <=>  p >= ceil((T + MW) / 2), p being an integer.
std::string popcount_thresholds(Model& model, const std::string& thresholds, std::int64_t mw) {
    const Tensor t = model.initializer(thresholds);
    std::vector<double> values = t.to_doubles();
    for (double& v : values)
        v = std::ceil((v + static_cast<double>(mw)) / 2);
    const Tensor adjusted = Tensor::from_doubles(ElementType::Float32, t.shape(), values);
    const bool shared = model.consumers(thresholds).size() > 1;
    const std::string name = shared ? model.fresh_name(thresholds + "_popcount") : thresholds;
    model.set_initializer(name, adjusted);
    const DataType type = model.datatype(thresholds);
    bool allowed = model.has_datatype(thresholds);
    for (double v : values)
        allowed = allowed && type.allowed(v);
    if (allowed)
        model.set_datatype(name, type);
    else
        model.clear_datatype(name);
    return name;
}

} // namespace

std::string InferQuantizedMatrixVectorActivation::unsupported_reason(Model& model,
                                                                     const Node& node) {
    if (!is_standard(node, "MatMul")) return "not a MatMul";
    const std::string &input = node.input(0), &weights = node.input(1);
    if (model.sparsity(weights))
        return "weights '" + weights +
               "' carry a sparsity annotation (a depthwise convolution becomes a VVAU, which "
               "step_convert_to_hw does not infer)";
    const DataType idt = model.datatype(input), wdt = model.datatype(weights);
    if (!idt.is_integer())
        return "input '" + input + "' has datatype " + idt.name() + ", not an integer type";
    if (!wdt.is_integer())
        return "weights '" + weights + "' have datatype " + wdt.name() + ", not an integer type";
    if (!model.has_initializer(weights))
        return "weights '" + weights + "' are not a constant (initializer)";
    const Shape w = model.initializer(weights).shape();
    if (w.size() != 2)
        return "weights '" + weights + "' have shape " + shape_to_string(w) +
               ", expected a matrix (MW, MH)";
    auto in = model.shape(input);
    if (!in || in->size() < 2) return "input '" + input + "' has no known shape of rank >= 2";
    if (both_bipolar(model, node) &&
        !absorbable_thresholds(model, node.output(0), w[1], static_cast<int>(in->size())))
        return "BIPOLAR x BIPOLAR MatMul without a MultiThreshold to absorb: an MVAU would output "
               "the popcount (x.w + MW) / 2 instead of x.w (ConvertBipolarMatMulToXnorPopcount "
               "handles this case during streamlining)";
    return "";
}

namespace {

bool convert(Model& model, Node node) {
    if (!is_standard(node, "MatMul")) return false;
    if (!InferQuantizedMatrixVectorActivation::unsupported_reason(model, node).empty())
        return false;

    const std::string input = node.input(0), weights = node.input(1), product = node.output(0);
    const std::string name = "MVAU_" + node.name();
    const Shape w = model.initializer(weights).shape();
    const std::int64_t mw = w[0], mh = w[1];
    const Shape in_shape = *model.shape(input);
    std::map<std::string, AttrValue> attrs = {
        {"MW", mw},
        {"MH", mh},
        {"SIMD", 1},
        {"PE", 1},
        {"inputDataType", model.datatype(input).name()},
        {"weightDataType", model.datatype(weights).name()},
        {"binaryXnorMode", 0},
        {"numInputVectors", leading_dims(in_shape)},
    };
    const int index = model.index_of(node);

    auto mt = absorbable_thresholds(model, product, mh, static_cast<int>(in_shape.size()));
    if (!mt) {
        attrs["outputDataType"] = model.datatype(product).name();
        attrs["ActVal"] = 0;
        attrs["noActivation"] = 1;
        replace_with_hw_node(model, index, "MVAU", {input, weights}, {product}, name, attrs);
        return true;
    }
    attrs["outputDataType"] = model.datatype(mt->output(0)).name();
    attrs["ActVal"] = act_val_of(model, *mt);
    attrs["noActivation"] = 0;
    const int mt_index = model.index_of(*mt);
    std::string thresholds = mt->input(1);
    const std::string out = mt->output(0);
    if (both_bipolar(model, node)) thresholds = popcount_thresholds(model, thresholds, mw);
    replace_with_hw_node(model, index, "MVAU", {input, weights, thresholds}, {out}, name, attrs);
    model.remove_node(mt_index);
    model.remove_tensor_if_unused(product);
    return true;
}

} // namespace

bool InferQuantizedMatrixVectorActivation::run(Model& model) {
    return convert_all(model, std::string(name()), convert);
}

} // namespace finn
