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
    if (!node.is_standard_op("MatMul")) return "not a MatMul";
    const std::string &input = node.input(0), &weights = node.input(1);
    if (model.sparsity(weights))
        return "weights '" + weights +
               "' carry a sparsity annotation (a depthwise convolution becomes a VVAU, "
               "InferVectorVectorActivation's case)";
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
    if (!node.is_standard_op("MatMul")) return false;
    if (!InferQuantizedMatrixVectorActivation::unsupported_reason(model, node).empty())
        return false;

    const Shape w = model.initializer(node.input(1)).shape();
    const MvauSource source{node.input(0),
                            node.input(1),
                            node.output(0),
                            "MVAU_" + node.name(),
                            w[0],
                            w[1],
                            *model.shape(node.input(0))};
    auto attrs = mvau_attributes(source, model.datatype(source.input).name(),
                                 model.datatype(source.weights).name(), /*xnor=*/false);
    const int index = model.index_of(node);

    auto mt = absorbable_thresholds(model, source.product, source.mh,
                                    static_cast<int>(source.in_shape.size()));
    std::string thresholds;
    if (mt) {
        attrs["outputDataType"] = model.datatype(mt->output(0)).name();
        attrs["ActVal"] = absorbed_act_val(model, *mt, "an MVAU");
        attrs["noActivation"] = 0;
        thresholds = mt->input(1);
        if (both_bipolar(model, node))
            thresholds = popcount_thresholds(model, thresholds, source.mw);
    }
    replace_with_mvau(model, index, source, attrs, mt, thresholds);
    return true;
}

} // namespace

bool InferQuantizedMatrixVectorActivation::run(Model& model) {
    return convert_all(model, std::string(name()), convert);
}

} // namespace finn
