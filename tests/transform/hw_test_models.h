// Small hand-built models and checks shared by the convert_to_hw tests.
#pragma once

#include "finn/core/error.h"
#include "finn/exec/executor.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/ir/model.h"
#include "finn/transform/tidy_up.h"

#include <algorithm>
#include <functional>
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace finn::hw_test {

// --- building small models ----------------------------------------------------------------------

inline const std::string& kGeneral = domains::kQonnxGeneral;
using Ints = std::vector<std::int64_t>;
using Strings = std::vector<std::string>;

inline Model empty_model(int opset = 13) {
    Model model;
    model.proto().add_opset_import()->set_version(opset);
    return model;
}

inline void add_input(Model& model, const std::string& name, const Shape& shape,
                      const DataType& type) {
    model.graph().add_input()->set_name(name);
    model.set_shape(name, shape);
    model.set_datatype(name, type);
}

inline void add_output(Model& model, const std::string& name, const Shape& shape,
                       int elem_type = onnx::TensorProto::FLOAT) {
    model.graph().add_output()->set_name(name);
    model.set_shape(name, shape, elem_type);
}

inline void add_param(Model& model, const std::string& name, const Shape& shape,
                      const std::vector<double>& values,
                      std::optional<DataType> type = std::nullopt) {
    model.set_initializer(name, Tensor::from_doubles(ElementType::Float32, shape, values));
    if (type) model.set_datatype(name, *type);
}

inline Node add_multithreshold(Model& model, const std::string& in, const std::string& thresholds,
                               const std::string& out, const std::string& out_dtype,
                               float scale = 1, float bias = 0,
                               const std::string& name = "MultiThreshold_0") {
    Node mt = model.add_node("MultiThreshold", {in, thresholds}, {out}, name, kGeneral);
    mt.set_attr_string("out_dtype", out_dtype);
    if (scale != 1) mt.set_attr_float("out_scale", scale);
    if (bias != 0) mt.set_attr_float("out_bias", bias);
    return mt;
}

// What tidy-up leaves: custom opsets imported, shapes and datatypes inferred.
inline void prepare(Model& model) {
    model.add_missing_opset_imports();
    InferShapes().run(model);
    InferDataTypes().run(model);
}

inline Strings op_types(Model& model) {
    Strings types;
    for (Node n : model.nodes())
        types.push_back(n.op_type());
    return types;
}

inline Strings node_names(Model& model) {
    Strings names;
    for (Node n : model.nodes())
        names.push_back(n.name());
    return names;
}

// Random values of an integer datatype (BIPOLAR: -1/+1).
inline Tensor random_tensor(const Shape& shape, const DataType& type, std::mt19937& rng) {
    std::vector<double> values(static_cast<std::size_t>(shape_size(shape)));
    std::uniform_int_distribution<int> dist(static_cast<int>(type.min()),
                                            static_cast<int>(type.max()));
    for (double& v : values) {
        v = dist(rng);
        if (type == DataType::bipolar() && v == 0) v = 1;
    }
    return Tensor::from_doubles(ElementType::Float32, shape, values);
}

// Both models give the same graph outputs (values, whatever the shapes) on random inputs of the
// first model's input datatype.
inline void expect_same_outputs(const Model& before, const Model& after, int samples = 8) {
    std::mt19937 rng(7);
    const std::string input = before.input_names().at(0);
    const Shape shape = *before.shape(input);
    const DataType type = before.datatype(input);
    Executor run_before(before), run_after(after);
    for (int s = 0; s < samples; ++s) {
        const TensorMap feed = {{input, random_tensor(shape, type, rng)}};
        const TensorMap expected = run_before.run(feed), actual = run_after.run(feed);
        for (const auto& [name, value] : expected)
            EXPECT_EQ(actual.at(name).to_doubles(), value.to_doubles()) << name << " sample " << s;
    }
}

inline void expect_hw_node(Node node, const std::string& op_type) {
    EXPECT_EQ(node.op_type(), op_type);
    EXPECT_EQ(node.domain(), "finn.custom_op.fpgadataflow");
    EXPECT_EQ(node.attr_string("backend"), "fpgadataflow");
    // Attributes in name order, as onnx.helper.make_node writes them.
    const Strings names = node.attr_names();
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end())) << node.name();
}

inline std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

} // namespace finn::hw_test
