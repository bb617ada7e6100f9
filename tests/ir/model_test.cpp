#include "../test_support.h"
#include "finn/core/error.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/ir/model.h"

#include <fstream>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <thread>

namespace finn {
namespace {

using testing::ScratchDir;

// x(1,4) -> MatMul(W 4x3) -> MultiThreshold(T 3x2) -> y(1,3), as FINN writes a tiny FC layer.
Model make_fc_model() {
    Model model;
    model.proto().set_producer_name("finn-test");
    model.graph().set_name("fc");
    model.proto().add_opset_import()->set_version(13);
    auto* in = model.graph().add_input();
    in->set_name("x");
    model.set_shape("x", {1, 4});
    auto* out = model.graph().add_output();
    out->set_name("y");
    model.set_initializer("W", Tensor::from_floats({4, 3}, {1, 0, -1, 1, 1, 0, 0, 1, 1, -1, 0, 1}));
    model.set_initializer("T", Tensor::from_floats({3, 2}, {0, 1, 0, 1, 0, 1}));
    model.add_node("MatMul", {"x", "W"}, {"acc"}, "MatMul_0");
    Node mt = model.add_node("MultiThreshold", {"acc", "T"}, {"y"}, "MultiThreshold_0",
                             "qonnx.custom_op.general");
    mt.set_attr_string("out_dtype", "UINT2");
    model.set_datatype("x", DataType::parse("INT2"));
    model.set_datatype("y", DataType::parse("UINT2"));
    return model;
}

TEST(Model, ProducerConsumersAndNames) {
    Model model = make_fc_model();
    ASSERT_TRUE(model.producer("acc"));
    EXPECT_EQ(model.producer("acc")->name(), "MatMul_0");
    EXPECT_FALSE(model.producer("x")); // graph input
    EXPECT_FALSE(model.producer("W")); // initializer
    auto consumers = model.consumers("acc");
    ASSERT_EQ(consumers.size(), 1u);
    EXPECT_EQ(consumers[0].op_type(), "MultiThreshold");
    EXPECT_TRUE(model.consumers("y").empty());
    ASSERT_TRUE(model.node_by_name("MultiThreshold_0"));
    EXPECT_EQ(model.index_of(*model.node_by_name("MultiThreshold_0")), 1);
    EXPECT_FALSE(model.node_by_name("nope"));
    EXPECT_EQ(model.input_names(), std::vector<std::string>{"x"});
    EXPECT_EQ(model.output_names(), std::vector<std::string>{"y"});
}

TEST(Model, FreshNamesAvoidNodesAndTensors) {
    Model model = make_fc_model();
    EXPECT_EQ(model.fresh_name("t"), "t0");
    model.add_node("Relu", {"y"}, {"t0"}, "t1");
    EXPECT_EQ(model.fresh_name("t"), "t2");
    EXPECT_EQ(model.fresh_name("MatMul_"), "MatMul_1");
    // Only exact numeric suffixes are taken: t10 and t1x leave t1 free... until t1 exists.
    model.add_node("Relu", {"t0"}, {"t10"}, "t1x");
    EXPECT_EQ(model.fresh_name("t"), "t2");
    model.add_node("Relu", {"t10"}, {"t2"}, "n");
    EXPECT_EQ(model.fresh_name("t"), "t3");
}

TEST(Model, TopologicalOrderIsStableAndSorts) {
    Model model = make_fc_model();
    EXPECT_TRUE(model.is_topologically_sorted());
    EXPECT_EQ(model.topological_order(), (std::vector<int>{0, 1}));
    // Put the consumer first; sorting must restore producer-before-consumer.
    model.graph().mutable_node()->SwapElements(0, 1);
    EXPECT_FALSE(model.is_topologically_sorted());
    EXPECT_EQ(model.topological_order(), (std::vector<int>{1, 0}));
    model.sort_topologically();
    EXPECT_EQ(model.node(0).name(), "MatMul_0");
    EXPECT_TRUE(model.is_topologically_sorted());
}

TEST(Model, SortingAChainInAnyOrderRestoresIt) {
    // A chain a0 -> n0 -> a1 -> n1 -> ... stored in a scrambled order (the permutation has
    // cycles longer than two, which a swap-based sort must follow through).
    const std::vector<int> stored = {3, 5, 0, 6, 1, 4, 2};
    Model model;
    for (int k : stored)
        model.add_node("Relu", {"a" + std::to_string(k)}, {"a" + std::to_string(k + 1)},
                       "n" + std::to_string(k));
    model.graph().add_input()->set_name("a0");
    model.graph().add_output()->set_name("a7");
    EXPECT_FALSE(model.is_topologically_sorted());
    model.sort_topologically();
    for (int i = 0; i < 7; ++i)
        EXPECT_EQ(model.node(i).name(), "n" + std::to_string(i));
    EXPECT_TRUE(model.is_topologically_sorted());
}

TEST(Model, CycleIsAnErrorNamingANode) {
    Model model;
    model.add_node("Relu", {"b"}, {"a"}, "first");
    model.add_node("Relu", {"a"}, {"b"}, "second");
    try {
        model.topological_order();
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("cycle through node first"), std::string::npos)
            << e.what();
    }
}

TEST(Model, TypedAttributes) {
    Model model = make_fc_model();
    Node node = *model.node_by_name("MultiThreshold_0");
    EXPECT_EQ(node.attr_string("out_dtype"), "UINT2");
    EXPECT_FLOAT_EQ(node.attr_float("out_scale", 1.0f), 1.0f);
    node.set_attr_float("out_scale", 2.0f);
    node.set_attr_int("PE", 4);
    node.set_attr_ints("numInputVectors", {1, 8, 8});
    node.set_attr_strings("names", {"a", "b"});
    node.set_attr_floats("f", {0.5f, 1.5f});
    node.set_attr_tensor("t", Tensor::from_int64s({2}, {3, 4}));
    EXPECT_FLOAT_EQ(node.attr_float("out_scale"), 2.0f);
    EXPECT_EQ(node.attr_int("PE"), 4);
    EXPECT_EQ(node.attr_ints("numInputVectors"), (std::vector<std::int64_t>{1, 8, 8}));
    EXPECT_EQ(node.attr_strings("names"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(node.attr_floats("f"), (std::vector<float>{0.5f, 1.5f}));
    EXPECT_EQ(node.attr_tensor("t"), Tensor::from_int64s({2}, {3, 4}));
    // Replacing keeps one attribute of that name, even with another type.
    node.set_attr_string("PE", "four");
    EXPECT_EQ(node.attr_names().size(), 7u);
    EXPECT_EQ(node.attr_string("PE"), "four");
    node.remove_attr("PE");
    EXPECT_FALSE(node.has_attr("PE"));
    EXPECT_EQ(node.attr_int("PE", 7), 7);
}

TEST(Model, AttributeErrorsNameNodeAndAttribute) {
    Model model = make_fc_model();
    Node node = *model.node_by_name("MultiThreshold_0");
    try {
        node.attr_int("out_dtype");
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "node MultiThreshold_0 (MultiThreshold, qonnx.custom_op.general): "
                               "attribute 'out_dtype' has type string, expected int");
    }
    try {
        node.attr_ints("kernel");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("missing attribute 'kernel'"), std::string::npos);
    }
    EXPECT_THROW(node.input(5), Error);
    node.remove_input(0);
    EXPECT_EQ(node.inputs(), std::vector<std::string>{"T"});
    EXPECT_THROW(node.remove_input(1), Error);
}

TEST(Model, InitializersAreTypedTensors) {
    Model model = make_fc_model();
    EXPECT_TRUE(model.has_initializer("W"));
    Tensor w = model.initializer("W");
    EXPECT_EQ(w.shape(), (Shape{4, 3}));
    EXPECT_EQ(w.get(2), -1.0);
    model.set_initializer("W", Tensor::from_int64s({2}, {5, 6}));
    EXPECT_EQ(model.initializer("W").type(), ElementType::Int64);
    EXPECT_EQ(model.graph().initializer_size(), 2);
    model.remove_initializer("W");
    EXPECT_FALSE(model.has_initializer("W"));
    EXPECT_THROW(model.initializer("W"), Error);
}

TEST(Model, DatatypeLayoutAndSparsityAnnotations) {
    Model model = make_fc_model();
    EXPECT_EQ(model.datatype("x"), DataType::sint(2));
    EXPECT_EQ(model.datatype("acc"), DataType::float32()); // unannotated
    EXPECT_FALSE(model.has_datatype("acc"));
    model.set_datatype("acc", DataType::sint(5));
    EXPECT_EQ(model.annotation("acc", "finn_datatype"), "INT5");
    model.set_datatype("acc", DataType::sint(6)); // replaces, no duplicate entry
    EXPECT_EQ(model.datatype("acc"), DataType::sint(6));
    model.clear_datatype("acc");
    EXPECT_FALSE(model.has_datatype("acc"));

    model.set_layout("x", {"N", "C"});
    EXPECT_EQ(model.annotation("x", "tensor_layout"), "['N', 'C']");
    EXPECT_EQ(model.layout("x"), (std::vector<std::string>{"N", "C"}));
    EXPECT_TRUE(model.layout("acc").empty());
    model.set_sparsity("W", "{'dw': {'kernel_shape': [3, 3]}}");
    EXPECT_EQ(model.sparsity("W"), "{'dw': {'kernel_shape': [3, 3]}}");
    // The datatype annotation of x survived the layout being added to the same entry.
    EXPECT_EQ(model.datatype("x"), DataType::sint(2));

    model.set_annotation("y", "finn_datatype", "UINT");
    EXPECT_THROW(model.datatype("y"), Error);
}

TEST(Model, LayoutStrings) {
    EXPECT_EQ(layout_from_string("['N', 'H', 'W', 'C']"),
              (std::vector<std::string>{"N", "H", "W", "C"}));
    EXPECT_EQ(layout_from_string("[]"), std::vector<std::string>{});
    EXPECT_EQ(layout_from_string("[\"N\",\"C\",\"x\"]"), (std::vector<std::string>{"N", "C", "x"}));
    EXPECT_THROW(layout_from_string("NHWC"), Error);
    EXPECT_THROW(layout_from_string("['N', 'C'"), Error);
    EXPECT_EQ(layout_to_string({"N", "C", "x"}), "['N', 'C', 'x']");
}

TEST(Model, ShapeInferenceThroughCustomOps) {
    Model model = make_fc_model();
    EXPECT_FALSE(model.shape("acc"));
    model.infer_shapes();
    EXPECT_EQ(model.shape("acc"), (Shape{1, 3}));
    EXPECT_EQ(model.shape("y"), (Shape{1, 3}));
    EXPECT_TRUE(model.tensors_without_shape().empty());
    // The custom domain got its opset_import.
    bool imported = false;
    for (const auto& op : model.proto().opset_import())
        imported |= op.domain() == "qonnx.custom_op.general" && op.version() == 1;
    EXPECT_TRUE(imported);
    EXPECT_NO_THROW(model.check());
}

TEST(Model, ShapeInferenceContradictionIsAnError) {
    Model model = make_fc_model();
    model.set_shape("x", {1, 5}); // MatMul with W (4, 3) cannot take 5 columns
    try {
        model.infer_shapes();
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("shape inference failed"), std::string::npos);
    }
}

