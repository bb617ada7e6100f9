// The tidy-up transformations on small hand-built models (names, folded values, datatypes,
// layouts, idempotence) and on the reference models: the tidy-up pipeline keeps FINN's TFC output
// exact and restores qonnx's names.
#include "../test_support.h"
#include "finn/core/error.h"
#include "finn/core/npy.h"
#include "finn/exec/executor.h"
#include "finn/ir/tensor_proto.h"
#include "finn/transform/tidy_up.h"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <set>

namespace finn {
namespace {

// --- building small models
// ------------------------------------------------------------------------

Model empty_model(int opset = 13) {
    Model model;
    model.proto().add_opset_import()->set_version(opset);
    return model;
}

void add_input(Model& model, const std::string& name, const Shape& shape) {
    model.graph().add_input()->set_name(name);
    model.set_shape(name, shape);
}

void add_output(Model& model, const std::string& name, const Shape& shape) {
    model.graph().add_output()->set_name(name);
    model.set_shape(name, shape);
}

Tensor scalar(float v) {
    return Tensor::from_floats({}, {v});
}

std::vector<std::string> node_names(Model& model) {
    std::vector<std::string> names;
    for (Node n : model.nodes())
        names.push_back(n.name());
    return names;
}

std::vector<std::string> op_types(Model& model) {
    std::vector<std::string> types;
    for (Node n : model.nodes())
        types.push_back(n.op_type());
    return types;
}

// Every tensor a node reads is a graph input, an initializer or a node output, and every graph
// output is computed.
void expect_no_dangling_tensors(Model& model) {
    std::set<std::string> defined;
    for (const auto& n : model.graph_input_names())
        defined.insert(n);
    for (const auto& n : model.initializer_names())
        defined.insert(n);
    for (Node node : model.nodes())
        for (const auto& out : node.outputs())
            defined.insert(out);
    for (Node node : model.nodes())
        for (const auto& in : node.inputs())
            EXPECT_TRUE(in.empty() || defined.count(in)) << node.name() << " reads " << in;
    for (const auto& out : model.output_names())
        EXPECT_TRUE(defined.count(out)) << "graph output " << out;
}

Tensor run_single(const Model& model, const std::string& input, const Tensor& value) {
    Executor executor(model);
    TensorMap result = executor.run({{input, value}});
    return result.begin()->second;
}

// --- registry ---------------------------------------------------------------------------------

TEST(TidyUp, EveryTransformationIsRegisteredByItsQonnxName) {
    for (const char* name :
         {"InferShapes", "FoldConstants", "GiveUniqueNodeNames", "GiveReadableTensorNames",
          "GiveUniqueParameterTensors", "RemoveUnusedTensors", "RemoveStaticGraphInputs",
          "RemoveIdentityOps", "InferDataTypes", "InferDataLayouts"}) {
        ASSERT_TRUE(transformation_registry().contains(name)) << name;
        EXPECT_EQ(transformation_registry().create(name)->name(), name);
    }
}

// --- InferShapes ------------------------------------------------------------------------------

TEST(InferShapes, RecordsShapesAndSettles) {
    Model model = empty_model();
    add_input(model, "x", {1, 3, 4, 4});
    model.graph().add_output()->set_name("y");
    model.add_node("Relu", {"x"}, {"h"}, "Relu_0");
    model.add_node("Flatten", {"h"}, {"y"}, "Flatten_0");
    InferShapes t;
    EXPECT_TRUE(t.run(model));
    EXPECT_EQ(model.shape("h"), (Shape{1, 3, 4, 4}));
    EXPECT_EQ(model.shape("y"), (Shape{1, 48}));
    EXPECT_FALSE(t.run(model));
}

// --- FoldConstants ----------------------------------------------------------------------------

TEST(FoldConstants, FoldsConstantChainsAndDropsWhatOnlyTheyRead) {
    Model model = empty_model();
    add_input(model, "x", {1, 2});
    add_output(model, "y", {1, 2});
    model.set_initializer("a", Tensor::from_floats({2}, {1, 2}));
    model.set_initializer("b", Tensor::from_floats({2}, {3, 4}));
    model.set_initializer("two", scalar(2));
    model.add_node("Add", {"a", "b"}, {"sum"}, "Add_0");
    model.add_node("Mul", {"sum", "two"}, {"scaled"}, "Mul_0");
    model.add_node("Mul", {"x", "scaled"}, {"y"}, "Mul_1");
    model.set_datatype("scaled", DataType::uint(4));

    FoldConstants fold;
    EXPECT_TRUE(fold.run(model));
    EXPECT_EQ(op_types(model), std::vector<std::string>{"Mul"});
    ASSERT_TRUE(model.has_initializer("scaled"));
    EXPECT_EQ(model.initializer("scaled").to_floats(), (std::vector<float>{8, 12}));
    EXPECT_EQ(model.datatype("scaled"), DataType::uint(4));
    for (const char* gone : {"a", "b", "two", "sum"})
        EXPECT_FALSE(model.has_initializer(gone)) << gone;
    expect_no_dangling_tensors(model);
    EXPECT_FALSE(fold.run(model));
}

TEST(FoldConstants, ExcludesQuantOpsByDefault) {
    Model model = empty_model();
    model.proto().add_opset_import()->set_domain("qonnx.custom_op.general");
    model.proto().mutable_opset_import(1)->set_version(1);
    add_input(model, "x", {1, 2});
    add_output(model, "y", {1, 2});
    model.set_initializer("w", Tensor::from_floats({2}, {0.4f, -2.6f}));
    model.set_initializer("scale", scalar(1));
    model.set_initializer("zp", scalar(0));
    model.set_initializer("bits", scalar(4));
    Node q = model.add_node("Quant", {"w", "scale", "zp", "bits"}, {"wq"}, "Quant_0",
                            "qonnx.custom_op.general");
    q.set_attr_int("signed", 1);
    q.set_attr_int("narrow", 0);
    q.set_attr_string("rounding_mode", "ROUND");
    model.add_node("Mul", {"x", "wq"}, {"y"}, "Mul_0");

    EXPECT_FALSE(FoldConstants().run(model));
    EXPECT_FALSE(FoldConstants(FoldConstants::quant_op_types()).run(model));
    EXPECT_EQ(model.node_count(), 2);

    FoldConstants everything(std::vector<std::string>{});
    EXPECT_TRUE(everything.run(model));
    EXPECT_EQ(model.initializer("wq").to_floats(), (std::vector<float>{0, -3}));
}

TEST(FoldConstants, FoldsShapeOfAKnownShapeAndConstantNodes) {
    Model model = empty_model();
    add_input(model, "x", {1, 2, 3});
    model.graph().add_output()->set_name("y");
    model.add_node("Shape", {"x"}, {"shape"}, "Shape_0");
    Node c = model.add_node("Constant", {}, {"minus_one"}, "Constant_0");
    c.set_attr_tensor("value", Tensor::from_int64s({1}, {-1}));
    model.add_node("Slice", {"shape", "starts", "ends"}, {"batch"}, "Slice_0");
    model.set_initializer("starts", Tensor::from_int64s({1}, {0}));
    model.set_initializer("ends", Tensor::from_int64s({1}, {1}));
    model.add_node("Concat", {"batch", "minus_one"}, {"target"}, "Concat_0")
        .set_attr_int("axis", 0);
    model.add_node("Reshape", {"x", "target"}, {"y"}, "Reshape_0");

    EXPECT_TRUE(FoldConstants().run(model));
    EXPECT_EQ(op_types(model), std::vector<std::string>{"Reshape"});
    EXPECT_EQ(model.initializer("target").to_int64s(), (std::vector<std::int64_t>{1, -1}));
    EXPECT_EQ(model.initializer_names(), std::vector<std::string>{"target"});
    // Folding is followed by shape inference, which now knows the Reshape's result.
    EXPECT_EQ(model.shape("y"), (Shape{1, 6}));
    expect_no_dangling_tensors(model);
}

// --- GiveUniqueNodeNames ----------------------------------------------------------------------

TEST(GiveUniqueNodeNames, NumbersNodesPerOpTypeInGraphOrder) {
    Model model = empty_model();
    add_input(model, "x", {1, 4});
    model.graph().add_output()->set_name("y");
    model.add_node("Relu", {"x"}, {"a"}, "first");
    model.add_node("Mul", {"a", "a"}, {"b"});
    model.add_node("Relu", {"b"}, {"c"}, "Relu_0");
    model.add_node("Mul", {"c", "c"}, {"y"}, "x");

    GiveUniqueNodeNames t;
    EXPECT_TRUE(t.run(model));
    EXPECT_EQ(node_names(model), (std::vector<std::string>{"Relu_0", "Mul_0", "Relu_1", "Mul_1"}));
    EXPECT_FALSE(t.run(model));

    GiveUniqueNodeNames prefixed("sub_");
    EXPECT_TRUE(prefixed.run(model));
    EXPECT_EQ(node_names(model),
              (std::vector<std::string>{"sub_Relu_0", "sub_Mul_0", "sub_Relu_1", "sub_Mul_1"}));
}

// --- GiveReadableTensorNames ------------------------------------------------------------------

TEST(GiveReadableTensorNames, FollowsQonnxNamingScheme) {
    Model model = empty_model();
    model.proto().add_opset_import()->set_domain("qonnx.custom_op.general");
    model.proto().mutable_opset_import(1)->set_version(1);
    add_input(model, "image", {1, 4});
    add_input(model, "aux", {1, 4});
    add_output(model, "result", {1, 4});
    add_output(model, "other", {1, 4});
    model.set_initializer("thresholds", Tensor::from_floats({1, 1}, {0}));
    model.set_initializer("weights", Tensor::from_floats({4, 4}, std::vector<float>(16, 1)));
    model.set_initializer("shared", scalar(3));
    Node mt = model.add_node("MultiThreshold", {"image", "thresholds"}, {"act"}, "MultiThreshold_0",
                             "qonnx.custom_op.general");
    mt.set_attr_string("out_dtype", "BIPOLAR");
    model.add_node("MatMul", {"act", "weights"}, {"mm"}, "MatMul_0");
    model.add_node("Mul", {"mm", "shared"}, {"scaled"}, "Mul_0");
    model.add_node("Add", {"scaled", "aux"}, {"result"}, "Add_0");
    model.add_node("Mul", {"shared", "aux"}, {"other"}, "Mul_1");
    model.set_shape("act", {1, 4});
    model.set_shape("stale", {7});
    model.set_datatype("act", DataType::bipolar());
    model.set_datatype("weights", DataType::bipolar());
    model.set_layout("image", {"N", "C"});

    GiveReadableTensorNames t;
    EXPECT_TRUE(t.run(model));
    EXPECT_EQ(model.node(0).inputs(),
              (std::vector<std::string>{"global_in", "MultiThreshold_0_param0"}));
    EXPECT_EQ(model.node(0).output(0), "MultiThreshold_0_out0");
    EXPECT_EQ(model.node(1).inputs(),
              (std::vector<std::string>{"MultiThreshold_0_out0", "MatMul_0_param0"}));
    // An initializer read by two nodes is named after the last one.
    EXPECT_EQ(model.node(2).inputs(), (std::vector<std::string>{"MatMul_0_out0", "Mul_1_param0"}));
    EXPECT_EQ(model.node(3).inputs(), (std::vector<std::string>{"Mul_0_out0", "global_in_1"}));
    EXPECT_EQ(model.node(3).output(0), "global_out");
    EXPECT_EQ(model.node(4).output(0), "global_out_1");
    EXPECT_EQ(model.graph_input_names(), (std::vector<std::string>{"global_in", "global_in_1"}));
    EXPECT_EQ(model.output_names(), (std::vector<std::string>{"global_out", "global_out_1"}));
    EXPECT_EQ(
        model.initializer_names(),
        (std::vector<std::string>{"MultiThreshold_0_param0", "MatMul_0_param0", "Mul_1_param0"}));
    // value_info, annotations follow; a ValueInfo no node uses gets qonnx's "tensor_<i>".
    EXPECT_EQ(model.shape("MultiThreshold_0_out0"), (Shape{1, 4}));
    EXPECT_EQ(model.value_info_names(),
              (std::vector<std::string>{"MultiThreshold_0_out0", "tensor_1"}));
    EXPECT_EQ(model.datatype("MultiThreshold_0_out0"), DataType::bipolar());
    EXPECT_EQ(model.datatype("MatMul_0_param0"), DataType::bipolar());
    EXPECT_EQ(model.layout("global_in"), (std::vector<std::string>{"N", "C"}));
    expect_no_dangling_tensors(model);
    EXPECT_FALSE(t.run(model));
}

TEST(GiveReadableTensorNames, RefusesNodesWithoutUniqueNames) {
    Model model = empty_model();
    add_input(model, "x", {1});
    model.graph().add_output()->set_name("y");
    model.add_node("Relu", {"x"}, {"h"}, "same");
    model.add_node("Relu", {"h"}, {"g"}, "same");
    model.add_node("Relu", {"g"}, {"y"}, "last");
    EXPECT_THROW(GiveReadableTensorNames().run(model), Error);
    model.node(0).set_name("");
    EXPECT_THROW(GiveReadableTensorNames().run(model), Error);
}

TEST(GiveReadableTensorNames, NamesStaticInputsAsGraphInputs) {
    // qonnx renames every graph input, initializers among them, after the node-based names.
    Model model = empty_model();
    add_input(model, "x", {1, 2});
    add_input(model, "w", {2});
    model.set_initializer("w", Tensor::from_floats({2}, {1, 2}));
    model.graph().add_output()->set_name("y");
    model.add_node("Mul", {"x", "w"}, {"y"}, "Mul_0");
    EXPECT_TRUE(GiveReadableTensorNames().run(model));
    EXPECT_EQ(model.graph_input_names(), (std::vector<std::string>{"global_in", "global_in_1"}));
    EXPECT_EQ(model.node(0).inputs(), (std::vector<std::string>{"global_in", "global_in_1"}));
    EXPECT_TRUE(model.has_initializer("global_in_1"));
}

// --- GiveUniqueParameterTensors ---------------------------------------------------------------

TEST(GiveUniqueParameterTensors, CopiesEveryUseBeyondTheFirst) {
    Model model = empty_model();
    add_input(model, "x", {1, 2});
    model.graph().add_output()->set_name("y");
    model.set_initializer("w", Tensor::from_floats({2}, {2, 3}));
    model.set_datatype("w", DataType::uint(2));
    model.add_node("Mul", {"x", "w"}, {"a"}, "Mul_0");
    model.add_node("Mul", {"a", "w"}, {"b"}, "Mul_1");
    model.add_node("Add", {"w", "w"}, {"c"}, "Add_0");
    model.add_node("Add", {"b", "c"}, {"y"}, "Add_1");

    GiveUniqueParameterTensors t;
    EXPECT_TRUE(t.run(model));
    std::set<std::string> params;
    for (Node n : model.nodes())
        for (const auto& in : n.inputs())
            if (model.has_initializer(in)) {
                EXPECT_TRUE(params.insert(in).second) << in << " used twice";
                EXPECT_EQ(model.initializer(in).to_floats(), (std::vector<float>{2, 3}));
                EXPECT_EQ(model.datatype(in), DataType::uint(2));
            }
    EXPECT_EQ(params.size(), 4u);
    EXPECT_EQ(model.node(0).input(1), "w");
    EXPECT_FALSE(t.run(model));
}

// --- RemoveUnusedTensors and RemoveStaticGraphInputs -------------------------------------------

TEST(RemoveUnusedTensors, DropsInitializersValueInfoAndAnnotationsNobodyUses) {
    Model model = empty_model();
    add_input(model, "x", {1, 2});
    add_input(model, "unused_input", {1});
    add_output(model, "y", {1, 2});
    model.set_initializer("w", Tensor::from_floats({2}, {2, 3}));
    model.set_initializer("old", Tensor::from_floats({2}, {2, 3}));
    model.set_shape("old", {2});
    model.set_shape("gone", {5});
    model.set_datatype("gone", DataType::uint(3));
    model.set_datatype("w", DataType::uint(2));
    model.set_datatype("unused_input", DataType::uint(2));
    model.add_node("Mul", {"x", "w"}, {"y"}, "Mul_0");

    RemoveUnusedTensors t;
    EXPECT_TRUE(t.run(model));
    EXPECT_EQ(model.initializer_names(), std::vector<std::string>{"w"});
    EXPECT_EQ(model.value_info_names(), std::vector<std::string>{});
    EXPECT_EQ(model.annotated_tensor_names(), (std::vector<std::string>{"w", "unused_input"}));
    EXPECT_EQ(model.graph_input_names(), (std::vector<std::string>{"x", "unused_input"}));
    EXPECT_FALSE(t.run(model));
}

TEST(RemoveUnusedTensors, DropsUnusedStaticInputsEntirely) {
    Model model = empty_model();
    add_input(model, "x", {1, 2});
    add_input(model, "stale", {2});
    model.set_initializer("stale", Tensor::from_floats({2}, {1, 2}));
    model.graph().add_output()->set_name("y");
    model.add_node("Relu", {"x"}, {"y"}, "Relu_0");
    EXPECT_TRUE(RemoveUnusedTensors().run(model));
    EXPECT_EQ(model.graph_input_names(), std::vector<std::string>{"x"});
    EXPECT_EQ(model.initializer_names(), std::vector<std::string>{});
}

TEST(RemoveStaticGraphInputs, MovesInitializedInputsToValueInfo) {
    Model model = empty_model();
    add_input(model, "x", {1, 2});
    add_input(model, "w", {2});
    model.graph().add_output()->set_name("y");
    model.set_initializer("w", Tensor::from_floats({2}, {2, 3}));
    model.add_node("Mul", {"x", "w"}, {"y"}, "Mul_0");

    RemoveStaticGraphInputs t;
    EXPECT_TRUE(t.run(model));
    EXPECT_EQ(model.graph_input_names(), std::vector<std::string>{"x"});
    EXPECT_EQ(model.value_info_names(), std::vector<std::string>{"w"});
    EXPECT_EQ(model.shape("w"), Shape{2});
    EXPECT_FALSE(t.run(model));
}

// --- RemoveIdentityOps ------------------------------------------------------------------------

TEST(RemoveIdentityOps, RemovesNeutralArithmeticAndKeepsTheOutputName) {
    Model model = empty_model();
    add_input(model, "x", {1, 4});
    add_output(model, "y", {1, 4});
    model.set_initializer("one", Tensor::from_floats({4}, {1, 1, 1.000001f, 1}));
    model.set_initializer("zero", Tensor::from_floats({1, 4}, {0, 0, 0, 0}));
    model.set_initializer("nearly_one", scalar(1.001f));
    model.add_node("Relu", {"x"}, {"a"}, "Relu_0");
    model.add_node("Mul", {"a", "one"}, {"b"}, "Mul_0");
    model.add_node("Sub", {"b", "zero"}, {"c"}, "Sub_0");
    model.add_node("Mul", {"c", "nearly_one"}, {"y"}, "Mul_1");
    model.set_datatype("c", DataType::uint(4));
    model.infer_shapes();

    RemoveIdentityOps t;
    EXPECT_TRUE(t.run(model));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"Relu", "Mul"}));
    // The producer now writes the removed nodes' output directly, annotation included.
    EXPECT_EQ(model.node(0).output(0), "c");
    EXPECT_EQ(model.node(1).input(0), "c");
    EXPECT_EQ(model.datatype("c"), DataType::uint(4));
    EXPECT_FALSE(model.has_initializer("one"));
    EXPECT_FALSE(model.has_initializer("zero"));
    expect_no_dangling_tensors(model);
    EXPECT_FALSE(t.run(model));
}

