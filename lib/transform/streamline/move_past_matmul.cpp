// FINN's MoveScalarMulPastMatMul and MoveScalarAddPastMatMul: a scalar scale or shift in front of
// a MatMul moves behind it, next to the scales and shifts that follow.
#include "finn/transform/streamline.h"
#include "streamline_util.h"

namespace finn {

namespace {

using namespace streamline;

// A scalar linear node `op` (Mul or Add) whose only reader is a MatMul with constant weights.
struct ScalarBeforeMatMul {
    Node linear;
    Operands operands;
    Node matmul;
};

std::optional<ScalarBeforeMatMul> match_scalar_before_matmul(Model& model, Node node,
                                                             const std::string& op) {
    if (!node.is_standard_op(op)) return std::nullopt;
    auto ops = constant_operand(model, node);
    if (!ops || !is_scalar(model.initializer(ops->param))) return std::nullopt;
    auto matmul = model.single_consumer(node);
    if (!matmul || !matmul->is_standard_op("MatMul") || matmul->input_count() != 2 ||
        matmul->input(0) != node.output(0) || !model.has_initializer(matmul->input(1)))
        return std::nullopt;
    return ScalarBeforeMatMul{node, *ops, *matmul};
}

class MoveScalarMulPastMatMulPattern : public RewritePattern {
public:
    std::string_view name() const override { return "MoveScalarMulPastMatMul"; }
    bool match_and_rewrite(Model& model, Node node) override {
        auto m = match_scalar_before_matmul(model, node, "Mul");
        if (!m) return false;
        move_linear_behind(model, m->linear, m->operands, m->matmul);
        return true;
    }
};

class MoveScalarAddPastMatMulPattern : public RewritePattern {
public:
    std::string_view name() const override { return "MoveScalarAddPastMatMul"; }
    bool match_and_rewrite(Model& model, Node node) override {
        auto m = match_scalar_before_matmul(model, node, "Add");
        if (!m) return false;
        const Tensor a = model.initializer(m->operands.param);
        const Tensor w = model.initializer(m->matmul.input(1));
        if (w.rank() != 2) return false;
        // (a * ones(K)) @ W: column sums of W times a. numpy's float32 dot may round partial sums
        // differently; the sum here is exact before one final rounding.
        const std::int64_t k = w.shape()[0], cols = w.shape()[1];
        const double value = a.get(0);
        const auto wv = w.to_doubles();
        std::vector<double> moved(static_cast<std::size_t>(cols), 0.0);
        for (std::int64_t i = 0; i < k; ++i)
            for (std::int64_t j = 0; j < cols; ++j)
                moved[j] += value * wv[i * cols + j];
        Shape shape = a.shape().empty() ? Shape{cols} : a.shape();
        shape.back() = cols;
        set_operands(m->linear, m->operands.data, m->operands.param);
        m->operands.param = write_param(
            model, m->linear, 1, Tensor::from_doubles(float_result_type(a, w), shape, moved));
        move_linear_behind(model, m->linear, m->operands, m->matmul);
        return true;
    }
};

} // namespace

bool MoveScalarMulPastMatMul::run(Model& model) {
    return apply_pattern(model, std::make_unique<MoveScalarMulPastMatMulPattern>());
}

bool MoveScalarAddPastMatMul::run(Model& model) {
    return apply_pattern(model, std::make_unique<MoveScalarAddPastMatMulPattern>());
}

} // namespace finn
