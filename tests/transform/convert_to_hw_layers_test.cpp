// The convert_to_hw inferences of residual and depthwise-separable networks (VVAU, AddStreams,
// DuplicateStreams, ChannelwiseOp, GlobalAccPool, Pool) on small hand-built models: the node each
// one makes, that the converted model computes what the original did, and the cases each leaves
// alone with a reason. Also the executor's StreamingDataflowPartition kernel on FINN's TFC parent.
#include "../test_support.h"
#include "finn/core/npy.h"
#include "finn/transform/convert_to_hw.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/streamline.h"
#include "hw_test_models.h"

#include <filesystem>

namespace finn {
namespace {

using namespace hw_test;

// With layout annotations, as streamlining leaves them.
void prepare_with_layouts(Model& model) {
    prepare(model);
    InferDataLayouts().run(model);
}

bool reason_has(const std::string& reason, const std::string& part) {
    return reason.find(part) != std::string::npos;
}

// --- InferVectorVectorActivation ----------------------------------------------------------------

// x (1, 4, 4, 2) UINT2 -> depthwise Im2Col 3x3 -> MatMul (block-diagonal (18, 2) weights with the
// dw sparsity annotation) [-> MultiThreshold].
Model depthwise_model(bool thresholds, double off_diagonal = 0,
                      const DataType& input_type = DataType::uint(2)) {
    Model model = empty_model();
    add_input(model, "x", {1, 4, 4, 2}, input_type);
    add_output(model, "y", {1, 2, 2, 2});
    Node im2col = model.add_node("Im2Col", {"x"}, {"cols"}, "Im2Col_0", kGeneral);
    im2col.set_attr_ints("kernel_size", {3, 3});
    im2col.set_attr_ints("stride", {1, 1});
    im2col.set_attr_ints("pad_amount", {0, 0, 0, 0});
    im2col.set_attr_string("input_shape", "(1,4,4,2)");
    im2col.set_attr_int("depthwise", 1);
    std::vector<double> w(18 * 2, 0.0);
    for (int k = 0; k < 9; ++k)
        for (int c = 0; c < 2; ++c)
            w[(k * 2 + c) * 2 + c] = (k * 3 + c) % 7 - 3;
    w[1] = off_diagonal; // row 0 (input channel 0) -> output channel 1
    add_param(model, "W", {18, 2}, w, DataType::sint(4));
    model.set_sparsity("W", "{'dw': {'kernel_shape': [3, 3]}}");
    if (thresholds) {
        model.add_node("MatMul", {"cols", "W"}, {"acc"}, "MatMul_0");
        add_param(model, "T", {2, 3}, {-6, 0, 6, -3, 2, 8});
        add_multithreshold(model, "acc", "T", "y", "UINT2").set_attr_string("data_layout", "NHWC");
    } else {
        model.add_node("MatMul", {"cols", "W"}, {"y"}, "MatMul_0");
    }
    prepare(model);
    return model;
}

TEST(InferVectorVectorActivation, DepthwiseMatMulAbsorbsThresholds) {
    Model model = depthwise_model(true);
    const Model before = model;
    EXPECT_TRUE(InferVectorVectorActivation().run(model));
    ASSERT_EQ(op_types(model), (Strings{"Im2Col", "VVAU"}));
    Node vvau = model.node(1);
    expect_hw_node(vvau, "VVAU");
    EXPECT_EQ(vvau.name(), "VVAU_MatMul_0");
    EXPECT_EQ(vvau.attr_int("PE"), 2);
    EXPECT_EQ(vvau.attr_int("Channels"), 2);
    EXPECT_EQ(vvau.attr_ints("Kernel"), (Ints{3, 3}));
    EXPECT_EQ(vvau.attr_ints("Dim"), (Ints{2, 2}));
    EXPECT_EQ(vvau.attr_int("noActivation"), 0);
    EXPECT_EQ(vvau.attr_string("outputDataType"), "UINT2");
    EXPECT_EQ(model.initializer(vvau.input(1)).shape(), (Shape{2, 1, 3, 3}));
    // W[0, 0, 0, 2] is matrix row (ky 0, kx 2, c 0) = 4, column 0.
    EXPECT_EQ(model.initializer(vvau.input(1)).to_doubles()[2], 3);
    expect_same_outputs(before, model, 16);
}

TEST(InferVectorVectorActivation, WithoutThresholdsOutputsTheAccumulator) {
    Model model = depthwise_model(false);
    const Model before = model;
    EXPECT_TRUE(InferVectorVectorActivation().run(model));
    Node vvau = model.node(1);
    EXPECT_EQ(vvau.attr_int("noActivation"), 1);
    EXPECT_EQ(vvau.input_count(), 2);
    expect_same_outputs(before, model, 16);
}

TEST(InferVectorVectorActivation, NonDepthwiseWeightsAndOtherSparsityAreRefused) {
    Model model = depthwise_model(true, 1);
    EXPECT_FALSE(InferVectorVectorActivation().run(model));
    EXPECT_PRED2(reason_has, InferVectorVectorActivation::unsupported_reason(model, model.node(1)),
                 "are not depthwise: output channel 1 reads input channel 0");
    // The MVAU inference leaves it too, and the check names the node and why.
    const std::string message = error_of([&] { convert_to_hw_step_pipeline(false).run(model); });
    EXPECT_NE(message.find("MatMul_0 (MatMul)"), std::string::npos) << message;
    EXPECT_NE(message.find("are not depthwise"), std::string::npos) << message;

    Model other = depthwise_model(true);
    other.set_sparsity("W", "{'blocks': 4}");
    EXPECT_NE(error_of([&] {
                  InferVectorVectorActivation().run(other);
              }).find("does not say that the MatMul belongs to a depthwise convolution"),
              std::string::npos);
}

TEST(InferVectorVectorActivation, SpecializesToRtlOnlyOnVersalWithoutThresholds) {
    auto specialized = [](bool thresholds, const std::string& part) {
        Model model = depthwise_model(thresholds, 0, DataType::uint(4));
        InferVectorVectorActivation().run(model);
        SpecializeLayers(part).run(model);
        return model.node(1).op_type();
    };
    EXPECT_EQ(specialized(false, "xcvc1902-vsva2197-2MP-e-S"), "VVAU_rtl");
    EXPECT_EQ(specialized(false, "xc7z020clg400-1"), "VVAU_hls");
    EXPECT_EQ(specialized(true, "xcvc1902-vsva2197-2MP-e-S"), "VVAU_hls");
}

// --- InferAddStreamsLayer, InferDuplicateStreamsLayer
// ---------------------------------------------

// x (1, 2, 2, 3) INT4 NCHW -> MT_a (INT3) -> Add(a, a2) where a2 = MT_b(x) (INT3) or, with
// `constant`, Add(a, const).
Model add_model(bool constant, const std::string& b_type = "INT3") {
    Model model = empty_model();
    add_input(model, "x", {1, 2, 2, 3}, DataType::sint(4));
    add_output(model, "y", {1, 2, 2, 3});
    add_param(model, "Ta", {1, 7}, {-6, -4, -2, 0, 2, 4, 6});
    add_param(model, "Tb", {1, 7}, {-7, -5, -3, -1, 1, 3, 5});
    add_multithreshold(model, "x", "Ta", "a", "INT3", 1, -4, "MultiThreshold_0");
    if (constant) {
        add_param(model, "c", {1}, {2});
        model.add_node("Add", {"a", "c"}, {"y"}, "Add_0");
    } else {
        add_multithreshold(model, "x", "Tb", "b", b_type, 1, -4, "MultiThreshold_1");
        model.add_node("Add", {"a", "b"}, {"y"}, "Add_0");
    }
    prepare_with_layouts(model);
    return model;
}

TEST(InferAddStreamsLayer, AddOfTwoIntegerStreamsBecomesAddStreams) {
    Model model = add_model(false);
    const Model before = model;
    EXPECT_TRUE(InferAddStreamsLayer().run(model));
    // NCHW operands: Transposes to NHWC and back, as FINN's nchw_to_nhwc.
    EXPECT_EQ(op_types(model), (Strings{"MultiThreshold", "MultiThreshold", "Transpose",
                                        "Transpose", "AddStreams", "Transpose"}));
    Node add = model.node(4);
    expect_hw_node(add, "AddStreams");
    EXPECT_EQ(add.attr_int("NumChannels"), 2);
    EXPECT_EQ(add.attr_ints("numInputVectors"), (Ints{1, 2, 3}));
    EXPECT_EQ(add.attr_string("inputDataType"), "INT3");
    EXPECT_EQ(model.datatype(add.output(0)), DataType::sint(4)); // 2 * INT3 min = -8
    expect_same_outputs(before, model, 16);
}

TEST(InferAddStreamsLayer, ConstantOperandOrDifferentTypesAreLeftAlone) {
    Model constant = add_model(true);
    EXPECT_FALSE(InferAddStreamsLayer().run(constant));
    Model mixed = add_model(false, "INT4");
    EXPECT_FALSE(InferAddStreamsLayer().run(mixed));
    EXPECT_PRED2(reason_has, InferAddStreamsLayer::unsupported_reason(mixed, mixed.node(2)),
                 "different datatypes (INT3 and INT4)");
}

// x (1, 4) UINT4 -> MT_0 -> t, read by MT_1 and MT_2 (two outputs).
Model fork_model(bool software_reader) {
    Model model = empty_model();
    add_input(model, "x", {1, 4}, DataType::uint(4));
    add_output(model, "y1", {1, 4});
    add_output(model, "y2", {1, 4});
    add_param(model, "T0", {1, 3}, {3, 7, 11});
    add_param(model, "T1", {1, 1}, {1});
    add_param(model, "T2", {1, 1}, {2});
    add_multithreshold(model, "x", "T0", "t", "UINT2", 1, 0, "MultiThreshold_0");
    add_multithreshold(model, "t", "T1", "y1", "BINARY", 1, 0, "MultiThreshold_1");
    if (software_reader) {
        add_param(model, "half", {}, {0.5});
        model.add_node("Mul", {"t", "half"}, {"y2"}, "Mul_0");
    } else {
        add_multithreshold(model, "t", "T2", "y2", "BINARY", 1, 0, "MultiThreshold_2");
    }
    prepare_with_layouts(model);
    return model;
}

TEST(InferDuplicateStreamsLayer, AForkBetweenHardwareLayersGetsDuplicateStreams) {
    Model model = fork_model(false);
    const Model before = model;
    InferThresholdingLayer().run(model);
    EXPECT_TRUE(InferDuplicateStreamsLayer().run(model));
    EXPECT_EQ(op_types(model),
              (Strings{"Thresholding", "DuplicateStreams", "Thresholding", "Thresholding"}));
    Node dup = model.node(1);
    expect_hw_node(dup, "DuplicateStreams");
    EXPECT_EQ(dup.attr_int("NumOutputStreams"), 2);
    EXPECT_EQ(dup.attr_ints("outFIFODepths"), (Ints{2, 2}));
    EXPECT_EQ(dup.attr_string("inputDataType"), "UINT2");
    EXPECT_EQ(model.node(2).input(0), dup.output(0));
    EXPECT_EQ(model.node(3).input(0), dup.output(1));
    EXPECT_FALSE(InferDuplicateStreamsLayer().run(model)); // each copy has one reader
    expect_same_outputs(before, model, 16);
}

TEST(InferDuplicateStreamsLayer, AForkReadBySoftwareIsLeftAlone) {
    Model model = fork_model(true);
    InferThresholdingLayer().run(model);
    EXPECT_FALSE(InferDuplicateStreamsLayer().run(model));
    EXPECT_PRED2(reason_has, InferDuplicateStreamsLayer::unsupported_reason(model, model.node(0)),
                 "which is not a hardware layer");
}

// --- InferChannelwiseLinearLayer
// ------------------------------------------------------------------

// x UINT4 of `shape` -> op(x, param).
Model linear_model(const std::string& op, const Shape& shape, const Shape& param_shape,
                   const std::vector<double>& param) {
    Model model = empty_model();
    add_input(model, "x", shape, DataType::uint(4));
    add_output(model, "y", shape);
    add_param(model, "p", param_shape, param);
    model.add_node(op, {"x", "p"}, {"y"}, op + "_0");
    prepare_with_layouts(model);
    return model;
}

TEST(InferChannelwiseLinearLayer, PerChannelAddAndScalarMulBecomeChannelwiseOps) {
    Model add = linear_model("Add", {1, 4}, {4}, {1, -2, 3, 0});
    const Model add_before = add;
    EXPECT_EQ(InferChannelwiseLinearLayer::unsupported_reason(add, add.node(0)), "");
    EXPECT_TRUE(InferChannelwiseLinearLayer().run(add));
    Node op = add.node(0);
    expect_hw_node(op, "ChannelwiseOp");
    EXPECT_EQ(op.attr_string("Func"), "add");
    EXPECT_EQ(op.attr_int("NumChannels"), 4);
    EXPECT_EQ(op.attr_string("paramDataType"), "INT3");
    EXPECT_EQ(op.attr_string("outputDataType"), "INT6"); // [0 - 2, 15 + 3]
    expect_same_outputs(add_before, add, 16);

    Model mul = linear_model("Mul", {1, 4}, {}, {3});
    const Model mul_before = mul;
    EXPECT_TRUE(InferChannelwiseLinearLayer().run(mul));
    EXPECT_EQ(mul.node(0).attr_string("Func"), "mul");
    EXPECT_EQ(mul.initializer(mul.node(0).input(1)).shape(), (Shape{4}));
    EXPECT_EQ(mul.node(0).attr_string("outputDataType"), "UINT6"); // 15 * 3 = 45
    expect_same_outputs(mul_before, mul, 16);
}

TEST(InferChannelwiseLinearLayer, NchwParametersAlongTheChannelsGetTransposes) {
    Model model = linear_model("Mul", {1, 2, 3, 3}, {1, 2, 1, 1}, {2, -1});
    const Model before = model;
    EXPECT_TRUE(InferChannelwiseLinearLayer().run(model));
    EXPECT_EQ(op_types(model), (Strings{"Transpose", "ChannelwiseOp", "Transpose"}));
    EXPECT_EQ(model.node(1).attr_int("NumChannels"), 2);
    expect_same_outputs(before, model, 16);
}

TEST(InferChannelwiseLinearLayer, FloatOrMisalignedConstantsAreLeftAlone) {
    Model scale = linear_model("Mul", {1, 4}, {}, {0.5});
    EXPECT_FALSE(InferChannelwiseLinearLayer().run(scale));
    EXPECT_PRED2(reason_has, InferChannelwiseLinearLayer::unsupported_reason(scale, scale.node(0)),
                 "holds 0.5, not a 32-bit integer");
    // (1, 3) against NCHW (1, 3, 3, 3) broadcasts along W, not along the channels.
    Model along_w = linear_model("Add", {1, 3, 3, 3}, {1, 3}, {1, 2, 3});
    EXPECT_FALSE(InferChannelwiseLinearLayer().run(along_w));
}

// --- InferGlobalAccPoolLayer
// ----------------------------------------------------------------------

TEST(InferGlobalAccPoolLayer, GlobalAveragePoolBecomesSumAndScale) {
    Model model = empty_model();
    add_input(model, "x", {1, 3, 2, 2}, DataType::sint(4));
    add_output(model, "y", {1, 3, 1, 1});
    model.add_node("GlobalAveragePool", {"x"}, {"y"}, "GlobalAveragePool_0");
    prepare_with_layouts(model);
    const Model before = model;
    EXPECT_TRUE(InferGlobalAccPoolLayer().run(model));
    EXPECT_EQ(op_types(model), (Strings{"Transpose", "GlobalAccPool", "Mul", "Transpose"}));
    Node pool = model.node(1);
    expect_hw_node(pool, "GlobalAccPool");
    EXPECT_EQ(pool.attr_int("NumChannels"), 3);
    EXPECT_EQ(pool.attr_ints("numInputVectors"), (Ints{1, 2, 2}));
    EXPECT_EQ(model.datatype(pool.output(0)), DataType::sint(6)); // 4 * -8
    EXPECT_EQ(model.initializer(model.node(2).input(1)).to_doubles(), (std::vector<double>{0.25}));
    expect_same_outputs(before, model, 16);

    // In the step pipeline the average's scale stays behind as output scaling.
    Model step = empty_model();
    add_input(step, "x", {1, 3, 2, 2}, DataType::sint(4));
    add_output(step, "y", {1, 3, 1, 1});
    step.add_node("GlobalAveragePool", {"x"}, {"y"}, "GlobalAveragePool_0");
    prepare_with_layouts(step);
    convert_to_hw_step_pipeline(false).run(step);
    EXPECT_EQ(op_types(step), (Strings{"Transpose", "GlobalAccPool", "Mul", "Transpose"}));

    Model float_input = empty_model();
    add_input(float_input, "x", {1, 3, 2, 2}, DataType::float32());
    add_output(float_input, "y", {1, 3, 1, 1});
    float_input.add_node("GlobalAveragePool", {"x"}, {"y"}, "GlobalAveragePool_0");
    prepare_with_layouts(float_input);
    EXPECT_FALSE(InferGlobalAccPoolLayer().run(float_input));
}

// --- InferPool ----------------------------------------------------------------------------------

Model pool_model(const DataType& type, const Ints& kernel, const Ints& strides, const Ints& pads) {
    Model model = empty_model();
    add_input(model, "x", {1, 2, 5, 5}, type);
    const std::int64_t out = (5 + pads[0] + pads[2] - kernel[0]) / strides[0] + 1;
    add_output(model, "y", {1, 2, out, out});
    Node pool = model.add_node("MaxPool", {"x"}, {"y"}, "MaxPool_0");
    pool.set_attr_ints("kernel_shape", kernel);
    pool.set_attr_ints("strides", strides);
    pool.set_attr_ints("pads", pads);
    prepare_with_layouts(model);
    return model;
}

TEST(InferPool, OverlappingMaxPoolBecomesIm2ColAndPool) {
    Model model = pool_model(DataType::uint(3), {3, 3}, {2, 2}, {1, 1, 1, 1});
    const Model before = model;
    EXPECT_TRUE(InferPool().run(model));
    EXPECT_EQ(op_types(model), (Strings{"Transpose", "Im2Col", "Pool", "Transpose"}));
    Node pool = model.node(2);
    expect_hw_node(pool, "Pool");
    EXPECT_EQ(pool.attr_string("Function"), "MaxPool");
    EXPECT_EQ(pool.attr_int("PE"), 2);
    EXPECT_EQ(pool.attr_ints("KernelSize"), (Ints{3, 3}));
    EXPECT_EQ(pool.attr_ints("OutImgDims"), (Ints{3, 3}));
    EXPECT_EQ(model.node(1).attr_int("depthwise"), 1);
    expect_same_outputs(before, model, 16);
    // The Im2Col then becomes FMPadding + a depthwise sliding window generator.
    EXPECT_TRUE(InferConvInpGen().run(model));
    EXPECT_EQ(op_types(model), (Strings{"Transpose", "FMPadding", "ConvolutionInputGenerator",
                                        "Pool", "Transpose"}));
    expect_same_outputs(before, model, 16);
}

TEST(InferPool, QuantAvgPoolKeepsItsShift) {
    Model model = empty_model();
    add_input(model, "x", {1, 4, 4, 2}, DataType::uint(4));
    add_output(model, "y", {1, 2, 2, 2});
    Node avg = model.add_node("QuantAvgPool2d", {"x"}, {"y"}, "QuantAvgPool2d_0", kGeneral);
    avg.set_attr_int("kernel", 2);
    avg.set_attr_int("stride", 2);
    avg.set_attr_int("ibits", 4);
    avg.set_attr_int("obits", 4);
    avg.set_attr_int("signed", 0);
    avg.set_attr_string("data_layout", "NHWC");
    prepare_with_layouts(model);
    const Model before = model;
    EXPECT_TRUE(InferPool().run(model));
    EXPECT_EQ(op_types(model), (Strings{"Im2Col", "Pool"}));
    EXPECT_EQ(model.node(1).attr_string("Function"), "QuantAvgPool");
    EXPECT_EQ(model.node(1).attr_int("Size"), 2); // bitlen(15 * 4) = 6, minus 4
    EXPECT_EQ(model.node(1).attr_int("AccumBits"), 6);
    expect_same_outputs(before, model, 16);
}

TEST(InferPool, StreamingMaxPoolCasesAndSignedPaddingAreLeftAlone) {
    Model signed_padded = pool_model(DataType::sint(3), {3, 3}, {2, 2}, {1, 1, 1, 1});
    EXPECT_FALSE(InferPool().run(signed_padded));
    EXPECT_PRED2(reason_has, InferPool::unsupported_reason(signed_padded, signed_padded.node(0)),
                 "FMPadding pads with 0");

    Model model = empty_model();
    add_input(model, "x", {1, 4, 4, 2}, DataType::uint(2));
    add_output(model, "y", {1, 2, 2, 2});
    Node pool = model.add_node("MaxPoolNHWC", {"x"}, {"y"}, "MaxPoolNHWC_0", kGeneral);
    pool.set_attr_ints("kernel_shape", {2, 2});
    pool.set_attr_ints("strides", {2, 2});
    pool.set_attr_ints("pads", {0, 0, 0, 0});
    prepare_with_layouts(model);
    EXPECT_FALSE(InferPool().run(model));
    EXPECT_PRED2(reason_has, InferPool::unsupported_reason(model, model.node(0)),
                 "StreamingMaxPool applies");
}

TEST(InferPool, StepPipelineTurnsAnOverlappingMaxPoolIntoASlidingWindowAndPool) {
    Model model = pool_model(DataType::uint(3), {3, 3}, {2, 2}, {1, 1, 1, 1});
    const Model before = model;
    convert_to_hw_step_pipeline(false).run(model);
    EXPECT_EQ(op_types(model), (Strings{"Transpose", "FMPadding", "ConvolutionInputGenerator",
                                        "Pool", "Transpose"}));
    EXPECT_EQ(model.node(2).attr_int("depthwise"), 1);
    expect_same_outputs(before, model, 16);
}

// --- InferConvInpGen: DownSampler --------------------------------------------------------------

// A residual block's shortcut: a 1x1 convolution at stride 2 (NCHW, UINT3 -> INT3 weights) and its
// activation, as a quantized network exports it.
Model strided_pointwise_conv() {
    Model model = empty_model();
    add_input(model, "x", {1, 4, 7, 7}, DataType::uint(3));
    add_output(model, "y", {1, 5, 4, 4});
    std::vector<double> w;
    for (int i = 0; i < 5 * 4; ++i)
        w.push_back((i * 5 + i / 3) % 7 - 3);
    add_param(model, "W", {5, 4, 1, 1}, w, DataType::sint(3));
    Node conv = model.add_node("Conv", {"x", "W"}, {"acc"}, "Conv_0");
    conv.set_attr_ints("kernel_shape", {1, 1});
    conv.set_attr_ints("strides", {2, 2});
    conv.set_attr_ints("pads", {0, 0, 0, 0});
    std::vector<double> t;
    for (int c = 0; c < 5; ++c)
        for (int s = 0; s < 3; ++s)
            t.push_back(-6 + 5 * s + c);
    add_param(model, "T", {5, 3}, t);
    add_multithreshold(model, "acc", "T", "y", "UINT2");
    prepare_with_layouts(model);
    return model;
}

TEST(InferConvInpGen, StridedPointwiseConvBecomesDownSamplerAndMvau) {
    Model model = strided_pointwise_conv();
    const Model before = model;
    streamline_step_pipeline().run(model);
    convert_to_hw_step_pipeline(false).run(model);
    EXPECT_EQ(op_types(model), (Strings{"Transpose", "DownSampler", "MVAU", "Transpose"}));
    Node ds = model.node(1), mvau = model.node(2);
    EXPECT_EQ(ds.attr_int("ImgDim"), 7);
    EXPECT_EQ(ds.attr_int("Stride"), 2);
    EXPECT_EQ(mvau.input(0), ds.output(0));
    EXPECT_EQ(mvau.attr_int("MW"), 4);
    EXPECT_EQ(mvau.attr_ints("numInputVectors"), (Ints{1, 4, 4}));
    // Streamlining renames the graph's tensors: feed each model its own input name.
    std::mt19937 rng(3);
    Executor original(before), converted(model);
    for (int sample = 0; sample < 16; ++sample) {
        const Tensor x = random_tensor({1, 4, 7, 7}, DataType::uint(3), rng);
        EXPECT_EQ(converted.run({{model.input_names().at(0), x}}).begin()->second.to_doubles(),
                  original.run({{"x", x}}).at("y").to_doubles())
            << "sample " << sample;
    }
}

// --- StreamingDataflowPartition kernel
// ------------------------------------------------------------

TEST(StreamingDataflowPartitionKernel, TfcParentRunsItsChildFromTheParentsFolder) {
    FINN_REQUIRE_SHARED(shared);
    const auto tfc = shared / "models/finn/tfc_w1a1";
    Model model = Model::load(tfc / "model.onnx");
    tidy_up_step_pipeline().run(model);
    streamline_step_pipeline().run(model);
    convert_to_hw_step_pipeline(false).run(model);
    DataflowPartition partition = create_dataflow_partition(model);

    testing::ScratchDir dir;
    std::filesystem::create_directories(dir / "models");
    std::filesystem::create_directories(
        (dir.path() / "models" / partition.child_path).parent_path());
    partition.parent.save(dir.path() / "models/dataflow_parent.onnx");
    partition.child.save(dir.path() / "models" / partition.child_path);
    const Model parent = Model::load(dir.path() / "models/dataflow_parent.onnx");

    const Tensor input = read_npy(tfc / "input.npy");
    const Tensor expected = read_npy(tfc / "expected_output.npy");
    const TensorMap out =
        Executor(parent, dir.path() / "models").run_batched({{"global_in", input}});
    EXPECT_EQ(out.at("global_out").to_doubles(), expected.to_doubles());

    // Resolved against the parent's folder, not the working directory.
    const std::string missing = error_of([&] {
        Executor(parent, dir.path()).run_batched({{"global_in", input}});
    });
    EXPECT_NE(missing.find("does not exist"), std::string::npos) << missing;
}

} // namespace
} // namespace finn