TEST(RemoveIdentityOps, RewiresConsumersOfGraphInputsAndForks) {
    Model model = empty_model();
    add_input(model, "x", {1, 4});
    add_output(model, "y", {1, 4});
    add_output(model, "z", {1, 4});
    model.add_node("Identity", {"x"}, {"a"}, "Identity_0");
    model.add_node("Relu", {"a"}, {"b"}, "Relu_0");
    // b forks: Identity_1 feeds graph output y, Neg feeds z.
    model.add_node("Identity", {"b"}, {"y"}, "Identity_1");
    model.add_node("Neg", {"b"}, {"z"}, "Neg_0");

    EXPECT_TRUE(RemoveIdentityOps().run(model));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"Relu", "Neg"}));
    EXPECT_EQ(model.node(0).input(0), "x");
    EXPECT_EQ(model.node(0).output(0), "y");
    EXPECT_EQ(model.node(1).input(0), "y");
    EXPECT_EQ(model.output_names(), (std::vector<std::string>{"y", "z"}));
    expect_no_dangling_tensors(model);
}

TEST(RemoveIdentityOps, KeepsNodesThatAreNotRemovable) {
    Model model = empty_model();
    add_input(model, "x", {1, 4});
    add_output(model, "y", {1, 4});
    add_output(model, "z", {1, 1, 4});
    add_output(model, "mask", {1, 4});
    // Graph input straight to graph output: nothing can take the node's place.
    model.add_node("Identity", {"x"}, {"y"}, "Identity_0");
    // Multiplying by ones of a higher rank changes the shape.
    model.set_initializer("ones", Tensor::from_floats({1, 1, 4}, {1, 1, 1, 1}));
    model.add_node("Mul", {"x", "ones"}, {"z"}, "Mul_0");
    // A Dropout whose mask is used.
    model.add_node("Dropout", {"x"}, {"d", "mask"}, "Dropout_0");
    EXPECT_FALSE(RemoveIdentityOps().run(model));
    EXPECT_EQ(model.node_count(), 3);
}

