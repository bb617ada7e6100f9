// FINN's absorptions into MultiThreshold: a scalar Add after it becomes its output bias; a
// per-channel Add or non-negative Mul in front of it becomes part of its thresholds
// (x + a >= t  <=>  x >= t - a;  x * a >= t  <=>  x >= t / a for a > 0).
#include "finn/transform/streamline.h"
#include "finn/transform/tidy_up.h"
#include "streamline_util.h"

#include <algorithm>
#include <limits>

namespace finn {

namespace {

using namespace streamline;

// --- AbsorbSignBiasIntoMultiThreshold ---------------------------------------------------------

class AbsorbSignBiasPattern : public RewritePattern {
public:
    std::string_view name() const override { return "AbsorbSignBiasIntoMultiThreshold"; }
    bool match_and_rewrite(Model& model, Node mt) override {
        if (!mt.is_general_op("MultiThreshold") || mt.input_count() != 2 || is_join(model, mt) ||
            !model.has_initializer(mt.input(1)))
            return false;
        auto add = model.single_consumer(mt);
        if (!add || !add->is_standard_op("Add")) return false;
        auto ops = constant_operand(model, *add);
        if (!ops) return false;
        const Tensor a = model.initializer(ops->param);
        const Tensor t = model.initializer(mt.input(1));
        if (!is_scalar(a) || t.rank() < 1) return false;

        const float bias = static_cast<float>(a.get(0) + mt.attr_float("out_bias", 0.0f));
        // The output takes values bias .. steps + bias: FINN's type is the signed variant of the
        // smallest type holding the step count (UINT4 -> INT4); it asserts that this fits.
        const auto steps = static_cast<double>(t.shape().back());
        std::string type_name = DataType::smallest_possible(steps).name();
        if (type_name.rfind("UINT", 0) == 0) type_name.erase(0, 1);
        const DataType out_type = DataType::parse(type_name);
        if (!out_type.allowed(bias) || !out_type.allowed(steps + bias)) return false;

        const std::string middle = mt.output(0);
        const std::string end = add->output(0);
        const std::string param = ops->param;
        model.remove_node(model.index_of(*add));
        mt.set_attr_float("out_bias", bias);
        mt.set_attr_string("out_dtype", out_type.name());
        mt.set_output(0, end);
        model.set_datatype(end, out_type);
        remove_if_unused(model, {middle, param});
        return true;
    }
};

// --- AbsorbAddIntoMultiThreshold / AbsorbMulIntoMultiThreshold --------------------------------

// A constant Add/Mul whose only reader is a MultiThreshold with constant thresholds, and whose
// constant is a scalar or varies along the MultiThreshold's channel axis only, with as many
// entries as the thresholds have rows (or one row to broadcast).
struct LinearBeforeThresholds {
    Operands operands;
    Node mt;
    Tensor constant; // reshaped to a column (entries, 1)
    Tensor thresholds;
};

std::optional<LinearBeforeThresholds> match_before_thresholds(Model& model, Node node,
                                                              const std::string& op) {
    if (!node.is_standard_op(op)) return std::nullopt;
    auto ops = constant_operand(model, node);
    if (!ops) return std::nullopt;
    auto mt = model.single_consumer(node);
    if (!mt || !mt->is_general_op("MultiThreshold") || mt->input_count() != 2 ||
        mt->input(0) != node.output(0) || !model.has_initializer(mt->input(1)))
        return std::nullopt;
    const Tensor c = model.initializer(ops->param);
    const Tensor t = model.initializer(mt->input(1));
    if (t.rank() != 2) return std::nullopt;
    if (!is_scalar(c)) {
        // FINN only counts the axes longer than 1; the one that varies must be the channels.
        const auto shape = model.shape(mt->input(0));
        if (!shape) return std::nullopt;
        const int rank = static_cast<int>(shape->size());
        if (!is_scalar_or_along(c, rank, channel_axis(*mt, rank))) return std::nullopt;
        if (t.shape()[0] != 1 && t.shape()[0] != c.size()) return std::nullopt;
    }
    return LinearBeforeThresholds{*ops, *mt, c.reshaped({c.size(), 1}), t};
}

// Feeds the linear node's input straight into the MultiThreshold with new thresholds.
void bypass(Model& model, Node linear, LinearBeforeThresholds& m, const Tensor& thresholds) {
    const std::string middle = linear.output(0);
    write_param(model, m.mt, 1, thresholds);
    m.mt.set_input(0, m.operands.data);
    model.remove_node(model.index_of(linear));
    remove_if_unused(model, {middle, m.operands.param});
}

class AbsorbAddPattern : public RewritePattern {
public:
    std::string_view name() const override { return "AbsorbAddIntoMultiThreshold"; }
    bool match_and_rewrite(Model& model, Node add) override {
        auto m = match_before_thresholds(model, add, "Add");
        if (!m) return false;
        bypass(model, add, *m,
               elementwise(m->thresholds, m->constant, [](double t, double a) { return t - a; }));
        return true;
    }
};

class AbsorbMulPattern : public RewritePattern {
public:
    std::string_view name() const override { return "AbsorbMulIntoMultiThreshold"; }
    bool match_and_rewrite(Model& model, Node mul) override {
        auto m = match_before_thresholds(model, mul, "Mul");
        if (!m) return false;
        const auto values = m->constant.to_doubles();
        if (std::any_of(values.begin(), values.end(), [](double v) { return v < 0; })) return false;
        const double inf = std::numeric_limits<double>::infinity();
        bypass(model, mul, *m, elementwise(m->thresholds, m->constant, [&](double t, double a) {
                   // 0 >= t exactly when t <= 0.
                   if (a == 0) return t <= 0 ? -inf : inf;
                   return t / a;
               }));
        return true;
    }
};

} // namespace

bool AbsorbSignBiasIntoMultiThreshold::run(Model& model) {
    if (!apply_pattern(model, std::make_unique<AbsorbSignBiasPattern>())) return false;
    InferDataTypes().run(model);
    return true;
}

bool AbsorbAddIntoMultiThreshold::run(Model& model) {
    return apply_pattern(model, std::make_unique<AbsorbAddPattern>());
}

bool AbsorbMulIntoMultiThreshold::run(Model& model) {
    return apply_pattern(model, std::make_unique<AbsorbMulPattern>());
}

} // namespace finn
