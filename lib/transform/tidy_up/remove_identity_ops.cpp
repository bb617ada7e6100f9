#include "finn/transform/tidy_up.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace finn {

namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

bool all_close_to(const Tensor& values, double target, double atol) {
    // numpy.isclose with its default rtol of 1e-8.
    for (double v : values.to_doubles())
        if (!(std::abs(v - target) <= atol + 1e-8 * std::abs(target))) return false;
    return true;
}

// Broadcasting `x` with a constant of shape `c` gives x's shape back. qonnx does not check this,
// but removing Mul(x, ones(1, C, 1, 1)) from a 2D x would change the output shape.
bool keeps_shape(const std::optional<Shape>& x, const Shape& c) {
    if (!x) return c.empty();
    if (c.size() > x->size()) return false;
    for (std::size_t i = 0; i < c.size(); ++i) {
        std::int64_t xd = (*x)[x->size() - c.size() + i];
        if (c[i] != 1 && !(xd >= 0 && c[i] == xd)) return false;
    }
    return true;
}

// Add/Sub of 0, Mul/Div by 1, with the constant as the second input.
bool is_neutral_operand(Model& model, const Node& node, double neutral, double atol) {
    if (node.input_count() != 2 || !model.has_initializer(node.input(1))) return false;
    Tensor constant = model.initializer(node.input(1));
    return all_close_to(constant, neutral, atol) &&
           keeps_shape(model.shape(node.input(0)), constant.shape());
}

bool is_zero_pad(Model& model, const Node& node) {
    if (node.has_attr("pads")) {
        auto pads = node.attr_ints("pads");
        return std::all_of(pads.begin(), pads.end(), [](auto p) { return p == 0; });
    }
    if (node.input_count() < 2 || !model.has_initializer(node.input(1))) return false;
    return all_close_to(model.initializer(node.input(1)), 0.0, 0.0);
}

bool is_inference_dropout(Model& model, const Node& node) {
    // The mask output must not be needed.
    if (node.output_count() > 1 && !node.output(1).empty() &&
        (!model.consumers(node.output(1)).empty() || model.is_graph_output(node.output(1))))
        return false;
    if (model.opset_version("") < 12)
        return node.has_attr("ratio") && node.attr_float("ratio") == 0.0f;
    if (node.input_count() == 1) return true;
    return model.has_initializer(node.input(1)) &&
           all_close_to(model.initializer(node.input(1)), 0.0, 0.0);
}

bool is_identity(Model& model, const Node& node, double atol) {
    if (!is_standard_domain(node.domain())) return false;
    if (node.input_count() == 0 || node.input(0).empty() || node.output_count() == 0) return false;
    const std::string& op = node.op_type();
    if (op == "Identity") return true;
    if (op == "Add" || op == "Sub") return is_neutral_operand(model, node, 0.0, atol);
    if (op == "Mul" || op == "Div") return is_neutral_operand(model, node, 1.0, atol);
    if (op == "Pad") return is_zero_pad(model, node);
    if (op == "Dropout") return is_inference_dropout(model, node);
    return false;
}

// qonnx's fork test: the node's outputs feed more than one node.
bool is_fork(Model& model, const Node& node) {
    std::set<const void*> successors;
    for (const auto& out : node.outputs())
        for (Node consumer : model.consumers(out))
            successors.insert(&consumer.proto());
    return successors.size() > 1;
}

// Removes an identity node, joining its input and output into one tensor. As in qonnx, the
// output's name survives when the input comes from a non-forking producer (which then writes the
// output directly); otherwise the consumers read the input instead. A graph output always keeps
// its name. Returns false if the node cannot go (it connects a graph input to a graph output).
bool bypass(Model& model, Node node) {
    const std::string in = node.input(0);
    const std::string out = node.output(0);
    const std::vector<std::string> graph_outputs = model.output_names();
    const std::vector<std::string> node_tensors = [&] {
        auto names = node.inputs();
        for (const auto& o : node.outputs())
            names.push_back(o);
        return names;
    }();
    std::optional<Node> producer = model.producer(in);
    const bool in_is_output = contains(graph_outputs, in);

    if (producer && !is_fork(model, *producer) && !in_is_output) {
        for (int k = 0; k < producer->output_count(); ++k)
            if (producer->output(k) == in) producer->set_output(k, out);
        model.remove_node(model.index_of(node));
    } else if (!contains(graph_outputs, out)) {
        for (Node consumer : model.consumers(out))
            for (int k = 0; k < consumer.input_count(); ++k)
                if (consumer.input(k) == out) consumer.set_input(k, in);
        model.remove_node(model.index_of(node));
    } else {
        // The output is a graph output: the input tensor takes its name everywhere, which only
        // works for a tensor a node computes.
        if (!producer || in_is_output) return false;
        model.remove_node(model.index_of(node));
        model.remove_value_info(in);
        model.remove_annotations(in);
        model.rename_tensor(in, out);
    }
    for (const auto& name : node_tensors)
        model.remove_tensor_if_unused(name);
    return true;
}

class RemoveIdentityNode : public RewritePattern {
public:
    explicit RemoveIdentityNode(double atol) : atol_(atol) {}
    std::string_view name() const override { return "RemoveIdentityNode"; }
    bool match_and_rewrite(Model& model, Node node) override {
        return is_identity(model, node, atol_) && bypass(model, node);
    }

private:
    double atol_;
};

} // namespace

bool RemoveIdentityOps::run(Model& model) {
    std::vector<std::unique_ptr<RewritePattern>> patterns;
    patterns.push_back(std::make_unique<RemoveIdentityNode>(atol_));
    return apply_patterns_greedily(model, patterns);
}

} // namespace finn
