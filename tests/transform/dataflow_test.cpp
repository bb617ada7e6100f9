// CreateDataflowPartition, SpecializeLayers, ApplyConfig and extract_model_config.
#include "../test_support.h"
#include "finn/core/error.h"
#include "finn/exec/executor.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/tidy_up.h"

#include <fstream>
#include <gtest/gtest.h>
#include <random>
#include <sstream>

namespace finn {
namespace {

using testing::ScratchDir;

// Small graphs of abstract hardware nodes, built by hand.
class GraphBuilder {
public:
    GraphBuilder() {
        model.graph().set_name("hand_built");
        model.proto().set_ir_version(8);
        auto* onnx_opset = model.proto().add_opset_import();
        onnx_opset->set_version(13);
        auto* hw = model.proto().add_opset_import();
        hw->set_domain(domains::kFpgaDataflow);
        hw->set_version(1);
    }
    void input(const std::string& name, const Shape& shape, const std::string& dt) {
        model.graph().add_input()->set_name(name);
        model.set_shape(name, shape);
        model.set_datatype(name, DataType::parse(dt));
    }
    void output(const std::string& name, const Shape& shape) {
        model.graph().add_output()->set_name(name);
        model.set_shape(name, shape);
    }
    Node hw(const std::string& op, const std::vector<std::string>& ins,
            const std::vector<std::string>& outs, const std::string& name = "") {
        Node n = model.add_node(op, ins, outs, name, domains::kFpgaDataflow);
        n.set_attr_string("backend", "fpgadataflow");
        return n;
    }
    // An MVAU (MW x MH) with random INT2 weights; with thresholds (UINT2 output) unless
    // `no_activation`.
    Node mvau(const std::string& in, const std::string& out, std::int64_t mw, std::int64_t mh,
              bool no_activation, unsigned seed, const std::string& name = "") {
        std::mt19937 rng(seed);
        std::uniform_int_distribution<int> pick(-2, 1);
        std::vector<float> w(static_cast<std::size_t>(mw * mh));
        for (auto& v : w)
            v = static_cast<float>(pick(rng));
        const std::string wname = out + "_W";
        model.set_initializer(wname, Tensor::from_floats({mw, mh}, w));
        model.set_datatype(wname, DataType::parse("INT2"));
        std::vector<std::string> ins = {in, wname};
        if (!no_activation) {
            std::vector<float> t;
            for (std::int64_t c = 0; c < mh; ++c)
                for (float s : {-2.0f, 0.0f, 2.0f})
                    t.push_back(s + static_cast<float>(c % 2));
            const std::string tname = out + "_T";
            model.set_initializer(tname, Tensor::from_floats({mh, 3}, t));
            ins.push_back(tname);
        }
        Node n = hw("MVAU", ins, {out}, name);
        n.set_attr_int("MW", mw);
        n.set_attr_int("MH", mh);
        n.set_attr_int("SIMD", 1);
        n.set_attr_int("PE", 1);
        n.set_attr_string("inputDataType", "UINT2");
        n.set_attr_string("weightDataType", "INT2");
        n.set_attr_string("outputDataType", no_activation ? "INT32" : "UINT2");
        n.set_attr_int("noActivation", no_activation ? 1 : 0);
        n.set_attr_int("binaryXnorMode", 0);
        n.set_attr_int("ActVal", 0);
        n.set_attr_ints("numInputVectors", {1});
        return n;
    }
    Model model;
};

Tensor random_uint2(const Shape& shape, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> pick(0, 3);
    std::vector<float> v(static_cast<std::size_t>(shape_size(shape)));
    for (auto& x : v)
        x = static_cast<float>(pick(rng));
    return Tensor::from_floats(shape, v);
}

// in (1,1,4,4) -> Reshape -> r0 (1,16) -> MVAU_0 -> m0 (1,8) -> MVAU_1 -> m1 (1,4) -> Mul -> out.
// With `glue_between`, an Identity sits between the two MVAUs.
Model partition_test_graph(bool glue_between = false) {
    GraphBuilder b;
    b.input("in", {1, 1, 4, 4}, "UINT2");
    b.output("out", {1, 4});
    b.model.set_initializer("shape", Tensor::from_int64s({2}, {1, 16}));
    b.model.add_node("Reshape", {"in", "shape"}, {"r0"}, "Reshape_0");
    b.mvau("r0", "m0", 16, 8, false, 1, "MVAU_0");
    std::string next = "m0";
    if (glue_between) {
        b.model.add_node("Identity", {"m0"}, {"g0"}, "Identity_0");
        next = "g0";
    }
    b.mvau(next, "m1", 8, 4, true, 2, "MVAU_1");
    b.model.set_initializer("scale", Tensor::from_floats({1}, {0.5f}));
    b.model.add_node("Mul", {"m1", "scale"}, {"out"}, "Mul_0");
    b.model.infer_shapes();
    b.model.set_datatype("r0", DataType::parse("UINT2"));
    return b.model;
}

std::vector<std::string> op_types(Model& m) {
    std::vector<std::string> out;
    for (Node n : m.nodes())
        out.push_back(n.op_type());
    return out;
}

std::vector<std::string> names(Model& m) {
    std::vector<std::string> out;
    for (Node n : m.nodes())
        out.push_back(n.name());
    return out;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

// --- CreateDataflowPartition ---------------------------------------------------------------------

TEST(CreateDataflowPartition, ParentKeepsGlueAndOnePartitionNode) {
    Model model = partition_test_graph();
    DataflowPartition p = create_dataflow_partition(model);
    EXPECT_EQ(p.child_path, "supported_op_partitions/partition_0.onnx");

    EXPECT_EQ(op_types(p.parent),
              (std::vector<std::string>{"Reshape", "StreamingDataflowPartition", "Mul"}));
    Node sdp = p.parent.node(1);
    EXPECT_EQ(sdp.name(), "GenericPartition_0");
    EXPECT_EQ(sdp.domain(), domains::kFpgaDataflow);
    EXPECT_EQ(sdp.inputs(), std::vector<std::string>{"r0"});
    EXPECT_EQ(sdp.outputs(), std::vector<std::string>{"m1"});
    EXPECT_EQ(sdp.attr_names(),
              (std::vector<std::string>{"model", "partition_id", "slr", "mem_port"}));
    EXPECT_EQ(sdp.attr_string("model"), "supported_op_partitions/partition_0.onnx");
    EXPECT_EQ(sdp.attr_int("partition_id"), 0);
    EXPECT_EQ(sdp.attr_int("slr"), -1);
    EXPECT_EQ(sdp.attr_string("mem_port"), "");
    // The hardware parameters moved out with their nodes.
    EXPECT_EQ(p.parent.initializer_names(), (std::vector<std::string>{"shape", "scale"}));
    EXPECT_EQ(p.parent.input_names(), std::vector<std::string>{"in"});
    EXPECT_EQ(p.parent.output_names(), std::vector<std::string>{"out"});
    EXPECT_NO_THROW(p.parent.check());
}

TEST(CreateDataflowPartition, ChildHoldsTheHardwareNodesAndComputesTheSame) {
    Model model = partition_test_graph();
    DataflowPartition p = create_dataflow_partition(model);
    Model& child = p.child;
    EXPECT_EQ(op_types(child), (std::vector<std::string>{"MVAU", "MVAU"}));
    EXPECT_EQ(names(child), (std::vector<std::string>{"MVAU_0", "MVAU_1"}));
    EXPECT_EQ(child.input_names(), std::vector<std::string>{"r0"});
    EXPECT_EQ(child.output_names(), std::vector<std::string>{"m1"});
    EXPECT_EQ(child.shape("r0"), (Shape{1, 16}));
    EXPECT_EQ(child.shape("m1"), (Shape{1, 4}));
    EXPECT_EQ(child.datatype("r0").name(), "UINT2");
    EXPECT_EQ(child.initializer_names(),
              (std::vector<std::string>{"m0_W", "m0_T", "m1_W"})); // graph order kept
    EXPECT_EQ(child.value_info_names(), std::vector<std::string>{"m0"});
    EXPECT_NO_THROW(child.check());

    Tensor x = random_uint2({1, 1, 4, 4}, 7);
    TensorMap all = Executor(model).run({{"in", x}}, /*keep_intermediates=*/true);
    TensorMap out = Executor(child).run({{"r0", all.at("r0")}});
    EXPECT_EQ(out.at("m1").to_floats(), all.at("m1").to_floats());
}

TEST(CreateDataflowPartition, SavedModelsUseRelativePaths) {
    Model model = partition_test_graph();
    DataflowPartition p = create_dataflow_partition(model);
    ScratchDir dir;
    const auto intermediate = dir.path() / "intermediate_models";
    p.parent.save(intermediate / "dataflow_parent.onnx");
    p.child.save(intermediate / p.child_path);
    const std::string bytes = p.parent.serialize() + p.child.serialize();
    EXPECT_EQ(bytes.find(dir.path().string()), std::string::npos);
    EXPECT_EQ(bytes.find("/tmp"), std::string::npos);

    Model parent = Model::load(intermediate / "dataflow_parent.onnx");
    Model child = load_partition_child(parent, intermediate);
    EXPECT_EQ(child.serialize(), p.child.serialize());
    EXPECT_NE(error_of([&] { load_partition_child(parent, dir.path()); }), "");
    EXPECT_NE(error_of([&] {
                  load_partition_child(model, intermediate);
              }).find("expected one StreamingDataflowPartition node, found 0"),
              std::string::npos);
    EXPECT_NE(error_of([&] { create_dataflow_partition(model, "/abs/dir"); }).find("relative"),
              std::string::npos);
}

TEST(CreateDataflowPartition, TransformationKeepsTheChild) {
    Model model = partition_test_graph();
    CreateDataflowPartition cdp("parts");
    EXPECT_THROW(cdp.child(), Error);
    EXPECT_TRUE(cdp.run(model));
    EXPECT_EQ(op_types(model),
              (std::vector<std::string>{"Reshape", "StreamingDataflowPartition", "Mul"}));
    EXPECT_EQ(cdp.child_path(), "parts/partition_0.onnx");
    EXPECT_EQ(cdp.child().node_count(), 2);
}

TEST(CreateDataflowPartition, NonHardwareNodeBetweenHardwareNodesFails) {
    Model model = partition_test_graph(/*glue_between=*/true);
    std::string message = error_of([&] { create_dataflow_partition(model); });
    EXPECT_NE(message.find("Only a single StreamingDataflowPartition supported."),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("Identity_0 (Identity)"), std::string::npos) << message;
    EXPECT_EQ(message.find("Reshape_0"), std::string::npos) << message;
}

TEST(CreateDataflowPartition, DifferentPartitionIdsFail) {
    Model model = partition_test_graph();
    model.node_by_name("MVAU_1")->set_attr_int("partition_id", 1);
    std::string message = error_of([&] { create_dataflow_partition(model); });
    EXPECT_NE(message.find("Only a single StreamingDataflowPartition supported."),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("MVAU_1"), std::string::npos) << message;
}

TEST(CreateDataflowPartition, PartitionIdNamesTheFile) {
    Model model = partition_test_graph();
    for (Node n : model.nodes())
        if (n.op_type() == "MVAU") n.set_attr_int("partition_id", 3);
    DataflowPartition p = create_dataflow_partition(model);
    EXPECT_EQ(p.child_path, "supported_op_partitions/partition_3.onnx");
    EXPECT_EQ(p.parent.node(1).name(), "GenericPartition_3");
    EXPECT_EQ(p.parent.node(1).attr_int("partition_id"), 0);
}

TEST(CreateDataflowPartition, FloorplanChecks) {
    Model model = partition_test_graph();
    model.node_by_name("MVAU_0")->set_attr_string("mem_port", "HBM[0]");
    DataflowPartition p = create_dataflow_partition(model);
    EXPECT_EQ(p.parent.node(1).attr_string("mem_port"), "HBM[0]");
    model.node_by_name("MVAU_1")->set_attr_string("mem_port", "HBM[1]");
    EXPECT_NE(error_of([&] { create_dataflow_partition(model); }).find("Too many memory ports"),
              std::string::npos);
    Model slr = partition_test_graph();
    slr.node_by_name("MVAU_1")->set_attr_int("slr", 1);
    EXPECT_NE(error_of([&] { create_dataflow_partition(slr); }).find("same slr"),
              std::string::npos);
}

TEST(CreateDataflowPartition, NoHardwareNodesFails) {
    GraphBuilder b;
    b.input("in", {1, 4}, "UINT2");
    b.output("out", {1, 4});
    b.model.add_node("Identity", {"in"}, {"out"}, "Identity_0");
    std::string message = error_of([&] { create_dataflow_partition(b.model); });
    EXPECT_NE(message.find("Only a single StreamingDataflowPartition supported."),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("no fpgadataflow nodes"), std::string::npos) << message;
}

// --- SpecializeLayers ----------------------------------------------------------------------------

Tensor random_input(const Model& model, const std::string& name, unsigned seed) {
    DataType dt = model.datatype(name);
    Shape shape = *model.shape(name);
    std::mt19937 rng(seed);
    const bool bipolar = dt.kind() == DataType::Kind::Bipolar;
    std::uniform_int_distribution<int> pick(bipolar ? 0 : static_cast<int>(dt.int_min()),
                                            static_cast<int>(dt.int_max()));
    std::vector<float> values(static_cast<std::size_t>(shape_size(shape)));
    for (auto& v : values) {
        int r = pick(rng);
        v = static_cast<float>(bipolar ? 2 * r - 1 : r);
    }
    return Tensor::from_floats(shape, values);
}

TensorMap run_seeded(const Model& model, unsigned seed) {
    const std::string in = model.input_names().at(0);
    return Executor(model).run({{in, random_input(model, in, seed)}});
}

TEST(SpecializeLayers, ResidualLegacyGraph) {
    FINN_REQUIRE_SHARED(shared);
    Model model = Model::load(shared / "models/finn/hw_graphs/residual_hw.onnx");
    const TensorMap before = run_seeded(model, 11);
    std::vector<std::string> warnings;
    SpecializeLayers specialize("xczu3eg-sbva484-1-e",
                                [&](const std::string& w) { warnings.push_back(w); });
    EXPECT_TRUE(specialize.run(model));
    EXPECT_TRUE(warnings.empty());
    // The thresholded MVAU/VVAU cannot be RTL; FMPadding and the SWG default to RTL.
    EXPECT_EQ(op_types(model),
              (std::vector<std::string>{"DuplicateStreams_hls", "FMPadding_rtl",
                                        "ConvolutionInputGenerator_rtl", "VVAU_hls", "MVAU_hls",
                                        "AddStreams_hls"}));
    EXPECT_EQ(names(model),
              (std::vector<std::string>{"DuplicateStreams_hls_0", "FMPadding_rtl_0",
                                        "ConvolutionInputGenerator_rtl_0", "VVAU_hls_0",
                                        "MVAU_hls_0", "AddStreams_hls_0"}));
    for (Node n : model.nodes()) {
        EXPECT_EQ(n.domain(), n.op_type().ends_with("_hls") ? domains::kFpgaDataflowHls
                                                            : domains::kFpgaDataflowRtl);
        EXPECT_FALSE(n.has_attr("preferred_impl_style"));
    }
    EXPECT_EQ(model.node_by_name("MVAU_hls_0")->attr_string("mem_mode"), "internal_decoupled");
    const TensorMap after = run_seeded(model, 11);
    const std::string out = model.output_names().at(0);
    EXPECT_EQ(after.at(out).to_floats(), before.at(out).to_floats());
    EXPECT_EQ(model.datatype(out).name(), "INT5");
    // A second run finds nothing to do.
    EXPECT_FALSE(SpecializeLayers("xczu3eg-sbva484-1-e").run(model));
}

TEST(SpecializeLayers, AlreadySpecializedGraphGetsNames) {
    FINN_REQUIRE_SHARED(shared);
    Model model = Model::load(shared / "models/finn/hw_graphs/cybsec_mlp_mvau.onnx");
    const TensorMap before = run_seeded(model, 5);
    EXPECT_TRUE(SpecializeLayers("xczu3eg-sbva484-1-e").run(model));
    EXPECT_EQ(names(model),
              (std::vector<std::string>{"MVAU_hls_0", "MVAU_hls_1", "MVAU_hls_2", "MVAU_hls_3"}));
    for (Node n : model.nodes())
        EXPECT_EQ(n.domain(), domains::kFpgaDataflowHls);
    const std::string out = model.output_names().at(0);
    EXPECT_EQ(run_seeded(model, 5).at(out).to_floats(), before.at(out).to_floats());
}

// One standalone MVAU without activation: RTL if the part allows it.
Model single_mvau(const std::string& idt, const std::string& wdt, float w_min, bool activation) {
    GraphBuilder b;
    b.input("in", {1, 4}, idt);
    b.output("out", {1, 2});
    Node n = b.mvau("in", "out", 4, 2, !activation, 3, "MVAU_0");
    n.set_attr_string("inputDataType", idt);
    n.set_attr_string("weightDataType", wdt);
    Tensor w = Tensor::from_floats({4, 2}, {w_min, 1, 2, 3, -1, 0, 1, 2});
    b.model.set_initializer("out_W", w);
    return b.model;
}

std::string specialized_op(Model model, const std::string& part, const std::string& preference = "",
                           std::vector<std::string>* warnings = nullptr) {
    if (!preference.empty()) model.node(0).set_attr_string("preferred_impl_style", preference);
    SpecializeLayers s(part);
    s.run(model);
    if (warnings) *warnings = s.warnings();
    return model.node(0).op_type();
}

TEST(SpecializeLayers, MvauRtlFollowsFinnRules) {
    const std::string us = "xczu3eg-sbva484-1-e", z7 = "xc7z020clg400-1", versal = "xcvc1902-vsva";
    // 8-bit signed narrow weights, no activation: RTL on every family.
    EXPECT_EQ(specialized_op(single_mvau("INT8", "INT8", -127, false), us), "MVAU_rtl");
    EXPECT_EQ(specialized_op(single_mvau("INT8", "INT8", -127, false), z7), "MVAU_rtl");
    EXPECT_EQ(specialized_op(single_mvau("INT8", "INT8", -127, false), versal), "MVAU_rtl");
    // Full-range weights do not fit DSP48E1 (7-series).
    EXPECT_EQ(specialized_op(single_mvau("INT8", "INT8", -128, false), z7), "MVAU_hls");
    EXPECT_EQ(specialized_op(single_mvau("INT8", "INT8", -128, false), us), "MVAU_rtl");
    // Default needs at least 4 bits; an explicit preference does not.
    EXPECT_EQ(specialized_op(single_mvau("UINT2", "INT2", -1, false), us), "MVAU_hls");
    EXPECT_EQ(specialized_op(single_mvau("UINT2", "INT2", -1, false), us, "rtl"), "MVAU_rtl");
    // Unsigned weights, 9-bit unsigned input, embedded thresholds: HLS.
    EXPECT_EQ(specialized_op(single_mvau("INT8", "UINT8", 0, false), us), "MVAU_hls");
    EXPECT_EQ(specialized_op(single_mvau("UINT9", "INT8", -127, false), us), "MVAU_hls");
    EXPECT_EQ(specialized_op(single_mvau("INT9", "INT8", -127, false), us), "MVAU_rtl");
    std::vector<std::string> warnings;
    EXPECT_EQ(specialized_op(single_mvau("UINT2", "INT2", -1, true), us, "rtl", &warnings),
              "MVAU_hls");
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("There is no RTL variant for MVAU_0"), std::string::npos);
    // The part decides only when everything else allows RTL; FINN cannot decide without one.
    EXPECT_EQ(specialized_op(single_mvau("UINT2", "INT2", -1, true), ""), "MVAU_hls");
    EXPECT_THROW(specialized_op(single_mvau("INT8", "INT8", -127, false), ""), Error);
}

TEST(SpecializeLayers, PreferencesAndFallbacks) {
    GraphBuilder b;
    b.input("in", {1, 4}, "UINT2");
    b.output("out", {1, 1});
    Node fifo = b.hw("StreamingFIFO", {"in"}, {"f"}, "StreamingFIFO_0");
    fifo.set_attr_string("preferred_impl_style", "hls");
    Node th = b.hw("Thresholding_Batch", {"f"}, {"t"});
    th.set_attr_string("mem_mode", "const");
    Node ls = b.hw("LabelSelect_Batch", {"t"}, {"out"}, "LabelSelect_Batch_0");
    ls.set_attr_string("preferred_impl_style", "rtl");
    ls.set_attr_int("K", 1);
    std::vector<std::string> logged;
    SpecializeLayers s("xczu3eg-sbva484-1-e", [&](const std::string& w) { logged.push_back(w); });
    Model model = b.model;
    // Datatype inference needs the ops' own attributes; the structure is what is tested here.
    for (Node n : model.nodes())
        n.set_attr_string("outputDataType", "UINT2");
    s.run(model);
    EXPECT_EQ(op_types(model), (std::vector<std::string>{"StreamingFIFO_rtl", "Thresholding_rtl",
                                                         "LabelSelect_hls"}));
    EXPECT_EQ(names(model), (std::vector<std::string>{"StreamingFIFO_rtl_0", "Thresholding_rtl_0",
                                                      "LabelSelect_hls_0"}));
    EXPECT_EQ(model.node(1).attr_string("mem_mode"), "internal_embedded");
    ASSERT_EQ(logged.size(), 2u);
    EXPECT_EQ(logged, s.warnings());
    EXPECT_EQ(logged[0], "There is no HLS variant of StreamingFIFO. Node StreamingFIFO_0 will "
                         "automatically be set to RTL variant.");
    EXPECT_EQ(logged[1], "There is no RTL variant of LabelSelect. Node LabelSelect_Batch_0 will "
                         "automatically be set to HLS variant.");
}

TEST(SpecializeLayers, ConverterSwgAndBadPreference) {
    auto one = [](const std::string& op, const std::function<void(Node&)>& attrs) {
        GraphBuilder b;
        b.input("in", {1, 4}, "UINT2");
        b.output("out", {1, 4});
        Node n = b.hw(op, {"in"}, {"out"}, op + "_0");
        attrs(n);
        return b.model;
    };
    auto dwc = [&](std::int64_t in, std::int64_t out) {
        return one("StreamingDataWidthConverter", [&](Node& n) {
            n.set_attr_int("inWidth", in);
            n.set_attr_int("outWidth", out);
        });
    };
    const std::string part = "xczu3eg-sbva484-1-e";
    EXPECT_EQ(specialized_op(dwc(8, 4), part), "StreamingDataWidthConverter_rtl");
    EXPECT_EQ(specialized_op(dwc(6, 4), part), "StreamingDataWidthConverter_hls");
    std::vector<std::string> w;
    EXPECT_EQ(specialized_op(dwc(6, 4), part, "rtl", &w), "StreamingDataWidthConverter_hls");
    EXPECT_EQ(w.size(), 1u);
    auto swg = [&](std::vector<std::int64_t> k) {
        return one("ConvolutionInputGenerator", [&](Node& n) {
            n.set_attr_ints("ConvKernelDim", k);
            n.set_attr_ints("IFMDim", {4, 4});
            n.set_attr_ints("OFMDim", {2, 2});
            n.set_attr_ints("Stride", {1, 1});
        });
    };
    EXPECT_EQ(specialized_op(swg({3, 3}), part, "hls", &w), "ConvolutionInputGenerator_hls");
    EXPECT_TRUE(w.empty());
    EXPECT_EQ(specialized_op(swg({3, 1}), part, "hls", &w), "ConvolutionInputGenerator_rtl");
    ASSERT_EQ(w.size(), 1u);
    EXPECT_NE(w[0].find("Settings are not supported in HLS"), std::string::npos);

    Model bad = dwc(8, 4);
    bad.node(0).set_attr_string("preferred_impl_style", "vhdl");
    EXPECT_NE(error_of([&] { SpecializeLayers(part).run(bad); }).find("preferred_impl_style"),
              std::string::npos);
    Model unknown = one("NoSuchHwOp", [](Node&) {});
    EXPECT_NE(error_of([&] {
                  SpecializeLayers(part).run(unknown);
              }).find("has no hw implementation variant"),
              std::string::npos);
}

TEST(SpecializeLayers, PartHelpers) {
    EXPECT_TRUE(is_versal_part("xcvc1902-vsva2197-2MP-e-S"));
    EXPECT_TRUE(is_versal_part("xqrvc1902"));
    EXPECT_FALSE(is_versal_part("xczu3eg-sbva484-1-e"));
    EXPECT_EQ(dsp_block_of_part("xcve2802"), "DSP58");
    EXPECT_EQ(dsp_block_of_part("xc7z020clg400-1"), "DSP48E1");
    EXPECT_EQ(dsp_block_of_part("xcu250-figd2104-2L-e"), "DSP48E2");
    EXPECT_EQ(canonical_hw_op_type("StreamingFCLayer_Batch"), "MVAU");
    EXPECT_EQ(canonical_hw_op_type("MatrixVectorActivation"), "MVAU");
    EXPECT_EQ(canonical_hw_op_type("VectorVectorActivation"), "VVAU");
    EXPECT_EQ(canonical_hw_op_type("FMPadding_Batch"), "FMPadding");
    EXPECT_EQ(canonical_hw_op_type("Thresholding"), "Thresholding");
    EXPECT_TRUE(has_rtl_variant("Thresholding"));
    EXPECT_FALSE(has_rtl_variant("LabelSelect"));
    EXPECT_FALSE(has_hls_variant("StreamingFIFO"));
}

// --- ApplyConfig ---------------------------------------------------------------------------------

// The abstract TFC after convert_to_hw: Thresholding, four MVAUs, LabelSelect (nodes unnamed, as
// GiveUniqueNodeNames names them before ApplyConfig).
Model tfc_like_hw_graph() {
    GraphBuilder b;
    b.input("in", {1, 16}, "UINT8");
    b.output("out", {1, 1});
    std::vector<float> t(16);
    b.model.set_initializer("T", Tensor::from_floats({16, 1}, t));
    Node th = b.hw("Thresholding", {"in", "T"}, {"a"});
    th.set_attr_int("NumChannels", 16);
    th.set_attr_int("PE", 1);
    th.set_attr_int("numSteps", 1);
    th.set_attr_string("inputDataType", "UINT8");
    th.set_attr_string("outputDataType", "BIPOLAR");
    std::string in = "a";
    for (int i = 0; i < 4; ++i) {
        std::string out = "m" + std::to_string(i);
        Node m = b.mvau(in, out, 16, i == 3 ? 10 : 16, i == 3, 10 + i);
        m.set_attr_string("inputDataType", "BIPOLAR");
        m.set_attr_string("weightDataType", "BIPOLAR");
        m.set_attr_string("mem_mode", "decoupled");
        in = out;
    }
    Node ls = b.hw("LabelSelect", {in}, {"out"});
    ls.set_attr_int("Labels", 10);
    ls.set_attr_int("PE", 1);
    ls.set_attr_int("K", 1);
    ls.set_attr_string("inputDataType", "INT32");
    ls.set_attr_string("outputDataType", "UINT8");
    return b.model;
}

TEST(ApplyConfig, TfcSpecializeConfig) {
    FINN_REQUIRE_SHARED(shared);
    Model model = tfc_like_hw_graph();
    GiveUniqueNodeNames().run(model);
    ApplyConfig apply(
        AttributeConfig::load(shared / "models/finn/tfc_w1a1/specialize_layers_config.json"));
    EXPECT_TRUE(apply.run(model));
    EXPECT_TRUE(apply.warnings().empty());
    EXPECT_EQ(model.node_by_name("Thresholding_0")->attr_string("preferred_impl_style"), "rtl");
    EXPECT_EQ(model.node_by_name("MVAU_0")->attr_string("preferred_impl_style"), "hls");
    EXPECT_EQ(model.node_by_name("MVAU_3")->attr_string("preferred_impl_style", ""), "");
    EXPECT_EQ(model.node_by_name("LabelSelect_0")->attr_string("preferred_impl_style"), "hls");

    EXPECT_TRUE(SpecializeLayers("xc7z020clg400-1").run(model));
    EXPECT_EQ(names(model),
              (std::vector<std::string>{"Thresholding_rtl_0", "MVAU_hls_0", "MVAU_hls_1",
                                        "MVAU_hls_2", "MVAU_hls_3", "LabelSelect_hls_0"}));
    EXPECT_EQ(model.node(1).attr_string("mem_mode"), "internal_decoupled");
}

TEST(ApplyConfig, DefaultsOverridesAndWarnings) {
    Model model = partition_test_graph();
    AttributeConfig config = AttributeConfig::parse(R"({
        "Defaults": {"preferred_impl_style": ["rtl", ["MVAU"]], "PE": [2, "all"]},
        "MVAU_1": {"preferred_impl_style": "hls", "SIMD": 4},
        "Reshape_0": {},
        "MVAU_9": {"PE": 1}
    })",
                                                    false, "cfg");
    std::vector<std::string> logged;
    ApplyConfig apply(config, [&](const std::string& w) { logged.push_back(w); });
    EXPECT_TRUE(apply.run(model));
    Node m0 = *model.node_by_name("MVAU_0"), m1 = *model.node_by_name("MVAU_1");
    EXPECT_EQ(m0.attr_string("preferred_impl_style"), "rtl");
    EXPECT_EQ(m0.attr_int("PE"), 2);
    EXPECT_EQ(m1.attr_string("preferred_impl_style"), "hls");
    EXPECT_EQ(m1.attr_int("PE"), 2);
    EXPECT_EQ(m1.attr_int("SIMD"), 4);
    // qonnx lists every node without an entry (custom op or not) and entries of no custom op.
    EXPECT_EQ(logged, (std::vector<std::string>{"No HW configuration for nodes: MVAU_0, Mul_0",
                                                "Unused HW configurations: Reshape_0, MVAU_9"}));
    EXPECT_FALSE(apply.run(model)); // same values again: nothing changes
}

