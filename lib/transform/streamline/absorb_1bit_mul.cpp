// FINN's Absorb1BitMulIntoMatMul and Absorb1BitMulIntoConv: multiplying the outputs by +-1 (or 0/1)
// per output channel is the same as multiplying that channel's weights, which stay in their
// datatype when it allows the result (bipolar weights times signs are still bipolar).
#include "finn/transform/streamline.h"
#include "streamline_util.h"

namespace finn {

namespace {

using namespace streamline;

// A Mul by a 1-bit constant that is the only reader of `producer`'s output.
std::optional<std::pair<Node, Operands>> one_bit_mul_after(Model& model, const Node& producer) {
    auto mul = model.single_consumer(producer);
    if (!mul || !mul->is_standard_op("Mul")) return std::nullopt;
    auto ops = constant_operand(model, *mul);
    if (!ops || model.datatype(ops->param).bitwidth() != 1) return std::nullopt;
    return std::make_pair(*mul, *ops);
}

// Multiplies the weights by the constant if the weights' datatype allows the result; the producer
// then writes the Mul's output and the Mul goes.
bool absorb(Model& model, Node producer, Node mul, const Operands& ops, const Tensor& factors) {
    const std::string weights = producer.input(1);
    const Tensor w = model.initializer(weights);
    const Tensor scaled = elementwise(w, factors, [](double x, double a) { return x * a; });
    if (scaled.shape() != w.shape() || !all_allowed(model.datatype(weights), scaled)) return false;
    const std::string middle = producer.output(0);
    const std::string end = mul.output(0);
    write_param(model, producer, 1, scaled);
    model.remove_node(model.index_of(mul));
    producer.set_output(0, end);
    remove_if_unused(model, {middle, ops.param});
    return true;
}

class Absorb1BitMulIntoMatMulPattern : public RewritePattern {
public:
    std::string_view name() const override { return "Absorb1BitMulIntoMatMul"; }
    bool match_and_rewrite(Model& model, Node matmul) override {
        if (!matmul.is_standard_op("MatMul") || matmul.input_count() != 2 ||
            !model.has_initializer(matmul.input(1)))
            return false;
        auto found = one_bit_mul_after(model, matmul);
        if (!found) return false;
        const Tensor a = model.initializer(found->second.param);
        // The factors must scale output columns: at most 2D, constant except along the last axis.
        if (a.rank() > 2 || (a.rank() == 2 && a.shape()[0] != 1)) return false;
        return absorb(model, matmul, found->first, found->second, a);
    }
};

class Absorb1BitMulIntoConvPattern : public RewritePattern {
public:
    std::string_view name() const override { return "Absorb1BitMulIntoConv"; }
    bool match_and_rewrite(Model& model, Node conv) override {
        if (!conv.is_standard_op("Conv") || conv.input_count() < 2 ||
            !model.has_initializer(conv.input(1)))
            return false;
        // (Wx + b) * a would also need b * a.
        if (conv.input_count() > 2 && !conv.input(2).empty()) return false;
        auto found = one_bit_mul_after(model, conv);
        if (!found) return false;
        const Tensor a = model.initializer(found->second.param);
        // W's data is decoded once, by absorb.
        const Shape w_shape = model.initializer_shape(conv.input(1));
        if (w_shape.empty()) return false;
        const int w_rank = static_cast<int>(w_shape.size());
        // Scalar or one factor per output channel (axis 1 of the output), applied to W's rows.
        if (!is_scalar(a) && !(is_scalar_or_along(a, w_rank, 1) && a.size() == w_shape[0]))
            return false;
        Shape column(static_cast<std::size_t>(w_rank), 1);
        column[0] = a.size();
        return absorb(model, conv, found->first, found->second, a.reshaped(column));
    }
};

} // namespace

bool Absorb1BitMulIntoMatMul::run(Model& model) {
    return apply_pattern(model, std::make_unique<Absorb1BitMulIntoMatMulPattern>());
}

bool Absorb1BitMulIntoConv::run(Model& model) {
    return apply_pattern(model, std::make_unique<Absorb1BitMulIntoConvPattern>());
}

} // namespace finn
