// qonnx's ConvertSubToAdd and ConvertDivToMul: subtracting or dividing by a constant becomes adding
// or multiplying, so that the reorder/collapse/absorb passes only need to know Add and Mul.
#include "finn/transform/streamline.h"
#include "streamline_util.h"

namespace finn {

namespace {

bool negated_keeps_value(ElementType type) {
    return type == ElementType::Int8 || type == ElementType::Int16 || type == ElementType::Int32 ||
           type == ElementType::Int64;
}

class SubToAdd : public RewritePattern {
public:
    std::string_view name() const override { return "ConvertSubToAdd"; }
    bool match_and_rewrite(Model& model, Node node) override {
        if (!node.is_standard_op("Sub")) return false;
        auto ops = streamline::constant_operand(model, node);
        if (!ops) return false;
        // -A keeps A's element type (exact for floats and signed integers).
        Tensor negated = model.initializer(ops->param);
        if (!is_floating(negated.type()) && !negated_keeps_value(negated.type())) return false;
        for (std::int64_t i = 0; i < negated.size(); ++i)
            negated.set(i, -negated.get(i));
        streamline::write_param(model, node, 1, negated);
        node.set_op_type("Add");
        return true;
    }
};

class DivToMul : public RewritePattern {
public:
    std::string_view name() const override { return "ConvertDivToMul"; }
    bool match_and_rewrite(Model& model, Node node) override {
        if (!node.is_standard_op("Div")) return false;
        auto ops = streamline::constant_operand(model, node);
        if (!ops) return false;
        Tensor a = model.initializer(ops->param);
        // qonnx casts 1/A back to A's type, which truncates an integer divisor to 0.
        if (!is_floating(a.type()) || a.type() == ElementType::Float16) return false;
        Tensor reciprocal = streamline::elementwise(a, Tensor::from_floats({}, {0.0f}),
                                                    [](double x, double) { return 1.0 / x; });
        streamline::write_param(model, node, 1, reciprocal);
        node.set_op_type("Mul");
        return true;
    }
};

} // namespace

bool ConvertSubToAdd::run(Model& model) {
    return streamline::apply_pattern(model, std::make_unique<SubToAdd>());
}

bool ConvertDivToMul::run(Model& model) {
    return streamline::apply_pattern(model, std::make_unique<DivToMul>());
}

} // namespace finn
