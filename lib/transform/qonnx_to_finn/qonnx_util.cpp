#include "qonnx_util.h"

#include "finn/core/error.h"
#include "finn/exec/kernel.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace finn::qonnx {

bool is_quantizer(const Node& node) {
    return node.op_type() == "Quant" || node.op_type() == "BipolarQuant";
}

bool has_only_constant_inputs(const Model& model, const Node& node) {
    const auto inputs = node.inputs();
    return std::all_of(inputs.begin(), inputs.end(),
                       [&](const std::string& in) { return model.has_initializer(in); });
}

std::optional<Tensor> constant(const Model& model, const std::string& tensor) {
    if (tensor.empty() || !model.has_initializer(tensor)) return std::nullopt;
    return model.initializer(tensor);
}

Tensor require_constant(const Model& model, const Node& node, int index, const std::string& what) {
    auto value = index < node.input_count() ? constant(model, node.input(index)) : std::nullopt;
    if (!value)
        throw Error("node " + node.describe() + ": the " + what + " (input " +
                    std::to_string(index) + ") must be a constant initializer");
    return *value;
}

double quant_bit_width(const Model& model, const Node& node) {
    if (node.op_type() == "BipolarQuant") return 1.0;
    Tensor bits = require_constant(model, node, 3, "bit width");
    if (bits.size() != 1)
        throw Error("node " + node.describe() + ": the bit width must be a single value, got " +
                    shape_to_string(bits.shape()));
    return bits.get(0);
}

DataType quant_integer_datatype(const Model& model, const Node& node) {
    if (node.op_type() == "BipolarQuant") return DataType::bipolar();
    const int bits = static_cast<int>(quant_bit_width(model, node));
    const bool is_signed = node.attr_int("signed", 1) != 0;
    if (bits == 1) return is_signed ? DataType::bipolar() : DataType::binary();
    return DataType::integer(bits, is_signed);
}

IntRange quant_int_range(const Model& model, const Node& node) {
    const double bits = quant_bit_width(model, node);
    const bool is_signed = node.attr_int("signed", 1) != 0;
    const bool narrow = node.attr_int("narrow", 1) != 0; // qonnx declares 1
    if (is_signed) {
        const double half = std::pow(2.0, bits - 1);
        return {narrow ? -half + 1 : -half, half - 1};
    }
    const double full = std::pow(2.0, bits);
    return {0.0, narrow ? full - 2 : full - 1};
}

void require_zero_zero_point(const Model& model, const Node& node) {
    if (node.op_type() != "Quant") return;
    auto zero_point = node.input_count() > 2 ? constant(model, node.input(2)) : std::nullopt;
    bool zero = zero_point.has_value();
    if (zero)
        for (double v : zero_point->to_doubles())
            zero = zero && v == 0.0;
    if (!zero)
        throw Error("node " + node.describe() +
                    ": only Quant nodes with zero-point == 0 are currently supported");
}

std::vector<Tensor> evaluate_constant_node(const Model& model, const Node& node) {
    const KernelFn* kernel = default_kernel_registry().find(node.domain(), node.op_type());
    if (!kernel) throw Error("node " + node.describe() + ": no kernel to evaluate it");
    std::vector<Tensor> values;
    for (const auto& in : node.inputs())
        values.push_back(model.initializer(in));
    KernelContext ctx{node, {}, model.opset_version(node.domain()), &model, {}};
    for (const auto& v : values)
        ctx.inputs.push_back(&v);
    return (*kernel)(ctx);
}

std::vector<Node> successors(Model& model, const Node& node) {
    std::set<const void*> seen;
    std::vector<Node> result;
    for (Node candidate : model.nodes())
        for (const auto& out : node.outputs())
            if (!out.empty() && !seen.count(&candidate.proto())) {
                const auto inputs = candidate.inputs();
                if (std::find(inputs.begin(), inputs.end(), out) != inputs.end()) {
                    seen.insert(&candidate.proto());
                    result.push_back(candidate);
                }
            }
    return result;
}

void replace_initializer(Model& model, const std::string& name, const Tensor& value) {
    auto old_shape = model.shape(name);
    if (old_shape && *old_shape != value.shape()) model.remove_value_info(name);
    model.set_initializer(name, value);
}

void set_node_constant(Model& model, Node node, int index, const Tensor& value) {
    const std::string name = node.input(index);
    int readers = 0;
    for (Node other : model.consumers(name))
        for (const auto& in : other.inputs())
            readers += in == name;
    if (readers <= 1 && !model.is_graph_output(name)) {
        replace_initializer(model, name, value);
        return;
    }
    node.set_input(index, add_constant(model, name + "_", value));
}

std::string add_constant(Model& model, const std::string& hint, const Tensor& value) {
    const std::string name = model.fresh_name(hint);
    model.set_initializer(name, value);
    return name;
}

std::string add_tensor(Model& model, const std::string& hint, const std::optional<Shape>& shape) {
    const std::string name = model.fresh_name(hint);
    if (shape) model.set_shape(name, *shape);
    return name;
}

void remove_unused(Model& model, const std::vector<std::string>& names) {
    for (const auto& name : names)
        model.remove_tensor_if_unused(name);
}

void sort_if_needed(Model& model) {
    if (!model.is_topologically_sorted()) model.sort_topologically();
}

Tensor transpose(const Tensor& value, std::vector<std::int64_t> perm) {
    const int rank = value.rank();
    if (perm.empty())
        for (int i = rank - 1; i >= 0; --i)
            perm.push_back(i);
    if (static_cast<int>(perm.size()) != rank)
        throw Error("transpose: permutation of " + std::to_string(perm.size()) +
                    " axes for a tensor of rank " + std::to_string(rank));
    Shape out_shape(rank);
    for (int i = 0; i < rank; ++i)
        out_shape[i] = value.shape()[perm[i]];
    // Strides of the input, read in the output's axis order.
    std::vector<std::int64_t> in_strides(rank, 1);
    for (int i = rank - 2; i >= 0; --i)
        in_strides[i] = in_strides[i + 1] * value.shape()[i + 1];
    Tensor out(value.type(), out_shape);
    const std::size_t elem = element_size(value.type());
    std::vector<std::int64_t> index(rank, 0);
    const std::int64_t count = out.size();
    for (std::int64_t flat = 0; flat < count; ++flat) {
        std::int64_t source = 0;
        for (int i = 0; i < rank; ++i)
            source += index[i] * in_strides[perm[i]];
        std::copy_n(value.bytes() + source * elem, elem, out.bytes() + flat * elem);
        for (int i = rank - 1; i >= 0; --i) {
            if (++index[i] < out_shape[i]) break;
            index[i] = 0;
        }
    }
    return out;
}

Tensor as_float(const Tensor& value) {
    return value.type() == ElementType::Float32 ? value : value.cast(ElementType::Float32);
}

} // namespace finn::qonnx
