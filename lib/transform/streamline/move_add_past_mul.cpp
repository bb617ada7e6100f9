// FINN's MoveAddPastMul: (x + B) * A = x * A + B * A, so that Adds gather behind the Muls and
// can be collapsed and absorbed.
#include "finn/transform/streamline.h"
#include "streamline_util.h"

namespace finn {

namespace {

using namespace streamline;

class MoveAddPastMulPattern : public RewritePattern {
public:
    std::string_view name() const override { return "MoveAddPastMul"; }
    bool match_and_rewrite(Model& model, Node add) override {
        if (!add.is_standard_op("Add")) return false;
        auto add_ops = constant_operand(model, add);
        if (!add_ops) return false;
        auto mul = model.single_consumer(add);
        if (!mul || !mul->is_standard_op("Mul")) return false;
        auto mul_ops = constant_operand(model, *mul);
        if (!mul_ops) return false;

        const Tensor a = model.initializer(mul_ops->param);
        const Tensor b = model.initializer(add_ops->param);
        set_operands(add, add_ops->data, add_ops->param);
        set_operands(*mul, mul_ops->data, mul_ops->param);
        write_param(model, add, 1, elementwise(b, a, [](double x, double y) { return x * y; }));
        const auto x_shape = model.shape(add_ops->data);
        swap_chain(add, 0, *mul, 0);
        record_shape(model, mul->output(0), broadcast(x_shape, a.shape()));
        keep_sorted(model);
        return true;
    }
};

} // namespace

bool MoveAddPastMul::run(Model& model) {
    return apply_pattern(model, std::make_unique<MoveAddPastMulPattern>());
}

} // namespace finn