TEST(ApplyConfig, BadAttributesAreErrors) {
    Model model = partition_test_graph();
    auto apply = [&](const std::string& text) {
        return error_of(
            [&] { ApplyConfig(AttributeConfig::parse(text, false, "cfg")).run(model); });
    };
    std::string unknown = apply(R"({"Defaults": {}, "MVAU_0": {"foo": 1}})");
    EXPECT_NE(unknown.find("MVAU_0"), std::string::npos) << unknown;
    EXPECT_NE(unknown.find("'foo'"), std::string::npos) << unknown;
    std::string type = apply(R"({"Defaults": {}, "MVAU_0": {"preferred_impl_style": 1}})");
    EXPECT_NE(type.find("expects a string"), std::string::npos) << type;
    std::string carried = apply(R"({"Defaults": {}, "MVAU_0": {"PE": "4"}})");
    EXPECT_NE(carried.find("expects an integer"), std::string::npos) << carried;
    std::string allowed = apply(R"({"Defaults": {}, "MVAU_0": {"preferred_impl_style": "vhdl"}})");
    EXPECT_NE(allowed.find("not in"), std::string::npos) << allowed;
    std::string lists = apply(R"({"Defaults": {}, "MVAU_0": {"inFIFODepths": [2, "x"]}})");
    EXPECT_NE(lists.find("a list of integers"), std::string::npos) << lists;
    EXPECT_EQ(apply(R"({"Defaults": {}, "MVAU_0": {"inFIFODepths": [4, 8]}})"), "");
    // An attribute the node carries but its op does not declare is an error as well.
    model.node_by_name("MVAU_0")->set_attr_string("rtlsim_trace", "/tmp/x");
    std::string undeclared = apply(R"({"Defaults": {}, "MVAU_0": {"rtlsim_trace": "/tmp/y"}})");
    EXPECT_NE(undeclared.find("no attribute 'rtlsim_trace'"), std::string::npos) << undeclared;
    EXPECT_EQ(model.node_by_name("MVAU_0")->attr_ints("inFIFODepths"),
              (std::vector<std::int64_t>{4, 8}));
}

