// The streamlining transformations on small hand-built models: each rewrites the structure as
// FINN does, keeps the executor's outputs (exactly, on integer-valued data) and settles after one
// run. And the key case: FINN's TFC-w1a1 streamlined to Reshape, MultiThreshold, 4 x
// XnorPopcountMatMul with absorbed thresholds and TopK, still giving the expected labels.
#include "../test_support.h"
#include "finn/core/npy.h"
#include "finn/exec/executor.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/streamline.h"
#include "finn/transform/tidy_up.h"

#include <cmath>
#include <functional>
#include <gtest/gtest.h>
#include <random>

namespace finn {
namespace {

// --- building small models --------------------------------------------------------------------

Model empty_model() {
    Model model;
    model.proto().add_opset_import()->set_version(13);
    auto* qonnx = model.proto().add_opset_import();
    qonnx->set_domain(domains::kQonnxGeneral);
    qonnx->set_version(1);
    return model;
}

void add_input(Model& model, const std::string& name, const Shape& shape) {
    model.graph().add_input()->set_name(name);
    model.set_shape(name, shape);
}

void add_output(Model& model, const std::string& name, const Shape& shape,
                int elem_type = 1 /* float */) {
    model.graph().add_output()->set_name(name);
    model.set_shape(name, shape, elem_type);
}

Tensor floats(const Shape& shape, const std::vector<float>& values) {
    return Tensor::from_floats(shape, values);
}

std::string param(Model& model, const std::string& name, const Tensor& value,
                  std::optional<DataType> type = std::nullopt) {
    model.set_initializer(name, value);
    if (type) model.set_datatype(name, *type);
    return name;
}

Node multithreshold(Model& model, const std::string& in, const std::string& thresholds,
                    const std::string& out, const std::string& out_dtype, float scale = 1.0f,
                    float bias = 0.0f) {
    Node mt = model.add_node("MultiThreshold", {in, thresholds}, {out}, "MultiThreshold_" + out,
                             domains::kQonnxGeneral);
    mt.set_attr_string("out_dtype", out_dtype);
    mt.set_attr_float("out_scale", scale);
    mt.set_attr_float("out_bias", bias);
    return mt;
}

// Bipolar values, deterministic.
Tensor bipolar(const Shape& shape, unsigned seed) {
    std::mt19937 rng(seed);
    Tensor t(ElementType::Float32, shape);
    for (std::int64_t i = 0; i < t.size(); ++i)
        t.set(i, rng() % 2 ? 1.0 : -1.0);
    return t;
}

// Type, shape and values, printed on failure.
::testing::AssertionResult same_floats(const Tensor& actual, const Shape& shape,
                                       const std::vector<float>& values) {
    if (actual.type() == ElementType::Float32 && actual.shape() == shape &&
        actual.to_floats() == values)
        return ::testing::AssertionSuccess();
    auto result = ::testing::AssertionFailure();
    result << element_type_name(actual.type()) << " " << shape_to_string(actual.shape()) << " {";
    for (float v : actual.to_floats())
        result << " " << v;
    return result << " }";
}

std::vector<std::string> op_types(Model& model) {
    std::vector<std::string> types;
    for (Node n : model.nodes())
        types.push_back(n.op_type());
    return types;
}

Node only(Model& model, const std::string& op_type) {
    std::vector<Node> found;
    for (Node n : model.nodes())
        if (n.op_type() == op_type) found.push_back(n);
    EXPECT_EQ(found.size(), 1u) << op_type;
    return found.at(0);
}

// Random inputs: integers in [low, high] (exact arithmetic), or with `fraction` a float in between.
using InputMaker = std::function<Tensor(std::mt19937&)>;

InputMaker integers(const Shape& shape, int low, int high) {
    return [=](std::mt19937& rng) {
        std::uniform_int_distribution<int> dist(low, high);
        Tensor t(ElementType::Float32, shape);
        for (std::int64_t i = 0; i < t.size(); ++i)
            t.set(i, dist(rng));
        return t;
    };
}

InputMaker reals(const Shape& shape, float low, float high) {
    return [=](std::mt19937& rng) {
        std::uniform_real_distribution<float> dist(low, high);
        Tensor t(ElementType::Float32, shape);
        for (std::int64_t i = 0; i < t.size(); ++i)
            t.set(i, dist(rng));
        return t;
    };
}

void expect_close(const Tensor& expected, const Tensor& actual, double tolerance,
                  const std::string& what) {
    ASSERT_EQ(expected.shape(), actual.shape()) << what;
    const auto e = expected.to_doubles();
    const auto a = actual.to_doubles();
    for (std::size_t i = 0; i < e.size(); ++i) {
        if (tolerance == 0)
            ASSERT_EQ(e[i], a[i]) << what << " element " << i;
        else
            ASSERT_NEAR(e[i], a[i], tolerance) << what << " element " << i;
    }
}

// Runs `t` on a copy of `model` and checks: it reports a change, a second run reports none, the
// rewritten graph is sorted and runs, and its outputs equal the original's on random inputs for
// the first graph input (exactly unless a tolerance is given). Returns the rewritten model.
Model rewrite(const Model& model, Transformation&& t, const InputMaker& make_input,
              double tolerance = 0) {
    Model after = model;
    EXPECT_TRUE(t.run(after)) << t.name() << " reported no change";
    EXPECT_FALSE(t.run(after)) << t.name() << " changed the model again";
    EXPECT_TRUE(after.is_topologically_sorted());
    Executor original(model), rewritten(after);
    std::mt19937 rng(1234);
    for (int sample = 0; sample < 8; ++sample) {
        const Tensor x = make_input(rng);
        TensorMap expected = original.run({{model.input_names().front(), x}});
        TensorMap actual = rewritten.run({{after.input_names().front(), x}});
        for (const auto& [name, value] : expected) {
            EXPECT_TRUE(actual.count(name)) << "output " << name << " lost";
            if (actual.count(name)) expect_close(value, actual.at(name), tolerance, name);
        }
    }
    return after;
}

// `t` leaves the model alone.
void expect_no_match(const Model& model, Transformation&& t) {
    Model after = model;
    EXPECT_FALSE(t.run(after)) << t.name();
    EXPECT_EQ(after.serialize(), model.serialize()) << t.name();
}

// x -> op(x, c) -> y
Model one_linear(const std::string& op, const Shape& shape, const Tensor& c) {
    Model m = empty_model();
    add_input(m, "x", shape);
    add_output(m, "y", shape);
    param(m, "c", c);
    m.add_node(op, {"x", "c"}, {"y"}, op + "_0");
    return m;
}

// --- registry ---------------------------------------------------------------------------------

TEST(Streamline, EveryTransformationIsRegisteredByFinnsName) {
    const TransformationRegistry& registry = transformation_registry();
    for (const char* name : {"ConvertSubToAdd",
                             "ConvertDivToMul",
                             "BatchNormToAffine",
                             "ConvertSignToThres",
                             "MoveAddPastMul",
                             "MoveScalarMulPastMatMul",
                             "MoveScalarAddPastMatMul",
                             "MoveAddPastConv",
                             "MoveScalarMulPastConv",
                             "MoveMulPastDWConv",
                             "MoveMulPastMaxPool",
                             "MoveScalarLinearPastInvariants",
                             "CollapseRepeatedAdd",
                             "CollapseRepeatedMul",
                             "AbsorbSignBiasIntoMultiThreshold",
                             "AbsorbAddIntoMultiThreshold",
                             "AbsorbMulIntoMultiThreshold",
                             "FactorOutMulSignMagnitude",
                             "Absorb1BitMulIntoMatMul",
                             "Absorb1BitMulIntoConv",
                             "AbsorbScalarMulAddIntoTopK",
                             "RoundAndClipThresholds",
                             "ConvertBipolarMatMulToXnorPopcount",
                             "Streamline"}) {
        ASSERT_TRUE(registry.contains(name)) << name;
        EXPECT_EQ(registry.create(name)->name(), name);
    }
}

// --- ConvertSubToAdd / ConvertDivToMul --------------------------------------------------------

TEST(ConvertSubToAdd, NegatesTheConstant) {
    Model m = one_linear("Sub", {1, 3}, floats({3}, {1, -2, 0.5f}));
    Model after = rewrite(m, ConvertSubToAdd(), integers({1, 3}, -5, 5));
    EXPECT_EQ(op_types(after), std::vector<std::string>{"Add"});
    EXPECT_TRUE(same_floats(after.initializer("c"), {3}, {-1, 2, -0.5f}));
}

TEST(ConvertSubToAdd, LeavesSubtractionFromAConstantAlone) {
    Model m = empty_model();
    add_input(m, "x", {1, 3});
    add_output(m, "y", {1, 3});
    param(m, "c", floats({3}, {1, 2, 3}));
    m.add_node("Sub", {"c", "x"}, {"y"}, "Sub_0");
    expect_no_match(m, ConvertSubToAdd());
}

TEST(ConvertDivToMul, UsesTheReciprocal) {
    Model m = one_linear("Div", {1, 2}, floats({}, {4}));
    Model after = rewrite(m, ConvertDivToMul(), integers({1, 2}, -9, 9));
    EXPECT_EQ(op_types(after), std::vector<std::string>{"Mul"});
    EXPECT_TRUE(same_floats(after.initializer("c"), {}, {0.25f}));
}

TEST(ConvertDivToMul, LeavesIntegerDivisorsAlone) {
    // qonnx would store 1/4 as the integer 0.
    Model m = empty_model();
    add_input(m, "x", {2});
    add_output(m, "y", {2}, 7 /* int64 */);
    m.graph().mutable_input(0)->mutable_type()->mutable_tensor_type()->set_elem_type(7);
    param(m, "c", Tensor::from_int64s({}, {4}));
    m.add_node("Div", {"x", "c"}, {"y"}, "Div_0");
    expect_no_match(m, ConvertDivToMul());
}

// --- BatchNormToAffine ------------------------------------------------------------------------

void add_batchnorm_params(Model& m, int channels) {
    std::vector<float> scale, bias, mean, var;
    for (int c = 0; c < channels; ++c) {
        scale.push_back(0.5f + 0.25f * static_cast<float>(c) - (c == 1 ? 2.0f : 0.0f));
        bias.push_back(0.1f * static_cast<float>(c) - 0.3f);
        mean.push_back(0.7f - 0.2f * static_cast<float>(c));
        var.push_back(0.5f + static_cast<float>(c));
    }
    param(m, "scale", floats({channels}, scale));
    param(m, "bias", floats({channels}, bias));
    param(m, "mean", floats({channels}, mean));
    param(m, "var", floats({channels}, var));
}

TEST(BatchNormToAffine, BecomesPerChannelMulAndAdd) {
    Model m = empty_model();
    add_input(m, "x", {1, 3, 2, 2});
    add_output(m, "y", {1, 3, 2, 2});
    add_batchnorm_params(m, 3);
    m.add_node("BatchNormalization", {"x", "scale", "bias", "mean", "var"}, {"y"}, "BN_0")
        .set_attr_float("epsilon", 1e-3f);
    Model after = rewrite(m, BatchNormToAffine(), reals({1, 3, 2, 2}, -4, 4), 1e-5);
    EXPECT_EQ(op_types(after), (std::vector<std::string>{"Mul", "Add"}));
    Node mul = only(after, "Mul");
    Node add = only(after, "Add");
    EXPECT_EQ(after.initializer(mul.input(1)).shape(), (Shape{1, 3, 1, 1}));
    EXPECT_EQ(after.initializer(add.input(1)).shape(), (Shape{1, 3, 1, 1}));
    // A = scale / sqrt(var + eps), in float32.
    EXPECT_EQ(after.initializer(mul.input(1)).get(0),
              static_cast<double>(0.5f / std::sqrt(0.5f + 1e-3f)));
    EXPECT_EQ(add.output(0), "y");
    for (const char* gone : {"scale", "bias", "mean", "var"})
        EXPECT_FALSE(after.has_initializer(gone)) << gone;
}

TEST(BatchNormToAffine, SwallowsTheUnsqueezeAndSqueezeOfBatchNorm1d) {
    // TFC's export: (1, C) -> Unsqueeze -> (1, C, 1) -> BatchNormalization -> Squeeze -> (1, C).
    Model m = empty_model();
    add_input(m, "x", {1, 4});
    add_output(m, "y", {1, 4});
    add_batchnorm_params(m, 4);
    param(m, "axes", Tensor::from_int64s({1}, {2}));
    m.add_node("Unsqueeze", {"x", "axes"}, {"u"}, "Unsqueeze_0");
    m.add_node("BatchNormalization", {"u", "scale", "bias", "mean", "var"}, {"b"}, "BN_0");
    m.add_node("Squeeze", {"b", "axes"}, {"y"}, "Squeeze_0");
    m.set_shape("u", {1, 4, 1});
    m.set_shape("b", {1, 4, 1});
    Model after = rewrite(m, BatchNormToAffine(), reals({1, 4}, -4, 4), 1e-5);
    EXPECT_EQ(op_types(after), (std::vector<std::string>{"Mul", "Add"}));
    EXPECT_EQ(after.initializer(only(after, "Mul").input(1)).shape(), (Shape{1, 4}));
    EXPECT_EQ(only(after, "Mul").input(0), "x");
    EXPECT_FALSE(after.has_initializer("axes"));
}

// --- ConvertSignToThres -----------------------------------------------------------------------

TEST(ConvertSignToThres, BecomesABipolarMultiThreshold) {
    Model m = empty_model();
    add_input(m, "x", {2, 5});
    add_output(m, "y", {2, 5});
    m.add_node("Sign", {"x"}, {"y"}, "Sign_0");
    // Away from 0, where Sign gives 0 and the threshold +1.
    Model after = rewrite(m, ConvertSignToThres(), [](std::mt19937& rng) {
        Tensor t = integers({2, 5}, -3, 3)(rng);
        for (std::int64_t i = 0; i < t.size(); ++i)
            t.set(i, t.get(i) + 0.5);
        return t;
    });
    Node mt = only(after, "MultiThreshold");
    EXPECT_EQ(mt.domain(), domains::kQonnxGeneral);
    EXPECT_EQ(mt.attr_float("out_scale"), 2.0f);
    EXPECT_EQ(mt.attr_float("out_bias"), -1.0f);
    EXPECT_EQ(mt.attr_string("out_dtype"), "BIPOLAR");
    EXPECT_TRUE(same_floats(after.initializer(mt.input(1)), {1, 1}, {0}));
    EXPECT_EQ(after.datatype("y"), DataType::bipolar());
}

// --- reorder ----------------------------------------------------------------------------------

TEST(MoveAddPastMul, MultipliesTheShiftByTheScale) {
    Model m = empty_model();
    add_input(m, "x", {1, 3});
    add_output(m, "y", {1, 3});
    param(m, "b", floats({3}, {1, 2, 3}));
    param(m, "a", floats({1, 3}, {2, -1, 4}));
    m.add_node("Add", {"x", "b"}, {"t"}, "Add_0");
    m.add_node("Mul", {"a", "t"}, {"y"}, "Mul_0"); // constant first: accepted for Mul
    Model after = rewrite(m, MoveAddPastMul(), integers({1, 3}, -9, 9));
    EXPECT_EQ(op_types(after), (std::vector<std::string>{"Mul", "Add"}));
    Node add = only(after, "Add");
    EXPECT_TRUE(same_floats(after.initializer(add.input(1)), {1, 3}, {2, -2, 12}));
    EXPECT_EQ(add.output(0), "y");
    EXPECT_EQ(only(after, "Mul").input(0), "x");
}

// "ai.onnx" is the standard domain under its other name; streamlining matches it as "".
TEST(MoveAddPastMul, MatchesOpsOfTheAiOnnxDomain) {
    Model m = empty_model();
    add_input(m, "x", {1, 3});
    add_output(m, "y", {1, 3});
    param(m, "b", floats({3}, {1, 2, 3}));
    param(m, "a", floats({1, 3}, {2, -1, 4}));
    m.add_node("Add", {"x", "b"}, {"t"}, "Add_0", "ai.onnx");
    m.add_node("Mul", {"t", "a"}, {"y"}, "Mul_0", "ai.onnx");
    Model after = rewrite(m, MoveAddPastMul(), integers({1, 3}, -9, 9));
    EXPECT_EQ(op_types(after), (std::vector<std::string>{"Mul", "Add"}));
    EXPECT_EQ(only(after, "Add").output(0), "y");
}

TEST(MoveAddPastMul, LeavesAForkingAddAlone) {
    Model m = empty_model();
    add_input(m, "x", {1, 3});
    add_output(m, "y", {1, 3});
    add_output(m, "z", {1, 3});
    param(m, "b", floats({}, {1}));
    param(m, "a", floats({}, {2}));
    m.add_node("Add", {"x", "b"}, {"t"}, "Add_0");
    m.add_node("Mul", {"t", "a"}, {"y"}, "Mul_0");
    m.add_node("Relu", {"t"}, {"z"}, "Relu_0");
    expect_no_match(m, MoveAddPastMul());
}

Model linear_then_matmul(const std::string& op, const Tensor& c) {
    Model m = empty_model();
    add_input(m, "x", {1, 4});
    add_output(m, "y", {1, 3});
    param(m, "c", c);
    param(m, "W", floats({4, 3}, {1, -1, 2, 0, 3, 1, -2, 1, 1, 1, 0, -1}));
    m.add_node(op, {"x", "c"}, {"t"}, op + "_0");
    m.add_node("MatMul", {"t", "W"}, {"y"}, "MatMul_0");
    m.set_shape("t", {1, 4});
    return m;
}

TEST(MoveScalarMulPastMatMul, SwapsTheScalarBehind) {
    Model m = linear_then_matmul("Mul", floats({1}, {3}));
    Model after = rewrite(m, MoveScalarMulPastMatMul(), integers({1, 4}, -5, 5));
    EXPECT_EQ(op_types(after), (std::vector<std::string>{"MatMul", "Mul"}));
    EXPECT_EQ(only(after, "MatMul").input(0), "x");
    EXPECT_EQ(after.shape(only(after, "MatMul").output(0)), (Shape{1, 3}));
    expect_no_match(linear_then_matmul("Mul", floats({4}, {1, 2, 3, 4})),
                    MoveScalarMulPastMatMul());
}

TEST(MoveScalarAddPastMatMul, AddsTheColumnSumsBehind) {
    Model m = linear_then_matmul("Add", floats({}, {2}));
    Model after = rewrite(m, MoveScalarAddPastMatMul(), integers({1, 4}, -5, 5));
    EXPECT_EQ(op_types(after), (std::vector<std::string>{"MatMul", "Add"}));
    // 2 * column sums of W.
    EXPECT_TRUE(same_floats(after.initializer(only(after, "Add").input(1)), {3}, {0, 6, 6}));
}

Model linear_then_conv(const std::string& op, const Tensor& c, bool padded, bool bias = false) {
    Model m = empty_model();
    add_input(m, "x", {1, 2, 4, 4});
    const std::int64_t side = padded ? 4 : 3;
    add_output(m, "y", {1, 3, side, side});
    param(m, "c", c);
    std::vector<float> w;
    for (int i = 0; i < 3 * 2 * 2 * 2; ++i)
        w.push_back(static_cast<float>((i * 7) % 5 - 2));
    param(m, "W", floats({3, 2, 2, 2}, w));
    m.add_node(op, {"x", "c"}, {"t"}, op + "_0");
    std::vector<std::string> inputs = {"t", "W"};
    if (bias) inputs.push_back(param(m, "B", floats({3}, {1, -1, 2})));
    Node conv = m.add_node("Conv", inputs, {"y"}, "Conv_0");
    conv.set_attr_ints("kernel_shape", {2, 2});
    if (padded) conv.set_attr_ints("pads", {0, 0, 1, 1});
    m.set_shape("t", {1, 2, 4, 4});
    return m;
}

TEST(MoveAddPastConv, MovesAChannelwiseShiftThroughTheKernel) {
    Model m = linear_then_conv("Add", floats({1, 2, 1, 1}, {1, -2}), false, true);
    Model after = rewrite(m, MoveAddPastConv(), integers({1, 2, 4, 4}, -4, 4));
    EXPECT_EQ(op_types(after), (std::vector<std::string>{"Conv", "Add"}));
    EXPECT_EQ(after.initializer(only(after, "Add").input(1)).shape(), (Shape{1, 3, 1, 1}));
    EXPECT_EQ(after.shape(only(after, "Conv").output(0)), (Shape{1, 3, 3, 3}));
    // With padding the border sees zeros instead of the shift.
    expect_no_match(linear_then_conv("Add", floats({}, {1}), true), MoveAddPastConv());
}

TEST(MoveScalarMulPastConv, SwapsTheScalarBehind) {
    Model m = linear_then_conv("Mul", floats({}, {-3}), true);
    Model after = rewrite(m, MoveScalarMulPastConv(), integers({1, 2, 4, 4}, -4, 4));
    EXPECT_EQ(op_types(after), (std::vector<std::string>{"Conv", "Mul"}));
    // a * (Wx + b) != W(ax) + b.
    expect_no_match(linear_then_conv("Mul", floats({}, {-3}), false, true),
                    MoveScalarMulPastConv());
}

// x (1, C, 4, 4) -> Mul(c) -> Conv 3x3, padding 1, group `group`, weights (out, C/group, 3, 3).
Model mul_then_grouped_conv(const Tensor& c, std::int64_t channels, std::int64_t out,
                            std::int64_t group, bool bias = false) {
    Model m = empty_model();
    add_input(m, "x", {1, channels, 4, 4});
    add_output(m, "y", {1, out, 4, 4});
    param(m, "c", c);
    std::vector<float> w;
    const std::int64_t size = out * (channels / group) * 9;
    for (std::int64_t i = 0; i < size; ++i)
        w.push_back(static_cast<float>((i * 7) % 5 - 2));
    param(m, "W", floats({out, channels / group, 3, 3}, w));
    m.add_node("Mul", {"x", "c"}, {"t"}, "Mul_0");
    std::vector<std::string> inputs = {"t", "W"};
    if (bias) {
        std::vector<float> b(static_cast<std::size_t>(out), 1.0f);
        inputs.push_back(param(m, "B", floats({out}, b)));
    }
    Node conv = m.add_node("Conv", inputs, {"y"}, "Conv_0");
    conv.set_attr_ints("kernel_shape", {3, 3});
    conv.set_attr_ints("pads", {1, 1, 1, 1});
    conv.set_attr_int("group", group);
    m.set_shape("t", {1, channels, 4, 4});
    return m;
}

TEST(MoveMulPastDWConv, MovesPerChannelScalesBehindAPaddedDepthwiseConv) {
    Model m = mul_then_grouped_conv(floats({1, 3, 1, 1}, {0.5f, -2, 3}), 3, 3, 3);
    Model after = rewrite(m, MoveMulPastDWConv(), integers({1, 3, 4, 4}, -4, 4));
    EXPECT_EQ(op_types(after), (std::vector<std::string>{"Conv", "Mul"}));
    EXPECT_TRUE(
        same_floats(after.initializer(only(after, "Mul").input(1)), {1, 3, 1, 1}, {0.5f, -2, 3}));
    EXPECT_EQ(after.shape(only(after, "Conv").output(0)), (Shape{1, 3, 4, 4}));
}

TEST(MoveMulPastDWConv, RepeatsEachScaleForADepthMultiplier) {
    Model m = mul_then_grouped_conv(floats({3, 1, 1}, {2, 0.25f, -1}), 3, 6, 3);
    Model after = rewrite(m, MoveMulPastDWConv(), integers({1, 3, 4, 4}, -4, 4));
    EXPECT_TRUE(same_floats(after.initializer(only(after, "Mul").input(1)), {1, 6, 1, 1},
                            {2, 2, 0.25f, 0.25f, -1, -1}));
}

TEST(MoveMulPastDWConv, LeavesBiasesDenseConvsAndScalarsAlone) {
    const Tensor c = floats({1, 4, 1, 1}, {1, 2, 3, 4});
    // (x * c) conv + b != (x conv + b) * c.
    expect_no_match(mul_then_grouped_conv(c, 4, 4, 4, true), MoveMulPastDWConv());
    // Every output of a dense or grouped Conv mixes channels with different scales.
    expect_no_match(mul_then_grouped_conv(c, 4, 4, 1), MoveMulPastDWConv());
    expect_no_match(mul_then_grouped_conv(c, 4, 4, 2), MoveMulPastDWConv());
    // A scalar is MoveScalarMulPastConv's.
    expect_no_match(mul_then_grouped_conv(floats({}, {2}), 4, 4, 4), MoveMulPastDWConv());
}

Model mul_then_maxpool(const Tensor& c) {
    Model m = empty_model();
    add_input(m, "x", {1, 2, 4, 4});
    add_output(m, "y", {1, 2, 2, 2});
    param(m, "c", c);
    m.add_node("Mul", {"x", "c"}, {"t"}, "Mul_0");
    Node pool = m.add_node("MaxPool", {"t"}, {"y"}, "MaxPool_0");
    pool.set_attr_ints("kernel_shape", {2, 2});
    pool.set_attr_ints("strides", {2, 2});
    m.set_shape("t", {1, 2, 4, 4});
    return m;
}

TEST(MoveMulPastMaxPool, MovesNonNegativeScales) {
    Model after = rewrite(mul_then_maxpool(floats({1, 2, 1, 1}, {2, 0})), MoveMulPastMaxPool(),
                          integers({1, 2, 4, 4}, -9, 9));
    EXPECT_EQ(op_types(after), (std::vector<std::string>{"MaxPool", "Mul"}));
    EXPECT_EQ(after.shape(only(after, "MaxPool").output(0)), (Shape{1, 2, 2, 2}));
    expect_no_match(mul_then_maxpool(floats({1, 2, 1, 1}, {2, -1})), MoveMulPastMaxPool());
}

TEST(MoveScalarLinearPastInvariants, MovesAScalarPastReshape) {
    Model m = empty_model();
    add_input(m, "x", {1, 1, 2, 2});
    add_output(m, "y", {1, 4});
    param(m, "c", floats({1}, {0.5f}));
    param(m, "shape", Tensor::from_int64s({2}, {1, -1}));
    m.add_node("Div", {"x", "c"}, {"t"}, "Div_0");
    m.add_node("Reshape", {"t", "shape"}, {"y"}, "Reshape_0");
    m.set_shape("t", {1, 1, 2, 2});
    Model after = rewrite(m, MoveScalarLinearPastInvariants(), integers({1, 1, 2, 2}, -9, 9));
    EXPECT_EQ(op_types(after), (std::vector<std::string>{"Reshape", "Div"}));
    EXPECT_EQ(only(after, "Reshape").input(0), "x");
    EXPECT_EQ(after.shape(only(after, "Reshape").output(0)), (Shape{1, 4}));
    EXPECT_EQ(after.initializer("c").shape(), Shape{}); // made 0-d, as FINN does
}

TEST(MoveScalarLinearPastInvariants, LeavesAScaleOthersReadAlone) {
    Model m = empty_model();
    add_input(m, "x", {1, 4});
    add_output(m, "y", {4});
    add_output(m, "z", {1, 4});
    param(m, "c", floats({}, {2}));
    param(m, "shape", Tensor::from_int64s({1}, {-1}));
    m.add_node("Mul", {"x", "c"}, {"t"}, "Mul_0");
    m.add_node("Reshape", {"t", "shape"}, {"y"}, "Reshape_0");
    m.add_node("Relu", {"t"}, {"z"}, "Relu_0");
    expect_no_match(m, MoveScalarLinearPastInvariants());
}

// --- collapse_repeated ------------------------------------------------------------------------

TEST(CollapseRepeated, MergesConsecutiveAddsAndMuls) {
    for (const std::string op : {"Add", "Mul"}) {
        Model m = empty_model();
        add_input(m, "x", {1, 3});
        add_output(m, "y", {1, 3});
        param(m, "c0", floats({}, {2}));
        param(m, "c1", floats({1, 3}, {1, -3, 4}));
        m.add_node(op, {"x", "c0"}, {"t"}, op + "_0");
        m.add_node(op, {"t", "c1"}, {"y"}, op + "_1");
        Model after = op == "Add" ? rewrite(m, CollapseRepeatedAdd(), integers({1, 3}, -9, 9))
                                  : rewrite(m, CollapseRepeatedMul(), integers({1, 3}, -9, 9));
        EXPECT_EQ(op_types(after), std::vector<std::string>{op});
        Node node = only(after, op);
        EXPECT_TRUE(
            same_floats(after.initializer(node.input(1)), {1, 3},
                        op == "Add" ? std::vector<float>{3, -1, 6} : std::vector<float>{2, -6, 8}));
        EXPECT_EQ(after.datatype(node.input(1)), DataType::float32());
        EXPECT_FALSE(after.has_initializer("c1"));
        EXPECT_EQ(node.output(0), "y");
    }
}

// --- absorb into MultiThreshold ---------------------------------------------------------------

TEST(AbsorbSignBiasIntoMultiThreshold, TurnsTheAddIntoTheOutputBias) {
    Model m = empty_model();
    add_input(m, "x", {1, 4});
    add_output(m, "y", {1, 4});
    param(m, "T", floats({1, 3}, {-1, 0, 1}));
    param(m, "b", floats({}, {-2}));
    multithreshold(m, "x", "T", "t", "UINT2");
    m.add_node("Add", {"t", "b"}, {"y"}, "Add_0");
    Model after = rewrite(m, AbsorbSignBiasIntoMultiThreshold(), integers({1, 4}, -3, 3));
    EXPECT_EQ(op_types(after), std::vector<std::string>{"MultiThreshold"});
    Node mt = only(after, "MultiThreshold");
    EXPECT_EQ(mt.attr_float("out_bias"), -2.0f);
    EXPECT_EQ(mt.attr_string("out_dtype"), "INT2"); // UINT2 holds the 3 steps; signed: INT2
    EXPECT_EQ(mt.output(0), "y");
    EXPECT_EQ(after.datatype("y"), DataType::sint(2));
}

TEST(AbsorbSignBiasIntoMultiThreshold, SkipsABiasTheSignedTypeCannotHold) {
    Model m = empty_model();
    add_input(m, "x", {1, 4});
    add_output(m, "y", {1, 4});
    param(m, "T", floats({1, 3}, {-1, 0, 1}));
    param(m, "b", floats({}, {-5})); // -5 .. -2 is not INT2
    multithreshold(m, "x", "T", "t", "UINT2");
    m.add_node("Add", {"t", "b"}, {"y"}, "Add_0");
    expect_no_match(m, AbsorbSignBiasIntoMultiThreshold());
}

Model linear_then_thresholds(const std::string& op, const Tensor& c) {
    Model m = empty_model();
    add_input(m, "x", {1, 3});
    add_output(m, "y", {1, 3});
    param(m, "c", c);
    param(m, "T", floats({1, 2}, {-2, 4}));
    m.add_node(op, {"x", "c"}, {"t"}, op + "_0");
    multithreshold(m, "t", "T", "y", "UINT2");
    m.set_shape("t", {1, 3});
    return m;
}

TEST(AbsorbAddIntoMultiThreshold, ShiftsEachChannelsThresholds) {
    Model after = rewrite(linear_then_thresholds("Add", floats({1, 3}, {1, -2, 0.5f})),
                          AbsorbAddIntoMultiThreshold(), integers({1, 3}, -8, 8));
    EXPECT_EQ(op_types(after), std::vector<std::string>{"MultiThreshold"});
    Node mt = only(after, "MultiThreshold");
    EXPECT_EQ(mt.input(0), "x");
    EXPECT_TRUE(same_floats(after.initializer(mt.input(1)), {3, 2}, {-3, 3, 0, 6, -2.5f, 3.5f}));
    // Varying along another axis than the channels: not a threshold shift per channel.
    Model m = empty_model();
    add_input(m, "x", {3, 1});
    add_output(m, "y", {3, 1});
    param(m, "c", floats({3, 1}, {1, 2, 3}));
    param(m, "T", floats({1, 1}, {0}));
    m.add_node("Add", {"x", "c"}, {"t"}, "Add_0");
    multithreshold(m, "t", "T", "y", "BINARY");
    m.set_shape("t", {3, 1});
    expect_no_match(m, AbsorbAddIntoMultiThreshold());
}

TEST(AbsorbMulIntoMultiThreshold, DividesThresholdsByNonNegativeScales) {
    // A zero scale: 0 >= t holds exactly for t <= 0.
    Model after = rewrite(linear_then_thresholds("Mul", floats({1, 3}, {2, 0.5f, 0})),
                          AbsorbMulIntoMultiThreshold(), integers({1, 3}, -8, 8));
    Node mt = only(after, "MultiThreshold");
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_EQ(after.initializer(mt.input(1)).to_doubles(),
              (std::vector<double>{-1, 2, -4, 8, -inf, inf}));
    expect_no_match(linear_then_thresholds("Mul", floats({1, 3}, {2, -1, 1})),
                    AbsorbMulIntoMultiThreshold());
}

TEST(FactorOutMulSignMagnitude, SplitsSignsFromMagnitudes) {
    Model m = one_linear("Mul", {1, 3}, floats({1, 3}, {-2, 3, -0.5f}));
    Model after = rewrite(m, FactorOutMulSignMagnitude(), integers({1, 3}, -9, 9));
    EXPECT_EQ(op_types(after), (std::vector<std::string>{"Mul", "Mul"}));
    Node signs = after.node(0);
    Node magnitudes = after.node(1);
    EXPECT_EQ(signs.input(0), "x");
    EXPECT_TRUE(same_floats(after.initializer(signs.input(1)), {1, 3}, {-1, 1, -1}));
    EXPECT_EQ(after.datatype(signs.input(1)), DataType::bipolar());
    EXPECT_TRUE(same_floats(after.initializer(magnitudes.input(1)), {1, 3}, {2, 3, 0.5f}));
    EXPECT_EQ(magnitudes.output(0), "y");
}

Model matmul_then_mul(const Tensor& a, DataType a_type) {
    Model m = empty_model();
    add_input(m, "x", {2, 3});
    add_output(m, "y", {2, 4});
    param(m, "W", bipolar({3, 4}, 7), DataType::bipolar());
    param(m, "a", a, a_type);
    m.add_node("MatMul", {"x", "W"}, {"t"}, "MatMul_0");
    m.add_node("Mul", {"t", "a"}, {"y"}, "Mul_0");
    return m;
}

TEST(Absorb1BitMulIntoMatMul, FlipsWeightColumns) {
    const Tensor signs = floats({1, 4}, {1, -1, -1, 1});
    Model m = matmul_then_mul(signs, DataType::bipolar());
    const Tensor w = m.initializer("W");
    Model after = rewrite(m, Absorb1BitMulIntoMatMul(), integers({2, 3}, -5, 5));
    EXPECT_EQ(op_types(after), std::vector<std::string>{"MatMul"});
    const Tensor w_new = after.initializer(only(after, "MatMul").input(1));
    for (std::int64_t i = 0; i < w.size(); ++i)
        EXPECT_EQ(w_new.get(i), w.get(i) * signs.get(i % 4));
    EXPECT_EQ(only(after, "MatMul").output(0), "y");
    // Not a 1-bit constant; or a result the weights' type cannot hold (0 is not bipolar).
    expect_no_match(matmul_then_mul(signs, DataType::float32()), Absorb1BitMulIntoMatMul());
    expect_no_match(matmul_then_mul(floats({1, 4}, {1, 0, 1, 1}), DataType::binary()),
                    Absorb1BitMulIntoMatMul());
}

TEST(Absorb1BitMulIntoConv, FlipsOutputChannelKernels) {
    Model m = empty_model();
    add_input(m, "x", {1, 2, 3, 3});
    add_output(m, "y", {1, 3, 2, 2});
    param(m, "W", bipolar({3, 2, 2, 2}, 3), DataType::bipolar());
    param(m, "a", floats({1, 3, 1, 1}, {-1, 1, -1}), DataType::bipolar());
    m.add_node("Conv", {"x", "W"}, {"t"}, "Conv_0").set_attr_ints("kernel_shape", {2, 2});
    m.add_node("Mul", {"t", "a"}, {"y"}, "Mul_0");
    Model after = rewrite(m, Absorb1BitMulIntoConv(), integers({1, 2, 3, 3}, -5, 5));
    EXPECT_EQ(op_types(after), std::vector<std::string>{"Conv"});
}

// --- AbsorbScalarMulAddIntoTopK ---------------------------------------------------------------

Model scale_shift_topk(float scale) {
    Model m = empty_model();
    add_input(m, "x", {1, 5});
    add_output(m, "y", {1, 1}, 7 /* int64 */);
    param(m, "a", floats({1}, {scale}));
    param(m, "b", floats({}, {3}));
    param(m, "k", Tensor::from_int64s({1}, {1}));
    m.add_node("Mul", {"x", "a"}, {"s"}, "Mul_0");
    m.add_node("Add", {"s", "b"}, {"t"}, "Add_0");
    m.add_node("TopK", {"t", "k"}, {"values", "y"}, "TopK_0");
    return m;
}

TEST(AbsorbScalarMulAddIntoTopK, RemovesScaleAndShiftBeforeTheIndices) {
    Model after =
        rewrite(scale_shift_topk(2.5f), AbsorbScalarMulAddIntoTopK(), reals({1, 5}, -10, 10));
    EXPECT_EQ(op_types(after), std::vector<std::string>{"TopK"});
    EXPECT_EQ(only(after, "TopK").input(0), "x");
    // A negative scale reverses the order: only the Add goes.
    Model flipped = scale_shift_topk(-1.0f);
    EXPECT_TRUE(AbsorbScalarMulAddIntoTopK().run(flipped));
    EXPECT_EQ(op_types(flipped), (std::vector<std::string>{"Mul", "TopK"}));
}

// --- RoundAndClipThresholds -------------------------------------------------------------------

TEST(RoundAndClipThresholds, RoundsUpAndClipsToTheInputRange) {
    Model m = empty_model();
    add_input(m, "x", {1, 2});
    add_output(m, "y", {1, 2});
    m.set_datatype("x", DataType::uint(4));
    param(m, "T", floats({1, 4}, {-3.5f, 0.2f, 7.1f, 40}));
    multithreshold(m, "x", "T", "y", "UINT3");
    Model after = rewrite(m, RoundAndClipThresholds(), integers({1, 2}, 0, 15));
    EXPECT_TRUE(same_floats(after.initializer("T"), {1, 4}, {0, 1, 8, 16}));
    EXPECT_EQ(after.datatype("T"), DataType::uint(4));
    // Signed input: negative thresholds stay, clipped at min - 1.
    m.set_datatype("x", DataType::sint(4));
    after = rewrite(m, RoundAndClipThresholds(), integers({1, 2}, -8, 7));
    EXPECT_TRUE(same_floats(after.initializer("T"), {1, 4}, {-3, 1, 8, 8}));
    // A float input is left alone.
    m.clear_datatype("x");
    expect_no_match(m, RoundAndClipThresholds());
}

// --- ConvertBipolarMatMulToXnorPopcount -------------------------------------------------------

TEST(ConvertBipolarMatMulToXnorPopcount, ComputesTheDotProductFromBits) {
    Model m = empty_model();
    add_input(m, "x", {1, 6});
    add_output(m, "y", {1, 4});
    param(m, "T", floats({1, 1}, {0}));
    param(m, "W", bipolar({6, 4}, 11), DataType::bipolar());
    param(m, "shape", Tensor::from_int64s({2}, {1, 6}));
    multithreshold(m, "x", "T", "s", "BIPOLAR", 2.0f, -1.0f);
    m.add_node("Reshape", {"s", "shape"}, {"r"}, "Reshape_0");
    m.add_node("MatMul", {"r", "W"}, {"y"}, "MatMul_0");
    m.set_datatype("s", DataType::bipolar());
    m.set_datatype("r", DataType::bipolar());
    const Tensor w = m.initializer("W");
    Model after = rewrite(m, ConvertBipolarMatMulToXnorPopcount(), integers({1, 6}, -3, 3));
    EXPECT_EQ(op_types(after), (std::vector<std::string>{"MultiThreshold", "Reshape",
                                                         "XnorPopcountMatMul", "Mul", "Add"}));
    Node mt = only(after, "MultiThreshold");
    EXPECT_EQ(mt.attr_string("out_dtype"), "BINARY");
    EXPECT_EQ(mt.attr_float("out_scale"), 1.0f);
    EXPECT_EQ(mt.attr_float("out_bias"), 0.0f);
    Node xnor = only(after, "XnorPopcountMatMul");
    EXPECT_EQ(xnor.domain(), domains::kQonnxGeneral);
    EXPECT_EQ(after.datatype(xnor.input(0)), DataType::binary());
    EXPECT_EQ(after.datatype(xnor.input(1)), DataType::binary());
    EXPECT_EQ(after.datatype(xnor.output(0)), DataType::uint(32));
    const Tensor bits = after.initializer(xnor.input(1));
    for (std::int64_t i = 0; i < w.size(); ++i)
        EXPECT_EQ(bits.get(i), (w.get(i) + 1) / 2);
    EXPECT_TRUE(same_floats(after.initializer(only(after, "Mul").input(1)), {1}, {2}));
    EXPECT_TRUE(same_floats(after.initializer(only(after, "Add").input(1)), {1}, {-6}));
    EXPECT_EQ(only(after, "Add").output(0), "y");
}

TEST(ConvertBipolarMatMulToXnorPopcount, LeavesAForkingSignAlone) {
    // Another reader of the bipolar values would see bits.
    Model m = empty_model();
    add_input(m, "x", {1, 6});
    add_output(m, "y", {1, 4});
    add_output(m, "z", {1, 6});
    param(m, "T", floats({1, 1}, {0}));
    param(m, "W", bipolar({6, 4}, 11), DataType::bipolar());
    multithreshold(m, "x", "T", "s", "BIPOLAR", 2.0f, -1.0f);
    m.add_node("MatMul", {"s", "W"}, {"y"}, "MatMul_0");
    m.add_node("Relu", {"s"}, {"z"}, "Relu_0");
    m.set_datatype("s", DataType::bipolar());
    expect_no_match(m, ConvertBipolarMatMulToXnorPopcount());
}

// --- Streamline -------------------------------------------------------------------------------

// A small MLP the way FINN exports it: input scaling, bipolar sign, MatMul -> BatchNorm -> sign,
// MatMul -> affine -> TopK.
Model small_mlp() {
    Model m = empty_model();
    add_input(m, "x", {1, 1, 2, 4});
    add_output(m, "y", {1, 1}, 7 /* int64 */);
    m.set_datatype("x", DataType::uint(8));
    param(m, "div", floats({}, {255}));
    param(m, "shape", Tensor::from_int64s({2}, {1, -1}));
    param(m, "two", floats({}, {2}));
    param(m, "one", floats({1}, {1}));
    param(m, "T0", floats({1, 1}, {0}));
    param(m, "W0", bipolar({8, 6}, 5), DataType::bipolar());
    param(m, "unit", floats({}, {1}));
    param(m, "scale", floats({6}, {0.5f, -1.5f, 2, 1, -0.25f, 3}));
    param(m, "bias", floats({6}, {0.5f, 1, -2, 0.25f, 0, -1}));
    param(m, "mean", floats({6}, {1, -2, 0.5f, 0, 3, -1}));
    param(m, "var", floats({6}, {1, 2, 0.5f, 4, 1, 0.25f}));
    param(m, "axes", Tensor::from_int64s({1}, {2}));
    param(m, "T1", floats({1, 1}, {0}));
    param(m, "W1", bipolar({6, 3}, 9), DataType::bipolar());
    param(m, "out_scale", floats({1}, {0.75f}));
    param(m, "out_shift", floats({1}, {-0.5f}));
    param(m, "k", Tensor::from_int64s({1}, {1}));
    m.add_node("Div", {"x", "div"}, {"d"}, "Div_0");
    m.add_node("Reshape", {"d", "shape"}, {"r"}, "Reshape_0");
    m.add_node("Mul", {"r", "two"}, {"m0"}, "Mul_0");
    m.add_node("Sub", {"m0", "one"}, {"s0"}, "Sub_0");
    multithreshold(m, "s0", "T0", "a0", "BIPOLAR", 2.0f, -1.0f);
    m.add_node("MatMul", {"a0", "W0"}, {"h0"}, "MatMul_0");
    m.add_node("Mul", {"h0", "unit"}, {"h1"}, "Mul_1");
    m.add_node("Unsqueeze", {"h1", "axes"}, {"u"}, "Unsqueeze_0");
    m.add_node("BatchNormalization", {"u", "scale", "bias", "mean", "var"}, {"bn"}, "BN_0");
    m.add_node("Squeeze", {"bn", "axes"}, {"q"}, "Squeeze_0");
    multithreshold(m, "q", "T1", "a1", "BIPOLAR", 2.0f, -1.0f);
    m.add_node("MatMul", {"a1", "W1"}, {"h2"}, "MatMul_1");
    m.add_node("Mul", {"h2", "out_scale"}, {"h3"}, "Mul_2");
    m.add_node("Add", {"h3", "out_shift"}, {"h4"}, "Add_0");
    m.add_node("TopK", {"h4", "k"}, {"values", "y"}, "TopK_0");
    tidy_up_step_pipeline().run(m);
    return m;
}

TEST(Streamline, LeavesOnlyThresholdsBetweenBipolarMatMuls) {
    Model m = small_mlp();
    Model after = rewrite(m, Streamline(), integers({1, 1, 2, 4}, 0, 255));
    EXPECT_EQ(op_types(after),
              (std::vector<std::string>{"Reshape", "MultiThreshold", "MatMul", "MultiThreshold",
                                        "MatMul", "Mul", "Add", "TopK"}));
    // Integer thresholds on integer inputs, named as GiveUniqueNodeNames/GiveReadableTensorNames
    // name them.
    EXPECT_TRUE(same_floats(after.initializer("MultiThreshold_0_param0"), {1, 1}, {128}));
    EXPECT_EQ(after.datatype("MultiThreshold_0_param0"), DataType::uint(8));
    EXPECT_EQ(after.datatype("MultiThreshold_1_param0"), DataType::sint(32));
    for (double t : after.initializer("MultiThreshold_1_param0").to_doubles())
        EXPECT_EQ(t, std::ceil(t));
    EXPECT_EQ(after.datatype("MatMul_0_param0"), DataType::bipolar());
}

TEST(Streamline, TidiesUpOnceEvenWhenNoPassApplies) {
    // FINN tidies up after every pass; Finn skips that after a pass that changed nothing, but only
    // once the model has been tidied.
    Model m = empty_model();
    add_input(m, "x", {1, 4});
    m.add_node("Identity", {"x"}, {"a"}, "");
    m.add_node("Relu", {"a"}, {"b"}, "");
    add_output(m, "b", {1, 4});
    EXPECT_TRUE(Streamline().run(m));
    EXPECT_EQ(op_types(m), std::vector<std::string>{"Relu"});
    EXPECT_EQ(m.node(0).name(), "Relu_0");
    EXPECT_EQ(m.node(0).input(0), "global_in");
    EXPECT_EQ(m.node(0).output(0), "global_out");
    EXPECT_FALSE(Streamline().run(m)); // settled
}

TEST(StreamlineStepPipeline, TurnsBipolarMatMulsIntoXnorPopcounts) {
    Model m = small_mlp();
    Model after = m;
    EXPECT_TRUE(streamline_step_pipeline().run(after));
    EXPECT_EQ(op_types(after),
              (std::vector<std::string>{"Reshape", "MultiThreshold", "XnorPopcountMatMul",
                                        "MultiThreshold", "XnorPopcountMatMul", "TopK"}));
    Executor original(m), streamlined(after);
    std::mt19937 rng(99);
    for (int sample = 0; sample < 32; ++sample) {
        const Tensor x = integers({1, 1, 2, 4}, 0, 255)(rng);
        EXPECT_EQ(original.run({{"global_in", x}}).at("global_out"),
                  streamlined.run({{"global_in", x}}).at("global_out"));
    }
}

// --- FINN's TFC-w1a1 --------------------------------------------------------------------------

TEST(StreamlineStepPipeline, StreamlinesFinnsTfcToXnorPopcountsKeepingItsLabels) {
    FINN_REQUIRE_SHARED(shared);
    const auto dir = shared / "models" / "finn" / "tfc_w1a1";
    Model model = Model::load(dir / "model.onnx");
    tidy_up_step_pipeline().run(model);
    std::vector<std::string> trace;
    streamline_step_pipeline().run(model, [&](const std::string& line) { trace.push_back(line); });
    EXPECT_EQ(trace.front(), "Applying AbsorbSignBiasIntoMultiThreshold");
    EXPECT_EQ(trace.back(), "Applying RemoveUnusedTensors");

    // FINN's streamlined TFC: the input scaling folded into the first thresholds, each BatchNorm
    // and sign into the thresholds and weights, the output affine removed before TopK. (FINN's
    // end2end test then expects Reshape, 1 Thresholding, 4 MVAUs absorbing the hidden
    // MultiThresholds, and LabelSelect; test_convert_to_hw_layers_fc finds the first MVAU at
    // node 2.)
    EXPECT_EQ(op_types(model),
              (std::vector<std::string>{"Reshape", "MultiThreshold", "XnorPopcountMatMul",
                                        "MultiThreshold", "XnorPopcountMatMul", "MultiThreshold",
                                        "XnorPopcountMatMul", "MultiThreshold",
                                        "XnorPopcountMatMul", "TopK"}));
    // Input pixels >= 128 are 1: ceil(1 / (2/255)).
    EXPECT_TRUE(same_floats(model.initializer("MultiThreshold_0_param0"), {1, 1}, {128}));
    EXPECT_EQ(model.datatype("MultiThreshold_0_param0"), DataType::uint(8));
    for (Node node : model.nodes()) {
        if (node.op_type() == "MultiThreshold") {
            EXPECT_EQ(node.attr_string("out_dtype"), "BINARY") << node.name();
            EXPECT_EQ(model.datatype(node.output(0)), DataType::binary()) << node.name();
            for (double t : model.initializer(node.input(1)).to_doubles())
                EXPECT_EQ(t, std::ceil(t)) << node.name();
        }
        if (node.op_type() == "XnorPopcountMatMul") {
            EXPECT_EQ(model.datatype(node.input(1)), DataType::binary()) << node.name();
            EXPECT_EQ(model.datatype(node.output(0)), DataType::uint(32)) << node.name();
        }
    }
    // Hidden thresholds: one per output channel, within the popcount range [0, K + 1].
    for (const char* name : {"MultiThreshold_1", "MultiThreshold_2", "MultiThreshold_3"}) {
        Node mt = *model.node_by_name(name);
        const Tensor t = model.initializer(mt.input(1));
        EXPECT_EQ(t.shape(), (Shape{64, 1})) << name;
        EXPECT_EQ(model.datatype(mt.input(1)), DataType::uint(32)) << name;
    }
    EXPECT_EQ(model.datatype("global_in"), DataType::uint(8));
    EXPECT_EQ(model.layout("global_in"), (std::vector<std::string>{"N", "C", "H", "W"}));

    const Tensor input = read_npy(dir / "input.npy");
    const Tensor expected = read_npy(dir / "expected_output.npy");
    Executor executor(model);
    const TensorMap out = executor.run_batched({{model.input_names().front(), input}});
    EXPECT_EQ(out.at(model.output_names().front()).to_int64s(), expected.to_int64s());

    // Streamlined already: the pipeline finds nothing more to do.
    Model again = model;
    streamline_step_pipeline().run(again);
    EXPECT_EQ(again.serialize(), model.serialize());
}

} // namespace
} // namespace finn
