// qonnx's BatchNormToAffine: an inference-time BatchNormalization is the affine map A*x + B.
#include "finn/transform/streamline.h"
#include "streamline_util.h"

#include <cmath>

namespace finn {

namespace {

using namespace streamline;

// `longer` is `shorter` followed by axes of size 1.
bool adds_trailing_ones(const std::optional<Shape>& shorter, const std::optional<Shape>& longer) {
    if (!shorter || !longer || longer->size() < shorter->size()) return false;
    for (std::size_t i = 0; i < longer->size(); ++i) {
        if (i < shorter->size() ? (*longer)[i] != (*shorter)[i] : (*longer)[i] != 1) return false;
    }
    return true;
}

// TFC exports BatchNorm1d as Unsqueeze -> BatchNormalization -> Squeeze. qonnx removes such
// neighbours one by one; only a matching pair can go without changing the shape downstream.
struct Surroundings {
    std::optional<Node> unsqueeze;
    std::optional<Node> squeeze;
};

Surroundings removable_surroundings(Model& model, const Node& bn) {
    auto unsqueeze = exclusive_producer(model, bn.input(0));
    auto squeeze = model.single_consumer(bn);
    if (!unsqueeze || unsqueeze->op_type() != "Unsqueeze" || !squeeze ||
        squeeze->op_type() != "Squeeze")
        return {};
    const auto in_shape = model.shape(unsqueeze->input(0));
    if (!in_shape || in_shape->size() < 2 || model.shape(squeeze->output(0)) != in_shape ||
        !adds_trailing_ones(in_shape, model.shape(unsqueeze->output(0))))
        return {};
    return {unsqueeze, squeeze};
}

class BatchNormToAffinePattern : public RewritePattern {
public:
    std::string_view name() const override { return "BatchNormToAffine"; }
    bool match_and_rewrite(Model& model, Node bn) override {
        if (!bn.is_standard_op("BatchNormalization") || bn.input_count() != 5 ||
            bn.output_count() < 1)
            return false;
        for (int i = 1; i < 5; ++i)
            if (!model.has_initializer(bn.input(i))) return false;
        for (int i = 1; i < bn.output_count(); ++i)
            if (!bn.output(i).empty()) return false; // training-mode outputs

        const Surroundings around = removable_surroundings(model, bn);
        const std::string input = around.unsqueeze ? around.unsqueeze->input(0) : bn.input(0);
        const std::string output = around.squeeze ? around.squeeze->output(0) : bn.output(0);
        const auto data_shape = model.shape(input);
        if (!data_shape || data_shape->size() < 2) return false;

        const Tensor scale = as_float(model.initializer(bn.input(1)));
        const Tensor bias = as_float(model.initializer(bn.input(2)));
        const Tensor mean = as_float(model.initializer(bn.input(3)));
        const Tensor var = as_float(model.initializer(bn.input(4)));
        const double eps = bn.attr_float("epsilon", 1e-5f);
        // numpy in the parameters' precision: A = scale / sqrt(eps + var), B = bias - A * mean.
        Tensor var_eps = elementwise(var, Tensor::from_floats({}, {0.0f}),
                                     [&](double v, double) { return v + eps; });
        Tensor root = elementwise(var_eps, Tensor::from_floats({}, {0.0f}),
                                  [](double v, double) { return std::sqrt(v); });
        Tensor a = elementwise(scale, root, [](double s, double r) { return s / r; });
        Tensor a_mean = elementwise(a, mean, [](double x, double m) { return x * m; });
        Tensor b = elementwise(bias, a_mean, [](double x, double am) { return x - am; });
        // (1, C, 1, ...) to broadcast along the channel axis of the data.
        Shape target(data_shape->size(), 1);
        target[1] = a.size();
        a = a.reshaped(target);
        b = b.reshaped(target);

        std::vector<std::string> old_tensors = bn.inputs();
        old_tensors.push_back(bn.output(0));
        std::vector<int> old_nodes = {model.index_of(bn)};
        for (const auto& n : {around.unsqueeze, around.squeeze}) {
            if (!n) continue;
            old_nodes.push_back(model.index_of(*n));
            for (const auto& t : n->inputs())
                old_tensors.push_back(t);
            for (const auto& t : n->outputs())
                old_tensors.push_back(t);
        }
        std::sort(old_nodes.rbegin(), old_nodes.rend());
        for (int index : old_nodes)
            model.remove_node(index);

        const std::string a_name = add_param(model, "BatchNormToAffine_mul_", a);
        const std::string b_name = add_param(model, "BatchNormToAffine_add_", b);
        const std::string middle = model.fresh_name("BatchNormToAffine_out_");
        model.add_node("Mul", {input, a_name}, {middle}, model.fresh_node_name("Mul"));
        model.add_node("Add", {middle, b_name}, {output}, model.fresh_node_name("Add"));
        record_shape(model, middle, data_shape);
        remove_if_unused(model, old_tensors);
        keep_sorted(model);
        return true;
    }
};

} // namespace

bool BatchNormToAffine::run(Model& model) {
    return apply_pattern(model, std::make_unique<BatchNormToAffinePattern>());
}

} // namespace finn
