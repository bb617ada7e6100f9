// The Conv branch of step_streamline on small hand-built models (each rewrite keeps the
// executor's outputs exactly on integer data and leaves the expected structure), and FINN's
// cnv_w1a1 from the zoo streamlined without a Conv left and converted to hardware layers.
#include "finn/core/error.h"
#include "finn/exec/executor.h"
#include "finn/exec/verification.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/convert_to_hw.h"
#include "finn/transform/qonnx_to_finn.h"
#include "finn/transform/streamline.h"
#include "finn/transform/streamline_conv.h"
#include "finn/transform/tidy_up.h"
#include "finn/zoo/zoo.h"

#include <gtest/gtest.h>
#include <map>
#include <random>

namespace finn {
namespace {

Model empty_model() {
    Model model;
    model.proto().set_ir_version(8);
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

void add_output(Model& model, const std::string& name, const Shape& shape) {
    model.graph().add_output()->set_name(name);
    model.set_shape(name, shape);
}

// Small integers in [lo, hi], deterministic.
Tensor integers(const Shape& shape, int lo, int hi, unsigned seed) {
    std::mt19937 rng(seed);
    Tensor t(ElementType::Float32, shape);
    for (std::int64_t i = 0; i < t.size(); ++i)
        t.set(i, lo + static_cast<int>(rng() % static_cast<unsigned>(hi - lo + 1)));
    return t;
}

Tensor run(const Model& model, const Tensor& input) {
    Executor executor(model);
    return executor.run({{model.input_names().at(0), input}}).at(model.output_names().at(0));
}

std::vector<std::string> op_types(Model& model) {
    std::vector<std::string> ops;
    for (const Node& node : model.nodes())
        ops.push_back(node.op_type());
    return ops;
}

using Ops = std::vector<std::string>;

// Conv on (1, C, 5, 5) with the given weight shape and attributes.
Model conv_model(const Shape& w_shape, std::int64_t group, const std::vector<std::int64_t>& pads,
                 std::int64_t stride, bool bias) {
    Model model = empty_model();
    const std::int64_t c = group > 1 ? group : w_shape[1];
    add_input(model, "x", {1, c, 5, 5});
    model.set_datatype("x", DataType::parse("INT4"));
    model.set_initializer("W", integers(w_shape, -2, 2, 7));
    model.set_datatype("W", DataType::parse("INT3"));
    std::vector<std::string> inputs = {"x", "W"};
    if (bias) {
        model.set_initializer("b", integers({w_shape[0]}, -3, 3, 9));
        inputs.push_back("b");
    }
    Node conv = model.add_node("Conv", inputs, {"y"}, "Conv_0");
    conv.set_attr_ints("kernel_shape", {w_shape[2], w_shape[3]});
    conv.set_attr_ints("pads", pads);
    conv.set_attr_ints("strides", {stride, stride});
    conv.set_attr_int("group", group);
    const std::int64_t oh = (5 + pads[0] + pads[2] - w_shape[2]) / stride + 1;
    const std::int64_t ow = (5 + pads[1] + pads[3] - w_shape[3]) / stride + 1;
    add_output(model, "y", {1, w_shape[0], oh, ow});
    return model;
}

void expect_same_outputs(const Model& before, const Model& after, unsigned seed) {
    const Tensor input = integers(*before.shape("x"), -8, 7, seed);
    EXPECT_EQ(run(before, input), run(after, input));
}

TEST(LowerConvsToMatMul, PaddedStridedConvWithBias) {
    const Model original = conv_model({4, 3, 3, 3}, 1, {1, 0, 2, 1}, 2, true);
    Model model = original;
    EXPECT_TRUE(LowerConvsToMatMul().run(model));
    EXPECT_EQ(op_types(model), (Ops{"Transpose", "Im2Col", "MatMul", "Add", "Transpose"}));
    Node im2col = model.node(1);
    EXPECT_EQ(im2col.attr_string("input_shape"), "(1, 5, 5, 3)");
    EXPECT_EQ(im2col.attr_ints("pad_amount"), (std::vector<std::int64_t>{1, 0, 2, 1}));
    EXPECT_EQ(im2col.attr_ints("stride"), (std::vector<std::int64_t>{2, 2}));
    const std::string w = model.node(2).input(1);
    EXPECT_EQ(model.initializer(w).shape(), (Shape{27, 4}));
    EXPECT_EQ(model.datatype(w).name(), "INT3");
    EXPECT_FALSE(model.has_initializer("W"));
    expect_same_outputs(original, model, 1);
    EXPECT_FALSE(LowerConvsToMatMul().run(model));
}

TEST(LowerConvsToMatMul, PointwiseConvNeedsNoIm2Col) {
    const Model original = conv_model({6, 3, 1, 1}, 1, {0, 0, 0, 0}, 1, false);
    Model model = original;
    EXPECT_TRUE(LowerConvsToMatMul().run(model));
    EXPECT_EQ(op_types(model), (Ops{"Transpose", "MatMul", "Transpose"}));
    expect_same_outputs(original, model, 2);
}

TEST(LowerConvsToMatMul, DepthwiseConvGetsSparseMatrix) {
    const Model original = conv_model({3, 1, 3, 3}, 3, {1, 1, 1, 1}, 1, false);
    Model model = original;
    EXPECT_TRUE(LowerConvsToMatMul().run(model));
    EXPECT_EQ(op_types(model), (Ops{"Transpose", "Im2Col", "MatMul", "Transpose"}));
    EXPECT_EQ(model.node(1).attr_int("depthwise"), 1);
    const std::string w = model.node(2).input(1);
    EXPECT_EQ(model.initializer(w).shape(), (Shape{27, 3}));
    EXPECT_EQ(model.sparsity(w).value_or(""), "{'dw': {'kernel_shape': [3, 3]}}");
    expect_same_outputs(original, model, 3);
}

TEST(LowerConvsToMatMul, RefusesGroupedConv) {
    Model model = conv_model({4, 2, 3, 3}, 2, {0, 0, 0, 0}, 1, false);
    // 4 input channels in 2 groups: neither plain nor depthwise.
    model.set_shape("x", {1, 4, 5, 5});
    try {
        LowerConvsToMatMul().run(model);
        FAIL() << "expected finn::Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("Conv_0"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("depthwise"), std::string::npos) << e.what();
    }
}

Node transpose(Model& model, const std::string& in, const std::string& out,
               const std::vector<std::int64_t>& perm) {
    Node t = model.add_node("Transpose", {in}, {out}, "Transpose_" + out);
    t.set_attr_ints("perm", perm);
    return t;
}

Node maxpool(Model& model, const std::string& in, const std::string& out) {
    Node pool = model.add_node("MaxPool", {in}, {out}, "MaxPool_" + out);
    pool.set_attr_ints("kernel_shape", {2, 2});
    pool.set_attr_ints("strides", {2, 2});
    return pool;
}

TEST(MakeMaxPoolNHWC, MaxPoolBeforeTransposeToNHWC) {
    Model original = empty_model();
    add_input(original, "x", {1, 3, 4, 4});
    maxpool(original, "x", "p");
    original.set_shape("p", {1, 3, 2, 2});
    transpose(original, "p", "y", {0, 2, 3, 1});
    add_output(original, "y", {1, 2, 2, 3});
    Model model = original;
    EXPECT_TRUE(MakeMaxPoolNHWC().run(model));
    EXPECT_EQ(op_types(model), (Ops{"Transpose", "MaxPoolNHWC"}));
    EXPECT_EQ(model.node(1).domain(), domains::kQonnxGeneral);
    EXPECT_EQ(*model.shape(model.node(0).output(0)), (Shape{1, 4, 4, 3}));
    expect_same_outputs(original, model, 4);
    EXPECT_FALSE(MakeMaxPoolNHWC().run(model));
}

TEST(MakeMaxPoolNHWC, MaxPoolAfterTransposeToNCHW) {
    Model original = empty_model();
    add_input(original, "x", {1, 4, 4, 3});
    transpose(original, "x", "t", {0, 3, 1, 2});
    original.set_shape("t", {1, 3, 4, 4});
    maxpool(original, "t", "y");
    add_output(original, "y", {1, 3, 2, 2});
    Model model = original;
    EXPECT_TRUE(MakeMaxPoolNHWC().run(model));
    EXPECT_EQ(op_types(model), (Ops{"MaxPoolNHWC", "Transpose"}));
    EXPECT_EQ(*model.shape(model.node(0).output(0)), (Shape{1, 2, 2, 3}));
    expect_same_outputs(original, model, 5);
}

// x (NHWC) -> Transpose to NCHW -> MultiThreshold -> `tail`.
Model transpose_threshold_model(const std::string& tail) {
    Model model = empty_model();
    add_input(model, "x", {1, 2, 2, 3});
    transpose(model, "x", "t", {0, 3, 1, 2});
    model.set_shape("t", {1, 3, 2, 2});
    model.set_initializer("T", Tensor::from_floats({3, 2}, {-1, 2, 0, 0, -3, 5}));
    Node mt = model.add_node("MultiThreshold", {"t", "T"}, {"m"}, "MultiThreshold_0",
                             domains::kQonnxGeneral);
    mt.set_attr_string("out_dtype", "UINT2");
    model.set_shape("m", {1, 3, 2, 2});
    if (tail == "Transpose") {
        transpose(model, "m", "y", {0, 2, 3, 1});
        add_output(model, "y", {1, 2, 2, 3});
    } else {
        model.set_initializer("shape", Tensor::from_int64s({2}, {1, -1}));
        model.add_node("Reshape", {"m", "shape"}, {"y"}, "Reshape_0");
        add_output(model, "y", {1, 12});
    }
    return model;
}

TEST(AbsorbTransposeIntoMultiThreshold, TransposesAroundCancel) {
    const Model original = transpose_threshold_model("Transpose");
    Model model = original;
    EXPECT_TRUE(AbsorbTransposeIntoMultiThreshold().run(model));
    EXPECT_EQ(op_types(model), (Ops{"MultiThreshold"}));
    EXPECT_EQ(model.node(0).attr_string("data_layout"), "NHWC");
    EXPECT_EQ(model.node(0).input(0), "x");
    EXPECT_EQ(model.node(0).output(0), "y");
    EXPECT_EQ(model.datatype("y").name(), "UINT2");
    expect_same_outputs(original, model, 6);
    EXPECT_FALSE(AbsorbTransposeIntoMultiThreshold().run(model));
}

TEST(AbsorbTransposeIntoMultiThreshold, TransposeMovesBehindBeforeFlatten) {
    const Model original = transpose_threshold_model("Reshape");
    Model model = original;
    EXPECT_TRUE(AbsorbTransposeIntoMultiThreshold().run(model));
    EXPECT_EQ(op_types(model), (Ops{"MultiThreshold", "Transpose", "Reshape"}));
    EXPECT_EQ(model.node(0).attr_string("data_layout"), "NHWC");
    EXPECT_EQ(*model.shape(model.node(0).output(0)), (Shape{1, 2, 2, 3}));
    expect_same_outputs(original, model, 7);
    EXPECT_FALSE(AbsorbTransposeIntoMultiThreshold().run(model));
}

// A depthwise-separable block's depthwise half as Brevitas' MobileNet-v1 has it: thresholds with
// a per-channel output scale (1, 2, 1, 1) -> depthwise Conv 3x3 (padding 1) -> per-channel weight
// scale -> thresholds. Scales are powers of two and thresholds off their grids: no ties.
Model depthwise_block_model() {
    Model model = empty_model();
    add_input(model, "x", {1, 2, 5, 5});
    model.set_initializer("T0", Tensor::from_floats({2, 3}, {-0.5f, 0, 0.5f, -0.25f, 0, 0.25f}));
    model.add_node("MultiThreshold", {"x", "T0"}, {"a"}, "MultiThreshold_0", domains::kQonnxGeneral)
        .set_attr_string("out_dtype", "UINT2");
    model.set_initializer("act_scale", Tensor::from_floats({1, 2, 1, 1}, {0.5f, 0.25f}));
    model.add_node("Mul", {"a", "act_scale"}, {"as"}, "Mul_0");
    model.set_initializer("W", integers({2, 1, 3, 3}, -3, 3, 11));
    model.set_datatype("W", DataType::parse("INT3"));
    Node conv = model.add_node("Conv", {"as", "W"}, {"c"}, "Conv_0");
    conv.set_attr_ints("kernel_shape", {3, 3});
    conv.set_attr_ints("pads", {1, 1, 1, 1});
    conv.set_attr_int("group", 2);
    model.set_initializer("w_scale", Tensor::from_floats({1, 2, 1, 1}, {0.25f, 2}));
    model.add_node("Mul", {"c", "w_scale"}, {"cs"}, "Mul_1");
    model.set_initializer("T1",
                          Tensor::from_floats({2, 3}, {-0.3f, 0.2f, 0.7f, -1.1f, 0.9f, 2.9f}));
    model
        .add_node("MultiThreshold", {"cs", "T1"}, {"y"}, "MultiThreshold_1", domains::kQonnxGeneral)
        .set_attr_string("out_dtype", "UINT2");
    add_output(model, "y", {1, 2, 5, 5});
    model.infer_shapes();
    return model;
}

// Beyond FINN's default step: the per-channel scale in front of the depthwise Conv moves behind
// it and is absorbed (FINN's MobileNet-v1 flow does this in a custom step), so the depthwise
// MatMul reads integers and becomes a VVAU.
TEST(StreamlineStepPipeline, AbsorbsPerChannelScalesInFrontOfDepthwiseConvs) {
    const Model original = depthwise_block_model();
    Model model = original;
    streamline_step_pipeline().run(model);
    for (const Node& node : model.nodes())
        EXPECT_NE(node.op_type(), "Mul") << node.describe();
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> u(-1, 1);
    for (int sample = 0; sample < 4; ++sample) {
        Tensor x(ElementType::Float32, {1, 2, 5, 5});
        for (std::int64_t i = 0; i < x.size(); ++i)
            x.set(i, u(rng));
        EXPECT_EQ(run(original, x), run(model, x)) << "sample " << sample;
    }
    convert_to_hw_step_pipeline(false).run(model);
    Ops hardware;
    for (const Node& node : model.nodes())
        if (node.domain().find("fpgadataflow") != std::string::npos)
            hardware.push_back(node.op_type());
    EXPECT_EQ(hardware, (Ops{"FMPadding", "ConvolutionInputGenerator", "VVAU"}));
}

// FINN's cnv_w1a1 through qonnx_to_finn, tidy_up, streamline and convert_to_hw.
TEST(StreamlineConv, CnvW1A1) {
    const Model original = make_zoo_model("cnv_w1a1", 0);
    const Tensor input = make_zoo_input(original, 0);
    const Tensor expected = run(original, input);

    Model model = original;
    qonnx_to_finn_step_pipeline().run(model);
    tidy_up_step_pipeline().run(model);
    streamline_step_pipeline().run(model);
    for (const Node& node : model.nodes())
        EXPECT_NE(node.op_type(), "Conv") << node.describe();
    const Tensor streamlined = run(model, input);
    const bool integer = model.datatype(model.output_names().at(0)).is_integer();
    const Comparison same = compare_tensors(expected, streamlined, integer ? 0.0 : 1e-5, 0.0);
    EXPECT_TRUE(same.equal) << same.summary;

    // Ends with CheckAllNodesConvertible, which throws if anything cannot be partitioned.
    convert_to_hw_step_pipeline(false).run(model);
    std::map<std::string, int> hardware;
    Ops software;
    for (const Node& node : model.nodes()) {
        if (node.domain().find("fpgadataflow") != std::string::npos)
            ++hardware[node.op_type()];
        else
            software.push_back(node.op_type());
    }
    // The input MultiThreshold's NCHW -> NHWC Transpose stays in front; the logits' scale and
    // shift stay behind.
    EXPECT_EQ(software, (Ops{"Transpose", "Mul", "Add"}));
    EXPECT_EQ(hardware, (std::map<std::string, int>{{"ConvolutionInputGenerator", 6},
                                                    {"MVAU", 9},
                                                    {"StreamingMaxPool", 2},
                                                    {"Thresholding", 1}}));
    const Comparison converted = compare_tensors(expected, run(model, input), 1e-5, 0.0);
    EXPECT_TRUE(converted.equal) << converted.summary;
}

} // namespace
} // namespace finn
