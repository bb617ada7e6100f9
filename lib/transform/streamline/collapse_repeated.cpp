// FINN's CollapseRepeatedAdd and CollapseRepeatedMul: two constant Adds (Muls) in a row are one.
#include "finn/transform/streamline.h"
#include "streamline_util.h"

namespace finn {

namespace {

using namespace streamline;

template <class Combine> class CollapseRepeatedPattern : public RewritePattern {
public:
    CollapseRepeatedPattern(std::string transformation, std::string op, Combine combine)
        : transformation_(std::move(transformation)), op_(std::move(op)), combine_(combine) {}
    std::string_view name() const override { return transformation_; }
    bool match_and_rewrite(Model& model, Node first) override {
        if (!first.is_standard_op(op_)) return false;
        auto first_ops = constant_operand(model, first);
        if (!first_ops) return false;
        auto second = model.single_consumer(first);
        if (!second || !second->is_standard_op(op_)) return false;
        auto second_ops = constant_operand(model, *second);
        if (!second_ops) return false;

        const Tensor p0 = model.initializer(first_ops->param);
        const Tensor p1 = model.initializer(second_ops->param);
        const std::string middle = first.output(0);
        const std::string end = second->output(0);
        const auto end_shape = model.shape(end);
        // FINN computes op1 (.) op0; both are commutative in IEEE arithmetic.
        Tensor combined = elementwise(p1, p0, combine_);
        set_operands(first, first_ops->data, first_ops->param);
        const std::string param = write_param(model, first, 1, combined);
        model.remove_node(model.index_of(*second));
        first.set_output(0, end);
        record_shape(model, end, end_shape);
        // Conservative, as FINN: the collapsed parameter and result are plain floats.
        model.set_datatype(param, DataType::float32());
        model.set_datatype(end, DataType::float32());
        remove_if_unused(model, {middle, second_ops->param});
        return true;
    }

private:
    std::string transformation_;
    std::string op_;
    Combine combine_;
};

template <class Combine>
std::unique_ptr<RewritePattern> collapse(const char* transformation, const char* op,
                                         Combine combine) {
    return std::make_unique<CollapseRepeatedPattern<Combine>>(transformation, op, combine);
}

} // namespace

bool CollapseRepeatedAdd::run(Model& model) {
    return apply_pattern(
        model, collapse("CollapseRepeatedAdd", "Add", [](double x, double y) { return x + y; }));
}

bool CollapseRepeatedMul::run(Model& model) {
    return apply_pattern(
        model, collapse("CollapseRepeatedMul", "Mul", [](double x, double y) { return x * y; }));
}

} // namespace finn
