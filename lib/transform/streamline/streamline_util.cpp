#include "streamline_util.h"

#include "finn/core/error.h"
#include "finn/ir/custom_op_schemas.h"

#include <algorithm>
#include <cmath>

namespace finn::streamline {

bool apply_pattern(Model& model, std::unique_ptr<RewritePattern> pattern) {
    std::vector<std::unique_ptr<RewritePattern>> patterns;
    patterns.push_back(std::move(pattern));
    return apply_patterns_greedily(model, patterns);
}

std::optional<Operands> constant_operand(const Model& model, const Node& node) {
    if (node.input_count() != 2) return std::nullopt;
    const std::string& in0 = node.input(0);
    const std::string& in1 = node.input(1);
    if (in0.empty() || in1.empty()) return std::nullopt;
    const bool const0 = model.has_initializer(in0);
    const bool const1 = model.has_initializer(in1);
    if (const1 && !const0) return Operands{in0, in1};
    const bool commutative = node.op_type() == "Add" || node.op_type() == "Mul";
    if (commutative && const0 && !const1) return Operands{in1, in0};
    return std::nullopt;
}

void set_operands(Node& node, const std::string& data, const std::string& param) {
    node.set_input(0, data);
    node.set_input(1, param);
}

std::optional<Node> exclusive_producer(Model& model, const std::string& tensor) {
    auto producer = model.producer(tensor);
    if (!producer || producer->output_count() != 1) return std::nullopt;
    if (!model.single_consumer(tensor)) return std::nullopt;
    return producer;
}

bool is_join(const Model& model, const Node& node) {
    int dynamic = 0;
    for (const auto& in : node.inputs())
        if (!in.empty() && !model.has_initializer(in)) ++dynamic;
    return dynamic > 1;
}

bool is_scalar(const Tensor& t) {
    return std::all_of(t.shape().begin(), t.shape().end(), [](auto d) { return d == 1; });
}

std::optional<int> varying_axis(const Tensor& t) {
    std::optional<int> axis;
    for (int i = 0; i < t.rank(); ++i) {
        if (t.shape()[i] == 1) continue;
        if (axis) return std::nullopt;
        axis = i;
    }
    return axis;
}

bool is_scalar_or_along(const Tensor& t, int rank, int axis) {
    if (is_scalar(t)) return true;
    auto varying = varying_axis(t);
    return varying && t.rank() <= rank && *varying + (rank - t.rank()) == axis;
}

int channel_axis(const Node& multithreshold, int rank) {
    const std::string layout = multithreshold.attr_string("data_layout", "NCHW");
    if (rank > 2 && !layout.empty() && layout.back() == 'C') return rank - 1;
    return 1;
}

bool all_allowed(const DataType& type, const Tensor& values) {
    auto allowed = [&](double x) { return type.allowed(x); };
    if (values.type() == ElementType::Float32) { // weights, without a double copy
        // Quantized weights take few distinct values; the last two accepted are not checked again.
        const float* v = values.data<float>();
        float seen[2] = {std::nanf(""), std::nanf("")};
        for (std::int64_t i = 0, n = values.size(); i < n; ++i) {
            if (v[i] == seen[0] || v[i] == seen[1]) continue;
            if (!allowed(v[i])) return false;
            seen[1] = seen[0];
            seen[0] = v[i];
        }
        return true;
    }
    const auto v = values.to_doubles();
    return std::all_of(v.begin(), v.end(), allowed);
}

std::string write_param(Model& model, Node& node, int input, const Tensor& value) {
    const std::string name = node.input(input);
    int uses = 0;
    for (Node n : model.nodes())
        for (const auto& in : n.inputs())
            if (in == name) ++uses;
    const auto graph_inputs = model.graph_input_names();
    const bool interface =
        model.is_graph_output(name) ||
        std::find(graph_inputs.begin(), graph_inputs.end(), name) != graph_inputs.end();
    if (uses <= 1 && !interface) {
        model.set_initializer(name, value);
        return name;
    }
    // Shared: give this node its own copy (what qonnx's GiveUniqueParameterTensors ensures).
    const std::string copy = model.fresh_name(name + "_");
    model.set_initializer(copy, value);
    if (model.has_datatype(name)) model.set_datatype(copy, model.datatype(name));
    node.set_input(input, copy);
    return copy;
}

std::string add_param(Model& model, const std::string& prefix, const Tensor& value) {
    const std::string name = model.fresh_name(prefix);
    model.set_initializer(name, value);
    return name;
}

void swap_chain(Node& first, int first_data, Node& second, int second_data) {
    const std::string x = first.input(first_data);
    const std::string middle = first.output(0);
    const std::string end = second.output(0);
    second.set_input(second_data, x);
    second.set_output(0, middle);
    first.set_input(first_data, middle);
    first.set_output(0, end);
}

void record_shape(Model& model, const std::string& tensor, const std::optional<Shape>& shape) {
    if (model.has_initializer(tensor)) return;
    if (shape) {
        const int elem = model.elem_type(tensor);
        model.set_shape(tensor, *shape, elem == 0 ? 1 : elem);
        return;
    }
    // Graph inputs and outputs keep their declaration.
    const auto inputs = model.graph_input_names();
    if (model.is_graph_output(tensor) ||
        std::find(inputs.begin(), inputs.end(), tensor) != inputs.end())
        return;
    model.remove_value_info(tensor);
}

std::optional<Shape> broadcast(const std::optional<Shape>& shape, const Shape& constant) {
    if (!shape) return std::nullopt;
    if (std::any_of(shape->begin(), shape->end(), [](auto d) { return d < 0; }))
        return std::nullopt;
    try {
        return broadcast_shapes(*shape, constant);
    } catch (const Error&) {
        return std::nullopt;
    }
}

void remove_if_unused(Model& model, const std::vector<std::string>& tensors) {
    for (const auto& t : tensors)
        model.remove_tensor_if_unused(t);
}

void keep_sorted(Model& model) {
    if (!model.is_topologically_sorted()) model.sort_topologically();
}

ElementType float_result_type(const Tensor& a, const Tensor& b) {
    return a.type() == ElementType::Float64 || b.type() == ElementType::Float64
               ? ElementType::Float64
               : ElementType::Float32;
}

Tensor as_float(const Tensor& t) {
    if (t.type() == ElementType::Float64 || t.type() == ElementType::Float32) return t;
    return t.cast(ElementType::Float32);
}

void move_linear_behind(Model& model, Node& linear, const Operands& operands, Node& consumer) {
    const auto out_shape = model.shape(consumer.output(0));
    set_operands(linear, operands.data, operands.param);
    swap_chain(linear, 0, consumer, 0);
    record_shape(model, consumer.output(0), out_shape);
    keep_sorted(model);
}

} // namespace finn::streamline
