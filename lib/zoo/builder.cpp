#include "builder.h"

#include "finn/core/error.h"
#include "finn/ir/tensor_proto.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace finn::zoo {

namespace {

// Opset of the standard domain: FINN exports its test networks with opset_version=13.
constexpr std::int64_t kOpset = 13;
const char* const kQonnxDomain = "qonnx.custom_op.general";

std::int64_t max_int(const QuantSpec& q) {
    if (q.is_signed) return (std::int64_t{1} << (q.bits - 1)) - 1;
    return (std::int64_t{1} << q.bits) - (q.narrow ? 2 : 1);
}

std::int64_t min_int(const QuantSpec& q) {
    if (!q.is_signed) return 0;
    return -(std::int64_t{1} << (q.bits - 1)) + (q.narrow ? 1 : 0);
}

} // namespace

std::vector<float> Random::uniform_floats(std::int64_t count, double lo, double hi) {
    std::vector<float> values(static_cast<std::size_t>(count));
    for (auto& v : values)
        v = static_cast<float>(uniform(lo, hi));
    return values;
}

QuantSpec relu_quant(Random& rng) {
    return {4, static_cast<float>(rng.uniform(0.15, 0.25)), false, false};
}

Tensor scalar(float value) {
    return Tensor::from_floats({}, {value});
}

Tensor vector(const std::vector<float>& values) {
    return Tensor::from_floats({static_cast<std::int64_t>(values.size())}, values);
}

GraphBuilder::GraphBuilder(const std::string& name, std::uint32_t seed, int calibration_samples)
    : rng_(seed), seed_(seed), calibration_samples_(calibration_samples) {
    auto* opset = model_.proto().add_opset_import();
    opset->set_domain("");
    opset->set_version(kOpset);
    auto* qonnx = model_.proto().add_opset_import();
    qonnx->set_domain(kQonnxDomain);
    qonnx->set_version(1);
    model_.proto().set_producer_name("finn zoo");
    model_.graph().set_name(name);
    model_.graph().set_doc_string(name + " with seeded random weights (seed " +
                                  std::to_string(seed) + "), not a trained network");
}

std::string GraphBuilder::input(const Shape& shape, std::optional<DataType> datatype) {
    const std::string name = "global_in";
    model_.graph().add_input()->set_name(name);
    model_.set_shape(name, shape);
    if (datatype) model_.set_datatype(name, *datatype);
    return name;
}

Node GraphBuilder::add(const std::string& op_type, const std::vector<Operand>& inputs,
                       const std::string& domain) {
    const std::string name = op_type + "_" + std::to_string(op_counts_[op_type]++);
    std::vector<std::string> input_names;
    int params = 0;
    for (const auto& in : inputs) {
        if (!in.value) {
            input_names.push_back(in.name);
            continue;
        }
        input_names.push_back(name + "_param" + std::to_string(params++));
        model_.set_initializer(input_names.back(), *in.value);
    }
    return model_.add_node(op_type, input_names, {name + "_out0"}, name, domain);
}

std::string GraphBuilder::quant(const Operand& x, const QuantSpec& q) {
    if (q.bits == 1) return add("BipolarQuant", {x, scalar(q.scale)}, kQonnxDomain).output(0);
    Node node = add("Quant", {x, scalar(q.scale), scalar(0.0f), scalar(static_cast<float>(q.bits))},
                    kQonnxDomain);
    node.set_attr_int("narrow", q.narrow ? 1 : 0);
    node.set_attr_string("rounding_mode", "ROUND");
    node.set_attr_int("signed", q.is_signed ? 1 : 0);
    return node.output(0);
}

namespace {

// Brevitas-style weights: uniform in [-1, 1] (BNN-PYNQ's init) and their quantizer.
QuantSpec weight_spec(const std::vector<float>& weights, const WeightQuant& wq) {
    QuantSpec q{wq.bits, 1.0f, true, true};
    if (wq.max_abs_scale && wq.bits > 1) {
        float max_abs = 0.0f;
        for (float w : weights)
            max_abs = std::max(max_abs, std::abs(w));
        q.scale = max_abs / static_cast<float>(max_int(q));
    }
    return q;
}

} // namespace

std::string GraphBuilder::linear(const std::string& x, int in_features, int out_features,
                                 const WeightQuant& wq) {
    auto weights = rng_.uniform_floats(std::int64_t{in_features} * out_features, -1.0, 1.0);
    QuantSpec q = weight_spec(weights, wq);
    // PyTorch stores a Linear weight as (out, in); the export transposes the quantized weight.
    std::string w = quant(Tensor::from_floats({out_features, in_features}, weights), q);
    Node transpose = add("Transpose", {w});
    transpose.set_attr_ints("perm", {1, 0});
    return add("MatMul", {x, transpose.output(0)}).output(0);
}

