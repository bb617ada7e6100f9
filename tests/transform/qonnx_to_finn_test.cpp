// The QONNX -> FINN conversion: each transformation on a small hand-built model (structure after,
// executor output unchanged on inputs from the quantizer grids), the step pipeline on every zoo
// model and on real Brevitas/QONNX exports.
#include "../test_support.h"
#include "finn/core/error.h"
#include "finn/exec/executor.h"
#include "finn/exec/verification.h"
#include "finn/ir/tensor_proto.h"
#include "finn/transform/qonnx_to_finn.h"
#include "finn/transform/tidy_up.h"
#include "finn/zoo/zoo.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <random>

namespace finn {
namespace {

const std::string kQonnx = "qonnx.custom_op.general";

// --- building small models ----------------------------------------------------------------------

Model empty_model(int opset = 13) {
    Model model;
    model.proto().set_ir_version(8);
    model.graph().set_name("test");
    model.proto().add_opset_import()->set_version(opset);
    auto* custom = model.proto().add_opset_import();
    custom->set_domain(kQonnx);
    custom->set_version(1);
    return model;
}

void add_input(Model& model, const std::string& name, const Shape& shape) {
    model.graph().add_input()->set_name(name);
    model.set_shape(name, shape);
}

void add_output(Model& model, const std::string& name) {
    model.graph().add_output()->set_name(name);
}

Tensor scalar(float v) {
    return Tensor::from_floats({}, {v});
}

// Quant(x, scale, 0, bits) writing `out`; parameters become initializers "<out>_scale", ...
Node add_quant(Model& model, const std::string& x, const std::string& out, const Tensor& scale,
               int bits, bool is_signed, bool narrow, const std::string& rounding = "ROUND") {
    model.set_initializer(out + "_scale", scale);
    model.set_initializer(out + "_zero", scalar(0));
    model.set_initializer(out + "_bits", scalar(static_cast<float>(bits)));
    Node q = model.add_node("Quant", {x, out + "_scale", out + "_zero", out + "_bits"}, {out},
                            "Quant_" + out, kQonnx);
    q.set_attr_int("signed", is_signed ? 1 : 0);
    q.set_attr_int("narrow", narrow ? 1 : 0);
    q.set_attr_string("rounding_mode", rounding);
    return q;
}

Node add_bipolar(Model& model, const std::string& x, const std::string& out, float scale = 1) {
    model.set_initializer(out + "_scale", scalar(scale));
    return model.add_node("BipolarQuant", {x, out + "_scale"}, {out}, "BipolarQuant_" + out,
                          kQonnx);
}

std::vector<std::string> op_types(Model& model) {
    std::vector<std::string> types;
    for (Node n : model.nodes())
        types.push_back(n.op_type());
    return types;
}

int count_op(Model& model, const std::string& op) {
    auto types = op_types(model);
    return static_cast<int>(std::count(types.begin(), types.end(), op));
}

Node only_node(Model& model, const std::string& op) {
    for (Node n : model.nodes())
        if (n.op_type() == op) return n;
    throw Error("no " + op + " node");
}

float model_scalar(const Model& model, const std::string& name) {
    return static_cast<float>(model.initializer(name).get(0));
}

// Values on the grid k * step for integer k in [lo, hi] (a quantizer's grid and beyond its clip
// range), seeded.
Tensor grid_input(const Shape& shape, double step, int lo, int hi, unsigned seed = 1) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> k(lo, hi);
    Tensor t(ElementType::Float32, shape);
    for (std::int64_t i = 0; i < t.size(); ++i)
        t.set(i, k(rng) * step);
    return t;
}

Tensor uniform_input(const Shape& shape, double lo, double hi, unsigned seed = 1) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    Tensor t(ElementType::Float32, shape);
    for (std::int64_t i = 0; i < t.size(); ++i)
        t.set(i, u(rng));
    return t;
}

Tensor run_model(const Model& model, const Tensor& input) {
    Executor executor(model);
    TensorMap outputs = executor.run({{model.input_names().at(0), input}});
    return outputs.at(model.output_names().at(0));
}

void expect_close(const Tensor& expected, const Tensor& produced, double tolerance = 1e-5) {
    Comparison c = compare_tensors(expected, produced, tolerance, tolerance);
    EXPECT_TRUE(c.equal) << c.summary;
}

// Applies `t` and checks the output on `input` is unchanged and the model still checks.
void expect_same_function(Model& model, Transformation& t, const Tensor& input,
                          double tolerance = 1e-5) {
    model.infer_shapes();
    const Tensor before = run_model(model, input);
    EXPECT_TRUE(t.run(model));
    EXPECT_NO_THROW(model.check());
    expect_close(before, run_model(model, input), tolerance);
}

// --- registry -----------------------------------------------------------------------------------

TEST(QonnxToFinn, EveryTransformationIsRegisteredByItsFinnName) {
    const TransformationRegistry& registry = transformation_registry();
    for (const char* name : {"CleanupModel", "FoldTransposeIntoQuantInit", "ExtractBiasFromConv",
                             "GemmToMatMul", "FoldQuantWeights", "ConvertQuantActToMultiThreshold",
                             "AvgPoolAndTruncToQuantAvgPool", "ConvertQONNXtoFINN"}) {
        ASSERT_TRUE(registry.contains(name)) << name;
        EXPECT_EQ(registry.create(name)->name(), name);
    }
}

// --- FoldTransposeIntoQuantInit -----------------------------------------------------------------

