// FINN's MoveLinearPastFork and MoveLinearPastEltwiseAdd (streamline.reorder), which residual
// networks need: a scale at a fork is copied into every branch, and equal scales (or any
// constant shifts) on both operands of an element-wise Add move behind it, so that streamlining
// can absorb them and the Add becomes an integer AddStreams.
#include "finn/transform/streamline.h"
#include "streamline_util.h"

namespace finn {

namespace {

using namespace streamline;

bool is_linear(const Node& node) {
    return node.is_standard_op("Add") || node.is_standard_op("Mul");
}

// Add/Mul(x, constant) whose output several node inputs read: each further read gets its own
// copy of the node (same constant), so every branch can move and absorb its copy on its own.
class MoveLinearPastForkPattern : public RewritePattern {
public:
    std::string_view name() const override { return "MoveLinearPastFork"; }
    bool match_and_rewrite(Model& model, Node node) override {
        if (!is_linear(node) || is_join(model, node)) return false;
        auto operands = constant_operand(model, node);
        if (!operands) return false;
        const std::string out = node.output(0);
        std::vector<std::pair<Node, int>> reads;
        for (Node reader : model.nodes())
            for (int i = 0; i < reader.input_count(); ++i)
                if (reader.input(i) == out) reads.emplace_back(reader, i);
        // A graph output keeps the original; every read beyond the first gets a copy.
        const std::size_t keep = model.is_graph_output(out) ? 0 : 1;
        if (reads.size() + (keep == 0 ? 1 : 0) < 2) return false;
        // A node reading the fork twice (x + x) has nothing to move apart.
        if (keep == 1 && reads.size() == 2 && reads[0].first == reads[1].first) return false;
        const auto shape = model.shape(out);
        const std::string op = node.op_type(), data = operands->data, param = operands->param;
        for (std::size_t r = keep; r < reads.size(); ++r) {
            const std::string copy_param =
                add_param(model, param + "_branch", model.initializer(param));
            if (model.has_datatype(param)) model.set_datatype(copy_param, model.datatype(param));
            const std::string copy_out = model.fresh_name(out + "_branch");
            model.add_node(op, {data, copy_param}, {copy_out}, model.fresh_node_name(op));
            record_shape(model, copy_out, shape);
            reads[r].first.set_input(reads[r].second, copy_out);
        }
        keep_sorted(model);
        return true;
    }
};

// Add(x * C, y * C) => Add(x, y) * C, and Add(x + A, y + B) => Add(x, y) + (A + B), when both
// linear nodes feed only the Add and do not change the shape of their data.
class MoveLinearPastEltwiseAddPattern : public RewritePattern {
public:
    std::string_view name() const override { return "MoveLinearPastEltwiseAdd"; }
    bool match_and_rewrite(Model& model, Node add) override {
        if (!add.is_standard_op("Add") || add.input_count() != 2) return false;
        if (model.has_initializer(add.input(0)) || model.has_initializer(add.input(1)))
            return false;
        auto first = exclusive_producer(model, add.input(0));
        auto second = exclusive_producer(model, add.input(1));
        if (!first || !second || *first == *second || !is_linear(*first) ||
            first->op_type() != second->op_type())
            return false;
        auto ops0 = constant_operand(model, *first), ops1 = constant_operand(model, *second);
        if (!ops0 || !ops1) return false;
        // The constants must not broadcast the data to a larger shape.
        const auto s0 = model.shape(ops0->data), s1 = model.shape(ops1->data);
        if (!s0 || !s1 || *s0 != *s1 || model.shape(add.output(0)) != s0) return false;
        const Tensor c0 = model.initializer(ops0->param), c1 = model.initializer(ops1->param);
        if (broadcast(s0, c0.shape()) != s0 || broadcast(s0, c1.shape()) != s0) return false;
        Tensor moved = c0;
        if (first->op_type() == "Mul") {
            if (c0.shape() != c1.shape() || c0.to_doubles() != c1.to_doubles()) return false;
        } else {
            moved = elementwise(c0, c1, [](double a, double b) { return a + b; });
            if (broadcast(s0, moved.shape()) != s0) return false;
        }
        // The Add reads both data tensors; the first linear node moves behind it.
        const std::string sum = add.output(0), between = add.input(0);
        add.set_input(0, ops0->data);
        add.set_input(1, ops1->data);
        add.set_output(0, between);
        set_operands(*first, between, ops0->param);
        first->set_output(0, sum);
        if (first->op_type() == "Add") write_param(model, *first, 1, moved);
        record_shape(model, between, s0);
        model.clear_datatype(between);
        const std::vector<std::string> stale = {second->output(0)};
        model.remove_node(model.index_of(*second));
        remove_if_unused(model, stale);
        remove_if_unused(model, {ops1->param});
        keep_sorted(model);
        return true;
    }
};

} // namespace

bool MoveLinearPastFork::run(Model& model) {
    return apply_pattern(model, std::make_unique<MoveLinearPastForkPattern>());
}

bool MoveLinearPastEltwiseAdd::run(Model& model) {
    return apply_pattern(model, std::make_unique<MoveLinearPastEltwiseAddPattern>());
}

} // namespace finn
