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

// FINN's _get_signed_from_upstream: the sign of the Trunc's input, from its datatype or from the
// first node upstream (through Add, Mul, AveragePool and Pad only) that has an integer type.
bool signed_from_upstream(Model& model, const Node& trunc) {
    const DataType in_type = model.datatype(trunc.input(0));
    if (in_type != DataType::float32()) return in_type.is_signed();
    Node current = trunc;
    while (true) {
        std::vector<Node> producers;
        for (const auto& in : current.inputs())
            if (auto p = model.producer(in)) producers.push_back(*p);
        if (producers.size() > 1)
            throw pattern_error(trunc, "datatype inference for the Trunc node only supports "
                                       "linear nodes in the upstream path");
        if (producers.empty())
            throw pattern_error(trunc, "could not infer the datatype for the Trunc node due to "
                                       "missing upstream nodes");
        Node next = producers[0];
        const DataType out_type = model.datatype(next.output(0));
        if (out_type != DataType::float32()) return out_type.is_signed();
        const std::string& op = next.op_type();
        if (op == "MultiThreshold") {
            const DataType mt_type = DataType::parse(next.attr_string("out_dtype"));
            if (mt_type != DataType::float32()) return mt_type.is_signed();
        }
        if (op == "BipolarQuant") return true;
        if (op == "Quant") return qonnx::quant_integer_datatype(model, next).is_signed();
        if (op != "Add" && op != "Mul" && op != "AveragePool" && op != "Pad")
            throw pattern_error(trunc, "the sign of the input could not be inferred: traversal "
                                       "stops at " +
                                           next.describe() +
                                           ", which is not one of the sign preserving ops Add, "
                                           "Mul, AveragePool, Pad");
        current = next;
    }
}

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

        const auto kernel = pool.attr_ints("kernel_shape", {});
        if (kernel.size() != 2 || !all_equal(kernel))
            throw pattern_error(pool, "FINN only supports average pooling with 2D square kernels");
        const std::int64_t k = kernel[0];
        const auto pads = pool.attr_ints("pads", {0, 0, 0, 0});
        if (!all_equal(pads) || pads[0] != 0)
            throw pattern_error(pool, "FINN doesn't support padding for average pooling");
        const auto strides = pool.attr_ints("strides", {1, 1});
        if (strides.size() != 2 || !all_equal(strides))
            throw pattern_error(pool, "FINN only supports 2D strides with equal values in each "
                                      "direction");

        const int factor_input = mul->input(0) == pool.output(0) ? 1 : 0;
        auto factor = qonnx::constant(model, mul->input(factor_input));
        if (!factor || factor->size() != 1 || factor->get(0) != static_cast<double>(k * k))
            throw pattern_error(*mul, "the Mul node after the AveragePool node must multiply by "
                                      "a constant scalar equal to the squared kernel size " +
                                          std::to_string(k * k));

        std::string rounding = trunc->attr_string("rounding_mode", "FLOOR");
        for (auto& c : rounding)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (rounding != "FLOOR")
            throw pattern_error(*trunc, "the Trunc node must have the rounding_mode set to "
                                        "'FLOOR'");
        for (int i = 1; i < trunc->input_count(); ++i)
            if (!model.has_initializer(trunc->input(i)))
                throw pattern_error(*trunc, "all inputs of the Trunc node except the first must "
                                            "be constant, " +
                                                trunc->input(i) + " is not");
        const Tensor zero_point = model.initializer(trunc->input(2));
        if (zero_point.size() != 1 || zero_point.get(0) != 0.0)
            throw pattern_error(*trunc, "FINN only supports 0 as the zero point of the Trunc node");
        const Tensor in_bits = model.initializer(trunc->input(3));
        const Tensor out_bits = model.initializer(trunc->input(4));
        if (in_bits.size() != 1 || out_bits.size() != 1)
            throw pattern_error(*trunc, "FINN only supports scalar bit widths for the Trunc node");

        // The QuantAvgPool2d input width whose k*k-sum has the Trunc's input width.
        const auto ibits = static_cast<std::int64_t>(
            std::floor(std::log2(std::pow(2.0, in_bits.get(0)) / static_cast<double>(k * k))));
        const auto obits = static_cast<std::int64_t>(out_bits.get(0));
        const bool is_signed = signed_from_upstream(model, *trunc);

        const Tensor scale = model.initializer(trunc->input(1));
        const std::string input = pool.input(0);
        const std::string output = trunc->output(0);
        std::vector<std::string> old_tensors = pool.outputs();
        for (const auto* n : {&*mul, &*trunc})
            for (const auto& t : n->inputs())
                old_tensors.push_back(t);
        for (const auto& t : trunc->outputs())
            if (t != output) old_tensors.push_back(t);
        std::set<int> indices = {model.index_of(pool), model.index_of(*mul),
                                 model.index_of(*trunc)};
        for (auto it = indices.rbegin(); it != indices.rend(); ++it)
            model.remove_node(*it);

        // Div(scale) -> QuantAvgPool2d -> Mul(scale): the pool works on the integer grid.
        const std::string divided = qonnx::add_tensor(model, input + "_int", std::nullopt);
        const std::string pooled = qonnx::add_tensor(model, output + "_int", std::nullopt);
        model.add_node("Div", {input, qonnx::add_constant(model, output + "_scale", scale)},
                       {divided});
        Node qap =
            model.add_node("QuantAvgPool2d", {divided}, {pooled}, "", domains::kQonnxGeneral);
        qap.set_attr_int("stride", strides[0]);
        qap.set_attr_int("kernel", k);
        qap.set_attr_int("ibits", ibits);
        qap.set_attr_int("obits", obits);
        qap.set_attr_int("signed", is_signed ? 1 : 0);
        // FINN's ToDo: NHWC once channels-last layouts come around.
        qap.set_attr_string("data_layout", "NCHW");
        model.add_node("Mul", {pooled, qonnx::add_constant(model, output + "_scale", scale)},
                       {output});
        qonnx::remove_unused(model, old_tensors);
        qonnx::sort_if_needed(model);
        return true;
    }
};

} // namespace

bool AvgPoolAndTruncToQuantAvgPool::run(Model& model) {
    std::vector<std::unique_ptr<RewritePattern>> patterns;
    patterns.push_back(std::make_unique<AvgPoolMulTrunc>());
    if (!apply_patterns_greedily(model, patterns)) return false;
    // FINN recomputes shapes and datatypes after every conversion.
    InferShapes().run(model);
    InferDataTypes().run(model);
    return true;
}

} // namespace finn
