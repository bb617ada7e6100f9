#include "finn/exec/executor.h"

#include "finn/core/error.h"
#include "finn/core/strings.h"
#include "finn/ir/tensor_proto.h"

#include <cstring>
#include <set>
#include <unordered_map>

namespace finn {

namespace {

bool shape_matches(const Shape& expected, const Shape& actual) {
    if (expected.size() != actual.size()) return false;
    for (std::size_t i = 0; i < expected.size(); ++i)
        if (expected[i] >= 0 && expected[i] != actual[i]) return false;
    return true;
}

// Sample `index` of a tensor batched along axis 0, keeping a leading axis of 1.
Tensor take_sample(const Tensor& batch, std::int64_t index) {
    Shape shape = batch.shape();
    std::int64_t n = shape[0];
    shape[0] = 1;
    Tensor sample(batch.type(), shape);
    std::size_t bytes = batch.byte_size() / static_cast<std::size_t>(n);
    std::memcpy(sample.bytes(), batch.bytes() + bytes * static_cast<std::size_t>(index), bytes);
    return sample;
}

// Stacks per-sample results along axis 0 (concatenating when each already has a leading 1).
Tensor stack_samples(const std::vector<Tensor>& samples) {
    const Tensor& first = samples.front();
    Shape shape = first.shape();
    if (!shape.empty() && shape[0] == 1)
        shape[0] = static_cast<std::int64_t>(samples.size());
    else
        shape.insert(shape.begin(), static_cast<std::int64_t>(samples.size()));
    Tensor out(first.type(), shape);
    std::size_t offset = 0;
    for (const auto& s : samples) {
        if (s.byte_size() != first.byte_size() || s.type() != first.type())
            throw Error("batched execution: samples produced outputs of different shapes");
        std::memcpy(out.bytes() + offset, s.bytes(), s.byte_size());
        offset += s.byte_size();
    }
    return out;
}

TensorMap values_as_map(const std::unordered_map<std::string, Tensor>& values) {
    return TensorMap(values.begin(), values.end());
}

} // namespace

Executor::Executor(const Model& model, std::filesystem::path model_dir,
                   const KernelRegistry& registry)
    : Executor(model, registry) {
    model_dir_ = std::move(model_dir);
}

Executor::Executor(const Model& model, const KernelRegistry& registry)
    : model_(model), registry_(registry), order_(model.topological_order()) {
    if (const auto mode = model.metadata("exec_mode"); mode && !mode->empty()) {
        model_runner_ = registry_.find_model_runner(*mode);
        if (!model_runner_)
            throw Error("the model's metadata_prop exec_mode is " + *mode +
                        ", but Finn has no whole-model execution of that mode (known: rtlsim, "
                        "with the stitched design of step_create_stitched_ip)");
        return;
    }
    for (const auto& op : model.proto().opset_import())
        opsets_[canonical_kernel_domain(op.domain())] = static_cast<int>(op.version());

    std::set<std::string> defined;
    for (const auto& v : model.graph().input())
        defined.insert(v.name());
    for (const auto& t : model.graph().initializer())
        defined.insert(t.name());
    for (int index : order_) {
        Node node(const_cast<onnx::NodeProto*>(&model.graph().node(index)));
        const KernelFn* kernel = registry_.find(node.domain(), node.op_type());
        if (!kernel)
            throw Error("node " + node.describe() + ": unsupported operator " + node.op_type() +
                        " in domain '" + (node.domain().empty() ? "ai.onnx" : node.domain()) +
                        "'; supported: " + join(registry_.supported()));
        // exec_mode "" runs the reference kernel; any other mode ("cppsim", "rtlsim") its own
        // kernel, never silently the reference.
        const std::string mode = node.has_attr("exec_mode") ? node.attr_string("exec_mode") : "";
        if (!mode.empty()) {
            kernel = registry_.find_mode_kernel(mode, node.domain(), node.op_type());
            if (!kernel)
                throw Error("node " + node.describe() + ": exec_mode is " + mode +
                            ", but Finn has no " + mode + " model of op type " + node.op_type() +
                            " (set exec_mode to \"\" to run its reference execution)");
        }
        kernels_.push_back(kernel);
        for (const auto& in : node.inputs())
            if (!in.empty() && !defined.count(in))
                throw Error("node " + node.describe() + ": reads undefined tensor '" + in +
                            "' (not a graph input, initializer or output of an earlier node)");
        for (const auto& out : node.outputs())
            if (!out.empty()) defined.insert(out);
    }
    for (const auto& out : model.output_names())
        if (!defined.count(out)) throw Error("graph output '" + out + "' is never computed");
}

TensorMap Executor::run(const TensorMap& inputs, bool keep_intermediates) const {
    std::unordered_map<std::string, Tensor> values;
    const auto graph_inputs = model_.input_names();
    for (const auto& [name, tensor] : inputs)
        if (std::find(graph_inputs.begin(), graph_inputs.end(), name) == graph_inputs.end())
            throw Error("input '" + name +
                        "' is not an input of the model; its inputs are: " + join(graph_inputs));
    for (const auto& name : graph_inputs) {
        auto expected = model_.shape(name);
        std::string expected_text = expected ? shape_to_string(*expected) : "unknown";
        auto it = inputs.find(name);
        if (it == inputs.end())
            throw Error("missing input '" + name + "' (expected shape " + expected_text + ")");
        const Tensor& given = it->second;
        int elem = model_.elem_type(name);
        if (elem != 0) {
            ElementType want = element_type_from_onnx(elem, "input '" + name + "'");
            if (given.type() != want)
                throw Error("input '" + name + "' has element type " +
                            std::string(element_type_name(given.type())) + ", expected " +
                            std::string(element_type_name(want)) + " with shape " + expected_text);
        }
        if (expected && !shape_matches(*expected, given.shape()))
            throw Error("input '" + name + "' has shape " + shape_to_string(given.shape()) +
                        ", expected " + expected_text);
        values.emplace(name, given);
    }

    if (model_runner_) return (*model_runner_)(model_, model_dir_, values_as_map(values));

    // Initializers are decoded from the model per run; kernels read them through pointers.
    std::unordered_map<std::string, Tensor> initializers;
    for (const auto& t : model_.graph().initializer())
        if (!values.count(t.name())) initializers.emplace(t.name(), tensor_from_proto(t));

    auto lookup = [&](const std::string& name) -> const Tensor* {
        auto it = values.find(name);
        if (it != values.end()) return &it->second;
        auto init = initializers.find(name);
        return init == initializers.end() ? nullptr : &init->second;
    };

    for (std::size_t position = 0; position < order_.size(); ++position) {
        Node node(const_cast<onnx::NodeProto*>(&model_.graph().node(order_[position])));
        KernelContext ctx{node, {}, 0, &model_, model_dir_};
        auto opset = opsets_.find(canonical_kernel_domain(node.domain()));
        ctx.opset = opset == opsets_.end() ? 0 : opset->second;
        for (const auto& in : node.inputs())
            ctx.inputs.push_back(in.empty() ? nullptr : lookup(in));
        std::vector<Tensor> outputs;
        try {
            outputs = (*kernels_[position])(ctx);
        } catch (const Error& e) {
            std::string message = e.what();
            if (message.rfind("node ", 0) == 0) throw;
            throw Error("node " + node.describe() + ": " + message);
        } catch (const std::exception& e) {
            throw Error("node " + node.describe() + ": " + e.what());
        }
        for (int i = 0; i < node.output_count(); ++i) {
            if (node.output(i).empty()) continue;
            if (i >= static_cast<int>(outputs.size()))
                throw Error("node " + node.describe() + ": kernel produced " +
                            std::to_string(outputs.size()) + " outputs, the node has " +
                            std::to_string(node.output_count()));
            values.insert_or_assign(node.output(i), std::move(outputs[i]));
        }
    }

    TensorMap result;
    if (keep_intermediates) {
        for (auto& [name, tensor] : values)
            result.emplace(name, std::move(tensor));
        return result;
    }
    // A graph output may be computed, a graph input, or (after constant folding) an initializer.
    for (const auto& name : model_.output_names())
        result.emplace(name, *lookup(name));
    return result;
}

TensorMap Executor::run_batched(const TensorMap& inputs) const {
    std::int64_t batch = 1;
    bool batched = false;
    for (const auto& name : model_.input_names()) {
        auto it = inputs.find(name);
        auto expected = model_.shape(name);
        if (it == inputs.end() || !expected || expected->empty() || (*expected)[0] != 1) continue;
        const Shape& given = it->second.shape();
        if (given.size() != expected->size() || given[0] == 1) continue;
        if (batched && given[0] != batch)
            throw Error("batched inputs disagree on the batch size (" + std::to_string(batch) +
                        " vs " + std::to_string(given[0]) + " for '" + name + "')");
        batch = given[0];
        batched = true;
    }
    if (!batched) return run(inputs);

    std::map<std::string, std::vector<Tensor>> per_output;
    for (std::int64_t b = 0; b < batch; ++b) {
        TensorMap sample;
        for (const auto& [name, tensor] : inputs)
            sample.emplace(name, tensor.shape().empty() || tensor.shape()[0] != batch
                                     ? tensor
                                     : take_sample(tensor, b));
        for (auto& [name, tensor] : run(sample))
            per_output[name].push_back(std::move(tensor));
    }
    TensorMap result;
    for (const auto& [name, samples] : per_output)
        result.emplace(name, stack_samples(samples));
    return result;
}

} // namespace finn
