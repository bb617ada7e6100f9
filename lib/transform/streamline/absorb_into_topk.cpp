// FINN's AbsorbScalarMulAddIntoTopK: adding a scalar, or scaling by a positive one, does not change
// which entries are largest, so it can go before TopK (whose values output then changes).
#include "finn/transform/streamline.h"
#include "finn/transform/tidy_up.h"
#include "streamline_util.h"

namespace finn {

namespace {

using namespace streamline;

class AbsorbScalarMulAddIntoTopKPattern : public RewritePattern {
public:
    std::string_view name() const override { return "AbsorbScalarMulAddIntoTopK"; }
    bool match_and_rewrite(Model& model, Node topk) override {
        if (!topk.is_standard_op("TopK") || topk.input_count() < 1) return false;
        auto linear = exclusive_producer(model, topk.input(0));
        if (!linear || !is_standard_domain(linear->domain())) return false;
        const bool is_mul = linear->op_type() == "Mul";
        if (!is_mul && linear->op_type() != "Add") return false;
        auto ops = constant_operand(model, *linear);
        if (!ops) return false;
        const Tensor a = model.initializer(ops->param);
        if (!is_scalar(a) || a.size() != 1 || (is_mul && !(a.get(0) > 0))) return false;

        const std::string middle = linear->output(0);
        model.remove_node(model.index_of(*linear));
        topk.set_input(0, ops->data);
        // As FINN, to be re-inferred right after.
        model.set_datatype(ops->data, DataType::float32());
        remove_if_unused(model, {middle, ops->param});
        return true;
    }
};

} // namespace

bool AbsorbScalarMulAddIntoTopK::run(Model& model) {
    if (!apply_pattern(model, std::make_unique<AbsorbScalarMulAddIntoTopKPattern>())) return false;
    InferDataTypes().run(model);
    return true;
}

} // namespace finn
