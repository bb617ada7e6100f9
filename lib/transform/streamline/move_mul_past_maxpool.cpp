// FINN's MoveMulPastMaxPool: max(a*x) = a*max(x) for a >= 0, per channel.
#include "finn/transform/streamline.h"
#include "streamline_util.h"

#include <algorithm>

namespace finn {

namespace {

using namespace streamline;

class MoveMulPastMaxPoolPattern : public RewritePattern {
public:
    std::string_view name() const override { return "MoveMulPastMaxPool"; }
    bool match_and_rewrite(Model& model, Node mul) override {
        if (!mul.is_standard_op("Mul")) return false;
        auto ops = constant_operand(model, mul);
        if (!ops) return false;
        auto pool = model.single_consumer(mul);
        if (!pool || !pool->is_standard_op("MaxPool") || pool->input(0) != mul.output(0) ||
            pool->attr_ints("kernel_shape", {}).size() != 2)
            return false;
        // The indices output would not move with the values.
        for (int i = 1; i < pool->output_count(); ++i)
            if (!pool->output(i).empty()) return false;
        const Tensor a = model.initializer(ops->param);
        const auto values = a.to_doubles();
        if (std::any_of(values.begin(), values.end(), [](double v) { return v < 0; })) return false;
        const auto in_shape = model.shape(pool->input(0));
        const bool per_channel =
            in_shape && in_shape->size() == 4 && a.rank() == 4 && is_scalar_or_along(a, 4, 1);
        if (!is_scalar(a) && !per_channel) return false;

        const auto out_shape = model.shape(pool->output(0));
        set_operands(mul, ops->data, ops->param);
        swap_chain(mul, 0, *pool, 0);
        record_shape(model, pool->output(0), out_shape);
        // As in FINN: the rewired tensors are plain floats until datatypes are inferred again.
        model.set_datatype(pool->output(0), DataType::float32());
        model.set_datatype(mul.output(0), DataType::float32());
        keep_sorted(model);
        return true;
    }
};

} // namespace

bool MoveMulPastMaxPool::run(Model& model) {
    return apply_pattern(model, std::make_unique<MoveMulPastMaxPoolPattern>());
}

} // namespace finn
