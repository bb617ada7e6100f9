#include "finn/core/error.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/qonnx_to_finn.h"
#include "qonnx_util.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace finn {

namespace {

// Python's str() of a float bit width: 16 -> "16.0".
std::string python_float(double v) {
    if (v == std::floor(v) && std::abs(v) < 1e15)
        return std::to_string(static_cast<long long>(v)) + ".0";
    return std::to_string(v);
}

std::string upper(std::string s) {
    for (auto& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// What replaces one activation quantizer: MultiThreshold(x, thresholds) with out_dtype, then
// Add(bias) unless it is 0, then Mul(scale) unless it is a scalar 1.
struct Replacement {
    Tensor thresholds;
    DataType out_dtype;
    bool bipolar = false; // out_scale 2, out_bias -1 on the MultiThreshold itself
    float bias = 0.0f;
    std::optional<Tensor> scale;
};

// Thresholds of FINN's handlers for the integer grid [min_int, min_int + count] and one
// quantization step per scale channel, in numpy's float32 arithmetic:
// QuantReluHandler (min_int 0): step/2 + step*t; QuantIdentityHandler (signed): -step/2 -
// step*(count//2 - 1) [- step if not narrow] + step*t. FLOOR rounding moves them onto the grid.
Tensor thresholds_for(const std::vector<float>& steps, std::int64_t count, double min_int,
                      bool narrow, bool floor_rounding) {
    Tensor t(ElementType::Float32, {static_cast<std::int64_t>(steps.size()), count});
    float* out = t.data<float>();
    for (std::size_t c = 0; c < steps.size(); ++c) {
        const float step = steps[c];
        float first;
        if (floor_rounding) {
            first = step * static_cast<float>(min_int + 1);
        } else if (min_int == 0) {
            first = step / 2.0f;
        } else {
            const float half_step = step / 2.0f;
            const float shift = step * static_cast<float>(count / 2 - 1);
            first = -half_step - shift;
            if (!narrow) first -= step;
        }
        for (std::int64_t k = 0; k < count; ++k) {
            const float increment = step * static_cast<float>(k);
            out[c * count + k] = first + increment;
        }
    }
    return t;
}

// The channel count of the quantizer's output (axis 1, FINN's ToDo for channels-last).
std::int64_t output_channels(const Model& model, const Node& quant) {
    auto shape = model.shape(quant.output(0));
    if (!shape || shape->size() < 2 || (*shape)[1] < 0)
        throw Error("ConvertQuantActToMultiThreshold: node " + quant.describe() +
                    ": the output shape must be known and have a channel axis");
    return (*shape)[1];
}

// The scale must be per tensor or per channel on axis 1 of the output, as the thresholds are.
void check_scale_layout(const Model& model, const Node& quant, const Tensor& scale) {
    if (scale.size() == 1) return;
    auto out = model.shape(quant.output(0));
    const Shape& s = scale.shape();
    bool ok = out && s.size() <= out->size();
    for (std::size_t i = 0; ok && i < s.size(); ++i) {
        const std::size_t axis = out->size() - s.size() + i;
        ok = s[i] == 1 || (axis == 1 && s[i] == (*out)[1]);
    }
    if (!ok)
        throw Error("ConvertQuantActToMultiThreshold: node " + quant.describe() + ": the scale " +
                    shape_to_string(s) + " is neither per tensor nor per channel (axis 1)");
}

Replacement plan(const Model& model, const Node& quant, bool relu) {
    Replacement r;
    r.out_dtype = qonnx::quant_integer_datatype(model, quant);
    Tensor scale = qonnx::as_float(qonnx::require_constant(model, quant, 1, "scale"));
    check_scale_layout(model, quant, scale);
    std::vector<float> steps = scale.to_floats();
    for (float s : steps)
        if (!(s > 0.0f))
            throw Error("ConvertQuantActToMultiThreshold: node " + quant.describe() +
                        ": only positive scales are supported");
    const bool unit_scale = std::all_of(steps.begin(), steps.end(), [](float s) { return s == 1; });
    if (!unit_scale || scale.size() != 1) r.scale = scale.size() == 1 ? scale.reshaped({}) : scale;

    const bool is_signed = quant.op_type() == "BipolarQuant" || quant.attr_int("signed", 1) != 0;
    if (quant.op_type() == "BipolarQuant" ||
        (is_signed && qonnx::quant_bit_width(model, quant) == 1)) {
        // sign(x) with sign(0) = +1 is one threshold at 0 (the scale divides nothing here).
        r.thresholds = Tensor::from_floats({1, 1}, {0.0f});
        r.bipolar = true;
        r.out_dtype = DataType::bipolar();
        return r;
    }
    const std::string rounding = upper(quant.attr_string("rounding_mode", "ROUND"));
    const bool floor_rounding = rounding == "FLOOR";
    if (!floor_rounding && rounding != "ROUND" && rounding != "HALF_EVEN" &&
        rounding != "HALF_UP" && rounding != "HALF_DOWN")
        throw Error("ConvertQuantActToMultiThreshold: node " + quant.describe() +
                    ": rounding mode " + rounding + " has no MultiThreshold form");
    const qonnx::IntRange range = qonnx::quant_int_range(model, quant);
    const auto count = static_cast<std::int64_t>(range.max - range.min);
    if (count < 1)
        throw Error("ConvertQuantActToMultiThreshold: node " + quant.describe() +
                    ": the quantizer has a single level");
    const bool narrow = quant.attr_int("narrow", 1) != 0;
    const double min_int = relu ? 0.0 : range.min;
    r.bias = static_cast<float>(min_int);

    const std::int64_t channels = output_channels(model, quant);
    if (steps.size() != 1 && static_cast<std::int64_t>(steps.size()) != channels)
        throw Error("ConvertQuantActToMultiThreshold: node " + quant.describe() + ": " +
                    std::to_string(steps.size()) + " scales for " + std::to_string(channels) +
                    " channels");
    // FINN broadcasts the thresholds to one row per channel.
    if (steps.size() == 1) steps.assign(static_cast<std::size_t>(channels), steps[0]);
    r.thresholds = thresholds_for(steps, count, min_int, narrow, floor_rounding);
    return r;
}

// Replaces the quantizer writing `output` (and an absorbed Relu) by the MultiThreshold chain.
void replace(Model& model, const std::string& output) {
    Node quant = *model.producer(output);
    std::optional<Node> act = model.producer(quant.input(0));
    // QuantReluHandler: Relu, then an unsigned, non-narrow Quant. Other combinations FINN would
    // refuse or miscompute keep their activation node and convert as identity quantizers.
    const bool relu = act && act->op_type() == "Relu" && quant.op_type() == "Quant" &&
                      quant.attr_int("signed", 1) == 0 && quant.attr_int("narrow", 1) == 0;
    Replacement r = plan(model, quant, relu);

    const std::string input = relu ? act->input(0) : quant.input(0);
    const std::vector<std::string> params = quant.inputs();
    const auto shape = model.shape(output);
    // Tensors: thresholds, then the outputs of the chain (the last one is the quantizer's).
    const std::string thresholds = qonnx::add_constant(model, output + "_thresholds", r.thresholds);
    std::vector<std::pair<std::string, std::string>> steps; // op type, constant
    if (!r.bipolar && r.bias != 0.0f)
        steps.emplace_back(
            "Add", qonnx::add_constant(model, output + "_bias", Tensor::from_floats({}, {r.bias})));
    if (r.scale) steps.emplace_back("Mul", qonnx::add_constant(model, output + "_scale", *r.scale));
    std::vector<std::string> outs;
    for (std::size_t i = 0; i < steps.size(); ++i)
        outs.push_back(
            qonnx::add_tensor(model, output + (i == 0 ? "_thresholded" : "_biased"), shape));
    outs.push_back(output);

    const bool drop_relu = relu && model.single_consumer(act->output(0)).has_value();
    const std::string act_output = relu ? act->output(0) : "";
    model.remove_node(model.index_of(quant));
    if (drop_relu) model.remove_node(model.index_of(*model.producer(act_output)));
    model.clear_datatype(output);

    Node mt = model.add_node("MultiThreshold", {input, thresholds}, {outs[0]}, "",
                             domains::kQonnxGeneral);
    mt.set_attr_string("out_dtype", r.out_dtype.name());
    if (r.bipolar) {
        mt.set_attr_float("out_scale", 2.0f);
        mt.set_attr_float("out_bias", -1.0f);
    }
    for (std::size_t i = 0; i < steps.size(); ++i)
        model.add_node(steps[i].first, {outs[i], steps[i].second}, {outs[i + 1]});
    qonnx::remove_unused(model, params);
    if (drop_relu) qonnx::remove_unused(model, {act_output});
    qonnx::sort_if_needed(model);
}

} // namespace

QuantActFilter default_quant_act_filter(int max_multithreshold_bit_width) {
    return [max_multithreshold_bit_width](Model& model, const Node& node, std::string& reason) {
        const double bits = qonnx::quant_bit_width(model, node);
        if (bits <= max_multithreshold_bit_width) return true;
        reason = "its bit width of " + python_float(bits) +
                 " is higher than the configured maximum bit width of " +
                 std::to_string(max_multithreshold_bit_width) + ".";
        return false;
    };
}

ConvertQuantActToMultiThreshold::ConvertQuantActToMultiThreshold(QuantActFilter filter,
                                                                 DiagnosticSink warn)
    : filter_(std::move(filter)) {
    set_diagnostics(std::move(warn));
}

bool ConvertQuantActToMultiThreshold::run(Model& model) {
    clear_warnings();
    // The activation quantizers, by output: neither input nor output is a constant.
    std::vector<std::string> candidates;
    for (Node node : model.nodes())
        if (qonnx::is_quantizer(node) && !model.has_initializer(node.input(0)) &&
            !model.has_initializer(node.output(0)))
            candidates.push_back(node.output(0));
    bool changed = false;
    for (const auto& output : candidates) {
        Node quant = *model.producer(output);
        qonnx::require_zero_zero_point(model, quant);
        std::string reason;
        if (filter_ && !filter_(model, quant, reason)) {
            std::string message = "The Quant node with name: \"" + quant.name() +
                                  "\" was not converted to a MultiThreshold node, because " +
                                  (reason.empty() ? "the filtering function returned False for "
                                                    "this node."
                                                  : reason);
            warn(message);
            continue;
        }
        replace(model, output);
        changed = true;
    }
    return changed;
}

} // namespace finn
