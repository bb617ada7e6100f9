// FINN's FactorOutMulSignMagnitude: a Mul by constants with some negative entries becomes a Mul by
// their signs (1-bit, absorbable into the preceding MatMul/Conv weights) and a Mul by their
// magnitudes (absorbable into the following thresholds).
#include "finn/transform/streamline.h"
#include "streamline_util.h"

#include <algorithm>
#include <cmath>

namespace finn {

namespace {

using namespace streamline;

class FactorOutMulSignMagnitudePattern : public RewritePattern {
public:
    std::string_view name() const override { return "FactorOutMulSignMagnitude"; }
    bool match_and_rewrite(Model& model, Node mul) override {
        if (!mul.is_standard_op("Mul")) return false;
        auto ops = constant_operand(model, mul);
        if (!ops || model.datatype(ops->param) == DataType::bipolar()) return false;
        const Tensor a = model.initializer(ops->param);
        const auto values = a.to_doubles();
        if (a.size() != 1 && !varying_axis(a)) return false;
        if (std::none_of(values.begin(), values.end(), [](double v) { return v < 0; }))
            return false;

        const auto zero = Tensor::from_floats({}, {0.0f});
        // np.sign gives 0 for 0; FINN annotates the signs BIPOLAR all the same.
        const Tensor signs = elementwise(
            a, zero, [](double v, double) { return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0); });
        const Tensor magnitudes =
            elementwise(a, zero, [](double v, double) { return std::fabs(v); });
        const auto x_shape = model.shape(ops->data);
        const std::string sign_param = add_param(model, "FactorOutMulSignMagnitude_sign_", signs);
        model.set_datatype(sign_param, DataType::bipolar());
        const std::string middle = model.fresh_name("FactorOutMulSignMagnitude_out_");
        set_operands(mul, middle, ops->param);
        write_param(model, mul, 1, magnitudes);
        model.add_node("Mul", {ops->data, sign_param}, {middle}, model.fresh_node_name("Mul"));
        record_shape(model, middle, broadcast(x_shape, a.shape()));
        keep_sorted(model);
        return true;
    }
};

} // namespace

bool FactorOutMulSignMagnitude::run(Model& model) {
    return apply_pattern(model, std::make_unique<FactorOutMulSignMagnitudePattern>());
}

} // namespace finn