TEST(Model, SaveIsAtomicAndSkipsIdenticalBytes) {
    ScratchDir dir;
    Model model = make_fc_model();
    auto path = dir / "sub/model.onnx";
    EXPECT_TRUE(model.save(path));
    auto first = testing::mtime_ns(path);
    EXPECT_FALSE(model.save(path)); // identical bytes: untouched
    EXPECT_EQ(testing::mtime_ns(path), first);
    model.node(0).set_name("MatMul_renamed");
    EXPECT_TRUE(model.save(path));
    EXPECT_EQ(Model::load(path).node(0).name(), "MatMul_renamed");
    // No temporary file left behind.
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir / "sub")) {
        (void)entry;
        ++files;
    }
    EXPECT_EQ(files, 1);
}

TEST(Model, SerializationIsDeterministicAndLossless) {
    Model model = make_fc_model();
    std::string bytes = model.serialize();
    EXPECT_EQ(bytes, model.serialize());
    Model reloaded = Model::parse(bytes, "memory");
    EXPECT_EQ(reloaded.serialize(), bytes);
    // The same bytes protobuf's own deterministic serializer writes.
    std::string reference;
    {
        google::protobuf::io::StringOutputStream stream(&reference);
        google::protobuf::io::CodedOutputStream coded(&stream);
        coded.SetSerializationDeterministic(true);
        model.proto().SerializeToCodedStream(&coded);
    }
    EXPECT_EQ(bytes, reference);
}