// --- extract_model_config ------------------------------------------------------------------------

TEST(ExtractModelConfig, QonnxFormat) {
    Model model = partition_test_graph();
    model.node_by_name("MVAU_1")->set_attr_string("preferred_impl_style", "rtl");
    auto config =
        extract_model_config(model, {"preferred_impl_style", "PE", "no_such_attr", "slr"});
    EXPECT_EQ(config.dump(2), R"({
  "Defaults": {},
  "MVAU_0": {
    "preferred_impl_style": "",
    "PE": 1,
    "slr": -1
  },
  "MVAU_1": {
    "preferred_impl_style": "rtl",
    "PE": 1,
    "slr": -1
  }
})");
    // The template FINN writes; it reads back as an AttributeConfig.
    auto templ = extract_model_config(model, {"preferred_impl_style"});
    AttributeConfig parsed = AttributeConfig::from_json(templ, "template");
    EXPECT_EQ(parsed.nodes.size(), 2u);
    EXPECT_EQ(extract_model_config(model, {"no_such_attr"}).dump(), R"({"Defaults":{}})");
}

TEST(DataflowRegistry, NamesAreRegistered) {
    const TransformationRegistry& registry = transformation_registry();
    EXPECT_TRUE(registry.contains("CreateDataflowPartition"));
    EXPECT_TRUE(registry.contains("SpecializeLayers"));
    Model model = partition_test_graph();
    EXPECT_TRUE(registry.create("CreateDataflowPartition")->run(model));
    EXPECT_EQ(model.node_count(), 3);
}

} // namespace
} // namespace finn