// x (1, 3) @ Transpose(Quant(W (4, 3), scale (4, 1))).
Model transposed_weight_model() {
    Model model = empty_model();
    add_input(model, "x", {1, 3});
    add_output(model, "y");
    model.set_initializer("W", Tensor::from_floats({4, 3}, {0.3f, -1.2f, 0.9f, 2.1f, -0.4f, 0.0f,
                                                            1.7f, 0.2f, -2.5f, 0.6f, 1.1f, -0.8f}));
    add_quant(model, "W", "Wq", Tensor::from_floats({4, 1}, {0.5f, 0.25f, 1.0f, 0.125f}), 4, true,
              false);
    model.add_node("Transpose", {"Wq"}, {"Wt"}, "Transpose_0").set_attr_ints("perm", {1, 0});
    model.add_node("MatMul", {"x", "Wt"}, {"y"}, "MatMul_0");
    return model;
}

TEST(FoldTransposeIntoQuantInit, TransposesTheQuantizerParameters) {
    Model model = transposed_weight_model();
    FoldTransposeIntoQuantInit t;
    expect_same_function(model, t, uniform_input({1, 3}, -2, 2));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"Quant", "MatMul"}));
    Node q = only_node(model, "Quant");
    EXPECT_EQ(q.output(0), "Wt");
    EXPECT_EQ(model.initializer(q.input(0)).shape(), (Shape{3, 4}));
    EXPECT_EQ(model.initializer(q.input(1)).shape(), (Shape{1, 4}));
    EXPECT_EQ(model.initializer(q.input(2)).shape(), Shape{}); // scalars stay
    EXPECT_FALSE(model.shape("Wq").has_value());
    EXPECT_FALSE(t.run(model));
}

TEST(FoldTransposeIntoQuantInit, LeavesAQuantizerThatFeedsOthersToo) {
    Model model = transposed_weight_model();
    add_output(model, "Wq");
    EXPECT_FALSE(FoldTransposeIntoQuantInit().run(model));
    EXPECT_EQ(count_op(model, "Transpose"), 1);
}

// --- ExtractBiasFromConv ------------------------------------------------------------------------

Model conv_model(bool quantized_bias) {
    Model model = empty_model();
    add_input(model, "x", {1, 2, 5, 5});
    add_output(model, "y");
    model.set_initializer("W", uniform_input({3, 2, 3, 3}, -1, 1, 7));
    model.set_initializer("b", Tensor::from_floats({3}, {0.5f, -1.25f, 2.0f}));
    std::string bias = "b";
    if (quantized_bias) {
        add_quant(model, "b", "bq", scalar(0.25f), 8, true, false);
        bias = "bq";
    }
    Node conv = model.add_node("Conv", {"x", "W", bias}, {"y"}, "Conv_0");
    conv.set_attr_ints("kernel_shape", {3, 3});
    conv.set_attr_ints("pads", {1, 1, 1, 1});
    return model;
}

TEST(ExtractBiasFromConv, MovesAConstantBiasIntoAnAdd) {
    Model model = conv_model(false);
    ExtractBiasFromConv t;
    expect_same_function(model, t, uniform_input({1, 2, 5, 5}, -1, 1));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"Conv", "Add"}));
    Node conv = only_node(model, "Conv");
    EXPECT_EQ(conv.input_count(), 2);
    Node add = only_node(model, "Add");
    EXPECT_EQ(add.input(0), conv.output(0));
    EXPECT_EQ(add.output(0), "y");
    EXPECT_EQ(model.initializer(add.input(1)).shape(), (Shape{1, 3, 1, 1}));
    EXPECT_TRUE(add.name().empty()); // new nodes are unnamed, as in FINN
    EXPECT_FALSE(t.run(model));
}

TEST(ExtractBiasFromConv, ReshapesAQuantizedBiasWithItsQuantizer) {
    Model model = conv_model(true);
    ExtractBiasFromConv t;
    expect_same_function(model, t, uniform_input({1, 2, 5, 5}, -1, 1));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"Quant", "Conv", "Add"}));
    Node q = only_node(model, "Quant");
    EXPECT_EQ(model.initializer(q.input(0)).shape(), (Shape{1, 3, 1, 1}));
    EXPECT_EQ(model.initializer(q.input(1)).shape(), Shape{});
    EXPECT_EQ(model.shape("bq"), (Shape{1, 3, 1, 1}));
}

TEST(ExtractBiasFromConv, WarnsAboutADynamicBias) {
    Model model = empty_model();
    add_input(model, "x", {1, 1, 3, 3});
    add_input(model, "b", {1});
    add_output(model, "y");
    model.set_initializer("W", uniform_input({1, 1, 1, 1}, -1, 1));
    model.add_node("Conv", {"x", "W", "b"}, {"y"}, "Conv_0");
    model.infer_shapes();
    std::vector<std::string> warnings;
    ExtractBiasFromConv t([&](const std::string& w) { warnings.push_back(w); });
    EXPECT_FALSE(t.run(model));
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("Could not extract bias from node Conv_0"), std::string::npos);
}

// --- GemmToMatMul -------------------------------------------------------------------------------

TEST(GemmToMatMul, BecomesTransposeMatMulMulAndAdd) {
    Model model = empty_model(9);
    add_input(model, "a", {2, 3});
    add_output(model, "y");
    model.set_initializer("B", uniform_input({4, 3}, -1, 1, 3));
    model.set_initializer("C", Tensor::from_floats({4}, {1, 2, 3, 4}));
    Node gemm = model.add_node("Gemm", {"a", "B", "C"}, {"y"}, "Gemm_0");
    gemm.set_attr_int("transB", 1);
    gemm.set_attr_float("alpha", 0.5f);
    gemm.set_attr_float("beta", 2.0f);
    GemmToMatMul t;
    expect_same_function(model, t, uniform_input({2, 3}, -1, 1));
    EXPECT_EQ(op_types(model),
              (std::vector<std::string>{"Transpose", "MatMul", "Mul", "Mul", "Add"}));
    EXPECT_EQ(model.shape(only_node(model, "MatMul").output(0)), (Shape{2, 4}));
    EXPECT_FALSE(t.run(model));
}

