// The convert_to_hw transformations on small hand-built models: the hardware node each Infer*
// makes (op type, domain, FINN's attributes), that the converted model computes exactly what the
// original did on integer inputs, the cases left alone or rejected, and the pipeline on FINN's
// TFC after tidy-up and streamlining.
#include "../test_support.h"
#include "finn/core/error.h"
#include "finn/core/npy.h"
#include "finn/exec/executor.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/convert_to_hw.h"
#include "finn/transform/streamline.h"
#include "finn/transform/tidy_up.h"
#include "hw_test_models.h"

#include <algorithm>
#include <functional>
#include <gtest/gtest.h>
#include <random>

namespace finn {
namespace {

using namespace hw_test;

// --- registry ---------------------------------------------------------------------------------

TEST(ConvertToHw, EveryTransformationIsRegisteredByItsFinnName) {
    const TransformationRegistry& registry = transformation_registry();
    for (const char* name :
         {"InferBinaryMatrixVectorActivation", "InferQuantizedMatrixVectorActivation",
          "InferThresholdingLayer", "InferLabelSelectLayer", "InferConvInpGen",
          "InferStreamingMaxPool", "RemoveCNVtoFCFlatten", "AbsorbConsecutiveTransposes",
          "CheckAllNodesConvertible", "InferVectorVectorActivation", "InferAddStreamsLayer",
          "InferDuplicateStreamsLayer", "InferChannelwiseLinearLayer", "InferGlobalAccPoolLayer",
          "InferPool"}) {
        ASSERT_TRUE(registry.contains(name)) << name;
        EXPECT_EQ(registry.create(name)->name(), name);
    }
}

// --- InferBinaryMatrixVectorActivation ----------------------------------------------------------

// x (1, 8) BINARY -> XnorPopcountMatMul(W 8x4) -> p [-> MultiThreshold -> y].
Model xnor_model(bool with_thresholds) {
    Model model = empty_model();
    add_input(model, "x", {1, 8}, DataType::binary());
    std::vector<double> w;
    for (int i = 0; i < 32; ++i)
        w.push_back((i * 7 + i / 5) % 3 == 0 ? 1 : 0);
    add_param(model, "W", {8, 4}, w, DataType::binary());
    model.add_node("XnorPopcountMatMul", {"x", "W"}, {"p"}, "XnorPopcountMatMul_0", kGeneral);
    if (with_thresholds) {
        add_output(model, "y", {1, 4});
        add_param(model, "T", {4, 3}, {2, 4, 6, 3, 5, 7, 1, 4, 8, 4, 4, 5});
        add_multithreshold(model, "p", "T", "y", "UINT2");
    } else {
        add_output(model, "p", {1, 4});
    }
    prepare(model);
    return model;
}

TEST(InferBinaryMatrixVectorActivation, AbsorbsFollowingThresholds) {
    Model model = xnor_model(true);
    const Model before = model;
    EXPECT_TRUE(InferBinaryMatrixVectorActivation().run(model));
    ASSERT_EQ(op_types(model), (Strings{"MVAU"}));
    Node mvau = model.node(0);
    expect_hw_node(mvau, "MVAU");
    EXPECT_EQ(mvau.name(), "XnorPopcountMatMul_0"); // FINN keeps the name here
    EXPECT_EQ(mvau.inputs(), (Strings{"x", "W", "T"}));
    EXPECT_EQ(mvau.outputs(), (Strings{"y"}));
    EXPECT_EQ(mvau.attr_int("MW"), 8);
    EXPECT_EQ(mvau.attr_int("MH"), 4);
    EXPECT_EQ(mvau.attr_int("PE"), 1);
    EXPECT_EQ(mvau.attr_int("SIMD"), 1);
    EXPECT_EQ(mvau.attr_int("binaryXnorMode"), 1);
    EXPECT_EQ(mvau.attr_int("noActivation"), 0);
    EXPECT_EQ(mvau.attr_int("ActVal"), 0);
    EXPECT_EQ(mvau.attr_string("inputDataType"), "BINARY");
    EXPECT_EQ(mvau.attr_string("weightDataType"), "BINARY");
    EXPECT_EQ(mvau.attr_string("outputDataType"), "UINT2");
    EXPECT_EQ(mvau.attr_ints("numInputVectors"), (Ints{1}));
    EXPECT_FALSE(mvau.has_attr("mem_mode")); // default internal_decoupled, as FINN leaves it
    EXPECT_FALSE(model.shape("p")) << "the popcount tensor is gone";
    EXPECT_EQ(model.datatype("y"), DataType::uint(2));
    expect_same_outputs(before, model);
    EXPECT_FALSE(InferBinaryMatrixVectorActivation().run(model));
}

TEST(InferBinaryMatrixVectorActivation, BipolarSignBecomesActValZero) {
    Model model = empty_model();
    add_input(model, "x", {1, 8}, DataType::binary());
    add_output(model, "y", {1, 4});
    add_param(model, "W", {8, 4}, std::vector<double>(32, 1), DataType::binary());
    add_param(model, "T", {1, 1}, {4});
    model.add_node("XnorPopcountMatMul", {"x", "W"}, {"p"}, "XnorPopcountMatMul_0", kGeneral);
    add_multithreshold(model, "p", "T", "y", "BIPOLAR", 2, -1);
    prepare(model);
    const Model before = model;
    EXPECT_TRUE(InferBinaryMatrixVectorActivation().run(model));
    Node mvau = model.node(0);
    EXPECT_EQ(mvau.attr_int("ActVal"), 0);
    EXPECT_EQ(mvau.attr_string("outputDataType"), "BIPOLAR");
    expect_same_outputs(before, model);
}

TEST(InferBinaryMatrixVectorActivation, WithoutThresholdsOutputsThePopcount) {
    Model model = xnor_model(false);
    const Model before = model;
    EXPECT_TRUE(InferBinaryMatrixVectorActivation().run(model));
    Node mvau = model.node(0);
    expect_hw_node(mvau, "MVAU");
    EXPECT_EQ(mvau.inputs(), (Strings{"x", "W"}));
    EXPECT_EQ(mvau.attr_int("noActivation"), 1);
    EXPECT_EQ(mvau.attr_int("ActVal"), 0);
    EXPECT_EQ(mvau.attr_string("outputDataType"), "UINT32");
    expect_same_outputs(before, model);
}

TEST(InferBinaryMatrixVectorActivation, NonBinaryOperandsAreAnError) {
    Model model = xnor_model(false);
    model.set_datatype("x", DataType::uint(2));
    const std::string message = error_of([&] { InferBinaryMatrixVectorActivation().run(model); });
    EXPECT_NE(message.find("XnorPopcountMatMul_0"), std::string::npos) << message;
    EXPECT_NE(message.find("UINT2"), std::string::npos) << message;
    EXPECT_NE(message.find("BINARY"), std::string::npos) << message;
}

// --- InferQuantizedMatrixVectorActivation -------------------------------------------------------

// x (2, 6) INT4 -> MatMul(W 6x3 INT3) -> p -> MultiThreshold(INT2, bias -2) -> y.
Model quantized_model() {
    Model model = empty_model();
    add_input(model, "x", {2, 6}, DataType::sint(4));
    add_output(model, "y", {2, 3});
    add_param(model, "W", {6, 3}, {-4, 3, 1, 0, -1, 2, 2, 2, -3, 1, 0, 0, -2, 1, 3, 3, -4, -1},
              DataType::sint(3));
    add_param(model, "T", {3, 3}, {-20, 0, 15, -5, 3, 8, -10, -9, 30});
    model.add_node("MatMul", {"x", "W"}, {"p"}, "MatMul_0");
    add_multithreshold(model, "p", "T", "y", "INT2", 1, -2);
    prepare(model);
    return model;
}

TEST(InferQuantizedMatrixVectorActivation, AbsorbsThresholdsWithTheirBias) {
    Model model = quantized_model();
    const Model before = model;
    EXPECT_TRUE(InferQuantizedMatrixVectorActivation().run(model));
    ASSERT_EQ(op_types(model), (Strings{"MVAU"}));
    Node mvau = model.node(0);
    expect_hw_node(mvau, "MVAU");
    EXPECT_EQ(mvau.name(), "MVAU_MatMul_0");
    EXPECT_EQ(mvau.inputs(), (Strings{"x", "W", "T"}));
    EXPECT_EQ(mvau.attr_int("MW"), 6);
    EXPECT_EQ(mvau.attr_int("MH"), 3);
    EXPECT_EQ(mvau.attr_int("binaryXnorMode"), 0);
    EXPECT_EQ(mvau.attr_int("noActivation"), 0);
    EXPECT_EQ(mvau.attr_int("ActVal"), -2);
    EXPECT_EQ(mvau.attr_string("inputDataType"), "INT4");
    EXPECT_EQ(mvau.attr_string("weightDataType"), "INT3");
    EXPECT_EQ(mvau.attr_string("outputDataType"), "INT2");
    EXPECT_EQ(mvau.attr_ints("numInputVectors"), (Ints{2}));
    expect_same_outputs(before, model);
}

TEST(InferQuantizedMatrixVectorActivation, BipolarTimesBipolarThresholdsCountAgreements) {
    Model model = empty_model();
    add_input(model, "x", {1, 5}, DataType::bipolar());
    add_output(model, "y", {1, 2});
    add_param(model, "W", {5, 2}, {1, -1, -1, -1, 1, 1, 1, -1, -1, 1}, DataType::bipolar());
    add_param(model, "T", {2, 2}, {-3, 1, -1, 3});
    model.add_node("MatMul", {"x", "W"}, {"p"}, "MatMul_0");
    add_multithreshold(model, "p", "T", "y", "UINT2");
    prepare(model);
    const Model before = model;
    EXPECT_TRUE(InferQuantizedMatrixVectorActivation().run(model));
    Node mvau = model.node(0);
    EXPECT_EQ(mvau.attr_string("inputDataType"), "BIPOLAR");
    EXPECT_EQ(mvau.attr_string("weightDataType"), "BIPOLAR");
    // x.w >= T  <=>  (x.w + 5) / 2 >= ceil((T + 5) / 2)
    EXPECT_EQ(model.initializer(mvau.input(2)).to_doubles(), (std::vector<double>{1, 3, 2, 4}));
    expect_same_outputs(before, model, 32);
}

TEST(InferQuantizedMatrixVectorActivation, BipolarTimesBipolarWithoutThresholdsIsLeftAlone) {
    Model model = empty_model();
    add_input(model, "x", {1, 5}, DataType::bipolar());
    add_output(model, "p", {1, 2});
    add_param(model, "W", {5, 2}, {1, -1, -1, -1, 1, 1, 1, -1, -1, 1}, DataType::bipolar());
    model.add_node("MatMul", {"x", "W"}, {"p"}, "MatMul_0");
    prepare(model);
    EXPECT_FALSE(InferQuantizedMatrixVectorActivation().run(model));
    EXPECT_NE(InferQuantizedMatrixVectorActivation::unsupported_reason(model, model.node(0))
                  .find("popcount"),
              std::string::npos);
}

TEST(InferQuantizedMatrixVectorActivation, ThresholdsOnAForkStaySeparate) {
    Model model = quantized_model();
    // The product is also a graph output: absorbing the thresholds would lose it.
    add_output(model, "p", {2, 3});
    const Model before = model;
    EXPECT_TRUE(InferQuantizedMatrixVectorActivation().run(model));
    ASSERT_EQ(op_types(model), (Strings{"MVAU", "MultiThreshold"}));
    EXPECT_EQ(model.node(0).attr_int("noActivation"), 1);
    EXPECT_EQ(model.node(0).attr_string("outputDataType"), "INT32");
    expect_same_outputs(before, model);
}

TEST(InferQuantizedMatrixVectorActivation, FloatInputIsLeftAloneWithAReason) {
    Model model = quantized_model();
    model.set_datatype("x", DataType::float32());
    EXPECT_FALSE(InferQuantizedMatrixVectorActivation().run(model));
    const std::string reason =
        InferQuantizedMatrixVectorActivation::unsupported_reason(model, model.node(0));
    EXPECT_NE(reason.find("FLOAT32"), std::string::npos) << reason;
}

TEST(InferQuantizedMatrixVectorActivation, NonUnitScaleIsAnError) {
    Model model = quantized_model();
    model.node(1).set_attr_float("out_scale", 0.5f);
    prepare(model);
    const std::string message =
        error_of([&] { InferQuantizedMatrixVectorActivation().run(model); });
    EXPECT_NE(message.find("MultiThreshold_0"), std::string::npos) << message;
    EXPECT_NE(message.find("out_scale"), std::string::npos) << message;
}

// --- InferThresholdingLayer ---------------------------------------------------------------------

TEST(InferThresholdingLayer, ConvertsAChannelsLastMultiThreshold) {
    Model model = empty_model();
    add_input(model, "x", {1, 4}, DataType::uint(4));
    add_output(model, "y", {1, 4});
    add_param(model, "T", {4, 3}, {1, 5, 9, 0, 2, 4, 3, 3, 15, 7, 8, 16}, DataType::uint(4));
    add_multithreshold(model, "x", "T", "y", "UINT2");
    prepare(model);
    const Model before = model;
    EXPECT_TRUE(InferThresholdingLayer().run(model));
    ASSERT_EQ(op_types(model), (Strings{"Thresholding"}));
    Node t = model.node(0);
    expect_hw_node(t, "Thresholding");
    EXPECT_EQ(t.name(), "Thresholding_MultiThreshold_0");
    EXPECT_EQ(t.inputs(), (Strings{"x", "T"}));
    EXPECT_EQ(t.attr_int("NumChannels"), 4);
    EXPECT_EQ(t.attr_int("PE"), 1);
    EXPECT_EQ(t.attr_int("numSteps"), 3);
    EXPECT_EQ(t.attr_int("ActVal"), 0);
    EXPECT_EQ(t.attr_string("inputDataType"), "UINT4");
    EXPECT_EQ(t.attr_string("weightDataType"), "UINT4");
    EXPECT_EQ(t.attr_string("outputDataType"), "UINT2");
    EXPECT_EQ(t.attr_ints("numInputVectors"), (Ints{1}));
    expect_same_outputs(before, model, 16);
}

TEST(InferThresholdingLayer, TransposesAnNchwInput) {
    Model model = empty_model();
    add_input(model, "x", {1, 3, 2, 2}, DataType::uint(4));
    add_output(model, "y", {1, 3, 2, 2});
    add_param(model, "T", {3, 2}, {3, 8, 0, 15, 6, 7});
    add_multithreshold(model, "x", "T", "y", "INT2", 1, -2);
    prepare(model);
    const Model before = model;
    EXPECT_TRUE(InferThresholdingLayer().run(model));
    ASSERT_EQ(op_types(model), (Strings{"Transpose", "Thresholding", "Transpose"}));
    EXPECT_EQ(model.node(0).attr_ints("perm"), (Ints{0, 2, 3, 1}));
    EXPECT_EQ(model.node(2).attr_ints("perm"), (Ints{0, 3, 1, 2}));
    Node t = model.node(1);
    EXPECT_EQ(t.attr_int("NumChannels"), 3);
    EXPECT_EQ(t.attr_int("ActVal"), -2);
    EXPECT_EQ(t.attr_ints("numInputVectors"), (Ints{1, 2, 2}));
    EXPECT_EQ(model.shape(t.input(0)), (Shape{1, 2, 2, 3}));
    EXPECT_EQ(model.layout(t.output(0)), (Strings{"N", "H", "W", "C"}));
    EXPECT_EQ(model.node(2).output(0), "y");
    expect_same_outputs(before, model, 16);
}

TEST(InferThresholdingLayer, BipolarSignKeepsItsValues) {
    Model model = empty_model();
    add_input(model, "x", {1, 4}, DataType::sint(4));
    add_output(model, "y", {1, 4});
    add_param(model, "T", {1, 1}, {0});
    add_multithreshold(model, "x", "T", "y", "BIPOLAR", 2, -1);
    prepare(model);
    const Model before = model;
    EXPECT_TRUE(InferThresholdingLayer().run(model));
    Node t = model.node(0);
    EXPECT_EQ(t.attr_int("ActVal"), 0);
    EXPECT_EQ(t.attr_string("outputDataType"), "BIPOLAR");
    expect_same_outputs(before, model, 16);
}

TEST(InferThresholdingLayer, FloatInputIsLeftAloneAndBadBiasIsAnError) {
    Model model = empty_model();
    add_input(model, "x", {1, 4}, DataType::float32());
    add_output(model, "y", {1, 4});
    add_param(model, "T", {1, 1}, {0});
    add_multithreshold(model, "x", "T", "y", "INT2");
    prepare(model);
    EXPECT_FALSE(InferThresholdingLayer().run(model));
    EXPECT_NE(InferThresholdingLayer::unsupported_reason(model, model.node(0)).find("FLOAT32"),
              std::string::npos);
    // A signed output needs a negative bias (FINN asserts).
    model.set_datatype("x", DataType::uint(4));
    const std::string message = error_of([&] { InferThresholdingLayer().run(model); });
    EXPECT_NE(message.find("out_bias < 0"), std::string::npos) << message;
}

// --- InferLabelSelectLayer ----------------------------------------------------------------------

Model topk_model(bool values_used) {
    Model model = empty_model();
    add_input(model, "x", {1, 10}, DataType::uint(8));
    add_output(model, "idx", {1, 3}, onnx::TensorProto::INT64);
    if (values_used) add_output(model, "vals", {1, 3});
    model.set_initializer("K", Tensor::from_int64s({1}, {3}));
    model.add_node("TopK", {"x", "K"}, {"vals", "idx"}, "TopK_0");
    prepare(model);
    return model;
}

TEST(InferLabelSelectLayer, TopKIndicesBecomeLabelSelect) {
    Model model = topk_model(false);
    const Model before = model;
    EXPECT_TRUE(InferLabelSelectLayer().run(model));
    ASSERT_EQ(op_types(model), (Strings{"LabelSelect"}));
    Node ls = model.node(0);
    expect_hw_node(ls, "LabelSelect");
    EXPECT_EQ(ls.name(), "LabelSelect_TopK_0");
    EXPECT_EQ(ls.inputs(), (Strings{"x"}));
    EXPECT_EQ(ls.outputs(), (Strings{"idx"}));
    EXPECT_EQ(ls.attr_int("Labels"), 10);
    EXPECT_EQ(ls.attr_int("K"), 3);
    EXPECT_EQ(ls.attr_int("PE"), 1);
    EXPECT_EQ(ls.attr_string("inputDataType"), "UINT8");
    EXPECT_EQ(ls.attr_string("outputDataType"), "UINT8");
    EXPECT_EQ(ls.attr_ints("numInputVectors"), (Ints{1}));
    EXPECT_FALSE(model.has_initializer("K"));
    EXPECT_EQ(model.datatype("idx"), DataType::uint(8));
    expect_same_outputs(before, model, 16);
}

TEST(InferLabelSelectLayer, UsedValuesAreLeftAlone) {
    Model model = topk_model(true);
    EXPECT_FALSE(InferLabelSelectLayer().run(model));
    EXPECT_NE(InferLabelSelectLayer::unsupported_reason(model, model.node(0)).find("value output"),
              std::string::npos);
}

// --- InferConvInpGen ----------------------------------------------------------------------------

Model im2col_model(const Ints& kernel, const Ints& stride, const Ints& pad, int pad_value = 0,
                   const Shape& in = {1, 4, 4, 2}) {
    Model model = empty_model();
    add_input(model, "x", in, DataType::uint(3));
    model.graph().add_output()->set_name("y");
    Node im2col = model.add_node("Im2Col", {"x"}, {"y"}, "Im2Col_0", kGeneral);
    im2col.set_attr_ints("kernel_size", kernel);
    im2col.set_attr_ints("stride", stride);
    im2col.set_attr_ints("pad_amount", pad);
    im2col.set_attr_string("input_shape", "(" + std::to_string(in[0]) + "," +
                                              std::to_string(in[1]) + "," + std::to_string(in[2]) +
                                              "," + std::to_string(in[3]) + ")");
    if (pad_value != 0) im2col.set_attr_int("pad_value", pad_value);
    prepare(model);
    return model;
}

TEST(InferConvInpGen, PaddedIm2ColBecomesFmPaddingAndSlidingWindow) {
    Model model = im2col_model({3, 3}, {1, 1}, {1, 1, 1, 1});
    ASSERT_EQ(model.shape("y"), (Shape{1, 4, 4, 18}));
    const Model before = model;
    EXPECT_TRUE(InferConvInpGen().run(model));
    ASSERT_EQ(op_types(model), (Strings{"FMPadding", "ConvolutionInputGenerator"}));
    Node pad = model.node(0), swg = model.node(1);
    expect_hw_node(pad, "FMPadding");
    expect_hw_node(swg, "ConvolutionInputGenerator");
    EXPECT_EQ(pad.name(), "FMPadding_Batch_Im2Col_0");
    EXPECT_EQ(pad.attr_ints("ImgDim"), (Ints{4, 4}));
    EXPECT_EQ(pad.attr_ints("Padding"), (Ints{1, 1, 1, 1}));
    EXPECT_EQ(pad.attr_int("NumChannels"), 2);
    EXPECT_EQ(pad.attr_int("SIMD"), 2);
    EXPECT_EQ(pad.attr_string("inputDataType"), "UINT3");
    EXPECT_EQ(model.shape(pad.output(0)), (Shape{1, 6, 6, 2}));
    EXPECT_EQ(swg.input(0), pad.output(0));
    EXPECT_EQ(swg.name(), "ConvolutionInputGenerator_Im2Col_0");
    EXPECT_EQ(swg.attr_ints("ConvKernelDim"), (Ints{3, 3}));
    EXPECT_EQ(swg.attr_int("IFMChannels"), 2);
    EXPECT_EQ(swg.attr_ints("IFMDim"), (Ints{6, 6}));
    EXPECT_EQ(swg.attr_ints("OFMDim"), (Ints{4, 4}));
    EXPECT_EQ(swg.attr_int("SIMD"), 2);
    EXPECT_EQ(swg.attr_ints("Stride"), (Ints{1, 1}));
    EXPECT_EQ(swg.attr_ints("Dilation"), (Ints{1, 1}));
    EXPECT_EQ(swg.attr_int("depthwise"), 0);
    EXPECT_EQ(swg.attr_int("is1D"), 0);
    EXPECT_EQ(swg.attr_string("inputDataType"), "UINT3");
    EXPECT_EQ(swg.attr_string("outputDataType"), "UINT3");
    EXPECT_EQ(model.datatype("y"), DataType::uint(3));
    expect_same_outputs(before, model);
}

TEST(InferConvInpGen, UnpaddedStridedIm2ColIsOneSlidingWindow) {
    Model model = im2col_model({2, 2}, {2, 2}, {0, 0, 0, 0});
    const Model before = model;
    EXPECT_TRUE(InferConvInpGen().run(model));
    ASSERT_EQ(op_types(model), (Strings{"ConvolutionInputGenerator"}));
    EXPECT_EQ(model.node(0).attr_ints("OFMDim"), (Ints{2, 2}));
    expect_same_outputs(before, model);
}

TEST(InferConvInpGen, NonZeroPadValueIsAnError) {
    Model padded = im2col_model({3, 3}, {1, 1}, {1, 1, 1, 1}, 1);
    const std::string message = error_of([&] { InferConvInpGen().run(padded); });
    EXPECT_NE(message.find("pad_value"), std::string::npos) << message;
}

TEST(InferConvInpGen, StridedPointwiseIm2ColBecomesDownSampler) {
    Model model = im2col_model({1, 1}, {2, 2}, {0, 0, 0, 0}, 0, {1, 5, 5, 2});
    ASSERT_EQ(model.shape("y"), (Shape{1, 3, 3, 2}));
    const Model before = model;
    EXPECT_TRUE(InferConvInpGen().run(model));
    ASSERT_EQ(op_types(model), (Strings{"DownSampler"}));
    Node ds = model.node(0);
    expect_hw_node(ds, "DownSampler");
    EXPECT_EQ(ds.name(), "DownSampler_Im2Col_0");
    EXPECT_EQ(ds.inputs(), (Strings{"x"}));
    EXPECT_EQ(ds.outputs(), (Strings{"y"}));
    EXPECT_EQ(ds.attr_int("ImgDim"), 5);
    EXPECT_EQ(ds.attr_int("NumChannels"), 2);
    EXPECT_EQ(ds.attr_int("SIMD"), 2);
    EXPECT_EQ(ds.attr_int("Stride"), 2);
    EXPECT_EQ(ds.attr_string("inputDataType"), "UINT3");
    EXPECT_EQ(ds.attr_int("is1D"), 0);
    EXPECT_EQ(ds.attr_int("is1D_unitx"), 0);
    EXPECT_EQ(model.datatype("y"), DataType::uint(3));
    EXPECT_EQ(model.shape("y"), (Shape{1, 3, 3, 2}));
    expect_same_outputs(before, model);

    // With padding (FINN pads first): 4x4 padded to 6x6, then every third pixel.
    Model padded = im2col_model({1, 1}, {3, 3}, {1, 1, 1, 1});
    const Model padded_before = padded;
    EXPECT_TRUE(InferConvInpGen().run(padded));
    ASSERT_EQ(op_types(padded), (Strings{"FMPadding", "DownSampler"}));
    EXPECT_EQ(padded.node(1).input(0), padded.node(0).output(0));
    EXPECT_EQ(padded.node(1).attr_int("ImgDim"), 6);
    EXPECT_EQ(padded.node(1).attr_int("Stride"), 3);
    expect_same_outputs(padded_before, padded);
}

TEST(InferConvInpGen, OneDimensionalDownSamplerStridesTheLongAxis) {
    // A column (7, 1) and a row (1, 7): is1D, and is1D_unitx says which axis is the unit one.
    for (bool column : {true, false}) {
        SCOPED_TRACE(column ? "column" : "row");
        const Shape in = column ? Shape{1, 7, 1, 2} : Shape{1, 1, 7, 2};
        const Ints stride = column ? Ints{3, 1} : Ints{1, 3};
        Model model = im2col_model({1, 1}, stride, {0, 0, 0, 0}, 0, in);
        const Model before = model;
        EXPECT_TRUE(InferConvInpGen().run(model));
        ASSERT_EQ(op_types(model), (Strings{"DownSampler"}));
        Node ds = model.node(0);
        EXPECT_EQ(ds.attr_int("ImgDim"), 7);
        EXPECT_EQ(ds.attr_int("Stride"), 3);
        EXPECT_EQ(ds.attr_int("is1D"), 1);
        EXPECT_EQ(ds.attr_int("is1D_unitx"), column ? 1 : 0);
        EXPECT_EQ(model.shape("y"), column ? (Shape{1, 3, 1, 2}) : (Shape{1, 1, 3, 2}));
        expect_same_outputs(before, model);
    }
    // Only the unit axis strided: Im2Col keeps every pixel, and so does the DownSampler (FINN
    // would take the larger stride, 2, and drop half of them).
    Model unit = im2col_model({1, 1}, {1, 2}, {0, 0, 0, 0}, 0, {1, 7, 1, 2});
    const Model unit_before = unit;
    EXPECT_TRUE(InferConvInpGen().run(unit));
    EXPECT_EQ(unit.node(0).attr_int("Stride"), 1);
    EXPECT_EQ(unit.shape("y"), (Shape{1, 7, 1, 2}));
    expect_same_outputs(unit_before, unit);
}

TEST(InferConvInpGen, StridedPointwiseOnANonSquareImageIsLeftAlone) {
    // FINN's DownSampler has one ImgDim and one Stride: a 2D image must be square with equal
    // strides.
    for (const auto& [in, stride] :
         {std::pair{Shape{1, 4, 6, 2}, Ints{2, 2}}, std::pair{Shape{1, 4, 4, 2}, Ints{2, 1}}}) {
        Model model = im2col_model({1, 1}, stride, {0, 0, 0, 0}, 0, in);
        EXPECT_FALSE(InferConvInpGen().run(model));
        EXPECT_EQ(op_types(model), (Strings{"Im2Col"}));
        const std::string reason = InferConvInpGen::unsupported_reason(model, model.node(0));
        EXPECT_NE(reason.find("only on a 1D or square image with equal strides"), std::string::npos)
            << reason;
    }
}

// --- InferStreamingMaxPool ----------------------------------------------------------------------

Model maxpool_model(std::int64_t k, std::int64_t s) {
    Model model = empty_model();
    add_input(model, "x", {1, 4, 4, 3}, DataType::sint(4));
    model.graph().add_output()->set_name("y");
    Node mp = model.add_node("MaxPoolNHWC", {"x"}, {"y"}, "MaxPoolNHWC_0", kGeneral);
    mp.set_attr_ints("kernel_shape", {k, k});
    mp.set_attr_ints("strides", {s, s});
    mp.set_attr_ints("pads", {0, 0, 0, 0});
    prepare(model);
    return model;
}

TEST(InferStreamingMaxPool, NonOverlappingPoolBecomesStreamingMaxPool) {
    Model model = maxpool_model(2, 2);
    const Model before = model;
    EXPECT_TRUE(InferStreamingMaxPool().run(model));
    ASSERT_EQ(op_types(model), (Strings{"StreamingMaxPool"}));
    Node mp = model.node(0);
    expect_hw_node(mp, "StreamingMaxPool");
    EXPECT_EQ(mp.name(), "StreamingMaxPool_MaxPoolNHWC_0");
    EXPECT_EQ(mp.attr_ints("PoolDim"), (Ints{2, 2}));
    EXPECT_EQ(mp.attr_ints("ImgDim"), (Ints{4, 4}));
    EXPECT_EQ(mp.attr_int("NumChannels"), 3);
    EXPECT_EQ(mp.attr_int("PE"), 1);
    EXPECT_EQ(mp.attr_int("CeilMode"), 0);
    EXPECT_EQ(mp.attr_string("dataType"), "INT4");
    expect_same_outputs(before, model);
}

TEST(InferStreamingMaxPool, OverlappingPoolIsLeftAlone) {
    Model model = maxpool_model(3, 1);
    EXPECT_FALSE(InferStreamingMaxPool().run(model));
    EXPECT_NE(InferStreamingMaxPool::unsupported_reason(model, model.node(0)).find("stride"),
              std::string::npos);
}

// --- RemoveCNVtoFCFlatten -----------------------------------------------------------------------

// x (1, H, W, 3) UINT2 -> MultiThreshold (NHWC) -> [Transpose to NCHW ->] Flatten -> MatMul (INT2),
// converted to hardware layers.
Model flatten_model(std::int64_t h, std::int64_t w, bool transpose) {
    Model model = empty_model();
    const std::int64_t c = 3, mw = h * w * c;
    add_input(model, "x", {1, h, w, c}, DataType::uint(2));
    add_output(model, "y", {1, 2});
    add_param(model, "T", {3, 2}, {1, 2, 0, 3, 2, 2}, DataType::uint(2));
    Node mt = add_multithreshold(model, "x", "T", "t", "UINT2");
    mt.set_attr_string("data_layout", "NHWC");
    std::string flat_in = "t";
    if (transpose) {
        model.add_node("Transpose", {"t"}, {"t_nchw"}, "Transpose_0")
            .set_attr_ints("perm", {0, 3, 1, 2});
        flat_in = "t_nchw";
    }
    model.add_node("Flatten", {flat_in}, {"f"}, "Flatten_0");
    std::vector<double> weights;
    for (std::int64_t i = 0; i < mw * 2; ++i)
        weights.push_back(static_cast<double>((i * 5) % 4) - 2);
    add_param(model, "W", {mw, 2}, weights, DataType::sint(2));
    model.add_node("MatMul", {"f", "W"}, {"y"}, "MatMul_0");
    prepare(model);
    InferQuantizedMatrixVectorActivation().run(model);
    InferThresholdingLayer().run(model);
    return model;
}

TEST(RemoveCNVtoFCFlatten, RemovesAFlattenBetweenHardwareLayers) {
    Model model = flatten_model(1, 1, false);
    ASSERT_EQ(op_types(model), (Strings{"Thresholding", "Flatten", "MVAU"}));
    const Model before = model;
    EXPECT_TRUE(RemoveCNVtoFCFlatten().run(model));
    ASSERT_EQ(op_types(model), (Strings{"Thresholding", "MVAU"}));
    EXPECT_EQ(model.node(1).input(0), model.node(0).output(0));
    EXPECT_FALSE(model.shape("f"));
    expect_same_outputs(before, model, 16);
}

TEST(RemoveCNVtoFCFlatten, RemovesAFlattenOfAMapLargerThanOnePixel) {
    // The MVAU then reads the (1, 2, 2, 3) NHWC map as one vector of MW = 12, as FINN's does.
    Model model = flatten_model(2, 2, false);
    const Model before = model;
    EXPECT_TRUE(RemoveCNVtoFCFlatten().run(model));
    ASSERT_EQ(op_types(model), (Strings{"Thresholding", "MVAU"}));
    model.infer_shapes();
    EXPECT_EQ(model.shape("y"), (Shape{1, 2}));
    expect_same_outputs(before, model, 16);
}

TEST(RemoveCNVtoFCFlatten, AbsorbsAnNhwcToNchwTransposeIntoTheWeights) {
    Model model = flatten_model(2, 2, true);
    ASSERT_EQ(op_types(model), (Strings{"Thresholding", "Transpose", "Flatten", "MVAU"}));
    const Model before = model;
    const std::vector<double> w_before = model.initializer("W").to_doubles();
    EXPECT_TRUE(RemoveCNVtoFCFlatten().run(model));
    ASSERT_EQ(op_types(model), (Strings{"Thresholding", "MVAU"}));
    Node mvau = model.node(1);
    EXPECT_EQ(mvau.input(0), "t");
    // It still runs and computes what it did, and its output keeps FINN's shape (1, MH).
    expect_same_outputs(before, model, 16);
    model.infer_shapes();
    EXPECT_EQ(model.shape("y"), (Shape{1, 2}));
    // The MVAU reads the NHWC stream (h, w, c); row (h, w, c) holds the old row (c, h, w).
    const std::vector<double> w_after = model.initializer(mvau.input(1)).to_doubles();
    for (std::int64_t y = 0; y < 2; ++y)
        for (std::int64_t x = 0; x < 2; ++x)
            for (std::int64_t ch = 0; ch < 3; ++ch)
                for (std::int64_t j = 0; j < 2; ++j)
                    EXPECT_EQ(w_after[((y * 2 + x) * 3 + ch) * 2 + j],
                              w_before[((ch * 2 + y) * 2 + x) * 2 + j]);
    // The NHWC thresholds flattened in stream order times the new weights give the old result.
    std::mt19937 rng(3);
    Executor original(before);
    for (int s = 0; s < 8; ++s) {
        const Tensor x = random_tensor({1, 2, 2, 3}, DataType::uint(2), rng);
        const TensorMap all = original.run({{"x", x}}, true);
        const std::vector<double> t = all.at("t").to_doubles();
        const std::vector<double> y = all.at("y").to_doubles();
        for (int j = 0; j < 2; ++j) {
            double sum = 0;
            for (int i = 0; i < 12; ++i)
                sum += t[i] * w_after[i * 2 + j];
            EXPECT_EQ(sum, y[j]);
        }
    }
}

// --- AbsorbConsecutiveTransposes ----------------------------------------------------------------

TEST(AbsorbConsecutiveTransposes, RemovesInversePairsIncludingForks) {
    Model model = empty_model();
    add_input(model, "x", {1, 2, 3, 4}, DataType::sint(4));
    add_output(model, "y", {1, 2, 3, 4});
    add_output(model, "z", {1, 2, 3, 4});
    model.add_node("Transpose", {"x"}, {"a"}, "Transpose_0").set_attr_ints("perm", {0, 3, 1, 2});
    model.add_node("Transpose", {"a"}, {"b"}, "Transpose_1").set_attr_ints("perm", {0, 2, 3, 1});
    model.add_node("Transpose", {"a"}, {"c"}, "Transpose_2").set_attr_ints("perm", {0, 2, 3, 1});
    model.add_node("Relu", {"b"}, {"y"}, "Relu_0");
    model.add_node("Neg", {"c"}, {"z"}, "Neg_0");
    prepare(model);
    const Model before = model;
    EXPECT_TRUE(AbsorbConsecutiveTransposes().run(model));
    EXPECT_EQ(op_types(model), (Strings{"Relu", "Neg"}));
    EXPECT_EQ(model.node(0).input(0), "x");
    EXPECT_EQ(model.node(1).input(0), "x");
    EXPECT_FALSE(model.shape("a"));
    expect_same_outputs(before, model);
    EXPECT_FALSE(AbsorbConsecutiveTransposes().run(model));
}

TEST(AbsorbConsecutiveTransposes, KeepsPairsEndingInAGraphOutputOrNotInverse) {
    Model model = empty_model();
    add_input(model, "x", {1, 2, 3, 4}, DataType::sint(4));
    add_output(model, "y", {1, 2, 3, 4});
    add_output(model, "z", {1, 3, 4, 2});
    model.add_node("Transpose", {"x"}, {"a"}, "Transpose_0").set_attr_ints("perm", {0, 3, 1, 2});
    model.add_node("Transpose", {"a"}, {"y"}, "Transpose_1").set_attr_ints("perm", {0, 2, 3, 1});
    model.add_node("Transpose", {"x"}, {"b"}, "Transpose_2").set_attr_ints("perm", {0, 3, 1, 2});
    model.add_node("Transpose", {"b"}, {"z"}, "Transpose_3").set_attr_ints("perm", {0, 3, 1, 2});
    prepare(model);
    EXPECT_FALSE(AbsorbConsecutiveTransposes().run(model));
    EXPECT_EQ(model.node_count(), 4);
}

// --- CheckAllNodesConvertible -------------------------------------------------------------------

// x (1, 4) INT4 -> MatMul -> [between] -> MatMul -> y, converted to two MVAUs.
Model two_mvau_model(const std::string& between_op) {
    Model model = empty_model();
    add_input(model, "x", {1, 4}, DataType::sint(4));
    add_output(model, "y", {1, 4});
    add_param(model, "W0", {4, 4}, std::vector<double>(16, 1), DataType::sint(2));
    add_param(model, "W1", {4, 4}, std::vector<double>(16, -1), DataType::sint(2));
    model.add_node("MatMul", {"x", "W0"}, {"h"}, "MatMul_0");
    model.add_node(between_op, {"h"}, {"r"}, between_op + "_0");
    model.add_node("MatMul", {"r", "W1"}, {"y"}, "MatMul_1");
    prepare(model);
    model.set_datatype("r", DataType::sint(32));
    InferQuantizedMatrixVectorActivation().run(model);
    return model;
}

TEST(CheckAllNodesConvertible, NamesANodeBetweenHardwareLayers) {
    Model model = two_mvau_model("Relu");
    ASSERT_EQ(op_types(model), (Strings{"MVAU", "Relu", "MVAU"}));
    const std::string message = error_of([&] { CheckAllNodesConvertible().run(model); });
    EXPECT_NE(message.find("Relu_0 (Relu)"), std::string::npos) << message;
    EXPECT_NE(message.find("between hardware layers"), std::string::npos) << message;
    EXPECT_NE(message.find("no hardware layer for Relu"), std::string::npos) << message;

    Model glue = two_mvau_model("Identity");
    const std::string glue_message = error_of([&] { CheckAllNodesConvertible().run(glue); });
    EXPECT_NE(glue_message.find("Identity_0 (Identity) between hardware layers"), std::string::npos)
        << glue_message;
}

// A big net's problems do not make a 20 kB message: one problem whole, a few names, a count;
// every problem is in the error's details, one per line.
TEST(CheckAllNodesConvertible, KeepsTheMessageShortAndListsEveryNodeInTheDetails) {
    Model model = empty_model();
    add_input(model, "x", {1, 4}, DataType::sint(4));
    add_output(model, "y", {1, 4});
    add_param(model, "W0", {4, 4}, std::vector<double>(16, 1), DataType::sint(2));
    add_param(model, "W1", {4, 4}, std::vector<double>(16, -1), DataType::sint(2));
    model.add_node("MatMul", {"x", "W0"}, {"h0"}, "MatMul_0");
    const int blockers = 12;
    for (int i = 0; i < blockers; ++i)
        model.add_node("Relu", {"h" + std::to_string(i)}, {"h" + std::to_string(i + 1)},
                       "Relu_" + std::to_string(i));
    model.add_node("MatMul", {"h" + std::to_string(blockers), "W1"}, {"y"}, "MatMul_1");
    prepare(model);
    model.set_datatype("h" + std::to_string(blockers), DataType::sint(32));
    InferQuantizedMatrixVectorActivation().run(model);
    try {
        CheckAllNodesConvertible().run(model);
        FAIL() << "no error";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("12 nodes stand in the way"), std::string::npos) << message;
        EXPECT_NE(message.find("Relu_0 (Relu) between hardware layers"), std::string::npos)
            << message;
        EXPECT_NE(message.find("also Relu_1, Relu_2, Relu_3, Relu_4, Relu_5 and 6 more"),
                  std::string::npos)
            << message;
        EXPECT_EQ(message.find("Relu_11"), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        for (int i = 0; i < blockers; ++i)
            EXPECT_NE(
                e.details().find("Relu_" + std::to_string(i) + " (Relu) between hardware layers"),
                std::string::npos)
                << e.details();
        EXPECT_EQ(std::count(e.details().begin(), e.details().end(), '\n'), blockers);
    }
}

TEST(CheckAllNodesConvertible, ExplainsAnUnconvertedMatMul) {
    Model model = empty_model();
    add_input(model, "x", {1, 4}, DataType::float32());
    add_output(model, "y", {1, 4});
    add_param(model, "W", {4, 4}, std::vector<double>(16, 1), DataType::sint(2));
    model.add_node("MatMul", {"x", "W"}, {"y"}, "MatMul_0");
    prepare(model);
    const std::string message = error_of([&] { convert_to_hw_step_pipeline(false).run(model); });
    EXPECT_NE(message.find("no node became a hardware layer"), std::string::npos) << message;
    EXPECT_NE(message.find("MatMul_0 (MatMul)"), std::string::npos) << message;
    EXPECT_NE(message.find("input 'x' has datatype FLOAT32"), std::string::npos) << message;
}

TEST(CheckAllNodesConvertible, AcceptsGlueAtTheEdges) {
    Model model = empty_model();
    add_input(model, "x", {1, 1, 2, 2}, DataType::sint(4));
    add_output(model, "y", {1, 4});
    model.set_initializer("shape", Tensor::from_int64s({2}, {1, -1}));
    add_param(model, "W", {4, 4}, std::vector<double>(16, 1), DataType::sint(2));
    add_param(model, "scale", {}, {0.5});
    model.add_node("Reshape", {"x", "shape"}, {"flat"}, "Reshape_0");
    model.add_node("MatMul", {"flat", "W"}, {"p"}, "MatMul_0");
    model.add_node("Mul", {"p", "scale"}, {"y"}, "Mul_0");
    prepare(model);
    const Model before = model;
    EXPECT_NO_THROW(convert_to_hw_step_pipeline(false).run(model));
    EXPECT_EQ(op_types(model), (Strings{"Reshape", "MVAU", "Mul"}));
    expect_same_outputs(before, model);
}

// --- the step pipeline --------------------------------------------------------------------------

// x (1, 8) UINT4 -> MatMul -> MultiThreshold -> MatMul -> TopK(1).
Model mlp_model() {
    Model model = empty_model();
    add_input(model, "x", {1, 8}, DataType::uint(4));
    add_output(model, "idx", {1, 1}, onnx::TensorProto::INT64);
    std::vector<double> w0, w1;
    for (int i = 0; i < 48; ++i)
        w0.push_back((i * 3) % 4 - 2);
    for (int i = 0; i < 24; ++i)
        w1.push_back((i * 5) % 3 - 1);
    add_param(model, "W0", {8, 6}, w0, DataType::sint(2));
    add_param(model, "W1", {6, 4}, w1, DataType::sint(2));
    std::vector<double> t;
    for (int c = 0; c < 6; ++c)
        for (int s = 0; s < 3; ++s)
            t.push_back(-20 + 15 * s + c);
    add_param(model, "T", {6, 3}, t);
    model.set_initializer("K", Tensor::from_int64s({1}, {1}));
    model.add_node("MatMul", {"x", "W0"}, {"h"}, "MatMul_0");
    add_multithreshold(model, "h", "T", "a", "UINT2");
    model.add_node("MatMul", {"a", "W1"}, {"logits"}, "MatMul_1");
    model.add_node("TopK", {"logits", "K"}, {"vals", "idx"}, "TopK_0");
    prepare(model);
    return model;
}

TEST(ConvertToHwStep, AbsorbsThresholdsByDefault) {
    Model model = mlp_model();
    const Model before = model;
    std::vector<std::string> trace;
    convert_to_hw_step_pipeline(false).run(model,
                                           [&](const std::string& line) { trace.push_back(line); });
    EXPECT_EQ(op_types(model), (Strings{"MVAU", "MVAU", "LabelSelect"}));
    EXPECT_EQ(node_names(model), (Strings{"MVAU_0", "MVAU_1", "LabelSelect_0"}));
    EXPECT_EQ(model.node(0).attr_int("noActivation"), 0);
    EXPECT_EQ(model.layout("a"), (Strings{"N", "C"}));
    EXPECT_EQ(trace.front(), "Applying InferBinaryMatrixVectorActivation");
    EXPECT_NE(std::find(trace.begin(), trace.end(), "Applying InferConvInpGen"), trace.end());
    EXPECT_EQ(trace.back(), "Applying CheckAllNodesConvertible");
    expect_same_outputs(before, model, 32);
}

TEST(ConvertToHwStep, StandaloneThresholdsStaySeparate) {
    Model model = mlp_model();
    const Model before = model;
    convert_to_hw_step_pipeline(true).run(model);
    EXPECT_EQ(op_types(model), (Strings{"MVAU", "Thresholding", "MVAU", "LabelSelect"}));
    EXPECT_EQ(node_names(model), (Strings{"MVAU_0", "Thresholding_0", "MVAU_1", "LabelSelect_0"}));
    EXPECT_EQ(model.node(0).attr_int("noActivation"), 1);
    expect_same_outputs(before, model, 32);
}

// x (1, 4, 4, 2) UINT2 NHWC -> Im2Col(3x3, pad 1) -> MatMul -> MultiThreshold (NHWC) ->
// MaxPoolNHWC(4) -> Transpose to NCHW -> Flatten -> MatMul -> TopK: a lowered CNV in miniature.
Model small_cnv_model() {
    Model model = empty_model();
    add_input(model, "x", {1, 4, 4, 2}, DataType::uint(2));
    add_output(model, "idx", {1, 1}, onnx::TensorProto::INT64);
    Node im2col = model.add_node("Im2Col", {"x"}, {"cols"}, "Im2Col_0", kGeneral);
    im2col.set_attr_ints("kernel_size", {3, 3});
    im2col.set_attr_ints("stride", {1, 1});
    im2col.set_attr_ints("pad_amount", {1, 1, 1, 1});
    im2col.set_attr_string("input_shape", "(1,4,4,2)");
    std::vector<double> w0, w1, t;
    for (int i = 0; i < 18 * 4; ++i)
        w0.push_back((i * 7) % 4 - 2);
    for (int i = 0; i < 4 * 3; ++i)
        w1.push_back((i * 5) % 3 - 1);
    for (int c = 0; c < 4; ++c)
        for (int s = 0; s < 3; ++s)
            t.push_back(-6 + 4 * s + c);
    add_param(model, "W0", {18, 4}, w0, DataType::sint(2));
    add_param(model, "W1", {4, 3}, w1, DataType::sint(2));
    add_param(model, "T", {4, 3}, t);
    model.set_initializer("K", Tensor::from_int64s({1}, {1}));
    model.add_node("MatMul", {"cols", "W0"}, {"conv"}, "MatMul_0");
    add_multithreshold(model, "conv", "T", "act", "UINT2").set_attr_string("data_layout", "NHWC");
    Node pool = model.add_node("MaxPoolNHWC", {"act"}, {"pooled"}, "MaxPoolNHWC_0", kGeneral);
    pool.set_attr_ints("kernel_shape", {4, 4});
    pool.set_attr_ints("strides", {4, 4});
    pool.set_attr_ints("pads", {0, 0, 0, 0});
    model.add_node("Transpose", {"pooled"}, {"nchw"}, "Transpose_0")
        .set_attr_ints("perm", {0, 3, 1, 2});
    model.add_node("Flatten", {"nchw"}, {"flat"}, "Flatten_0");
    model.add_node("MatMul", {"flat", "W1"}, {"logits"}, "MatMul_1");
    model.add_node("TopK", {"logits", "K"}, {"vals", "idx"}, "TopK_0");
    prepare(model);
    return model;
}

TEST(ConvertToHwStep, LoweredConvNetBecomesOneDataflowChain) {
    Model model = small_cnv_model();
    const Model before = model;
    convert_to_hw_step_pipeline(false).run(model);
    EXPECT_EQ(op_types(model), (Strings{"FMPadding", "ConvolutionInputGenerator", "MVAU",
                                        "StreamingMaxPool", "MVAU", "LabelSelect"}));
    EXPECT_EQ(node_names(model), (Strings{"FMPadding_0", "ConvolutionInputGenerator_0", "MVAU_0",
                                          "StreamingMaxPool_0", "MVAU_1", "LabelSelect_0"}));
    EXPECT_EQ(model.node(2).attr_ints("numInputVectors"), (Ints{1, 4, 4}));
    EXPECT_EQ(model.node(2).attr_int("noActivation"), 0);
    expect_same_outputs(before, model, 32);
}

TEST(ConvertToHwStep, TfcBecomesThresholdingFourMvausAndLabelSelect) {
    FINN_REQUIRE_SHARED(shared);
    const auto dir = shared / "models/finn/tfc_w1a1";
    Model model = Model::load(dir / "model.onnx");
    tidy_up_step_pipeline().run(model);
    streamline_step_pipeline().run(model);
    Model standalone = model;
    convert_to_hw_step_pipeline(false).run(model);
    EXPECT_EQ(op_types(model),
              (Strings{"Reshape", "Thresholding", "MVAU", "MVAU", "MVAU", "MVAU", "LabelSelect"}));
    for (int i = 2; i < 5; ++i) {
        Node mvau = model.node(i);
        EXPECT_EQ(mvau.attr_int("binaryXnorMode"), 1) << mvau.name();
        EXPECT_EQ(mvau.attr_int("noActivation"), 0) << mvau.name();
        EXPECT_EQ(mvau.attr_string("outputDataType"), "BINARY") << mvau.name();
    }
    EXPECT_EQ(model.node(5).attr_int("noActivation"), 1);
    EXPECT_EQ(model.node(5).attr_int("MH"), 10);
    EXPECT_EQ(model.node(1).attr_string("inputDataType"), "UINT8");
    EXPECT_EQ(model.node(1).attr_string("outputDataType"), "BINARY");
    EXPECT_NO_THROW(model.check());

    const Tensor input = read_npy(dir / "input.npy");
    const Tensor expected = read_npy(dir / "expected_output.npy");
    TensorMap out = Executor(model).run_batched({{"global_in", input}});
    EXPECT_EQ(out.at("global_out").to_doubles(), expected.to_doubles());

    // With standalone thresholds every MultiThreshold becomes a Thresholding layer.
    convert_to_hw_step_pipeline(true).run(standalone);
    EXPECT_EQ(op_types(standalone),
              (Strings{"Reshape", "Thresholding", "MVAU", "Thresholding", "MVAU", "Thresholding",
                       "MVAU", "Thresholding", "MVAU", "LabelSelect"}));
    out = Executor(standalone).run_batched({{"global_in", input}});
    EXPECT_EQ(out.at("global_out").to_doubles(), expected.to_doubles());
}

} // namespace
} // namespace finn
