#include "convert_to_hw_util.h"
#include "finn/core/error.h"
#include "finn/transform/convert_to_hw.h"

namespace finn {

using namespace hw_convert;

std::string InferBinaryMatrixVectorActivation::unsupported_reason(Model& model, const Node& node) {
    if (!node.is_general_op("XnorPopcountMatMul")) return "not an XnorPopcountMatMul";
    const std::string& weights = node.input(1);
    if (!model.has_initializer(weights))
        return "weights '" + weights + "' are not a constant (initializer)";
    const Shape w = model.initializer(weights).shape();
    if (w.size() != 2)
        return "weights '" + weights + "' have shape " + shape_to_string(w) +
               ", expected a matrix (MW, MH)";
    auto in = model.shape(node.input(0));
    if (!in || in->size() < 2)
        return "input '" + node.input(0) + "' has no known shape of rank >= 2";
    return "";
}

namespace {

bool convert(Model& model, Node node) {
    if (!node.is_general_op("XnorPopcountMatMul")) return false;
    for (int i = 0; i < 2; ++i) {
        const DataType type = model.datatype(node.input(i));
        if (type != DataType::binary())
            throw Error(where(node) + ": " + (i == 0 ? "input '" : "weights '") + node.input(i) +
                        "' have datatype " + type.name() +
                        "; XnorPopcountMatMul needs BINARY operands to become an MVAU");
    }
    if (!InferBinaryMatrixVectorActivation::unsupported_reason(model, node).empty()) return false;

    const Shape w = model.initializer(node.input(1)).shape();
    const MvauSource source{node.input(0),
                            node.input(1),
                            node.output(0),
                            node.name(),
                            w[0],
                            w[1],
                            *model.shape(node.input(0))};
    auto attrs = mvau_attributes(source, DataType::binary().name(), DataType::binary().name(),
                                 /*xnor=*/true);
    const int index = model.index_of(node);

    auto mt = absorbable_thresholds(model, source.product, source.mh,
                                    static_cast<int>(source.in_shape.size()));
    if (mt) {
        // FINN: ActVal 0 for 1-bit outputs (BIPOLAR is 2*count-1, BINARY the count), else the
        // output type's minimum. Only absorb when that is what the MultiThreshold computes.
        const DataType odt = model.datatype(mt->output(0));
        const bool one_bit = odt.bitwidth() == 1;
        const double act_val = one_bit ? 0.0 : odt.min();
        const double scale = mt->attr_float("out_scale", 1.0f);
        const double bias = mt->attr_float("out_bias", 0.0f);
        const bool same = odt == DataType::bipolar() ? (scale == 2 && bias == -1)
                                                     : (scale == 1 && bias == act_val);
        if (same) {
            attrs["outputDataType"] = odt.name();
            attrs["ActVal"] = static_cast<std::int64_t>(act_val);
            attrs["noActivation"] = 0;
        } else {
            mt.reset(); // FINN would absorb it and change the values
        }
    }
    replace_with_mvau(model, index, source, attrs, mt, mt ? mt->input(1) : std::string());
    return true;
}

} // namespace

bool InferBinaryMatrixVectorActivation::run(Model& model) {
    return convert_all(model, std::string(name()), convert);
}

} // namespace finn