TEST(RemoveIdentityOps, RemovesZeroPadAndInferenceDropout) {
    Model model = empty_model();
    add_input(model, "x", {1, 4});
    add_output(model, "y", {1, 4});
    model.set_initializer("pads", Tensor::from_int64s({4}, {0, 0, 0, 0}));
    model.add_node("Pad", {"x", "pads"}, {"p"}, "Pad_0");
    model.add_node("Dropout", {"p"}, {"d"}, "Dropout_0");
    model.add_node("Relu", {"d"}, {"y"}, "Relu_0");
    EXPECT_TRUE(RemoveIdentityOps().run(model));
    EXPECT_EQ(op_types(model), std::vector<std::string>{"Relu"});
    EXPECT_EQ(model.node(0).input(0), "x");
    expect_no_dangling_tensors(model);
}

// --- InferDataTypes ---------------------------------------------------------------------------

class InferDataTypesTest : public ::testing::Test {
protected:
    InferDataTypesTest() : model(empty_model()) {
        model.proto().add_opset_import()->set_domain("qonnx.custom_op.general");
        model.proto().mutable_opset_import(1)->set_version(1);
    }
    std::string input(const std::string& name, const DataType& type, const Shape& shape = {1, 4}) {
        add_input(model, name, shape);
        model.set_datatype(name, type);
        return name;
    }
    std::string param(const std::string& name, const Tensor& value, const DataType& type) {
        model.set_initializer(name, value);
        model.set_datatype(name, type);
        return name;
    }
    DataType infer(const std::string& tensor) {
        InferDataTypes().run(model);
        return model.datatype(tensor);
    }
    Model model;
};

