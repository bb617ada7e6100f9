// FINN's MoveMulPastDWConv: a per-channel scale in front of a depthwise convolution moves behind
// it, where it meets the convolution's own scales and is absorbed into the next thresholds.
//
// A depthwise Conv (group = C input channels, one input channel per group, M = C_out / C output
// channels per group) computes output channel o from input channel o/M alone:
//   conv(x * c)[o] = sum_k W[o, k] * x[o/M, . + k] * c[o/M] = conv(x)[o] * c[o/M],
// also with zero padding (0 * c = 0). With a bias b the identity fails (conv(x)*c + b), so a
// Conv with a bias is not matched.
#include "finn/transform/streamline.h"
#include "streamline_util.h"

namespace finn {

namespace {

using namespace streamline;

class MoveMulPastDWConvPattern : public RewritePattern {
public:
    std::string_view name() const override { return "MoveMulPastDWConv"; }
    bool match_and_rewrite(Model& model, Node mul) override {
        if (!mul.is_standard_op("Mul")) return false;
        auto operands = constant_operand(model, mul);
        if (!operands) return false;
        auto conv = model.single_consumer(mul);
        if (!conv || !conv->is_standard_op("Conv") || conv->input_count() < 2 ||
            conv->input(0) != mul.output(0) || !model.has_initializer(conv->input(1)) ||
            is_join(model, *conv))
            return false;
        if (conv->input_count() > 2 && !conv->input(2).empty()) return false; // a bias

        const Shape w_shape = model.initializer_shape(conv->input(1));
        const std::int64_t groups = conv->attr_int("group", 1);
        const auto in_shape = model.shape(conv->input(0));
        if (w_shape.size() < 3 || w_shape[1] != 1 || !in_shape ||
            in_shape->size() != w_shape.size())
            return false;
        const std::int64_t channels = (*in_shape)[1];
        const std::int64_t out_channels = w_shape[0];
        if (groups != channels || channels < 2 || out_channels % channels != 0) return false;

        // One value per input channel; a scalar is MoveScalarMulPastConv's.
        const Tensor c = model.initializer(operands->param);
        const int rank = static_cast<int>(in_shape->size());
        if (is_scalar(c) || !is_scalar_or_along(c, rank, 1) || c.size() != channels) return false;

        const auto cv = c.to_doubles();
        const std::int64_t per_group = out_channels / channels;
        std::vector<double> moved(static_cast<std::size_t>(out_channels));
        for (std::int64_t o = 0; o < out_channels; ++o)
            moved[static_cast<std::size_t>(o)] = cv[static_cast<std::size_t>(o / per_group)];
        Shape shape(static_cast<std::size_t>(rank), 1);
        shape[1] = out_channels;
        set_operands(mul, operands->data, operands->param);
        operands->param =
            write_param(model, mul, 1, Tensor::from_doubles(as_float(c).type(), shape, moved));
        move_linear_behind(model, mul, *operands, *conv);
        return true;
    }
};

} // namespace

bool MoveMulPastDWConv::run(Model& model) {
    return apply_pattern(model, std::make_unique<MoveMulPastDWConvPattern>());
}

} // namespace finn
