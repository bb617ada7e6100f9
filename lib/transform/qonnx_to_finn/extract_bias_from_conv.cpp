#include "finn/core/error.h"
#include "finn/transform/qonnx_to_finn.h"
#include "qonnx_util.h"

#include <set>

namespace finn {

namespace {

// The bias as a (1, C, 1, ...) tensor for an Add on the output of the given rank.
Shape bias_shape(std::int64_t channels, std::size_t rank) {
    Shape shape(rank, 1);
    // qonnx's ToDo: the channel axis is 1 (NCHW); channels-last would need the last axis.
    shape[1] = channels;
    return shape;
}

class ExtractConvBias : public RewritePattern {
public:
    explicit ExtractConvBias(DiagnosticSink warn) : warn_(std::move(warn)) {}
    std::string_view name() const override { return "ExtractConvBias"; }

    bool match_and_rewrite(Model& model, Node node) override {
        if (node.op_type() != "Conv" && node.op_type() != "ConvTranspose") return false;
        if (node.input_count() < 3 || node.input(2).empty()) return false;
        const std::string bias = node.input(2);
        // A bias that is neither constant nor a quantized constant stays (qonnx warns).
        std::optional<Node> quantizer;
        if (!model.has_initializer(bias)) {
            quantizer = model.producer(bias);
            if (!quantizer || !qonnx::is_quantizer(*quantizer) ||
                !qonnx::has_only_constant_inputs(model, *quantizer) ||
                model.consumers(bias).size() != 1) {
                if (!skipped_.count(node.describe())) {
                    skipped_.insert(node.describe());
                    warn_("Could not extract bias from node " + node.describe());
                }
                return false;
            }
        }
        const auto out_shape = model.shape(node.output(0));
        const auto b_shape = model.shape(bias);
        if (!out_shape || out_shape->size() < 2 || !b_shape || b_shape->empty())
            throw Error("ExtractBiasFromConv: node " + node.describe() +
                        ": the shapes of the output and the bias must be known");
        const std::int64_t channels = (*b_shape)[0];
        const Shape add_shape = bias_shape(channels, out_shape->size());

        if (!quantizer) {
            qonnx::set_node_constant(model, node, 2, model.initializer(bias).reshaped(add_shape));
        } else {
            // Reshape the quantizer's per-channel parameters with the bias. qonnx also reshapes a
            // scalar () scale, which only works for one channel; single values stay as they are.
            for (int i = 0; i < quantizer->input_count(); ++i) {
                Tensor value = model.initializer(quantizer->input(i));
                if (i == 0 || value.size() == channels)
                    qonnx::set_node_constant(model, *quantizer, i, value.reshaped(add_shape));
            }
            model.remove_value_info(bias);
            model.set_shape(bias, add_shape);
        }
        const std::string conv_out = qonnx::add_tensor(model, node.output(0) + "_conv", out_shape);
        const std::string output = node.output(0);
        const std::string bias_now = node.input(2);
        node.set_output(0, conv_out);
        node.remove_input(node.input_count() - 1);
        model.add_node("Add", {conv_out, bias_now}, {output});
        qonnx::sort_if_needed(model);
        return true;
    }

private:
    DiagnosticSink warn_;
    std::set<std::string> skipped_;
};

} // namespace

bool ExtractBiasFromConv::run(Model& model) {
    std::vector<std::unique_ptr<RewritePattern>> patterns;
    patterns.push_back(std::make_unique<ExtractConvBias>(forward_warnings()));
    return apply_patterns_greedily(model, patterns);
}

} // namespace finn