TEST(GemmToMatMul, UnitAlphaAndBetaLeaveNoMul) {
    Model model = empty_model(11);
    add_input(model, "a", {3, 2});
    add_output(model, "y");
    model.set_initializer("B", uniform_input({3, 4}, -1, 1, 3));
    model.set_initializer("C", uniform_input({1, 4}, -1, 1, 4));
    model.add_node("Gemm", {"a", "B", "C"}, {"y"}, "Gemm_0").set_attr_int("transA", 1);
    GemmToMatMul t;
    expect_same_function(model, t, uniform_input({3, 2}, -1, 1));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"Transpose", "MatMul", "Add"}));
}

// --- FoldQuantWeights ---------------------------------------------------------------------------

// x (1, 3) @ Quant(W (3, 2), scale).
Model quant_matmul_model(const Tensor& scale, int bits = 4, bool is_signed = true) {
    Model model = empty_model();
    add_input(model, "x", {1, 3});
    add_output(model, "y");
    model.set_initializer("W", Tensor::from_floats({3, 2}, {0.3f, -1.2f, 0.9f, 2.1f, -0.4f, 0.f}));
    add_quant(model, "W", "Wq", scale, bits, is_signed, false);
    model.add_node("MatMul", {"x", "Wq"}, {"y"}, "MatMul_0");
    return model;
}

TEST(FoldQuantWeights, UnitScaleBecomesAnIntegerInitializer) {
    Model model = quant_matmul_model(scalar(1));
    FoldQuantWeights t;
    expect_same_function(model, t, uniform_input({1, 3}, -1, 1));
    EXPECT_EQ(op_types(model), std::vector<std::string>{"MatMul"});
    EXPECT_EQ(model.initializer("Wq").to_floats(), (std::vector<float>{0, -1, 1, 2, 0, 0}));
    EXPECT_EQ(model.datatype("Wq"), DataType::sint(4));
    EXPECT_EQ(model.initializer_names(), std::vector<std::string>{"Wq"});
    EXPECT_FALSE(t.run(model));
}

TEST(FoldQuantWeights, ScaleMovesBehindTheMatMul) {
    Model model = quant_matmul_model(Tensor::from_floats({1, 2}, {0.5f, 0.25f}));
    FoldQuantWeights t;
    expect_same_function(model, t, uniform_input({1, 3}, -1, 1));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"MatMul", "Mul"}));
    EXPECT_EQ(model.initializer("Wq").to_floats(), (std::vector<float>{1, -5, 2, 7, -1, 0}));
    EXPECT_EQ(model.datatype("Wq"), DataType::sint(4));
    Node mul = only_node(model, "Mul");
    EXPECT_EQ(mul.output(0), "y");
    EXPECT_EQ(model.initializer(mul.input(1)).shape(), (Shape{1, 2}));
}

TEST(FoldQuantWeights, ScalarScaleOfShapeOneBecomesAScalarMul) {
    Model model = quant_matmul_model(Tensor::from_floats({1}, {0.5f}), 3, false);
    FoldQuantWeights t;
    expect_same_function(model, t, uniform_input({1, 3}, -1, 1));
    EXPECT_EQ(model.datatype("Wq"), DataType::uint(3));
    EXPECT_EQ(model.initializer(only_node(model, "Mul").input(1)).shape(), Shape{});
}

TEST(FoldQuantWeights, AScaleAlongTheReducedAxisIsAnError) {
    Model model = quant_matmul_model(Tensor::from_floats({3, 1}, {0.5f, 0.25f, 1.f}));
    model.infer_shapes();
    EXPECT_THROW(FoldQuantWeights().run(model), Error);
}

TEST(FoldQuantWeights, PerOutputChannelConvScaleIsReshapedToTheChannelAxis) {
    Model model = empty_model();
    add_input(model, "x", {1, 2, 4, 4});
    add_output(model, "y");
    model.set_initializer("W", uniform_input({3, 2, 3, 3}, -1, 1, 5));
    add_quant(model, "W", "Wq", Tensor::from_floats({3, 1, 1, 1}, {0.125f, 0.25f, 0.5f}), 4, true,
              true);
    model.add_node("Conv", {"x", "Wq"}, {"y"}, "Conv_0").set_attr_ints("kernel_shape", {3, 3});
    FoldQuantWeights t;
    expect_same_function(model, t, uniform_input({1, 2, 4, 4}, -1, 1));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"Conv", "Mul"}));
    EXPECT_EQ(model.initializer(only_node(model, "Mul").input(1)).shape(), (Shape{1, 3, 1, 1}));
    EXPECT_EQ(model.datatype("Wq"), DataType::sint(4));
}

TEST(FoldQuantWeights, AddGetsTheOtherOperandDividedByTheScale) {
    Model model = empty_model();
    add_input(model, "x", {1, 3});
    add_output(model, "y");
    model.set_initializer("b", Tensor::from_floats({3}, {0.3f, -1.2f, 0.9f}));
    add_quant(model, "b", "bq", scalar(0.25f), 8, true, false);
    model.add_node("Add", {"bq", "x"}, {"y"}, "Add_0"); // the weight first: FINN would misfold
    FoldQuantWeights t;
    expect_same_function(model, t, uniform_input({1, 3}, -1, 1));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"Div", "Add", "Mul"}));
    EXPECT_EQ(model.initializer("bq").to_floats(), (std::vector<float>{1, -5, 4}));
    EXPECT_EQ(only_node(model, "Div").input(0), "x");
}