TEST_F(InferDataTypesTest, MacLikeOpsFollowTheirOperands) {
    input("bip", DataType::bipolar());
    input("u4", DataType::uint(4));
    input("fx", DataType::fixed(8, 3));
    input("f", DataType::float32());
    param("w", Tensor::from_floats({4, 4}, std::vector<float>(16, 1)), DataType::bipolar());
    param("u2", Tensor::from_floats({4, 4}, std::vector<float>(16, 1)), DataType::uint(2));
    model.add_node("MatMul", {"bip", "w"}, {"signed_mm"}, "MatMul_0");
    model.add_node("MatMul", {"u4", "u2"}, {"unsigned_mm"}, "MatMul_1");
    model.add_node("Sub", {"u4", "u4"}, {"difference"}, "Sub_0");
    model.add_node("Mul", {"u4", "f"}, {"float_product"}, "Mul_0");
    model.add_node("Add", {"u4", "fx"}, {"scaled_sum"}, "Add_0");
    EXPECT_EQ(infer("signed_mm"), DataType::sint(32));
    EXPECT_EQ(model.datatype("unsigned_mm"), DataType::uint(32));
    EXPECT_EQ(model.datatype("difference"), DataType::sint(32));
    EXPECT_EQ(model.datatype("float_product"), DataType::float32());
    EXPECT_EQ(model.datatype("scaled_sum"), DataType::float32());
    InferDataTypes(/*allow_scaled_int=*/true).run(model);
    EXPECT_EQ(model.datatype("scaled_sum"), DataType::scaled_int(32));
}

