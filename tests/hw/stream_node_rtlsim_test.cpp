// Nodes of the stream layers in a small model, run by the executor: DuplicateStreams (two
// outputs), ChannelwiseOp and AddStreams in exec_mode cppsim equal the reference; DuplicateStreams
// (several outputs: out0_V, out1_V), an MVAU with mem_mode external (its weight stream in1_V fed
// from the weight initializer) and a VVAU with thresholds and external weights in exec_mode
// rtlsim through their generated, Verilated node folders equal the reference. The rtlsim parts skip
// without Verilator or make. The generated files of a three-output DuplicateStreams and of
// ChannelwiseOp are checked as text.
#include "finn/core/datatype.h"
#include "finn/core/error.h"
#include "finn/exec/executor.h"
#include "finn/hw/layer_definition.h"
#include "finn/hw/registry.h"
#include "finn/hwgen/ip_xact.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/hwgen/verilator.h"
#include "finn/util/file_io.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <random>
#include <set>

namespace finn {
namespace {

namespace fs = std::filesystem;

const std::string kHls = "finn.custom_op.fpgadataflow.hls";

std::vector<float> random_values(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi,
                                 std::int64_t count) {
    std::vector<float> v(static_cast<std::size_t>(count));
    for (auto& x : v)
        x = static_cast<float>(std::uniform_int_distribution<std::int64_t>(lo, hi)(rng));
    return v;
}

// Input "x" of `shape`, output "y".
Model stream_model(const Shape& shape) {
    Model model = testing::dataflow_model(kHls, shape);
    model.graph().set_name("stream_layers");
    return model;
}

// x (1, 3, 8) INT4 -> DuplicateStreams -> (a, b); a -> ChannelwiseOp add p -> c;
// (c, b) -> AddStreams -> y. Outputs y and b.
Model residual_model(std::mt19937_64& rng) {
    Model model = stream_model({1, 3, 8});
    model.graph().add_output()->set_name("b");
    Node dup = model.add_node("DuplicateStreams_hls", {"x"}, {"a", "b"}, "Duplicate_0", kHls);
    dup.set_attr_int("NumChannels", 8);
    dup.set_attr_int("PE", 2);
    dup.set_attr_int("NumOutputStreams", 2);
    dup.set_attr_string("inputDataType", "INT4");
    dup.set_attr_ints("numInputVectors", {1, 3});
    model.set_initializer("p", Tensor::from_floats({8}, random_values(rng, -8, 7, 8)));
    Node cwo = model.add_node("ChannelwiseOp_hls", {"a", "p"}, {"c"}, "Channelwise_0", kHls);
    cwo.set_attr_string("Func", "add");
    cwo.set_attr_int("NumChannels", 8);
    cwo.set_attr_int("PE", 4);
    cwo.set_attr_string("inputDataType", "INT4");
    cwo.set_attr_string("paramDataType", "INT4");
    cwo.set_attr_string("outputDataType", "INT5");
    cwo.set_attr_ints("numInputVectors", {1, 3});
    Node add = model.add_node("AddStreams_hls", {"c", "b"}, {"y"}, "Add_0", kHls);
    add.set_attr_int("NumChannels", 8);
    add.set_attr_int("PE", 8);
    add.set_attr_string("inputDataType", "INT5");
    add.set_attr_ints("numInputVectors", {1, 3});
    for (Node n : model.nodes())
        n.set_attr_string("backend", "fpgadataflow");
    return model;
}

TensorMap run(const Model& model, const TensorMap& feeds) {
    return Executor(model).run(feeds);
}

void expect_same(const TensorMap& reference, const TensorMap& actual, const std::string& what) {
    for (const auto& [name, tensor] : reference) {
        ASSERT_TRUE(actual.count(name)) << what << ": no output " << name;
        EXPECT_EQ(actual.at(name).shape(), tensor.shape()) << what << " " << name;
        EXPECT_EQ(actual.at(name).to_doubles(), tensor.to_doubles()) << what << " " << name;
    }
}

// Generates, lints and Verilates the node's folder under `root` (linked against the Verilator
// runtime compiled once there) and points ipgen_path at it.
void build_node(Model& model, Node node, const fs::path& root) {
    auto layer = hw::require_layer(model, node);
    const hwgen::NodeFiles files =
        hwgen::generate_node_files(*layer, *hw::find_definition_of_op_type(node.op_type()));
    const fs::path dir = root / node.name();
    for (const auto& [path, bytes] : files.files)
        write_file_if_changed(dir / path, bytes);
    const std::string verilator = hwgen::require_verilator("the test");
    const fs::path runtime = root / "_rtlsim_runtime";
    hwgen::build_rtlsim_runtime(verilator, runtime);
    hwgen::lint_node(verilator, dir, files.top);
    hwgen::compile_node_rtlsim(verilator, dir, files.top);
    hwgen::link_node_rtlsim(dir, files.top, runtime / hwgen::kRtlsimRuntimeLibrary);
    node.set_attr_string("ipgen_path", dir.string());
}

std::string file_of(const hwgen::NodeFiles& files, const std::string& name) {
    for (const auto& [path, bytes] : files.files)
        if (path == name) return bytes;
    ADD_FAILURE() << name << " not generated";
    return {};
}

// A node of three outputs: the wrapper, the rtlsim driver's bindings and the IP-XACT component
// name them out0_V, out1_V, out2_V (FINN's DuplicateStreams), the module gets its output count.
TEST(StreamNodes, DuplicateStreamsNodeFilesNameEveryOutput) {
    Model model = stream_model({1, 6});
    Node dup = model.add_node("DuplicateStreams_hls", {"x"}, {"a", "b", "c"}, "Dup_0", kHls);
    dup.set_attr_string("backend", "fpgadataflow");
    dup.set_attr_int("NumChannels", 6);
    dup.set_attr_int("PE", 3);
    dup.set_attr_int("NumOutputStreams", 3);
    dup.set_attr_string("inputDataType", "UINT3");
    auto layer = hw::require_layer(model, dup);
    const hwgen::NodeFiles files =
        hwgen::generate_node_files(*layer, *hw::find_definition_of_op_type(dup.op_type()));
    EXPECT_EQ(files.streams.output_widths, (std::vector<std::int64_t>{16, 16, 16}));
    const std::string wrapper = file_of(files, "Dup_0.sv");
    for (const char* port :
         {"output logic [15:0] out0_V_TDATA", "input  logic out2_V_TREADY", ".OUTPUTS(3)",
          ".WIDTH(9)", ".out_V_TVALID({out2_V_TVALID, out1_V_TVALID, out0_V_TVALID})"})
        EXPECT_NE(wrapper.find(port), std::string::npos) << port << "\n" << wrapper;
    EXPECT_EQ(wrapper.find(" out_V_TDATA,"), std::string::npos) << wrapper;
    const std::string top = file_of(files, "sim/node_top.h");
    EXPECT_NE(top.find("#define FINN_NODE_OUTPUTS 3"), std::string::npos) << top;
    EXPECT_NE(top.find("FINN_AXIS_PORT(top, out2_V)"), std::string::npos) << top;
    const std::string xml =
        hwgen::component_xml(files.top, files.streams, files.rtl_sources, files.memory_files);
    for (const char* name : {"out0_V", "out1_V", "out2_V", "in0_V:out0_V:out1_V:out2_V"})
        EXPECT_NE(xml.find(name), std::string::npos) << name;
    // A node whose NumOutputStreams disagrees with its outputs is refused, naming it.
    dup.set_attr_int("NumOutputStreams", 2);
    try {
        hwgen::generate_node_files(*layer, *hw::find_definition_of_op_type(dup.op_type()));
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("Dup_0"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("NumOutputStreams is 2 but the node has 3 outputs"),
                  std::string::npos)
            << e.what();
    }
}

// ChannelwiseOp's module parameters and parameter memory (channel f*PE + p of word f at bits
// [p*b, +b)), per channel and shared.
TEST(StreamNodes, ChannelwiseOpParametersAndMemoryImage) {
    for (const bool shared : {false, true}) {
        Model model = stream_model({1, 4});
        model.set_initializer("p", shared ? Tensor::from_floats({1}, {-3})
                                          : Tensor::from_floats({4}, {1, -2, 3, -4}));
        Node n = model.add_node("ChannelwiseOp_hls", {"x", "p"}, {"y"}, "Cwo_0", kHls);
        n.set_attr_string("backend", "fpgadataflow");
        n.set_attr_string("Func", "mul");
        n.set_attr_int("NumChannels", 4);
        n.set_attr_int("PE", 2);
        n.set_attr_string("inputDataType", "UINT4");
        n.set_attr_string("paramDataType", "INT4");
        n.set_attr_string("outputDataType", "INT9");
        n.set_attr_string("ram_style", "block");
        auto layer = hw::require_layer(model, n);
        const hwgen::NodeFiles files =
            hwgen::generate_node_files(*layer, *hw::find_definition_of_op_type(n.op_type()));
        EXPECT_EQ(file_of(files, "Cwo_0_params.dat"), shared ? "d\n" : "e1\nc3\n");
        const std::string wrapper = file_of(files, "Cwo_0.sv");
        for (const std::string& parameter : std::vector<std::string>{
                 ".FUNC(\"mul\")", ".P_BITS(4)", ".P_SIGNED(1)", ".IN_SIGNED(0)", ".OUT_BITS(9)",
                 ".RAM_STYLE(\"block\")", ".PARAM_FILE(\"Cwo_0_params.dat\")",
                 std::string(".SHARED_PARAMS(") + (shared ? "1)" : "0)")})
            EXPECT_NE(wrapper.find(parameter), std::string::npos) << parameter << "\n" << wrapper;
    }
}

TEST(StreamNodes, ResidualBlockInCppsimEqualsReference) {
    std::mt19937_64 rng(31);
    Model model = residual_model(rng);
    const TensorMap feeds{{"x", Tensor::from_floats({1, 3, 8}, random_values(rng, -8, 7, 24))}};
    const TensorMap reference = run(model, feeds);
    for (Node n : model.nodes())
        n.set_attr_string("exec_mode", "cppsim");
    expect_same(reference, run(model, feeds), "cppsim");
}

void duplicate_streams_with_two_outputs_in_rtlsim(const fs::path& root) {
    std::mt19937_64 rng(32);
    Model model = residual_model(rng);
    const TensorMap feeds{{"x", Tensor::from_floats({1, 3, 8}, random_values(rng, -8, 7, 24))}};
    const TensorMap reference = run(model, feeds);
    Node dup = model.node(0);
    build_node(model, dup, root);
    // The wrapper names the outputs as FINN's DuplicateStreams does.
    const std::string wrapper = read_file(root / dup.name() / (dup.name() + ".sv"));
    EXPECT_NE(wrapper.find("out0_V_TDATA"), std::string::npos) << wrapper;
    EXPECT_NE(wrapper.find("out1_V_TREADY"), std::string::npos) << wrapper;
    dup.set_attr_string("exec_mode", "rtlsim");
    expect_same(reference, run(model, feeds), "rtlsim");
}

void mvau_with_external_weights_in_rtlsim(const fs::path& root) {
    std::mt19937_64 rng(33);
    Model model = stream_model({1, 4, 6});
    model.set_initializer("w", Tensor::from_floats({6, 4}, random_values(rng, -4, 3, 24)));
    Node mvau = model.add_node("MVAU_hls", {"x", "w"}, {"y"}, "MVAU_0", kHls);
    mvau.set_attr_string("backend", "fpgadataflow");
    mvau.set_attr_int("MW", 6);
    mvau.set_attr_int("MH", 4);
    mvau.set_attr_int("SIMD", 3);
    mvau.set_attr_int("PE", 2);
    mvau.set_attr_string("inputDataType", "INT4");
    mvau.set_attr_string("weightDataType", "INT3");
    mvau.set_attr_string("outputDataType", "INT12");
    mvau.set_attr_string("accDataType", "INT12");
    mvau.set_attr_int("noActivation", 1);
    mvau.set_attr_ints("numInputVectors", {1, 4});
    mvau.set_attr_string("mem_mode", "external");
    const TensorMap feeds{{"x", Tensor::from_floats({1, 4, 6}, random_values(rng, -8, 7, 24))}};
    const TensorMap reference = run(model, feeds);
    build_node(model, mvau, root);
    mvau.set_attr_string("exec_mode", "rtlsim");
    expect_same(reference, run(model, feeds), "rtlsim");
}

// A VVAU with thresholds and external weights: its generated parameters, its input in Im2Col's
// (k, C) order and its weight stream.
void vvau_with_thresholds_and_external_weights_in_rtlsim(const fs::path& root) {
    std::mt19937_64 rng(34);
    const std::int64_t c = 4, k = 9;
    Model model = stream_model({1, 2, 2, k * c});
    model.set_initializer("w", Tensor::from_floats({c, 1, 3, 3}, random_values(rng, -2, 1, c * k)));
    std::vector<float> t;
    for (std::int64_t ch = 0; ch < c; ++ch)
        for (float v : {-14.0f, -7.5f, -2.0f})
            t.push_back(v + static_cast<float>(ch));
    model.set_initializer("t", Tensor::from_floats({c, 3}, t));
    Node vvau = model.add_node("VVAU_hls", {"x", "w", "t"}, {"y"}, "VVAU_0", kHls);
    vvau.set_attr_string("backend", "fpgadataflow");
    vvau.set_attr_int("PE", 4);
    vvau.set_attr_int("SIMD", 3);
    vvau.set_attr_ints("Dim", {2, 2});
    vvau.set_attr_int("Channels", c);
    vvau.set_attr_ints("Kernel", {3, 3});
    vvau.set_attr_string("inputDataType", "UINT2");
    vvau.set_attr_string("weightDataType", "INT2");
    vvau.set_attr_string("outputDataType", "UINT2");
    vvau.set_attr_string("accDataType", "INT8");
    vvau.set_attr_int("noActivation", 0);
    vvau.set_attr_string("mem_mode", "external");
    const TensorMap feeds{
        {"x", Tensor::from_floats({1, 2, 2, k * c}, random_values(rng, 0, 3, 4 * k * c))}};
    const TensorMap reference = run(model, feeds);
    const auto values = reference.at("y").to_doubles();
    std::string listed;
    for (double v : values)
        listed += std::to_string(static_cast<int>(v)) + " ";
    ASSERT_GT(std::set<double>(values.begin(), values.end()).size(), 2u)
        << "too few distinct outputs to tell: " << listed;
    build_node(model, vvau, root);
    vvau.set_attr_string("exec_mode", "rtlsim");
    expect_same(reference, run(model, feeds), "rtlsim");
}

// One test, so that the three nodes share one compiled Verilator runtime (as step_hw_ipgen's).
TEST(StreamNodes, MultiOutputAndExternalWeightNodesInRtlsimEqualReference) {
    FINN_REQUIRE_VERILATOR();
    testing::ScratchDir dir;
    {
        SCOPED_TRACE("DuplicateStreams with two outputs");
        duplicate_streams_with_two_outputs_in_rtlsim(dir.path());
    }
    {
        SCOPED_TRACE("MVAU with external weights");
        mvau_with_external_weights_in_rtlsim(dir.path());
    }
    {
        SCOPED_TRACE("VVAU with thresholds and external weights");
        vvau_with_thresholds_and_external_weights_in_rtlsim(dir.path());
    }
}

} // namespace
} // namespace finn