TEST(FoldQuantWeights, BipolarWeightsAreAnnotatedBipolar) {
    Model model = empty_model();
    add_input(model, "x", {1, 3});
    add_output(model, "y");
    model.set_initializer("W", Tensor::from_floats({3, 2}, {0.3f, -1.2f, 0.9f, 2.1f, -0.4f, 0.f}));
    add_bipolar(model, "W", "Wq", 0.5f);
    model.add_node("MatMul", {"x", "Wq"}, {"y"}, "MatMul_0");
    FoldQuantWeights t;
    expect_same_function(model, t, uniform_input({1, 3}, -1, 1));
    EXPECT_EQ(model.initializer("Wq").to_floats(), (std::vector<float>{1, -1, 1, 1, -1, 1}));
    EXPECT_EQ(model.datatype("Wq"), DataType::bipolar());
}

TEST(FoldQuantWeights, ErrorsAsFinnDoes) {
    // A non-unit scale in front of an op it cannot move behind.
    Model relu = empty_model();
    add_input(relu, "x", {1, 3});
    add_output(relu, "y");
    relu.set_initializer("W", Tensor::from_floats({3}, {1, 2, 3}));
    add_quant(relu, "W", "Wq", scalar(0.5f), 4, true, false);
    relu.add_node("Relu", {"Wq"}, {"r"}, "Relu_0");
    relu.add_node("Add", {"x", "r"}, {"y"}, "Add_0");
    EXPECT_THROW(FoldQuantWeights().run(relu), Error);
    // A quantized weight read by two nodes.
    Model fork = quant_matmul_model(scalar(1));
    fork.add_node("MatMul", {"x", "Wq"}, {"y2"}, "MatMul_1");
    add_output(fork, "y2");
    EXPECT_THROW(FoldQuantWeights().run(fork), Error);
    // A non-zero zero point.
    Model zero = quant_matmul_model(scalar(1));
    zero.set_initializer("Wq_zero", scalar(1));
    EXPECT_THROW(FoldQuantWeights().run(zero), Error);
}

// --- ConvertQuantActToMultiThreshold ------------------------------------------------------------

// x -> [Relu] -> Quant -> y on a (1, 3, 2, 2) input.
Model activation_model(bool relu, const Tensor& scale, int bits, bool is_signed, bool narrow,
                       const Shape& shape = {1, 3, 2, 2}, const std::string& rounding = "ROUND") {
    Model model = empty_model();
    add_input(model, "x", shape);
    add_output(model, "y");
    std::string x = "x";
    if (relu) {
        model.add_node("Relu", {"x"}, {"r"}, "Relu_0");
        x = "r";
    }
    add_quant(model, x, "y", scale, bits, is_signed, narrow, rounding);
    model.infer_shapes();
    return model;
}

Tensor thresholds_of(Model& model) {
    return model.initializer(only_node(model, "MultiThreshold").input(1));
}

TEST(ConvertQuantActToMultiThreshold, QuantReluHandlerAbsorbsTheRelu) {
    Model model = activation_model(true, scalar(0.5f), 4, false, false);
    ConvertQuantActToMultiThreshold t;
    expect_same_function(model, t, grid_input({1, 3, 2, 2}, 0.5, -20, 20));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"MultiThreshold", "Mul"}));
    Node mt = only_node(model, "MultiThreshold");
    EXPECT_EQ(mt.input(0), "x");
    EXPECT_EQ(mt.domain(), kQonnx);
    EXPECT_EQ(mt.attr_string("out_dtype"), "UINT4");
    Tensor thresholds = thresholds_of(model);
    ASSERT_EQ(thresholds.shape(), (Shape{3, 15}));
    EXPECT_FLOAT_EQ(thresholds.get(0), 0.25f);
    EXPECT_FLOAT_EQ(thresholds.get(14), 7.25f);
    EXPECT_EQ(only_node(model, "Mul").output(0), "y");
    EXPECT_EQ(model.initializer_names().size(), 2u); // thresholds and scale, nothing stale
    EXPECT_FALSE(t.run(model));
}

TEST(ConvertQuantActToMultiThreshold, QuantIdentityHandlerSignedThresholdsAndBias) {
    // 2-bit signed, not narrow, scale 1: thresholds -1.5, -0.5, 0.5 and bias -2 (no Mul).
    Model model = activation_model(false, scalar(1), 2, true, false);
    ConvertQuantActToMultiThreshold t;
    expect_same_function(model, t, grid_input({1, 3, 2, 2}, 1, -4, 4));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"MultiThreshold", "Add"}));
    EXPECT_EQ(thresholds_of(model).to_floats(),
              (std::vector<float>{-1.5f, -0.5f, 0.5f, -1.5f, -0.5f, 0.5f, -1.5f, -0.5f, 0.5f}));
    EXPECT_EQ(model.initializer(only_node(model, "Add").input(1)).to_floats(),
              std::vector<float>{-2});
    EXPECT_EQ(only_node(model, "MultiThreshold").attr_string("out_dtype"), "INT2");
}