TEST(Model, LoadsFromAPipe) {
    // A file whose size is unknown up front (a FIFO, as with <(...) in a shell) is read whole.
    ScratchDir dir;
    const auto fifo = dir / "model.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string bytes = make_fc_model().serialize();
    std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << bytes; });
    Model loaded = Model::load(fifo);
    writer.join();
    EXPECT_EQ(loaded.serialize(), bytes);
}

TEST(Model, BadFilesGiveOneLineErrors) {
    ScratchDir dir;
    auto expect_error = [](const std::filesystem::path& p, const std::string& fragment) {
        try {
            Model::load(p);
            FAIL() << "expected an error for " << p;
        } catch (const Error& e) {
            std::string message = e.what();
            EXPECT_NE(message.find(p.string()), std::string::npos) << message;
            EXPECT_NE(message.find(fragment), std::string::npos) << message;
            EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        }
    };
    expect_error(dir / "missing.onnx", "cannot open file");
    { std::ofstream(dir / "text.onnx") << "this is not a model\n"; }
    expect_error(dir / "text.onnx", "not an ONNX model");
    std::string bytes = make_fc_model().serialize();
    {
        std::ofstream(dir / "truncated.onnx", std::ios::binary)
            << bytes.substr(0, bytes.size() / 2);
    }
    expect_error(dir / "truncated.onnx", "not an ONNX model");
    { std::ofstream(dir / "empty.onnx"); }
    expect_error(dir / "empty.onnx", "not an ONNX model");
    expect_error(dir.path(), "is a directory");
}

