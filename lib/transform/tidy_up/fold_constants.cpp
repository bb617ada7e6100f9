#include "finn/core/error.h"
#include "finn/exec/kernel.h"
#include "finn/ir/tensor_proto.h"
#include "finn/transform/tidy_up.h"

#include <algorithm>
#include <optional>

namespace finn {

namespace {

bool is_nondeterministic(const Node& node) {
    static const std::vector<std::string> random_ops = {"RandomNormal",     "RandomUniform",
                                                        "RandomNormalLike", "RandomUniformLike",
                                                        "Multinomial",      "Bernoulli"};
    return is_standard_domain(node.domain()) &&
           std::find(random_ops.begin(), random_ops.end(), node.op_type()) != random_ops.end();
}

// The fully known shape of a tensor, if any.
std::optional<Shape> known_shape(const Model& model, const std::string& tensor) {
    auto shape = model.shape(tensor);
    if (!shape || std::any_of(shape->begin(), shape->end(), [](auto d) { return d < 0; }))
        return std::nullopt;
    return shape;
}

// The values a node's inputs have when folding it, or nothing if the node is not constant. A
// Shape node only needs its input's shape, so a zero tensor of that shape stands in for it.
std::optional<std::vector<std::optional<Tensor>>> constant_inputs(const Model& model,
                                                                  const Node& node) {
    std::vector<std::optional<Tensor>> values;
    for (const auto& in : node.inputs()) {
        if (in.empty()) {
            values.emplace_back();
        } else if (model.has_initializer(in)) {
            values.emplace_back(model.initializer(in));
        } else if (node.is_standard_op("Shape")) {
            auto shape = known_shape(model, in);
            if (!shape) return std::nullopt;
            int elem = model.elem_type(in);
            values.emplace_back(
                Tensor(elem ? element_type_from_onnx(elem, in) : ElementType::Float32, *shape));
        } else {
            return std::nullopt;
        }
    }
    return values;
}

// Runs the executor's kernel for one node, as the executor itself would.
std::vector<Tensor> evaluate(const Model& model, const Node& node, const KernelFn& kernel,
                             const std::vector<std::optional<Tensor>>& inputs) {
    KernelContext ctx{node, {}, model.opset_version(node.domain()), &model, {}};
    for (const auto& value : inputs)
        ctx.inputs.push_back(value ? &*value : nullptr);
    try {
        return kernel(ctx);
    } catch (const std::exception& e) {
        std::string message = e.what();
        if (message.rfind("node ", 0) == 0) throw Error("FoldConstants: " + message);
        throw Error("FoldConstants: node " + node.describe() + ": " + message);
    }
}

} // namespace

FoldConstants::FoldConstants(std::vector<std::string> exclude_op_types)
    : exclude_op_types_(std::move(exclude_op_types)) {}

std::vector<std::string> FoldConstants::quant_op_types() {
    return {"Quant", "BipolarQuant", "QuantizeLinear", "DequantizeLinear"};
}

bool FoldConstants::run(Model& model) {
    const KernelRegistry& kernels = default_kernel_registry();
    bool changed = false;
    // Folding a node can make a later one constant; in an unsorted graph it can also make an
    // earlier one constant, hence the outer loop.
    for (bool folded = true; folded;) {
        folded = false;
        for (int index = 0; index < model.node_count();) {
            Node node = model.node(index);
            const bool excluded = std::find(exclude_op_types_.begin(), exclude_op_types_.end(),
                                            node.op_type()) != exclude_op_types_.end();
            const KernelFn* kernel = kernels.find(node.domain(), node.op_type());
            auto inputs = excluded || is_nondeterministic(node) || !kernel
                              ? std::nullopt
                              : constant_inputs(model, node);
            if (!inputs) {
                ++index;
                continue;
            }
            std::vector<Tensor> outputs = evaluate(model, node, *kernel, *inputs);
            const std::vector<std::string> input_names = node.inputs();
            for (int k = 0; k < node.output_count(); ++k) {
                if (node.output(k).empty()) continue;
                if (k >= static_cast<int>(outputs.size()))
                    throw Error("FoldConstants: node " + node.describe() + ": kernel produced " +
                                std::to_string(outputs.size()) + " outputs");
                model.set_initializer(node.output(k), outputs[k]);
            }
            model.remove_node(index);
            // What only this node read is now garbage (qonnx's cleanup would remove it).
            for (const auto& in : input_names)
                model.remove_tensor_if_unused(in);
            folded = changed = true;
        }
    }
    // Known constants can make more shapes inferable (a folded Shape feeding a Reshape).
    if (changed) model.infer_shapes();
    return changed;
}

} // namespace finn
