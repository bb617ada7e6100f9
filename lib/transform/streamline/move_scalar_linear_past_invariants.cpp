// FINN's MoveScalarLinearPastInvariants: f(x * c) = f(x) * c (and likewise + c, / c) for functions
// that only move or average elements, so scales in front of a Reshape or Transpose join the
// others behind it.
#include "finn/transform/streamline.h"
#include "finn/transform/tidy_up.h"
#include "streamline_util.h"

namespace finn {

namespace {

using namespace streamline;

bool is_invariant(const Node& node) {
    if (!is_standard_domain(node.domain())) return false;
    const std::string& op = node.op_type();
    if (op == "Resize" || op == "Upsample") return node.attr_string("mode", "nearest") == "nearest";
    return op == "GlobalAveragePool" || op == "Reshape" || op == "Transpose" || op == "Flatten";
}

class MoveScalarLinearPastInvariantsPattern : public RewritePattern {
public:
    std::string_view name() const override { return "MoveScalarLinearPastInvariants"; }
    bool match_and_rewrite(Model& model, Node f) override {
        if (!is_invariant(f) || f.input_count() < 1 || f.output_count() != 1) return false;
        // FINN does not check that f is the only reader; moving a shared scale would change
        // what the other readers see.
        auto linear = exclusive_producer(model, f.input(0));
        if (!linear || !is_standard_domain(linear->domain())) return false;
        const std::string& op = linear->op_type();
        if (op != "Mul" && op != "Add" && op != "Div") return false;
        auto ops = constant_operand(model, *linear);
        if (!ops) return false;
        const Tensor c = model.initializer(ops->param);
        if (c.size() != 1) return false;

        const auto out_shape = model.shape(f.output(0));
        const DataType scalar_out_type = model.datatype(linear->output(0));
        set_operands(*linear, ops->data, ops->param);
        if (c.rank() > 0) write_param(model, *linear, 1, c.reshaped({}));
        swap_chain(*linear, 0, f, 0);
        record_shape(model, f.output(0), out_shape);
        record_shape(model, linear->output(0), out_shape);
        model.set_datatype(linear->output(0), scalar_out_type);
        model.set_datatype(f.output(0), DataType::float32());
        keep_sorted(model);
        return true;
    }
};

} // namespace

bool MoveScalarLinearPastInvariants::run(Model& model) {
    if (!apply_pattern(model, std::make_unique<MoveScalarLinearPastInvariantsPattern>()))
        return false;
    InferDataTypes().run(model);
    return true;
}

} // namespace finn
