// FINN's AvgPoolAndTruncToQuantAvgPool, for both ways Brevitas exports a TruncAvgPool2d:
//
//   older:   AveragePool -> Mul(k*k) -> Trunc   FINN's pattern (a misfit is an error, as in FINN)
//   current: AveragePool -> Trunc               Brevitas >= 0.11 (a misfit is left alone, warned)
//
// Both become Div(g) -> QuantAvgPool2d -> Mul(scale out), the pool working on the integer grid.
//
// Algebra of the current form. Let the pool's input be x = g*q with integers q (g: the grid). The
// average of a k x k window is g*S/k^2, S the window sum of q. The Trunc's scale is the average's,
// s = g/k^2 (zero point 0, FLOOR), so it computes n = round(avg/s) = S, then floor(n / t) times
// its output scale, with t = 2^(in_bits - out_bits) and output scale s for the 5-input Trunc
// (opset 1), and t = 2^round(log2(out_scale/s)), a clamp to the out_bits range (signed, narrow)
// before the floor and output scale out_scale for the 6-input Trunc (opset 2).
// QuantAvgPool2d on q = x/(s*k^2) computes floor(S / 2^shift), shift = max(0,
// bitlen((2^ibits - 1)*k^2) - obits): the same when shift = log2(t) and no value the pool can
// produce from ibits-bit inputs lies outside the clamp range.
#include "finn/core/error.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/qonnx_to_finn.h"
#include "finn/transform/tidy_up.h"
#include "qonnx_util.h"

#include <cctype>
#include <cmath>
#include <set>

