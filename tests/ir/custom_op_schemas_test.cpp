#include "finn/core/error.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/ir/model.h"

#include <gtest/gtest.h>
#include <onnx/defs/schema.h>

namespace finn {
namespace {

// A one-node model with input x of the given shape; returns the inferred shape of output `out`.
struct OneNode {
    Model model;
    Node node;
    OneNode(const std::string& op_type, const std::string& domain, const Shape& x_shape,
            std::vector<std::string> inputs = {"x"}, std::vector<std::string> outputs = {"y"})
        : node(nullptr) {
        model.proto().add_opset_import()->set_version(13);
        auto* in = model.graph().add_input();
        in->set_name("x");
        model.set_shape("x", x_shape);
        for (const auto& o : outputs)
            model.graph().add_output()->set_name(o);
        node = model.add_node(op_type, inputs, outputs, op_type + "_0", domain);
    }
    Shape infer(const std::string& out = "y") {
        model.infer_shapes();
        auto shape = model.shape(out);
        if (!shape) throw Error("no shape inferred for " + out);
        return *shape;
    }
};

TEST(CustomOpSchemas, DeclarationsCoverDomainsAndLegacyNames) {
    EXPECT_TRUE(find_custom_op("qonnx.custom_op.general", "MultiThreshold"));
    EXPECT_TRUE(find_custom_op("finn.custom_op.general", "MultiThreshold"));
    EXPECT_TRUE(find_custom_op("finn", "MultiThreshold"));
    EXPECT_TRUE(find_custom_op("onnx.brevitas", "Quant"));
    EXPECT_TRUE(find_custom_op("finn.custom_op.fpgadataflow", "MVAU"));
    EXPECT_TRUE(find_custom_op("finn.custom_op.fpgadataflow.hls", "MVAU_hls"));
    EXPECT_TRUE(find_custom_op("finn.custom_op.fpgadataflow.rtl", "Thresholding_rtl"));
    EXPECT_TRUE(find_custom_op("finn.custom_op.fpgadataflow", "MatrixVectorActivation"));
    EXPECT_TRUE(find_custom_op("finn.custom_op.fpgadataflow", "StreamingFCLayer_Batch"));
    EXPECT_TRUE(find_custom_op("finn.custom_op.fpgadataflow", "Thresholding_Batch"));
    EXPECT_FALSE(find_custom_op("finn.custom_op.fpgadataflow.hls", "MVAU"));
    EXPECT_FALSE(find_custom_op("", "MultiThreshold"));
    const auto* mt = find_custom_op("qonnx.custom_op.general", "MultiThreshold");
    ASSERT_TRUE(mt);
    ASSERT_EQ(mt->attributes.size(), 4u);
    EXPECT_EQ(mt->attributes[0].name, "out_dtype");
    EXPECT_TRUE(mt->attributes[0].default_value.is_null()); // required
    EXPECT_EQ(mt->attributes[3].default_value, "NCHW");
    EXPECT_TRUE(is_fpgadataflow_domain("finn.custom_op.fpgadataflow.rtl"));
    EXPECT_FALSE(is_fpgadataflow_domain("qonnx.custom_op.general"));
    EXPECT_TRUE(is_general_custom_domain("onnx.brevitas"));
}

TEST(CustomOpSchemas, Im2Col) {
    OneNode t("Im2Col", "qonnx.custom_op.general", {1, 8, 8, 3});
    t.node.set_attr_ints("kernel_size", {3, 3});
    t.node.set_attr_ints("stride", {2, 2});
    t.node.set_attr_ints("pad_amount", {1, 1, 1, 1});
    t.node.set_attr_string("input_shape", "(1, 8, 8, 3)");
    EXPECT_EQ(t.infer(), (Shape{1, 4, 4, 27}));
}

TEST(CustomOpSchemas, Im2ColDilated) {
    OneNode t("Im2Col", "finn.custom_op.general", {1, 9, 9, 2});
    t.node.set_attr_ints("kernel_size", {3, 3});
    t.node.set_attr_ints("stride", {1, 1});
    t.node.set_attr_ints("dilations", {2, 2});
    EXPECT_EQ(t.infer(), (Shape{1, 5, 5, 18}));
}

TEST(CustomOpSchemas, MaxPoolNHWCAndQuantAvgPool) {
    OneNode a("MaxPoolNHWC", "qonnx.custom_op.general", {1, 7, 7, 16});
    a.node.set_attr_ints("kernel_shape", {2, 2});
    a.node.set_attr_ints("strides", {2, 2});
    a.node.set_attr_ints("pads", {0, 0, 0, 0});
    EXPECT_EQ(a.infer(), (Shape{1, 3, 3, 16}));
    a.node.set_attr_int("ceil_mode", 1);
    EXPECT_EQ(a.infer(), (Shape{1, 4, 4, 16}));
    // ceil_mode drops a last window that would start in the end padding (as ONNX MaxPool does).
    OneNode d("MaxPoolNHWC", "qonnx.custom_op.general", {1, 5, 5, 2});
    d.node.set_attr_ints("kernel_shape", {2, 2});
    d.node.set_attr_ints("strides", {2, 2});
    d.node.set_attr_ints("pads", {1, 1, 1, 1});
    d.node.set_attr_int("ceil_mode", 1);
    EXPECT_EQ(d.infer(), (Shape{1, 3, 3, 2}));

    OneNode b("QuantAvgPool2d", "qonnx.custom_op.general", {1, 16, 8, 8});
    b.node.set_attr_int("kernel", 2);
    b.node.set_attr_int("stride", 2);
    EXPECT_EQ(b.infer(), (Shape{1, 16, 4, 4}));
    OneNode c("QuantAvgPool2d", "qonnx.custom_op.general", {1, 8, 8, 16});
    c.node.set_attr_int("kernel", 4);
    c.node.set_attr_int("stride", 4);
    c.node.set_attr_string("data_layout", "NHWC");
    EXPECT_EQ(c.infer(), (Shape{1, 2, 2, 16}));
}

TEST(CustomOpSchemas, XnorPopcountMatMul) {
    OneNode t("XnorPopcountMatMul", "qonnx.custom_op.general", {1, 64}, {"x", "w"});
    t.model.set_initializer("w", Tensor::from_floats({64, 10}, std::vector<float>(640, 1.f)));
    EXPECT_EQ(t.infer(), (Shape{1, 10}));
    t.model.set_initializer("w", Tensor::from_floats({32, 10}, std::vector<float>(320, 1.f)));
    EXPECT_THROW(t.infer(), Error);
}

TEST(CustomOpSchemas, HardwareLayers) {
    OneNode mvau("MVAU_hls", "finn.custom_op.fpgadataflow.hls", {1, 8, 8, 27}, {"x", "w"});
    mvau.node.set_attr_int("MW", 27);
    mvau.node.set_attr_int("MH", 16);
    EXPECT_EQ(mvau.infer(), (Shape{1, 8, 8, 16}));
    // An FC MVAU reading a conv's NHWC map (RemoveCNVtoFCFlatten): FINN's numInputVectors + [MH].
    OneNode fc("MVAU", "finn.custom_op.fpgadataflow", {1, 4, 4, 8}, {"x", "w"});
    fc.node.set_attr_int("MW", 128);
    fc.node.set_attr_int("MH", 10);
    EXPECT_EQ(fc.infer(), (Shape{1, 10}));
    fc.node.set_attr_int("MW", 64); // 128 values are not one vector of 64
    EXPECT_THROW(fc.infer(), Error);

    OneNode swg("ConvolutionInputGenerator_rtl", "finn.custom_op.fpgadataflow.rtl", {1, 10, 10, 4});
    swg.node.set_attr_ints("ConvKernelDim", {3, 3});
    swg.node.set_attr_int("IFMChannels", 4);
    swg.node.set_attr_ints("Stride", {1, 1});
    swg.node.set_attr_ints("Dilation", {1, 1});
    EXPECT_EQ(swg.infer(), (Shape{1, 8, 8, 36}));

    OneNode pool("StreamingMaxPool_hls", "finn.custom_op.fpgadataflow.hls", {1, 9, 9, 4});
    pool.node.set_attr_ints("PoolDim", {2, 2});
    EXPECT_EQ(pool.infer(), (Shape{1, 4, 4, 4}));
    pool.node.set_attr_int("CeilMode", 1);
    EXPECT_EQ(pool.infer(), (Shape{1, 5, 5, 4}));

    OneNode label("LabelSelect_hls", "finn.custom_op.fpgadataflow.hls", {1, 10});
    label.node.set_attr_int("K", 1);
    EXPECT_EQ(label.infer(), (Shape{1, 1}));

    OneNode dup("DuplicateStreams", "finn.custom_op.fpgadataflow", {1, 4, 4, 8}, {"x"}, {"a", "b"});
    EXPECT_EQ(dup.infer("a"), (Shape{1, 4, 4, 8}));
    EXPECT_EQ(dup.infer("b"), (Shape{1, 4, 4, 8}));

    OneNode gap("GlobalAccPool_hls", "finn.custom_op.fpgadataflow.hls", {1, 4, 4, 8});
    EXPECT_EQ(gap.infer(), (Shape{1, 1, 1, 8}));
}

TEST(CustomOpSchemas, BuiltPerOpAndAnsweringAsONNXsRegistry) {
    const onnx::OpSchema* schema = nullptr;
    // A custom domain answers for its ops (same object every time), and nullptr for others.
    ASSERT_TRUE(custom_schema("finn.custom_op.fpgadataflow.hls", "MVAU_hls", 1, schema));
    ASSERT_NE(schema, nullptr);
    EXPECT_EQ(schema->Name(), "MVAU_hls");
    EXPECT_EQ(schema->domain(), "finn.custom_op.fpgadataflow.hls");
    const onnx::OpSchema* again = nullptr;
    ASSERT_TRUE(custom_schema("finn.custom_op.fpgadataflow.hls", "MVAU_hls", 3, again));
    EXPECT_EQ(again, schema);
    ASSERT_TRUE(custom_schema("finn.custom_op.fpgadataflow.hls", "MVAU", 1, schema));
    EXPECT_EQ(schema, nullptr);
    // Version 1 schemas are not visible below version 1; standard domains are not custom.
    ASSERT_TRUE(custom_schema("qonnx.custom_op.general", "Quant", 0, schema));
    EXPECT_EQ(schema, nullptr);
    EXPECT_FALSE(custom_schema("", "MatMul", 13, schema));
    EXPECT_FALSE(custom_schema("ai.onnx.ml", "TreeEnsembleClassifier", 1, schema));
}

TEST(CustomOpSchemas, FindBuildsOneDeclarationEqualToTheFullList) {
    const CustomOpDecl* mvau = find_custom_op("finn.custom_op.fpgadataflow.hls", "MVAU_hls");
    ASSERT_NE(mvau, nullptr);
    EXPECT_EQ(mvau, find_custom_op("finn.custom_op.fpgadataflow.hls", "MVAU_hls"));
    for (const auto& op : custom_op_declarations())
        if (op.op_type == "MVAU_hls") {
            ASSERT_EQ(op.attributes.size(), mvau->attributes.size());
            for (std::size_t i = 0; i < op.attributes.size(); ++i) {
                EXPECT_EQ(op.attributes[i].name, mvau->attributes[i].name);
                EXPECT_EQ(op.attributes[i].default_value, mvau->attributes[i].default_value);
            }
        }
}

} // namespace
} // namespace finn