TEST_F(InferDataTypesTest, StandardOpsKeepSignOrFloat) {
    input("x", DataType::uint(4));
    model.set_initializer("shape", Tensor::from_int64s({2}, {2, 2}));
    model.add_node("Sign", {"x"}, {"sign"}, "Sign_0");
    model.add_node("Reshape", {"x", "shape"}, {"reshaped"}, "Reshape_0");
    model.add_node("Relu", {"x"}, {"relu"}, "Relu_0");
    model.add_node("Sigmoid", {"x"}, {"sigmoid"}, "Sigmoid_0");
    model.set_datatype("sigmoid", DataType::uint(8)); // already annotated: kept
    InferDataTypes t;
    EXPECT_TRUE(t.run(model));
    EXPECT_EQ(model.datatype("sign"), DataType::bipolar());
    EXPECT_EQ(model.datatype("reshaped"), DataType::uint(4));
    EXPECT_EQ(model.datatype("relu"), DataType::float32());
    EXPECT_TRUE(model.has_datatype("relu"));
    EXPECT_EQ(model.datatype("sigmoid"), DataType::uint(8));
    EXPECT_FALSE(t.run(model));
}

TEST_F(InferDataTypesTest, QonnxCustomOps) {
    const std::string dom = "qonnx.custom_op.general";
    input("x", DataType::float32());
    input("bin", DataType::binary());
    param("T", Tensor::from_floats({1, 1}, {0}), DataType::float32());
    model.add_node("MultiThreshold", {"x", "T"}, {"mt"}, "MultiThreshold_0", dom)
        .set_attr_string("out_dtype", "UINT4");
    Node scaled =
        model.add_node("MultiThreshold", {"x", "T"}, {"mt_scaled"}, "MultiThreshold_1", dom);
    scaled.set_attr_string("out_dtype", "UINT4");
    scaled.set_attr_float("out_scale", 0.5f);
    model.set_initializer("one", scalar(1));
    model.set_initializer("half", scalar(0.5f));
    model.set_initializer("zero", scalar(0));
    model.set_initializer("zp", scalar(1));
    model.set_initializer("b4", scalar(4));
    model.set_initializer("b1", scalar(1));
    model.add_node("Quant", {"x", "one", "zero", "b4"}, {"q_int4"}, "Quant_0", dom);
    model.add_node("Quant", {"x", "one", "zero", "b4"}, {"q_uint4"}, "Quant_1", dom)
        .set_attr_int("signed", 0);
    model.add_node("Quant", {"x", "one", "zero", "b1"}, {"q_bipolar"}, "Quant_2", dom);
    model.add_node("Quant", {"x", "half", "zero", "b4"}, {"q_scaled"}, "Quant_3", dom);
    model.add_node("Quant", {"x", "one", "zp", "b4"}, {"q_zp"}, "Quant_4", dom);
    model.add_node("BipolarQuant", {"x", "one"}, {"bq"}, "BipolarQuant_0", dom);
    model.add_node("BipolarQuant", {"x", "half"}, {"bq_scaled"}, "BipolarQuant_1", dom);
    model.add_node("XnorPopcountMatMul", {"bin", "bin"}, {"xnor"}, "XnorPopcountMatMul_0", dom);
    Node pool = model.add_node("QuantAvgPool2d", {"x"}, {"avg"}, "QuantAvgPool2d_0", dom);
    pool.set_attr_int("obits", 4);
    pool.set_attr_int("signed", 0);
    model.add_node("MaxPoolNHWC", {"bin"}, {"maxpool"}, "MaxPoolNHWC_0", dom);

    EXPECT_EQ(infer("mt"), DataType::uint(4));
    EXPECT_EQ(model.datatype("mt_scaled"), DataType::float32());
    EXPECT_EQ(model.datatype("q_int4"), DataType::sint(4));
    EXPECT_EQ(model.datatype("q_uint4"), DataType::uint(4));
    EXPECT_EQ(model.datatype("q_bipolar"), DataType::bipolar());
    EXPECT_EQ(model.datatype("q_scaled"), DataType::float32());
    EXPECT_EQ(model.datatype("q_zp"), DataType::float32());
    EXPECT_EQ(model.datatype("bq"), DataType::bipolar());
    EXPECT_EQ(model.datatype("bq_scaled"), DataType::float32());
    EXPECT_EQ(model.datatype("xnor"), DataType::uint(32));
    EXPECT_EQ(model.datatype("avg"), DataType::uint(4));
    EXPECT_EQ(model.datatype("maxpool"), DataType::binary());
    InferDataTypes(/*allow_scaled_int=*/true).run(model);
    EXPECT_EQ(model.datatype("q_scaled"), DataType::scaled_int(4));
}