namespace finn {

namespace {

Error pattern_error(const Node& node, const std::string& message) {
    return Error("AvgPoolAndTruncToQuantAvgPool: node " + node.describe() + ": " + message);
}

// The single node reading `node`'s outputs, if exactly one does.
std::optional<Node> single_successor(Model& model, const Node& node) {
    auto next = qonnx::successors(model, node);
    if (next.size() != 1) return std::nullopt;
    return next[0];
}

bool all_equal(const std::vector<std::int64_t>& v) {
    return std::all_of(v.begin(), v.end(), [&](auto x) { return x == v[0]; });
}

std::string upper(std::string text) {
    for (auto& c : text)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

// A result, or why there is none (the older pattern throws it, the current one warns).
template <class T> struct Checked {
    std::optional<T> value;
    std::string problem;
    static Checked fail(std::string why) { return {std::nullopt, std::move(why)}; }
};

// FINN's _get_signed_from_upstream: the sign of the Trunc's input, from its datatype or from the
// first node upstream (through Add, Mul, AveragePool and Pad only) that has an integer type.
Checked<bool> signed_from_upstream(Model& model, const Node& trunc) {
    const DataType in_type = model.datatype(trunc.input(0));
    if (in_type != DataType::float32()) return {in_type.is_signed(), ""};
    Node current = trunc;
    while (true) {
        std::vector<Node> producers;
        for (const auto& in : current.inputs())
            if (auto p = model.producer(in)) producers.push_back(*p);
        if (producers.size() > 1)
            return Checked<bool>::fail("datatype inference for the Trunc node only supports "
                                       "linear nodes in the upstream path");
        if (producers.empty())
            return Checked<bool>::fail("could not infer the datatype for the Trunc node due to "
                                       "missing upstream nodes");
        Node next = producers[0];
        const DataType out_type = model.datatype(next.output(0));
        if (out_type != DataType::float32()) return {out_type.is_signed(), ""};
        const std::string& op = next.op_type();
        if (op == "MultiThreshold") {
            const DataType mt_type = DataType::parse(next.attr_string("out_dtype"));
            if (mt_type != DataType::float32()) return {mt_type.is_signed(), ""};
        }
        if (op == "BipolarQuant") return {true, ""};
        if (op == "Quant") return {qonnx::quant_integer_datatype(model, next).is_signed(), ""};
        if (op != "Add" && op != "Mul" && op != "AveragePool" && op != "Pad")
            return Checked<bool>::fail(
                "the sign of the input could not be inferred: traversal stops at " +
                next.describe() +
                ", which is not one of the sign preserving ops Add, Mul, AveragePool, Pad");
        current = next;
    }
}

// A square k x k window with equal strides and no padding.
struct Window {
    std::int64_t kernel;
    std::int64_t stride;
};

Checked<Window> square_window(const Node& pool) {
    const auto kernel = pool.attr_ints("kernel_shape", {});
    if (kernel.size() != 2 || !all_equal(kernel))
        return Checked<Window>::fail("FINN only supports average pooling with 2D square kernels");
    const auto pads = pool.attr_ints("pads", {0, 0, 0, 0});
    if (!all_equal(pads) || pads[0] != 0)
        return Checked<Window>::fail("FINN doesn't support padding for average pooling");
    const auto strides = pool.attr_ints("strides", {1, 1});
    if (strides.size() != 2 || !all_equal(strides))
        return Checked<Window>::fail("FINN only supports 2D strides with equal values in each "
                                     "direction");
    return {Window{kernel[0], strides[0]}, ""};
}

// The Trunc's constant parameters (every input but the first), scalars.
struct TruncParams {
    Tensor scale;
    double zero_point;
    double in_bits;
    std::optional<Tensor> out_scale; // the 6-input Trunc of opset 2
    double out_bits;
};

Checked<TruncParams> trunc_params(Model& model, const Node& trunc) {
    if (upper(trunc.attr_string("rounding_mode", "FLOOR")) != "FLOOR")
        return Checked<TruncParams>::fail("the Trunc node must have the rounding_mode set to "
                                          "'FLOOR'");
    for (int i = 1; i < trunc.input_count(); ++i)
        if (!model.has_initializer(trunc.input(i)))
            return Checked<TruncParams>::fail("all inputs of the Trunc node except the first "
                                              "must be constant, " +
                                              trunc.input(i) + " is not");
    auto scalar_at = [&](int i) -> std::optional<double> {
        const Tensor t = model.initializer(trunc.input(i));
        if (t.size() != 1) return std::nullopt;
        return t.get(0);
    };
    const bool opset2 = trunc.input_count() == 6;
    const auto zero_point = scalar_at(2);
    if (!zero_point || *zero_point != 0.0)
        return Checked<TruncParams>::fail("FINN only supports 0 as the zero point of the Trunc "
                                          "node");
    const auto in_bits = scalar_at(3);
    const auto out_bits = scalar_at(opset2 ? 5 : 4);
    if (!in_bits || !out_bits)
        return Checked<TruncParams>::fail("FINN only supports scalar bit widths for the Trunc "
                                          "node");
    TruncParams p{model.initializer(trunc.input(1)), *zero_point, *in_bits, std::nullopt,
                  *out_bits};
    if (opset2) p.out_scale = model.initializer(trunc.input(4));
    return {p, ""};
}

// FINN's QuantAvgPool2d input width: the one whose k*k-sum has the Trunc's input width.
std::int64_t quant_avg_pool_ibits(double in_bits, std::int64_t k) {
    return static_cast<std::int64_t>(
        std::floor(std::log2(std::pow(2.0, in_bits) / static_cast<double>(k * k))));
}

// QuantAvgPool2d's right shift (spec/finn-ops.md §2.8).
std::int64_t quant_avg_pool_shift(std::int64_t ibits, std::int64_t k, std::int64_t obits) {
    const auto max_sum = static_cast<unsigned __int128>((std::int64_t{1} << ibits) - 1) *
                         static_cast<unsigned __int128>(k * k);
    std::int64_t acc_bits = 0;
    while (max_sum >> acc_bits)
        ++acc_bits;
    return std::max<std::int64_t>(0, acc_bits - obits);
}

struct QuantAvgPool {
    Window window;
    std::int64_t ibits;
    std::int64_t obits;
    bool is_signed;
    Tensor divisor;   // x / divisor is the integer input
    Tensor out_scale; // the result's scale
};

// Replaces the chain `nodes` (AveragePool first, Trunc last) with Div -> QuantAvgPool2d -> Mul.
void replace_with_quant_avg_pool(Model& model, const std::vector<Node>& nodes,
                                 const QuantAvgPool& q) {
    const std::string input = nodes.front().input(0);
    const std::string output = nodes.back().output(0);
    std::vector<std::string> old_tensors = nodes.front().outputs();
    for (std::size_t i = 1; i < nodes.size(); ++i)
        for (const auto& t : nodes[i].inputs())
            old_tensors.push_back(t);
    for (const auto& t : nodes.back().outputs())
        if (t != output) old_tensors.push_back(t);
    std::set<int> indices;
    for (const Node& n : nodes)
        indices.insert(model.index_of(n));
    for (auto it = indices.rbegin(); it != indices.rend(); ++it)
        model.remove_node(*it);

    const std::string divided = qonnx::add_tensor(model, input + "_int", std::nullopt);
    const std::string pooled = qonnx::add_tensor(model, output + "_int", std::nullopt);
    model.add_node("Div", {input, qonnx::add_constant(model, output + "_scale", q.divisor)},
                   {divided});
    Node qap = model.add_node("QuantAvgPool2d", {divided}, {pooled}, "", domains::kQonnxGeneral);
    qap.set_attr_int("stride", q.window.stride);
    qap.set_attr_int("kernel", q.window.kernel);
    qap.set_attr_int("ibits", q.ibits);
    qap.set_attr_int("obits", q.obits);
    qap.set_attr_int("signed", q.is_signed ? 1 : 0);
    // FINN's ToDo: NHWC once channels-last layouts come around.
    qap.set_attr_string("data_layout", "NCHW");
    model.add_node("Mul", {pooled, qonnx::add_constant(model, output + "_scale", q.out_scale)},
                   {output});
    qonnx::remove_unused(model, old_tensors);
    qonnx::sort_if_needed(model);
}

// AveragePool -> Mul(k*k) -> Trunc (opset 1), FINN's pattern.
class AvgPoolMulTrunc : public RewritePattern {
public:
    std::string_view name() const override { return "AvgPoolMulTrunc"; }

    bool match_and_rewrite(Model& model, Node pool) override {
        if (pool.op_type() != "AveragePool") return false;
        auto mul = single_successor(model, pool);
        if (!mul || mul->op_type() != "Mul") return false;
        auto trunc = single_successor(model, *mul);
        if (!trunc || trunc->op_type() != "Trunc" || trunc->input_count() != 5) return false;
        if (model.is_graph_output(pool.output(0)) || model.is_graph_output(mul->output(0)))
            return false;

        const Checked<Window> window = square_window(pool);
        if (!window.value) throw pattern_error(pool, window.problem);
        const std::int64_t k = window.value->kernel;
        const int factor_input = mul->input(0) == pool.output(0) ? 1 : 0;
        auto factor = qonnx::constant(model, mul->input(factor_input));
        if (!factor || factor->size() != 1 || factor->get(0) != static_cast<double>(k * k))
            throw pattern_error(*mul, "the Mul node after the AveragePool node must multiply by "
                                      "a constant scalar equal to the squared kernel size " +
                                          std::to_string(k * k));
        const Checked<TruncParams> params = trunc_params(model, *trunc);
        if (!params.value) throw pattern_error(*trunc, params.problem);
        const Checked<bool> is_signed = signed_from_upstream(model, *trunc);
        if (!is_signed.value) throw pattern_error(*trunc, is_signed.problem);

        // The Mul makes the average a sum on the input grid, the Trunc's scale.
        const TruncParams& p = *params.value;
        replace_with_quant_avg_pool(model, {pool, *mul, *trunc},
                                    QuantAvgPool{*window.value, quant_avg_pool_ibits(p.in_bits, k),
                                                 static_cast<std::int64_t>(p.out_bits),
                                                 *is_signed.value, p.scale, p.scale});
        return true;
    }
};

// AveragePool -> Trunc (opset 1 or 2), as current Brevitas exports it; converted only when the
// QuantAvgPool2d computes exactly what the Trunc does (see the algebra above).
class AvgPoolTrunc : public RewritePattern {
public:
    explicit AvgPoolTrunc(DiagnosticSink warn) : warn_(std::move(warn)) {}
    std::string_view name() const override { return "AvgPoolTrunc"; }

    bool match_and_rewrite(Model& model, Node pool) override {
        if (pool.op_type() != "AveragePool") return false;
        auto trunc = single_successor(model, pool);
        if (!trunc || trunc->op_type() != "Trunc" || model.is_graph_output(pool.output(0)))
            return false;
        if (trunc->input_count() != 5 && trunc->input_count() != 6) return false;
        if (declined_.count(trunc->output(0))) return false;
        const std::string problem = convert(model, pool, *trunc);
        if (problem.empty()) return true;
        // Warned once per Trunc, which the pattern then passes over.
        declined_.insert(trunc->output(0));
        if (warn_)
            warn_("AvgPoolAndTruncToQuantAvgPool: " + pool.name() + " -> " + trunc->name() +
                  " stays (not a QuantAvgPool2d): " + problem);
        return false;
    }

private:
    // Converts, or says why not (and leaves the model untouched).
    static std::string convert(Model& model, Node& pool, Node& trunc) {
        if (pool.attr_int("ceil_mode", 0) != 0) return "ceil_mode is set";
        const std::string auto_pad = pool.attr_string("auto_pad", "NOTSET");
        if (auto_pad != "NOTSET" && auto_pad != "VALID") return "auto_pad is " + auto_pad;
        const auto dilations = pool.attr_ints("dilations", {1, 1});
        if (!std::all_of(dilations.begin(), dilations.end(), [](auto d) { return d == 1; }))
            return "the pool is dilated";
        const Checked<Window> window = square_window(pool);
        if (!window.value) return window.problem;
        const Checked<TruncParams> params = trunc_params(model, trunc);
        if (!params.value) return params.problem;
        const TruncParams& p = *params.value;
        if (p.scale.size() != 1 || (p.out_scale && p.out_scale->size() != 1))
            return "the Trunc's scales must be scalars";
        const double scale = p.scale.get(0);
        if (!(scale > 0) || (p.out_scale && !(p.out_scale->get(0) > 0)))
            return "the Trunc's scales must be positive";
        const Checked<bool> is_signed = signed_from_upstream(model, trunc);
        if (!is_signed.value) return is_signed.problem;

        const std::int64_t k = window.value->kernel;
        const std::int64_t ibits = quant_avg_pool_ibits(p.in_bits, k);
        const auto obits = static_cast<std::int64_t>(p.out_bits);
        if (ibits < 1 || ibits > 32 || obits < 1 || static_cast<double>(obits) != p.out_bits)
            return "the Trunc's bit widths give no QuantAvgPool2d";
        // The Trunc divides by t = 2^trunc_shift.
        const double trunc_shift =
            p.out_scale ? std::nearbyint(std::log2(
                              static_cast<double>(static_cast<float>(p.out_scale->get(0) / scale))))
                        : p.in_bits - p.out_bits;
        const std::int64_t shift = quant_avg_pool_shift(ibits, k, obits);
        if (trunc_shift != static_cast<double>(shift))
            return "the Trunc shifts by " + std::to_string(static_cast<long long>(trunc_shift)) +
                   " bits, a QuantAvgPool2d of " + std::to_string(ibits) + "-bit inputs to " +
                   std::to_string(obits) + " bits by " + std::to_string(shift);
        if (p.out_scale) {
            // The clamp must not bite on anything the pool produces.
            const bool trunc_signed = trunc.attr_int("signed", 1) != 0;
            const bool narrow = trunc.attr_int("narrow", 0) != 0;
            const double lo_in = *is_signed.value ? -std::exp2(ibits - 1) : 0.0;
            const double hi_in = *is_signed.value ? std::exp2(ibits - 1) - 1 : std::exp2(ibits) - 1;
            const double window_size = static_cast<double>(k * k);
            const double lo = std::floor(lo_in * window_size / std::exp2(shift));
            const double hi = std::floor(hi_in * window_size / std::exp2(shift));
            const double clamp_lo =
                trunc_signed ? -std::exp2(p.out_bits - 1) + (narrow ? 1 : 0) : 0.0;
            const double clamp_hi =
                trunc_signed ? std::exp2(p.out_bits - 1) - 1 : std::exp2(p.out_bits) - 1;
            if (lo < clamp_lo || hi > clamp_hi)
                return "the Trunc clamps pooled values to [" +
                       std::to_string(static_cast<long long>(clamp_lo)) + ", " +
                       std::to_string(static_cast<long long>(clamp_hi)) + "]";
        }

        // The input grid: k*k times the average's scale.
        const Tensor grid = Tensor::from_floats(
            p.scale.shape(), {static_cast<float>(scale * static_cast<double>(k * k))});
        replace_with_quant_avg_pool(model, {pool, trunc},
                                    QuantAvgPool{*window.value, ibits, obits, *is_signed.value,
                                                 grid, p.out_scale ? *p.out_scale : p.scale});
        return "";
    }

    DiagnosticSink warn_;
    std::set<std::string> declined_; // Trunc outputs
};

} // namespace

bool AvgPoolAndTruncToQuantAvgPool::run(Model& model) {
    clear_warnings();
    std::vector<std::unique_ptr<RewritePattern>> patterns;
    patterns.push_back(std::make_unique<AvgPoolMulTrunc>());
    patterns.push_back(std::make_unique<AvgPoolTrunc>(forward_warnings()));
    if (!apply_patterns_greedily(model, patterns)) return false;
    // FINN recomputes shapes and datatypes after every conversion.
    InferShapes().run(model);
    InferDataTypes().run(model);
    return true;
}

} // namespace finn