// --- graph helpers for passes ---------------------------------------------------------------

TEST(NodeMatching, DomainAliasesMatchAsOneDomain) {
    Model model;
    Node standard = model.add_node("Mul", {"a", "b"}, {"c"});
    Node aliased = model.add_node("Mul", {"a", "b"}, {"d"}, "", "ai.onnx");
    Node legacy = model.add_node("MultiThreshold", {"c", "t"}, {"e"}, "", domains::kFinnLegacy);
    Node hls = model.add_node("MVAU_hls", {"e", "w"}, {"f"}, "", domains::kFpgaDataflowHls);
    EXPECT_TRUE(standard.is_standard_op("Mul"));
    EXPECT_TRUE(aliased.is_standard_op("Mul"));
    EXPECT_FALSE(aliased.is_standard_op("Add"));
    EXPECT_TRUE(legacy.is_general_op("MultiThreshold"));
    EXPECT_TRUE(legacy.is_op(domains::kQonnxGeneral, "MultiThreshold"));
    EXPECT_FALSE(legacy.is_standard_op("MultiThreshold"));
    EXPECT_TRUE(hls.is_op(domains::kFpgaDataflowHls, "MVAU_hls"));
    EXPECT_FALSE(hls.is_op(domains::kFpgaDataflow, "MVAU_hls")); // a sub-domain is no alias
    EXPECT_TRUE(same_domain("", "ai.onnx"));
    EXPECT_FALSE(same_domain("", domains::kQonnxGeneral));
}

TEST(ModelHelpers, SingleConsumerIsNeverAForkOrAGraphOutput) {
    Model model;
    model.graph().add_input()->set_name("x");
    model.graph().add_output()->set_name("y");
    Node relu = model.add_node("Relu", {"x"}, {"t"}, "Relu_0");
    model.add_node("Neg", {"t"}, {"u"}, "Neg_0");
    model.add_node("Abs", {"u"}, {"y"}, "Abs_0");
    ASSERT_TRUE(model.single_consumer(relu));
    EXPECT_EQ(model.single_consumer(relu)->name(), "Neg_0");
    EXPECT_FALSE(model.single_consumer("y")) << "a graph output";
    EXPECT_TRUE(model.is_graph_output("y"));
    EXPECT_FALSE(model.is_graph_output("t"));
    model.add_node("Sigmoid", {"t"}, {"z"}, "Sigmoid_0");
    EXPECT_FALSE(model.single_consumer("t")) << "a fork";
}

TEST(ModelHelpers, InsertNodeAtAPositionAndFreshNodeNames) {
    Model model;
    model.add_node("Relu", {"x"}, {"t"}, "Relu_0");
    model.add_node("Abs", {"u"}, {"y"}, "Abs_0");
    EXPECT_EQ(model.fresh_node_name("Relu"), "Relu_1");
    Node neg = model.insert_node(1, "Neg", {"t"}, {"u"}, model.fresh_node_name("Neg"));
    EXPECT_EQ(neg.name(), "Neg_0");
    ASSERT_EQ(model.node_count(), 3);
    EXPECT_EQ(model.node(1).name(), "Neg_0");
    EXPECT_EQ(model.node(2).name(), "Abs_0");
    EXPECT_THROW(model.insert_node(5, "Neg", {}, {}), Error);
}

} // namespace
} // namespace finn