TEST_F(InferDataTypesTest, XnorPopcountRequiresBinaryInputs) {
    input("x", DataType::bipolar());
    model.add_node("XnorPopcountMatMul", {"x", "x"}, {"y"}, "XnorPopcountMatMul_0",
                   "qonnx.custom_op.general");
    EXPECT_THROW(InferDataTypes().run(model), Error);
}

TEST_F(InferDataTypesTest, HardwareOpsUseTheirAttributesAndTrackTheirInput) {
    const std::string hls = "finn.custom_op.fpgadataflow.hls";
    input("x", DataType::uint(2));
    model.set_initializer("w", Tensor::from_floats({4, 4}, std::vector<float>(16, 1)));
    Node mvau = model.add_node("MVAU_hls", {"x", "w"}, {"mv"}, "MVAU_hls_0", hls);
    mvau.set_attr_string("inputDataType", "UINT8");
    mvau.set_attr_string("outputDataType", "INT5");
    Node fifo = model.add_node("StreamingFIFO_rtl", {"mv"}, {"fifo"}, "StreamingFIFO_rtl_0",
                               "finn.custom_op.fpgadataflow.rtl");
    fifo.set_attr_string("dataType", "UINT2");
    InferDataTypes t;
    EXPECT_TRUE(t.run(model));
    EXPECT_EQ(model.datatype("mv"), DataType::sint(5));
    EXPECT_EQ(model.node(0).attr_string("inputDataType"), "UINT2");
    EXPECT_EQ(model.datatype("fifo"), DataType::sint(5));
    EXPECT_EQ(model.node(1).attr_string("dataType"), "INT5");
    EXPECT_FALSE(t.run(model));
}

