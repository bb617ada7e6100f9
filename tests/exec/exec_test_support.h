// Running one node through the executor, for kernel unit tests.
#pragma once

#include "finn/exec/executor.h"
#include "finn/ir/tensor_proto.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <gtest/gtest.h>
#include <optional>
#include <string>
#include <vector>

namespace finn::testing {

// A registry holding one group of kernels, so a test exercises exactly the group under test.
inline KernelRegistry make_registry(void (*register_group)(KernelRegistry&)) {
    KernelRegistry registry;
    register_group(registry);
    return registry;
}

// Checks type, shape and every value within 1e-6 (NaN must match NaN, inf must match inf).
inline void expect_floats(const Tensor& t, const Shape& shape, const std::vector<float>& expected) {
    ASSERT_EQ(t.type(), ElementType::Float32);
    ASSERT_EQ(t.shape(), shape);
    auto values = t.to_floats();
    ASSERT_EQ(values.size(), expected.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (std::isnan(expected[i]))
            EXPECT_TRUE(std::isnan(values[i])) << "index " << i;
        else if (std::isinf(expected[i]))
            EXPECT_EQ(values[i], expected[i]) << "index " << i;
        else
            EXPECT_NEAR(values[i], expected[i], 1e-6) << "index " << i;
    }
}

inline void expect_int64s(const Tensor& t, const Shape& shape,
                          const std::vector<std::int64_t>& expected) {
    ASSERT_EQ(t.type(), ElementType::Int64);
    ASSERT_EQ(t.shape(), shape);
    EXPECT_EQ(t.to_int64s(), expected);
}

struct NodeSpec {
    std::string op_type;
    std::string domain = "";
    int opset = 13;
    // Sets the node's attributes.
    std::function<void(Node&)> attributes = [](Node&) {};
    int num_outputs = 1;
    // Inputs passed as initializers instead of runtime inputs (by position).
    std::vector<int> initializer_inputs = {};
};

// Builds a one-node model (inputs in0, in1, ...; nullopt = omitted optional input) and runs it
// with `registry` (pass a registry holding just the kernels under test, or
// default_kernel_registry()); returns the outputs in order.
inline std::vector<Tensor> run_node(const NodeSpec& spec,
                                    const std::vector<std::optional<Tensor>>& inputs,
                                    const KernelRegistry& registry) {
    Model model;
    model.graph().set_name("single_node");
    auto* opset = model.proto().add_opset_import();
    opset->set_version(spec.domain.empty() ? spec.opset : 13);
    if (!spec.domain.empty()) {
        auto* custom = model.proto().add_opset_import();
        custom->set_domain(spec.domain);
        custom->set_version(spec.opset);
    }
    std::vector<std::string> input_names;
    TensorMap feeds;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (!inputs[i]) {
            input_names.push_back("");
            continue;
        }
        std::string name = "in" + std::to_string(i);
        input_names.push_back(name);
        bool as_initializer =
            std::find(spec.initializer_inputs.begin(), spec.initializer_inputs.end(),
                      static_cast<int>(i)) != spec.initializer_inputs.end();
        if (as_initializer) {
            model.set_initializer(name, *inputs[i]);
        } else {
            model.graph().add_input()->set_name(name);
            model.set_shape(name, inputs[i]->shape(), onnx_elem_type(inputs[i]->type()));
            feeds.emplace(name, *inputs[i]);
        }
    }
    std::vector<std::string> output_names;
    for (int i = 0; i < spec.num_outputs; ++i) {
        output_names.push_back("out" + std::to_string(i));
        model.graph().add_output()->set_name(output_names.back());
    }
    Node node =
        model.add_node(spec.op_type, input_names, output_names, spec.op_type + "_0", spec.domain);
    spec.attributes(node);
    Executor executor(model, registry);
    TensorMap result = executor.run(feeds);
    std::vector<Tensor> outputs;
    for (const auto& name : output_names)
        outputs.push_back(result.at(name));
    return outputs;
}

} // namespace finn::testing