std::string GraphBuilder::conv(const std::string& x, int in_channels, int out_channels, int kernel,
                               int padding, int group, const WeightQuant& wq, int stride) {
    const Shape shape{out_channels, in_channels / group, kernel, kernel};
    auto weights = rng_.uniform_floats(shape_size(shape), -1.0, 1.0);
    std::string w = quant(Tensor::from_floats(shape, weights), weight_spec(weights, wq));
    Node node = add("Conv", {x, w});
    node.set_attr_ints("dilations", {1, 1});
    node.set_attr_int("group", group);
    node.set_attr_ints("kernel_shape", {kernel, kernel});
    node.set_attr_ints("pads", {padding, padding, padding, padding});
    node.set_attr_ints("strides", {stride, stride});
    return node.output(0);
}

std::string GraphBuilder::batch_norm(const std::string& x, float epsilon) {
    auto [mean, var] = statistics(x, true);
    const std::size_t channels = mean.size();
    std::vector<float> gamma(channels), beta(channels), running_mean(channels),
        running_var(channels);
    for (std::size_t c = 0; c < channels; ++c) {
        // Mostly positive scales, some negative (trained BNN layers have both); never near 0.
        gamma[c] = static_cast<float>(rng_.uniform(0.5, 2.0) * (rng_.chance(0.125) ? -1 : 1));
        beta[c] = static_cast<float>(rng_.uniform(-0.5, 0.5));
        running_mean[c] = static_cast<float>(mean[c]);
        // A channel that never varies (say, always clipped) still gets a positive variance.
        running_var[c] = static_cast<float>(std::max(var[c], 1e-3));
    }
    Node node = add("BatchNormalization",
                    {x, vector(gamma), vector(beta), vector(running_mean), vector(running_var)});
    node.set_attr_float("epsilon", epsilon);
    node.set_attr_float("momentum", 0.9f); // torch's momentum 0.1, as ONNX counts it
    return node.output(0);
}

std::string GraphBuilder::tensor_norm(const std::string& x) {
    auto [mean, var] = statistics(x, false);
    const float eps = 1e-4f;
    const float weight = static_cast<float>(rng_.uniform(0.5, 1.5));
    const float bias = static_cast<float>(rng_.uniform(-1.0, 1.0));
    const float stddev = std::sqrt(static_cast<float>(std::max(var[0], 1e-3)) + eps);
    std::string y = add("Sub", {x, vector({static_cast<float>(mean[0])})}).output(0);
    y = add("Div", {y, vector({stddev})}).output(0);
    y = add("Mul", {y, vector({weight})}).output(0);
    return add("Add", {y, vector({bias})}).output(0);
}

std::string GraphBuilder::max_pool(const std::string& x, int kernel) {
    Node node = add("MaxPool", {x});
    node.set_attr_int("ceil_mode", 0);
    node.set_attr_ints("kernel_shape", {kernel, kernel});
    node.set_attr_ints("pads", {0, 0, 0, 0});
    node.set_attr_ints("strides", {kernel, kernel});
    return node.output(0);
}

std::string GraphBuilder::relu(const std::string& x) {
    return add("Relu", {x}).output(0);
}

std::string GraphBuilder::flatten(const std::string& x) {
    return add("Reshape", {x, Tensor::from_int64s({2}, {1, -1})}).output(0);
}

std::string GraphBuilder::flatten_op(const std::string& x) {
    Node node = add("Flatten", {x});
    node.set_attr_int("axis", 1);
    return node.output(0);
}

Model GraphBuilder::finish(const std::string& output) {
    const std::string name = "global_out";
    auto producer = model_.producer(output);
    if (!producer) throw Error("zoo: graph output '" + output + "' has no producer");
    producer->set_output(0, name);
    model_.graph().add_output()->set_name(name);
    model_.infer_shapes();
    model_.check();
    return std::move(model_);
}