TEST(ConvertQuantActToMultiThreshold, PerChannelNarrowSignedQuant) {
    const Tensor scale = Tensor::from_floats({1, 3, 1, 1}, {0.5f, 0.25f, 0.125f});
    Model model = activation_model(false, scale, 4, true, true);
    ConvertQuantActToMultiThreshold t;
    // 0.125 divides every channel's grid; +-10 steps of it cover each clip range.
    expect_same_function(model, t, grid_input({1, 3, 2, 2}, 0.125, -80, 80));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"MultiThreshold", "Add", "Mul"}));
    EXPECT_EQ(thresholds_of(model).shape(), (Shape{3, 14}));
    EXPECT_FLOAT_EQ(thresholds_of(model).get(0), -3.25f); // (-7 + 1/2) * 0.5
    EXPECT_EQ(model.initializer(only_node(model, "Mul").input(1)).shape(), (Shape{1, 3, 1, 1}));
    EXPECT_EQ(model.initializer(only_node(model, "Add").input(1)).to_floats(),
              std::vector<float>{-7});
}

TEST(ConvertQuantActToMultiThreshold, BipolarQuantBecomesASignThreshold) {
    Model model = empty_model();
    add_input(model, "x", {1, 4});
    add_output(model, "y");
    add_bipolar(model, "x", "y");
    model.infer_shapes();
    ConvertQuantActToMultiThreshold t;
    expect_same_function(model, t, grid_input({1, 4}, 0.5, -3, 3));
    EXPECT_EQ(op_types(model), std::vector<std::string>{"MultiThreshold"});
    Node mt = only_node(model, "MultiThreshold");
    EXPECT_EQ(mt.attr_string("out_dtype"), "BIPOLAR");
    EXPECT_EQ(mt.attr_float("out_scale"), 2.0f);
    EXPECT_EQ(mt.attr_float("out_bias"), -1.0f);
    EXPECT_EQ(thresholds_of(model).shape(), (Shape{1, 1}));
}

TEST(ConvertQuantActToMultiThreshold, OneBitSignedQuantTakesTheBipolarForm) {
    Model model = activation_model(false, scalar(1), 1, true, false, {1, 4});
    ConvertQuantActToMultiThreshold t;
    expect_same_function(model, t, grid_input({1, 4}, 0.5, -3, 3));
    EXPECT_EQ(op_types(model), std::vector<std::string>{"MultiThreshold"});
    EXPECT_EQ(only_node(model, "MultiThreshold").attr_string("out_dtype"), "BIPOLAR");
}

TEST(ConvertQuantActToMultiThreshold, UnsignedQuantWithoutReluConverts) {
    Model model = activation_model(false, scalar(0.25f), 3, false, false, {1, 5});
    ConvertQuantActToMultiThreshold t;
    expect_same_function(model, t, grid_input({1, 5}, 0.25, -4, 12));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"MultiThreshold", "Mul"}));
    EXPECT_EQ(only_node(model, "MultiThreshold").attr_string("out_dtype"), "UINT3");
}

TEST(ConvertQuantActToMultiThreshold, SignedQuantAfterReluKeepsTheRelu) {
    Model model = activation_model(true, scalar(0.5f), 4, true, false);
    ConvertQuantActToMultiThreshold t;
    expect_same_function(model, t, grid_input({1, 3, 2, 2}, 0.5, -20, 20));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"Relu", "MultiThreshold", "Add", "Mul"}));
}

TEST(ConvertQuantActToMultiThreshold, AReluReadByOthersStays) {
    Model model = activation_model(true, scalar(0.5f), 4, false, false);
    add_output(model, "r");
    model.infer_shapes();
    ConvertQuantActToMultiThreshold t;
    const Tensor input = grid_input({1, 3, 2, 2}, 0.5, -20, 20);
    const TensorMap before = Executor(model).run({{"x", input}});
    EXPECT_TRUE(t.run(model));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"Relu", "MultiThreshold", "Mul"}));
    const TensorMap after = Executor(model).run({{"x", input}});
    for (const char* out : {"y", "r"})
        expect_close(before.at(out), after.at(out));
}

TEST(ConvertQuantActToMultiThreshold, FloorRoundingPutsThresholdsOnTheGrid) {
    Model model = activation_model(false, scalar(0.5f), 3, true, false, {1, 3}, "FLOOR");
    ConvertQuantActToMultiThreshold t;
    expect_same_function(model, t, uniform_input({1, 3}, -3, 3));
    EXPECT_EQ(thresholds_of(model).get(0), -1.5f); // (-4 + 1) * 0.5
}

TEST(ConvertQuantActToMultiThreshold, WideQuantizersStayWithAWarning) {
    Model model = activation_model(false, scalar(0.5f), 16, true, false, {1, 3});
    std::vector<std::string> sink;
    ConvertQuantActToMultiThreshold t(default_quant_act_filter(8),
                                      [&](const std::string& w) { sink.push_back(w); });
    EXPECT_FALSE(t.run(model));
    EXPECT_EQ(op_types(model), std::vector<std::string>{"Quant"});
    ASSERT_EQ(t.warnings().size(), 1u);
    EXPECT_EQ(t.warnings()[0],
              "The Quant node with name: \"Quant_y\" was not converted to a MultiThreshold node, "
              "because its bit width of 16.0 is higher than the configured maximum bit width of "
              "8.");
    EXPECT_EQ(sink, t.warnings());

    ConvertQuantActToMultiThreshold wide(default_quant_act_filter(16));
    expect_same_function(model, wide, grid_input({1, 3}, 0.5, -70000, 70000));
    EXPECT_TRUE(wide.warnings().empty());
}

TEST(ConvertQuantActToMultiThreshold, ACustomFilterCanRefuse) {
    Model model = activation_model(false, scalar(1), 2, true, false);
    ConvertQuantActToMultiThreshold t([](Model&, const Node&, std::string&) { return false; });
    EXPECT_FALSE(t.run(model));
    ASSERT_EQ(t.warnings().size(), 1u);
    EXPECT_NE(t.warnings()[0].find("the filtering function returned False for this node."),
              std::string::npos);
}

