#include "finn/core/error.h"
#include "finn/exec/broadcast.h"
#include "finn/transform/qonnx_to_finn.h"
#include "finn/transform/tidy_up.h"
#include "qonnx_util.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

namespace finn {

namespace {

bool one_of(const std::string& op, std::initializer_list<const char*> ops) {
    return std::any_of(ops.begin(), ops.end(), [&](const char* o) { return op == o; });
}

// The scale as the constant of the Mul behind the consumer, or an error where it cannot move
// there: it must not vary along an axis the consumer reduces or gathers over.
Tensor scale_behind(Model& model, const Node& consumer, int weight_input, Tensor scale) {
    const std::string& op = consumer.op_type();
    const Shape s = scale.shape();
    auto fail = [&](const std::string& why) {
        return Error("FoldQuantWeights: cannot move the weight scale " + shape_to_string(s) +
                     " behind " + consumer.describe() + ": " + why);
    };
    if (op == "Conv" && scale.rank() > 0) {
        // FINN: only per-output-channel scales, collected on the channel axis of the output.
        std::int64_t rest = 1;
        for (std::size_t i = 1; i < s.size(); ++i)
            rest *= s[i];
        if (rest != 1) throw fail("can't fold scale beyond per-out-channel granularity");
        auto out_shape = model.shape(consumer.output(0));
        if (!out_shape) throw fail("the output shape is unknown");
        Shape conv_shape(out_shape->size(), 1);
        conv_shape[1] = scale.size();
        scale = scale.reshaped(conv_shape);
    } else if (op == "MatMul" && scale.size() != 1) {
        // The weight's reduced axis: rows of B (input 1), the last axis of A (input 0).
        const std::int64_t reduced =
            weight_input == 0 ? s.back() : (s.size() >= 2 ? s[s.size() - 2] : 1);
        if (reduced != 1) throw fail("it varies along the reduced axis");
    } else if ((op == "Gather" || op == "ConvTranspose") && scale.size() != 1) {
        if (op == "Gather" || scale.rank() < 2 || s[0] != 1)
            throw fail("only a per-tensor scale (per-output-channel for ConvTranspose) moves");
    }
    if (scale.shape() == Shape{1}) scale = scale.reshaped({}); // FINN's scalar Mul
    return scale;
}

class FoldQuantWeight : public RewritePattern {
public:
    std::string_view name() const override { return "FoldQuantWeight"; }

    bool match_and_rewrite(Model& model, Node quant) override {
        if (!qonnx::is_quantizer(quant) || !qonnx::has_only_constant_inputs(model, quant))
            return false;
        qonnx::require_zero_zero_point(model, quant);
        const std::string weight = quant.output(0);
        auto consumers = qonnx::successors(model, quant);
        if (consumers.size() > 1)
            throw Error("FoldQuantWeights: node " + quant.describe() +
                        ": weights quantized with the Quant node are not allowed to be fork nodes");
        if (consumers.empty())
            throw Error("FoldQuantWeights: node " + quant.describe() +
                        ": weights quantized with the Quant node must have a successor node");
        Node consumer = consumers[0];

        const Tensor scale = qonnx::as_float(model.initializer(quant.input(1)));
        const auto scale_values = scale.to_doubles();
        const bool unit_scale = std::all_of(scale_values.begin(), scale_values.end(),
                                            [](double v) { return v == 1.0; });
        const Tensor quantized = qonnx::as_float(qonnx::evaluate_constant_node(model, quant).at(0));
        const DataType integer_type = qonnx::quant_integer_datatype(model, quant);
        const std::vector<std::string> params = quant.inputs();

        if (unit_scale) {
            model.remove_node(model.index_of(quant));
            qonnx::replace_initializer(model, weight, quantized);
            model.set_datatype(weight, integer_type);
            qonnx::remove_unused(model, params);
            return true;
        }
        const std::string op = consumer.op_type();
        const bool add_like = one_of(op, {"Add", "Sub"});
        if (!add_like && !one_of(op, {"Mul", "Div", "Conv", "MatMul", "Gather", "ConvTranspose"}))
            throw Error("FoldQuantWeights: can't constant fold Quant weight node into node type " +
                        op + " at node " + consumer.describe());
        int weight_input = 0;
        for (int i = 0; i < consumer.input_count(); ++i)
            if (consumer.input(i) == weight) weight_input = i;
        const Tensor moved = scale_behind(model, consumer, weight_input, scale);

        // The integer weight: q / scale in float32, rounded against floating-point error.
        const Tensor integer =
            broadcast_binary(quantized, scale, ElementType::Float32, [](double q, double s) {
                return std::nearbyint(static_cast<float>(q) / static_cast<float>(s));
            });
        qonnx::replace_initializer(model, weight, integer);
        model.set_datatype(weight, integer_type);

        // consumer -> Mul(scale); a Div by the weight gets Div(scale): x / (w s) = (x / w) / s.
        const std::string output = consumer.output(0);
        const std::string unscaled =
            qonnx::add_tensor(model, output + "_unscaled", model.shape(output));
        consumer.set_output(0, unscaled);
        const std::string scale_name = qonnx::add_constant(model, weight + "_scale", moved);
        std::optional<std::pair<std::string, std::string>> divided; // x, x / s
        if (add_like) {
            // (x / s + w) * s: the other operand goes onto the weight's integer grid.
            const int other = weight_input == 0 ? 1 : 0;
            const std::string x = consumer.input(other);
            divided.emplace(x, qonnx::add_tensor(model, x + "_div", model.shape(x)));
            consumer.set_input(other, divided->second);
        }
        model.remove_node(model.index_of(quant));
        if (divided)
            model.add_node("Div",
                           {divided->first, qonnx::add_constant(model, weight + "_scale", moved)},
                           {divided->second});
        const bool divisor = op == "Div" && weight_input == 1;
        model.add_node(divisor ? "Div" : "Mul", {unscaled, scale_name}, {output});
        qonnx::remove_unused(model, params);
        qonnx::sort_if_needed(model);
        // FINN re-infers shapes after every fold.
        InferShapes().run(model);
        return true;
    }
};

} // namespace

bool FoldQuantWeights::run(Model& model) {
    std::vector<std::unique_ptr<RewritePattern>> patterns;
    patterns.push_back(std::make_unique<FoldQuantWeight>());
    return apply_patterns_greedily(model, patterns);
}

} // namespace finn
