#include "convert_to_hw_util.h"

#include "finn/core/error.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/tidy_up.h"

#include <algorithm>
#include <cmath>
#include <memory>

namespace finn::hw_convert {

int multithreshold_channel_axis(const Node& multithreshold, int rank) {
    const std::string layout = multithreshold.attr_string("data_layout", "NCHW");
    if (rank <= 2 || (!layout.empty() && layout.back() == 'C')) return rank - 1;
    return 1;
}

std::optional<Node> absorbable_thresholds(Model& model, const std::string& product,
                                          std::int64_t channels, int rank,
                                          const std::string& layer) {
    auto mt = model.single_consumer(product);
    if (!mt || !mt->is_general_op("MultiThreshold") || mt->input(0) != product) return std::nullopt;
    if (!model.has_initializer(mt->input(1))) return std::nullopt;
    const Shape t = model.initializer(mt->input(1)).shape();
    if (t.size() != 2 || (t[0] != 1 && t[0] != channels))
        throw Error(where(*mt) + ": thresholds have shape " + shape_to_string(t) +
                    "; to be absorbed into " + layer + " they need 1 or " +
                    (layer.ends_with("MVAU") ? "MH" : "Channels") + " = " +
                    std::to_string(channels) + " rows");
    // Per-channel thresholds along another axis would not apply per output column.
    if (t[0] > 1 && multithreshold_channel_axis(*mt, rank) != rank - 1) return std::nullopt;
    return mt;
}

std::int64_t absorbed_act_val(const Model& model, const Node& mt, const std::string& layer) {
    const DataType odt = model.datatype(mt.output(0));
    const double scale = mt.attr_float("out_scale", 1.0f);
    const double bias = mt.attr_float("out_bias", 0.0f);
    if (bias != std::trunc(bias))
        throw Error(where(mt) + ": out_bias " + format_number(bias) +
                    " must be an integer to become " + layer + "'s ActVal");
    const bool bipolar_ok = odt == DataType::bipolar() && scale == 2 && bias == -1;
    if (scale != 1 && !bipolar_ok)
        throw Error(where(mt) + ": out_scale " + format_number(scale) +
                    " cannot be absorbed into " + layer +
                    " (needs 1, or 2 with out_bias -1 for a BIPOLAR output)");
    if (odt.is_signed() && bias >= 0)
        throw Error(where(mt) + ": the signed output datatype " + odt.name() +
                    " needs out_bias < 0, got " + format_number(bias));
    // BIPOLAR outputs are the count reinterpreted (0 -> -1), so no bias.
    return bipolar_ok ? 0 : static_cast<std::int64_t>(bias);
}

bool is_nchw(const Model& model, const std::string& tensor) {
    return model.layout(tensor) == std::vector<std::string>{"N", "C", "H", "W"};
}

std::string add_nhwc_transpose(Model& model, int index, const std::string& nchw, bool to_nhwc,
                               const DataType& type) {
    const Shape s = *model.shape(nchw);
    const std::string nhwc = model.fresh_name(nchw + "_nhwc");
    model.set_shape(nhwc, {s[0], s[2], s[3], s[1]});
    model.set_datatype(nhwc, type);
    model.set_layout(nhwc, {"N", "H", "W", "C"});
    Node t = model.insert_node(index, "Transpose", {to_nhwc ? nchw : nhwc}, {to_nhwc ? nhwc : nchw},
                               model.fresh_node_name("Transpose"));
    t.set_attr_ints("perm", to_nhwc ? std::vector<std::int64_t>{0, 2, 3, 1}
                                    : std::vector<std::int64_t>{0, 3, 1, 2});
    return nhwc;
}

std::string nhwc_input(Model& model, int& index, const std::string& nchw, const DataType& type) {
    for (int i = 0; i < index; ++i) {
        Node n = model.node(i);
        if (n.is_standard_op("Transpose") && n.input(0) == nchw &&
            n.attr_ints("perm", {}) == std::vector<std::int64_t>{0, 2, 3, 1} &&
            !model.is_graph_output(n.output(0)))
            return n.output(0);
    }
    return add_nhwc_transpose(model, index++, nchw, true, type);
}

void set_attrs(Node& node, const std::map<std::string, AttrValue>& attrs) {
    for (const auto& [name, value] : attrs) {
        if (const auto* i = std::get_if<std::int64_t>(&value))
            node.set_attr_int(name, *i);
        else if (const auto* s = std::get_if<std::string>(&value))
            node.set_attr_string(name, *s);
        else
            node.set_attr_ints(name, std::get<std::vector<std::int64_t>>(value));
    }
}

Node replace_with_hw_node(Model& model, int index, const std::string& op_type,
                          const std::vector<std::string>& inputs,
                          const std::vector<std::string>& outputs, const std::string& name,
                          std::map<std::string, AttrValue> attrs) {
    attrs["backend"] = std::string("fpgadataflow");
    Node node = model.insert_node(index, op_type, inputs, outputs, name, domains::kFpgaDataflow);
    set_attrs(node, attrs);
    model.remove_node(index + 1);
    return model.node(index);
}

std::vector<std::int64_t> leading_dims(const Shape& shape) {
    return shape.empty() ? Shape{} : Shape(shape.begin(), shape.end() - 1);
}

std::map<std::string, AttrValue> mvau_attributes(const MvauSource& source,
                                                 const std::string& input_datatype,
                                                 const std::string& weight_datatype, bool xnor) {
    return {{"MW", source.mw},
            {"MH", source.mh},
            {"SIMD", 1},
            {"PE", 1},
            {"inputDataType", input_datatype},
            {"weightDataType", weight_datatype},
            {"binaryXnorMode", xnor ? 1 : 0},
            {"numInputVectors", leading_dims(source.in_shape)}};
}

void replace_with_mvau(Model& model, int index, const MvauSource& source,
                       std::map<std::string, AttrValue> attrs,
                       const std::optional<Node>& thresholds, const std::string& threshold_tensor) {
    if (!thresholds) {
        attrs["outputDataType"] = model.datatype(source.product).name();
        attrs["ActVal"] = 0;
        attrs["noActivation"] = 1;
        replace_with_hw_node(model, index, "MVAU", {source.input, source.weights}, {source.product},
                             source.name, attrs);
        return;
    }
    const int mt_index = model.index_of(*thresholds);
    const std::string out = thresholds->output(0);
    replace_with_hw_node(model, index, "MVAU", {source.input, source.weights, threshold_tensor},
                         {out}, source.name, attrs);
    model.remove_node(mt_index);
    model.remove_tensor_if_unused(source.product);
}

namespace {

class FunctionPattern : public RewritePattern {
public:
    FunctionPattern(std::string name, std::function<bool(Model&, Node)> rewrite)
        : name_(std::move(name)), rewrite_(std::move(rewrite)) {}
    std::string_view name() const override { return name_; }
    bool match_and_rewrite(Model& model, Node node) override { return rewrite_(model, node); }

private:
    std::string name_;
    std::function<bool(Model&, Node)> rewrite_;
};

} // namespace

bool convert_all(Model& model, const std::string& pattern_name,
                 const std::function<bool(Model&, Node)>& rewrite, bool reinfer) {
    std::vector<std::unique_ptr<RewritePattern>> patterns;
    patterns.push_back(std::make_unique<FunctionPattern>(pattern_name, rewrite));
    if (!apply_patterns_greedily(model, patterns)) return false;
    if (reinfer) {
        InferShapes().run(model);
        InferDataTypes().run(model);
    }
    return true;
}

std::string format_number(double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
    return s;
}

std::string where(const Node& node) {
    return "node " + node.describe();
}

} // namespace finn::hw_convert