TEST(ConvertQuantActToMultiThreshold, WeightQuantizersAreNotActivations) {
    Model model = quant_matmul_model(scalar(0.5f));
    model.infer_shapes();
    EXPECT_FALSE(ConvertQuantActToMultiThreshold().run(model));
}

// --- AvgPoolAndTruncToQuantAvgPool --------------------------------------------------------------

// Quant (UINT4, scale 0.5) -> AveragePool 2x2 -> Mul(4) -> Trunc(0.5, 0, 6 -> 4 bits, FLOOR).
Model avg_pool_model() {
    Model model = empty_model();
    add_input(model, "x", {1, 2, 4, 4});
    add_output(model, "y");
    add_quant(model, "x", "xq", scalar(0.5f), 4, false, false);
    Node pool = model.add_node("AveragePool", {"xq"}, {"p"}, "AveragePool_0");
    pool.set_attr_ints("kernel_shape", {2, 2});
    pool.set_attr_ints("strides", {2, 2});
    pool.set_attr_ints("pads", {0, 0, 0, 0});
    model.set_initializer("four", scalar(4));
    model.add_node("Mul", {"p", "four"}, {"m"}, "Mul_0");
    model.set_initializer("t_scale", scalar(0.5f));
    model.set_initializer("t_zero", scalar(0));
    model.set_initializer("t_in", scalar(6));
    model.set_initializer("t_out", scalar(4));
    model.add_node("Trunc", {"m", "t_scale", "t_zero", "t_in", "t_out"}, {"y"}, "Trunc_0", kQonnx)
        .set_attr_string("rounding_mode", "FLOOR");
    model.infer_shapes();
    return model;
}

TEST(AvgPoolAndTruncToQuantAvgPool, BecomesDivQuantAvgPoolMul) {
    Model model = avg_pool_model();
    AvgPoolAndTruncToQuantAvgPool t;
    expect_same_function(model, t, grid_input({1, 2, 4, 4}, 0.5, -2, 17));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"Quant", "Div", "QuantAvgPool2d", "Mul"}));
    Node qap = only_node(model, "QuantAvgPool2d");
    EXPECT_EQ(qap.attr_int("kernel"), 2);
    EXPECT_EQ(qap.attr_int("stride"), 2);
    EXPECT_EQ(qap.attr_int("ibits"), 4);
    EXPECT_EQ(qap.attr_int("obits"), 4);
    EXPECT_EQ(qap.attr_int("signed"), 0);
    EXPECT_EQ(qap.attr_string("data_layout"), "NCHW");
    EXPECT_EQ(model.datatype(qap.output(0)), DataType::uint(4));
    EXPECT_FALSE(t.run(model));
}

TEST(AvgPoolAndTruncToQuantAvgPool, AWrongMultiplierIsAnError) {
    Model model = avg_pool_model();
    model.set_initializer("four", scalar(3));
    EXPECT_THROW(AvgPoolAndTruncToQuantAvgPool().run(model), Error);
}

TEST(ConvertQONNXtoFINN, ConvertsTheAvgPoolPatternAfterTheActivation) {
    Model model = avg_pool_model();
    ConvertQONNXtoFINN t;
    expect_same_function(model, t, grid_input({1, 2, 4, 4}, 0.5, -2, 17));
    EXPECT_EQ(op_types(model),
              (std::vector<std::string>{"MultiThreshold", "Mul", "Div", "QuantAvgPool2d", "Mul"}));
}

// Quant (UINT4, scale 0.5) on (1, 2, k*n, k*n) -> AveragePool k x k -> Trunc as current Brevitas
// exports it: no Mul, the Trunc's scale that of the average (0.5 / k^2). `trunc_params` are its
// inputs after the data: (scale, zero point, in bits, out bits) for opset 1, (scale, zero point,
// in bits, out scale, out bits) for opset 2.
Model avg_pool_trunc_model(std::int64_t k, const std::vector<float>& trunc_params,
                           std::int64_t n = 2) {
    Model model = empty_model();
    add_input(model, "x", {1, 2, k * n, k * n});
    add_output(model, "y");
    add_quant(model, "x", "xq", scalar(0.5f), 4, false, false);
    Node pool = model.add_node("AveragePool", {"xq"}, {"p"}, "AveragePool_0");
    pool.set_attr_ints("kernel_shape", {k, k});
    pool.set_attr_ints("strides", {k, k});
    pool.set_attr_ints("pads", {0, 0, 0, 0});
    std::vector<std::string> inputs = {"p"};
    for (std::size_t i = 0; i < trunc_params.size(); ++i) {
        inputs.push_back("t" + std::to_string(i));
        model.set_initializer(inputs.back(), scalar(trunc_params[i]));
    }
    Node trunc = model.add_node("Trunc", inputs, {"y"}, "Trunc_0", kQonnx);
    trunc.set_attr_string("rounding_mode", "FLOOR");
    if (trunc_params.size() == 5) trunc.set_attr_int("signed", 0);
    model.infer_shapes();
    return model;
}