std::pair<std::vector<double>, std::vector<double>>
GraphBuilder::statistics(const std::string& tensor, bool per_channel) {
    // The calibration inputs, seeded like make_zoo_input (from another seed than the weights).
    if (computed_.empty())
        computed_.emplace("global_in",
                          random_input(model_, seed_ ^ 0x5bd1e995u, calibration_samples_));

    // Run only the nodes added since the last calibration, on the tensors computed before, and
    // the whole batch at once: a Reshape to (1, -1) (the flatten) reshapes to (batch, -1) here.
    Model segment = model_;
    for (int i = 0; i < computed_nodes_; ++i)
        segment.remove_node(0);
    segment.graph().clear_input();
    segment.graph().clear_output();
    std::set<std::string> read;
    for (auto& node : segment.nodes()) {
        for (const auto& in : node.inputs())
            read.insert(in);
        if (node.op_type() == "Reshape" && segment.has_initializer(node.input(1))) {
            auto shape = segment.initializer(node.input(1)).to_int64s();
            if (!shape.empty() && shape[0] == 1) shape[0] = calibration_samples_;
            segment.set_initializer(node.input(1),
                                    Tensor::from_int64s({std::int64_t(shape.size())}, shape));
        }
    }
    std::vector<std::string> unused;
    for (const auto& init : segment.graph().initializer())
        if (!read.count(init.name())) unused.push_back(init.name());
    for (const auto& name : unused)
        segment.remove_initializer(name);
    TensorMap inputs;
    for (const auto& name : read) {
        auto it = computed_.find(name);
        if (it == computed_.end()) continue;
        segment.graph().add_input()->set_name(name);
        segment.set_shape(name, it->second.shape(), onnx_elem_type(it->second.type()));
        inputs.emplace(name, it->second);
    }
    segment.graph().add_output()->set_name(tensor);
    for (auto& [name, value] : Executor(segment).run(inputs, true))
        computed_.insert_or_assign(name, std::move(value));
    computed_nodes_ = model_.node_count();

    // Mean and variance over samples and spatial positions, per channel (axis 1) or overall.
    const Tensor& values = computed_.at(tensor);
    const Shape& shape = values.shape();
    const std::int64_t channels = per_channel ? shape.at(1) : 1;
    const std::int64_t inner = shape_size(shape) / shape.at(0) / channels;
    std::vector<double> sum(channels), sum_sq(channels);
    for (std::int64_t i = 0; i < values.size(); ++i) {
        const double v = values.get(i);
        const std::int64_t c = (i / inner) % channels;
        sum[c] += v;
        sum_sq[c] += v * v;
    }
    const double count = static_cast<double>(inner * calibration_samples_);
    std::vector<double> mean(channels), var(channels);
    for (std::int64_t c = 0; c < channels; ++c) {
        mean[c] = sum[c] / count;
        var[c] = std::max(0.0, sum_sq[c] / count - mean[c] * mean[c]);
    }
    return {mean, var};
}

Tensor random_input(const Model& model, std::uint32_t seed, int batch) {
    const auto inputs = model.input_names();
    if (inputs.empty()) throw Error("zoo: the model has no graph input");
    const std::string& name = inputs[0];
    Shape shape = model.shape(name).value_or(Shape{});
    if (shape.empty()) throw Error("zoo: graph input '" + name + "' has no recorded shape");
    for (auto& d : shape)
        if (d < 0) d = 1;
    shape[0] *= batch;
    const int elem = model.elem_type(name);
    Tensor t(elem ? element_type_from_onnx(elem, "input '" + name + "'") : ElementType::Float32,
             shape);
    Random rng(seed);

    // An integer datatype annotation (FINN's UINT8 images): integers over its range.
    const DataType dt = model.datatype(name);
    if (dt.kind() == DataType::Kind::Bipolar) {
        for (std::int64_t i = 0; i < t.size(); ++i)
            t.set(i, rng.chance(0.5) ? 1.0 : -1.0);
        return t;
    }
    if (dt.is_integer() && dt.bitwidth() <= 32) {
        const auto lo = static_cast<std::int64_t>(dt.int_min());
        const auto hi = static_cast<std::int64_t>(dt.int_max());
        for (std::int64_t i = 0; i < t.size(); ++i)
            t.set(i, static_cast<double>(rng.integer(lo, hi)));
        return t;
    }

    // A quantizer reading the input directly: values on its grid.
    std::optional<Node> first;
    // consumers() hands out mutable handles; they are only read here.
    for (const auto& node : const_cast<Model&>(model).consumers(name))
        if (node.op_type() == "Quant" || node.op_type() == "BipolarQuant") {
            first = node;
            break;
        }
    auto scalar_param = [&](int index) -> std::optional<double> {
        if (first->input_count() <= index || !model.has_initializer(first->input(index)))
            return std::nullopt;
        Tensor value = model.initializer(first->input(index));
        if (value.size() != 1) return std::nullopt;
        return value.get(0);
    };
    if (first && first->op_type() == "BipolarQuant") {
        for (std::int64_t i = 0; i < t.size(); ++i)
            t.set(i, rng.chance(0.5) ? 1.0 : -1.0);
        return t;
    }
    if (first) {
        auto scale = scalar_param(1), zero_point = scalar_param(2), bits = scalar_param(3);
        if (scale && zero_point && bits && *zero_point == 0.0 && *bits >= 2 && *bits <= 16) {
            QuantSpec q{static_cast<int>(*bits), static_cast<float>(*scale),
                        first->attr_int("signed", 1) != 0, first->attr_int("narrow", 1) != 0};
            for (std::int64_t i = 0; i < t.size(); ++i)
                t.set(i, static_cast<double>(rng.integer(min_int(q), max_int(q))) * *scale);
            return t;
        }
    }

    // Anything else: image-like values in [0, 1).
    for (std::int64_t i = 0; i < t.size(); ++i)
        t.set(i, rng.uniform());
    return t;
}

} // namespace finn::zoo