// --- InferDataLayouts -------------------------------------------------------------------------

TEST(InferDataLayouts, GuessesInputsAndFollowsTransposesAndDummyAxes) {
    Model model = empty_model();
    model.proto().add_opset_import()->set_domain("qonnx.custom_op.general");
    model.proto().mutable_opset_import(1)->set_version(1);
    add_input(model, "x", {1, 3, 4, 4});
    model.graph().add_output()->set_name("y");
    model.add_node("Relu", {"x"}, {"relu"}, "Relu_0");
    model.add_node("Transpose", {"relu"}, {"nhwc"}, "Transpose_0")
        .set_attr_ints("perm", {0, 2, 3, 1});
    model.set_initializer("T", Tensor::from_floats({1, 1}, {0}));
    Node mt = model.add_node("MultiThreshold", {"nhwc", "T"}, {"mt"}, "MultiThreshold_0",
                             "qonnx.custom_op.general");
    mt.set_attr_string("out_dtype", "UINT4");
    mt.set_attr_string("data_layout", "NHWC");
    model.set_initializer("shape", Tensor::from_int64s({2}, {1, -1}));
    model.add_node("Reshape", {"mt", "shape"}, {"flat"}, "Reshape_0");
    model.set_initializer("axes", Tensor::from_int64s({1}, {2}));
    model.add_node("Unsqueeze", {"flat", "axes"}, {"unsq"}, "Unsqueeze_0");
    model.add_node("Squeeze", {"unsq", "axes"}, {"y"}, "Squeeze_0");
    model.infer_shapes();
    // The custom op's output shape is unknown here: its layout becomes [].
    model.add_node("Im2Col", {"x"}, {"cols"}, "Im2Col_0", "qonnx.custom_op.general");

    InferDataLayouts t;
    EXPECT_TRUE(t.run(model));
    using L = std::vector<std::string>;
    EXPECT_EQ(model.layout("x"), (L{"N", "C", "H", "W"}));
    EXPECT_EQ(model.layout("relu"), (L{"N", "C", "H", "W"}));
    EXPECT_EQ(model.layout("nhwc"), (L{"N", "H", "W", "C"}));
    EXPECT_EQ(model.layout("mt"), (L{"N", "H", "W", "C"}));
    EXPECT_EQ(model.layout("flat"), (L{"N", "C"}));
    EXPECT_EQ(model.layout("unsq"), (L{"N", "C", "x"}));
    EXPECT_EQ(model.layout("y"), (L{"N", "C"}));
    EXPECT_EQ(model.annotation("cols", "tensor_layout"), "[]");
    EXPECT_FALSE(t.run(model));
}

TEST(InferDataLayouts, RefusesToGuessAnInputOfUnusualRank) {
    Model model = empty_model();
    add_input(model, "x", {8});
    model.graph().add_output()->set_name("y");
    model.add_node("Relu", {"x"}, {"y"}, "Relu_0");
    EXPECT_THROW(InferDataLayouts().run(model), Error);
    model.set_layout("x", {"C"});
    EXPECT_NO_THROW(InferDataLayouts().run(model));
}

// --- Model helpers the passes rely on ----------------------------------------------------------

TEST(ModelHelpers, RenameTensorsAppliesAllRenamesAtOnce) {
    Model model = empty_model();
    add_input(model, "a", {1});
    add_output(model, "b", {1});
    model.set_datatype("a", DataType::uint(2));
    model.add_node("Relu", {"a"}, {"b"}, "Relu_0");
    model.rename_tensors({{"a", "b"}, {"b", "a"}});
    EXPECT_EQ(model.node(0).input(0), "b");
    EXPECT_EQ(model.node(0).output(0), "a");
    EXPECT_EQ(model.graph_input_names(), std::vector<std::string>{"b"});
    EXPECT_EQ(model.output_names(), std::vector<std::string>{"a"});
    EXPECT_EQ(model.datatype("b"), DataType::uint(2));
}

TEST(ModelHelpers, RemovingAStaticInputOfAnOldModelRaisesItsIrVersion) {
    Model model = empty_model();
    model.proto().set_ir_version(3);
    add_input(model, "w", {1});
    model.set_initializer("w", Tensor::from_floats({1}, {1}));
    model.remove_graph_input("w");
    EXPECT_EQ(model.proto().ir_version(), 4);
    EXPECT_EQ(model.value_info_names(), std::vector<std::string>{"w"});
}