TEST(AvgPoolAndTruncToQuantAvgPool, CurrentBrevitasFormBecomesDivQuantAvgPoolMul) {
    // MobileNet-v1's final pool: the sum of four UINT4 values (6 bits) shifted right by 2.
    Model model = avg_pool_trunc_model(2, {0.125f, 0, 6, 0.5f, 4});
    AvgPoolAndTruncToQuantAvgPool t;
    expect_same_function(model, t, grid_input({1, 2, 4, 4}, 0.5, -2, 17));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"Quant", "Div", "QuantAvgPool2d", "Mul"}));
    // Div by the input grid (k^2 times the Trunc's scale), Mul by the Trunc's output scale.
    EXPECT_EQ(model_scalar(model, only_node(model, "Div").input(1)), 0.5f);
    EXPECT_EQ(model_scalar(model, only_node(model, "Mul").input(1)), 0.5f);
    Node qap = only_node(model, "QuantAvgPool2d");
    EXPECT_EQ(qap.attr_int("kernel"), 2);
    EXPECT_EQ(qap.attr_int("stride"), 2);
    EXPECT_EQ(qap.attr_int("ibits"), 4);
    EXPECT_EQ(qap.attr_int("obits"), 4);
    EXPECT_EQ(qap.attr_int("signed"), 0);
    EXPECT_EQ(model.datatype(qap.output(0)), DataType::uint(4));
    EXPECT_TRUE(t.warnings().empty());
    EXPECT_FALSE(t.run(model));
}

TEST(AvgPoolAndTruncToQuantAvgPool, CurrentFormWithoutShiftAndWithOpsetOneTrunc) {
    // ResNet's final pool: 4x4 sums of UINT4 values kept whole (8 -> 8 bits, no shift).
    Model whole = avg_pool_trunc_model(4, {0.5f / 16, 0, 8, 0.5f / 16, 8}, 1);
    AvgPoolAndTruncToQuantAvgPool t;
    expect_same_function(whole, t, grid_input({1, 2, 4, 4}, 0.5, -2, 17));
    EXPECT_EQ(only_node(whole, "QuantAvgPool2d").attr_int("obits"), 8);
    EXPECT_EQ(model_scalar(whole, only_node(whole, "Mul").input(1)), 0.5f / 16);
    // The 5-input Trunc keeps its input scale: floor(S / 4) * 0.125.
    Model opset1 = avg_pool_trunc_model(2, {0.125f, 0, 6, 4});
    expect_same_function(opset1, t, grid_input({1, 2, 4, 4}, 0.5, -2, 17));
    EXPECT_EQ(op_types(opset1),
              (std::vector<std::string>{"Quant", "Div", "QuantAvgPool2d", "Mul"}));
    EXPECT_EQ(model_scalar(opset1, only_node(opset1, "Mul").input(1)), 0.125f);
}

TEST(AvgPoolAndTruncToQuantAvgPool, CurrentFormStaysWhereTheTruncComputesSomethingElse) {
    auto expect_left_alone = [](Model model, const std::string& why) {
        const std::string before = model.serialize();
        AvgPoolAndTruncToQuantAvgPool t;
        EXPECT_FALSE(t.run(model)) << why;
        EXPECT_EQ(model.serialize(), before) << why;
        ASSERT_EQ(t.warnings().size(), 1u) << why;
        EXPECT_NE(t.warnings()[0].find("AveragePool_0 -> Trunc_0 stays"), std::string::npos)
            << t.warnings()[0];
    };
    // A signed 4-bit Trunc clamps sums of unsigned values above 7 * 4.
    Model clamping = avg_pool_trunc_model(2, {0.125f, 0, 6, 0.5f, 4});
    only_node(clamping, "Trunc").set_attr_int("signed", 1);
    expect_left_alone(clamping, "clamp");
    // Output scale twice the input's: the Trunc shifts by 1 bit, the pool would by 2.
    expect_left_alone(avg_pool_trunc_model(2, {0.125f, 0, 6, 0.25f, 4}), "shift");
    // Rounding to nearest is no right shift.
    Model rounding = avg_pool_trunc_model(2, {0.125f, 0, 6, 0.5f, 4});
    only_node(rounding, "Trunc").set_attr_string("rounding_mode", "ROUND");
    expect_left_alone(rounding, "rounding");
}

// --- CleanupModel and the step pipeline ---------------------------------------------------------

TEST(CleanupModel, MovesQuantizersIntoTheQonnxDomainAndNamesLikeQonnx) {
    Model model = transposed_weight_model();
    only_node(model, "Quant").set_domain("onnx.brevitas");
    CleanupModel t;
    expect_same_function(model, t, uniform_input({1, 3}, -2, 2));
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"Quant", "MatMul"}));
    Node q = only_node(model, "Quant");
    EXPECT_EQ(q.domain(), kQonnx);
    EXPECT_EQ(q.name(), "Quant_0");
    EXPECT_EQ(q.input(0), "Quant_0_param0");
    EXPECT_EQ(model.input_names(), std::vector<std::string>{"global_in"});
    EXPECT_EQ(model.output_names(), std::vector<std::string>{"global_out"});
}

TEST(QonnxToFinnStep, LeavesAModelWithoutQuantizersAlone) {
    Model model = empty_model();
    add_input(model, "x", {1, 3});
    add_output(model, "y");
    model.add_node("Relu", {"x"}, {"y"});
    const std::string before = model.serialize();
    EXPECT_FALSE(has_qonnx_quantizers(model));
    std::vector<std::string> trace;
    EXPECT_FALSE(qonnx_to_finn_step_pipeline().run(
        model, [&](const std::string& line) { trace.push_back(line); }));
    EXPECT_EQ(model.serialize(), before);
    EXPECT_EQ(trace,
              (std::vector<std::string>{"Applying CleanupModel", "Applying ConvertQONNXtoFINN"}));
}

