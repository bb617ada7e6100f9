// FINN's MoveAddPastConv and MoveScalarMulPastConv: scales and shifts in front of a convolution
// move behind it.
#include "finn/transform/streamline.h"
#include "streamline_util.h"

#include <algorithm>

namespace finn {

namespace {

using namespace streamline;

bool has_bias(const Node& conv) {
    return conv.input_count() > 2 && !conv.input(2).empty();
}

bool pads_nothing(const Node& conv) {
    const std::string auto_pad = conv.attr_string("auto_pad", "NOTSET");
    if (auto_pad != "NOTSET" && auto_pad != "VALID") return false;
    const auto pads = conv.attr_ints("pads", {});
    return std::all_of(pads.begin(), pads.end(), [](auto p) { return p == 0; });
}

// A linear node `op` whose only reader is a Conv (reading it as data) with constant weights.
struct LinearBeforeConv {
    Node linear;
    Operands operands;
    Node conv;
};

std::optional<LinearBeforeConv> match_linear_before_conv(Model& model, Node node,
                                                         const std::string& op) {
    if (!node.is_standard_op(op)) return std::nullopt;
    auto ops = constant_operand(model, node);
    if (!ops) return std::nullopt;
    auto conv = model.single_consumer(node);
    if (!conv || !conv->is_standard_op("Conv") || conv->input_count() < 2 ||
        conv->input(0) != node.output(0) || !model.has_initializer(conv->input(1)) ||
        is_join(model, *conv))
        return std::nullopt;
    return LinearBeforeConv{node, *ops, *conv};
}

class MoveAddPastConvPattern : public RewritePattern {
public:
    std::string_view name() const override { return "MoveAddPastConv"; }
    bool match_and_rewrite(Model& model, Node node) override {
        auto m = match_linear_before_conv(model, node, "Add");
        if (!m || !pads_nothing(m->conv)) return false;
        const Tensor a = model.initializer(m->operands.param);
        const Tensor w = model.initializer(m->conv.input(1));
        const auto in_shape = model.shape(m->conv.input(0));
        if (w.rank() < 3) return false;
        const std::int64_t out_ch = w.shape()[0], group_ch = w.shape()[1];
        const std::int64_t groups = m->conv.attr_int("group", 1);
        const std::int64_t channels = group_ch * groups;
        // Scalar, or one value per input channel (1, C, 1, ...).
        const bool per_channel = !is_scalar(a) && in_shape &&
                                 is_scalar_or_along(a, static_cast<int>(in_shape->size()), 1) &&
                                 a.size() == channels;
        if (!is_scalar(a) && !per_channel) return false;
        if (groups < 1 || out_ch % groups != 0) return false;

        // Without padding every output sees the constant input everywhere: conv(A)[o] is the sum
        // of o's kernel times the constant of each input channel.
        const auto wv = w.to_doubles();
        const auto av = a.to_doubles();
        const std::int64_t kernel = w.size() / (out_ch * group_ch);
        std::vector<double> moved(static_cast<std::size_t>(out_ch), 0.0);
        for (std::int64_t o = 0; o < out_ch; ++o) {
            const std::int64_t first_channel = (o / (out_ch / groups)) * group_ch;
            for (std::int64_t c = 0; c < group_ch; ++c) {
                const double value = per_channel ? av[first_channel + c] : av[0];
                for (std::int64_t k = 0; k < kernel; ++k)
                    moved[o] += wv[(o * group_ch + c) * kernel + k] * value;
            }
        }
        Shape shape(static_cast<std::size_t>(w.rank()), 1);
        shape[1] = out_ch;
        set_operands(m->linear, m->operands.data, m->operands.param);
        m->operands.param = write_param(
            model, m->linear, 1, Tensor::from_doubles(float_result_type(a, w), shape, moved));
        move_linear_behind(model, m->linear, m->operands, m->conv);
        return true;
    }
};

class MoveScalarMulPastConvPattern : public RewritePattern {
public:
    std::string_view name() const override { return "MoveScalarMulPastConv"; }
    bool match_and_rewrite(Model& model, Node node) override {
        auto m = match_linear_before_conv(model, node, "Mul");
        if (!m || has_bias(m->conv) || !is_scalar(model.initializer(m->operands.param)))
            return false;
        move_linear_behind(model, m->linear, m->operands, m->conv);
        return true;
    }
};

} // namespace

bool MoveAddPastConv::run(Model& model) {
    return apply_pattern(model, std::make_unique<MoveAddPastConvPattern>());
}

bool MoveScalarMulPastConv::run(Model& model) {
    return apply_pattern(model, std::make_unique<MoveScalarMulPastConvPattern>());
}

} // namespace finn