// --- the reference models ---------------------------------------------------------------------

Pipeline tidy_up_pipeline() {
    Pipeline p;
    for (const char* name :
         {"InferShapes", "FoldConstants", "GiveUniqueNodeNames", "GiveReadableTensorNames",
          "InferDataTypes", "RemoveStaticGraphInputs"})
        p.add(name);
    return p;
}

TEST(TidyUpPipeline, TfcKeepsItsOutputAndGetsQonnxNames) {
    FINN_REQUIRE_SHARED(shared);
    const auto dir = shared / "models/finn/tfc_w1a1";
    const Model original = Model::load(dir / "model.onnx");
    // Scramble the names the file already has, so that the pipeline has to restore them.
    Model model = original;
    std::map<std::string, std::string> scrambled;
    int k = 0;
    for (const auto& name : model.tensor_names())
        scrambled[name] = "t" + std::to_string(k++);
    model.rename_tensors(scrambled);
    for (Node n : model.nodes())
        n.set_name("");

    tidy_up_pipeline().run(model);
    EXPECT_NO_THROW(model.check());
    Model expected_names = original;
    EXPECT_EQ(node_names(model), node_names(expected_names));
    for (int i = 0; i < model.node_count(); ++i) {
        EXPECT_EQ(model.node(i).inputs(), expected_names.node(i).inputs()) << i;
        EXPECT_EQ(model.node(i).outputs(), expected_names.node(i).outputs()) << i;
    }
    EXPECT_EQ(model.input_names(), std::vector<std::string>{"global_in"});
    EXPECT_EQ(model.output_names(), std::vector<std::string>{"global_out"});
    for (const auto& name : original.tensor_names())
        EXPECT_EQ(model.datatype(name), original.datatype(name)) << name;

    Executor executor(model);
    TensorMap out = executor.run_batched({{"global_in", read_npy(dir / "input.npy")}});
    Tensor expected = read_npy(dir / "expected_output.npy");
    Tensor actual = out.at("global_out");
    EXPECT_EQ(actual.to_doubles(), expected.to_doubles());
    EXPECT_EQ(shape_size(actual.shape()), shape_size(expected.shape()));

    // A tidy model stays as it is.
    const std::string tidy = model.serialize();
    EXPECT_FALSE(tidy_up_pipeline().run(model));
    EXPECT_EQ(model.serialize(), tidy);
}

TEST(TidyUpPipeline, QonnxCleanupFoldsMnistWeightsAndKeepsItsOutput) {
    FINN_REQUIRE_SHARED(shared);
    const auto dir = shared / "models/qonnx/mnist-conv";
    Model model = Model::load(dir / "model.onnx");
    const std::string input = model.input_names().at(0);
    const Tensor x = tensor_from_proto(read_tensor_proto(dir / "test_data_set_0/input_0.pb"));
    const Tensor before = run_single(model, input, x);
    const int nodes_before = model.node_count();

    // qonnx's cleanup_model sequence.
    Pipeline cleanup;
    cleanup.add(std::make_unique<InferShapes>())
        .add(std::make_unique<GiveUniqueParameterTensors>())
        .add(std::make_unique<FoldConstants>(FoldConstants::quant_op_types()))
        .add(std::make_unique<RemoveUnusedTensors>())
        .add(std::make_unique<RemoveStaticGraphInputs>())
        .add(std::make_unique<GiveUniqueNodeNames>())
        .add(std::make_unique<GiveReadableTensorNames>());
    EXPECT_TRUE(cleanup.run(model));
    EXPECT_LT(model.node_count(), nodes_before);
    EXPECT_EQ(model.input_names(), std::vector<std::string>{"global_in"});
    expect_no_dangling_tensors(model);
    EXPECT_NO_THROW(model.check());
    EXPECT_EQ(run_single(model, "global_in", x), before);
    EXPECT_FALSE(RemoveUnusedTensors().run(model));
}

TEST(TidyUpPipeline, EveryTransformationSettlesOnEveryReferenceModel) {
    FINN_REQUIRE_SHARED(shared);
    std::vector<std::filesystem::path> models;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(shared / "models"))
        if (entry.path().extension() == ".onnx") models.push_back(entry.path());
    std::sort(models.begin(), models.end());
    ASSERT_FALSE(models.empty());
    for (const auto& path : models) {
        SCOPED_TRACE(path.string());
        Model model = Model::load(path);
        for (const char* name :
             {"InferShapes", "GiveUniqueParameterTensors", "FoldConstants", "RemoveUnusedTensors",
              "RemoveStaticGraphInputs", "GiveUniqueNodeNames", "GiveReadableTensorNames",
              "RemoveIdentityOps", "InferDataTypes", "InferDataLayouts"}) {
            auto t = transformation_registry().create(name);
            ASSERT_NO_THROW(t->run(model)) << name;
            EXPECT_FALSE(t->run(model)) << name << " did not settle in one run";
        }
        expect_no_dangling_tensors(model);
        EXPECT_NO_THROW(model.check());
    }
}

} // namespace
} // namespace finn