TEST(QonnxToFinnStep, ConvertsModelsWhoseOnlyQuantizersAreBipolar) {
    // FINN's step looks for Quant, Trunc and "BinaryQuant" only and would pass tfc_w1a1 on as it
    // is.
    Model model = make_zoo_model("tfc_w1a1", 1);
    EXPECT_EQ(count_op(model, "Quant"), 0);
    EXPECT_GT(count_op(model, "BipolarQuant"), 0);
    EXPECT_TRUE(has_qonnx_quantizers(model));
    EXPECT_TRUE(qonnx_to_finn_step_pipeline().run(model));
    EXPECT_EQ(count_op(model, "BipolarQuant"), 0);
}

TEST(QonnxToFinnStep, WarnsAboutWideActivationQuantizers) {
    Model model = activation_model(false, scalar(0.5f), 12, true, false, {1, 3});
    std::vector<std::string> warnings;
    const Tensor input = grid_input({1, 3}, 0.5, -3000, 3000);
    const Tensor before = run_model(model, input);
    qonnx_to_finn_step_pipeline(8, [&](const std::string& w) { warnings.push_back(w); }).run(model);
    EXPECT_EQ(op_types(model), std::vector<std::string>{"Quant"});
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("bit width of 12.0"), std::string::npos);
    expect_close(before, run_model(model, input));

    Model wide = activation_model(false, scalar(0.5f), 12, true, false, {1, 3});
    qonnx_to_finn_step_pipeline(12).run(wide);
    EXPECT_EQ(op_types(wide), (std::vector<std::string>{"MultiThreshold", "Add", "Mul"}));
    expect_close(before, run_model(wide, input));
}

// --- the zoo and real exports -------------------------------------------------------------------

bool is_weight_reader(const Node& node) {
    const std::string& op = node.op_type();
    return op == "MatMul" || op == "Conv" || op == "Gemm" || op == "ConvTranspose";
}

// What must hold after step_qonnx_to_finn on a model without deliberately filtered quantizers
// (and, with `quantized_weights`, whose weights all went through quantizers).
void expect_finn_onnx(Model& model, bool quantized_weights = true) {
    for (Node node : model.nodes()) {
        EXPECT_NE(node.op_type(), "Quant") << node.describe();
        EXPECT_NE(node.op_type(), "BipolarQuant") << node.describe();
        if (!quantized_weights || !is_weight_reader(node)) continue;
        const std::string& weight = node.input(1);
        if (model.has_initializer(weight)) {
            EXPECT_TRUE(model.datatype(weight).is_integer())
                << node.describe() << " weight " << weight << " is "
                << model.datatype(weight).name();
        }
    }
    EXPECT_NO_THROW(model.check());
}

TEST(QonnxToFinnStep, EveryZooModelConvertsAndKeepsItsOutput) {
    for (const auto& name : zoo_model_names()) {
        SCOPED_TRACE(name);
        Model model = make_zoo_model(name, 1);
        const Tensor input = make_zoo_input(model, 2);
        const Tensor expected = run_model(model, input);
        ASSERT_TRUE(has_qonnx_quantizers(model));
        std::vector<std::string> warnings;
        qonnx_to_finn_step_pipeline(8, [&](const std::string& w) {
            warnings.push_back(w);
        }).run(model);
        EXPECT_TRUE(warnings.empty());
        expect_finn_onnx(model);
        EXPECT_GT(count_op(model, "MultiThreshold"), 0);
        expect_close(expected, run_model(model, input));
    }
}

// A real QONNX file with one input, run on `input_pb` or a seeded input. Its output may differ
// from the original's by one output quantization step `step` at a few elements (at most
// `max_differing`): where a value sits on a rounding tie in float32, Quant rounds half to even and
// MultiThreshold (x >= threshold) rounds up, as in FINN.
void expect_real_export_converts(const std::filesystem::path& file, bool quantized_weights,
                                 const std::filesystem::path& input_pb = {}, double step = 0,
                                 std::int64_t max_differing = 0) {
    SCOPED_TRACE(file.string());
    Model model = Model::load(file);
    model.infer_shapes();
    const Tensor input = input_pb.empty() ? make_zoo_input(model, 3)
                                          : tensor_from_proto(read_tensor_proto(input_pb));
    const Tensor expected = run_model(model, input);
    std::vector<std::string> warnings;
    qonnx_to_finn_step_pipeline(8, [&](const std::string& w) { warnings.push_back(w); }).run(model);
    EXPECT_TRUE(warnings.empty()) << warnings.front();
    expect_finn_onnx(model, quantized_weights);
    const Tensor produced = run_model(model, input);
    const Comparison exact = compare_tensors(expected, produced, 1e-5, 1e-5);
    EXPECT_LE(exact.mismatches, max_differing) << exact.summary;
    const Comparison within_step = compare_tensors(expected, produced, step + 1e-5, 1e-5);
    EXPECT_TRUE(within_step.equal) << within_step.summary;
}

TEST(QonnxToFinnStep, RealExportsConvertAndKeepTheirOutput) {
    FINN_REQUIRE_SHARED(shared);
    const auto dir = shared / "models" / "qonnx";
    // Float Conv weights (no weight quantizer) and an unsigned identity activation (UINT4).
    expect_real_export_converts(dir / "eltwise_chanlast_testcase.onnx", false);
    // ESPCN super-resolution nets with 8-bit outputs (scale 1/255) on the reference image: 2 and
    // 17 of 196608 output values sit on a float32 rounding tie of the last quantizer.
    const auto image = dir / "espcn_subpixel" / "input_0.pb";
    expect_real_export_converts(dir / "espcn_nn_resize" / "quant_model.onnx", true, image,
                                1.0 / 255, 2);
    expect_real_export_converts(dir / "espcn_subpixel" / "quant_model.onnx", true, image, 1.0 / 255,
                                17);
}

} // namespace
} // namespace finn
