// The `finn` command: --version, --help, and `finn inspect` on our own and the reference models.
#include "../test_support.h"
#include "finn/core/npy.h"
#include "finn/exec/verification.h"
#include "finn/ir/model.h"
#include "finn/ir/tensor_proto.h"

#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace finn {
namespace {
namespace fs = std::filesystem;
using testing::run_command;
using testing::shell_quote;

std::string finn(const std::string& args) {
    return std::string(FINN_CLI_PATH) + " " + args;
}

TEST(FinnCli, VersionAndHelp) {
    auto v = run_command(finn("--version"));
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_EQ(v.out.rfind("finn ", 0), 0u) << v.out;
    auto h = run_command(finn("--help"));
    EXPECT_EQ(h.exit_code, 0);
    EXPECT_NE(h.out.find("inspect"), std::string::npos);
    // Usage errors exit with 2, bad input with 1.
    auto none = run_command(finn(""));
    EXPECT_EQ(none.exit_code, 2);
    auto bad = run_command(finn("frobnicate"));
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_EQ(bad.err, "finn: unknown command 'frobnicate'; run 'finn --help' for the list\n");
}

Model annotated_model() {
    Model model;
    model.proto().add_opset_import()->set_version(13);
    model.graph().add_input()->set_name("x");
    model.set_shape("x", {1, 784});
    model.graph().add_output()->set_name("y");
    model.set_initializer("T", Tensor::from_floats({1, 1}, {0.f}));
    model
        .add_node("MultiThreshold", {"x", "T"}, {"y"}, "MultiThreshold_0", "finn.custom_op.general")
        .set_attr_string("out_dtype", "BIPOLAR");
    model.set_datatype("x", DataType::bipolar());
    model.set_layout("x", {"N", "C"});
    return model;
}

TEST(FinnCli, InspectText) {
    testing::ScratchDir dir;
    annotated_model().save(dir / "m.onnx");
    auto r = run_command(finn("inspect " + shell_quote((dir / "m.onnx").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("MultiThreshold_0"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("finn.custom_op.general"), std::string::npos);
    EXPECT_NE(r.out.find("(1, 784)"), std::string::npos);
    EXPECT_NE(r.out.find("BIPOLAR"), std::string::npos);
    EXPECT_NE(r.out.find("['N', 'C']"), std::string::npos);
    EXPECT_NE(r.out.find("4 bytes"), std::string::npos) << "initializer size missing: " << r.out;
}

TEST(FinnCli, InspectJson) {
    testing::ScratchDir dir;
    annotated_model().save(dir / "m.onnx");
    auto r = run_command(finn("inspect --json " + shell_quote((dir / "m.onnx").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["nodes"].size(), 1u);
    EXPECT_EQ(j["nodes"][0]["op_type"], "MultiThreshold");
    EXPECT_EQ(j["nodes"][0]["domain"], "finn.custom_op.general");
    bool found_y = false;
    for (const auto& t : j["tensors"]) {
        if (t["name"] == "x") {
            EXPECT_EQ(t["datatype"], "BIPOLAR");
            EXPECT_EQ(t["layout"], nlohmann::json::array({"N", "C"}));
            EXPECT_EQ(t["role"], "input");
        }
        if (t["name"] == "y") {
            found_y = true;
            EXPECT_EQ(t["shape"], nlohmann::json::array({1, 784})); // inferred, not recorded
        }
    }
    EXPECT_TRUE(found_y);
    EXPECT_EQ(j["initializers"][0]["bytes"], 4);
}

TEST(FinnCli, InspectEverySharedModel) {
    FINN_REQUIRE_SHARED(shared);
    int count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(shared / "models")) {
        if (entry.path().extension() != ".onnx") continue;
        ++count;
        auto r = run_command(finn("inspect --json " + shell_quote(entry.path().string())));
        ASSERT_EQ(r.exit_code, 0) << entry.path() << ": " << r.err;
        auto j = nlohmann::json::parse(r.out);
        Model model = Model::load(entry.path());
        EXPECT_EQ(j["nodes"].size(), static_cast<std::size_t>(model.node_count())) << entry.path();
        EXPECT_FALSE(j.contains("shape_inference_error")) << entry.path();
        for (const auto& t : j["tensors"])
            EXPECT_FALSE(t["shape"].is_null()) << entry.path() << " " << t;
    }
    EXPECT_GE(count, 8);
}

TEST(FinnCli, InspectBadInput) {
    testing::ScratchDir dir;
    auto missing = run_command(finn("inspect " + shell_quote((dir / "nope.onnx").string())));
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("nope.onnx: cannot open file"), std::string::npos) << missing.err;
    std::ofstream(dir / "bad.onnx") << "not a model";
    auto bad = run_command(finn("inspect " + shell_quote((dir / "bad.onnx").string())));
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.err.find("bad.onnx: not an ONNX model"), std::string::npos) << bad.err;
    EXPECT_TRUE(bad.out.empty());
    auto none = run_command(finn("inspect"));
    EXPECT_EQ(none.exit_code, 2);
    EXPECT_NE(none.err.find("missing model"), std::string::npos) << none.err;
    auto option = run_command(finn("inspect --frob x.onnx"));
    EXPECT_EQ(option.exit_code, 2);
}

} // namespace
} // namespace finn

namespace finn {
namespace {

TEST(FinnExec, RunsTfcOnItsInputExactly) {
    FINN_REQUIRE_SHARED(shared);
    testing::ScratchDir dir;
    fs::path tfc = shared / "models/finn/tfc_w1a1";
    auto r = run_command(finn("exec " + shell_quote((tfc / "model.onnx").string()) + " --input " +
                              shell_quote((tfc / "input.npy").string()) + " --output " +
                              shell_quote((dir / "y.npy").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Tensor produced = read_npy(dir / "y.npy");
    Tensor expected = read_npy(tfc / "expected_output.npy");
    EXPECT_EQ(produced.to_int64s(), expected.to_int64s());
}

TEST(FinnExec, OnnxTestDataInputs) {
    FINN_REQUIRE_SHARED(shared);
    testing::ScratchDir dir;
    fs::path mnist = shared / "models/qonnx/mnist-conv";
    auto r = run_command(finn("exec " + shell_quote((mnist / "model.onnx").string()) + " --input " +
                              shell_quote((mnist / "test_data_set_0/input_0.pb").string()) +
                              " --output " + shell_quote((dir / "y.npy").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Tensor expected = tensor_from_proto(read_tensor_proto(mnist / "test_data_set_0/output_0.pb"));
    Comparison c = compare_tensors(expected, read_npy(dir / "y.npy"), 1e-5, 1e-5);
    EXPECT_TRUE(c.equal) << c.summary;
    // espcn_subpixel ships an input without an expected output: it must run.
    fs::path espcn = shared / "models/qonnx/espcn_subpixel";
    auto e = run_command(finn("exec " + shell_quote((espcn / "quant_model.onnx").string()) +
                              " --input " + shell_quote((espcn / "input_0.pb").string()) +
                              " --output " + shell_quote((dir / "e.npy").string())));
    ASSERT_EQ(e.exit_code, 0) << e.err;
    EXPECT_GT(read_npy(dir / "e.npy").size(), 0);
}

TEST(FinnExec, DumpDirHoldsEveryTensor) {
    FINN_REQUIRE_SHARED(shared);
    testing::ScratchDir dir;
    fs::path tfc = shared / "models/finn/tfc_w1a1";
    // One sample of the batch.
    Tensor batch = read_npy(tfc / "input.npy");
    Tensor one(ElementType::Float32, {1, 1, 28, 28});
    std::copy(batch.bytes(), batch.bytes() + one.byte_size(), one.bytes());
    write_npy(dir / "x1.npy", one);
    auto r = run_command(finn("exec " + shell_quote((tfc / "model.onnx").string()) + " --input " +
                              shell_quote((dir / "x1.npy").string()) + " --dump-dir " +
                              shell_quote((dir / "dump").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("int64 (1, 1) [7]"), std::string::npos) << r.out;
    Model model = Model::load(tfc / "model.onnx");
    for (auto& node : model.nodes())
        for (const auto& out : node.outputs())
            EXPECT_TRUE(fs::exists(dir / "dump" / (out + ".npy"))) << out;
}

TEST(FinnExec, BadInputsWriteNothing) {
    FINN_REQUIRE_SHARED(shared);
    testing::ScratchDir dir;
    fs::path tfc = shared / "models/finn/tfc_w1a1";
    std::string model = shell_quote((tfc / "model.onnx").string());
    std::string out = " --output " + shell_quote((dir / "y.npy").string());
    write_npy(dir / "wrong.npy", Tensor(ElementType::Float32, {1, 100}));
    auto shape = run_command(
        finn("exec " + model + " --input " + shell_quote((dir / "wrong.npy").string()) + out));
    EXPECT_EQ(shape.exit_code, 1);
    EXPECT_NE(shape.err.find("has shape (1, 100), expected (1, 1, 28, 28)"), std::string::npos)
        << shape.err;
    write_npy(dir / "f64.npy", Tensor(ElementType::Float64, {1, 1, 28, 28}));
    auto type = run_command(
        finn("exec " + model + " --input " + shell_quote((dir / "f64.npy").string()) + out));
    EXPECT_EQ(type.exit_code, 1);
    EXPECT_NE(type.err.find("element type float64, expected float32"), std::string::npos)
        << type.err;
    std::ofstream(dir / "bad.npy") << "garbage";
    auto npy = run_command(
        finn("exec " + model + " --input " + shell_quote((dir / "bad.npy").string()) + out));
    EXPECT_EQ(npy.exit_code, 1);
    EXPECT_NE(npy.err.find("bad.npy"), std::string::npos) << npy.err;
    EXPECT_FALSE(fs::exists(dir / "y.npy"));

    Model unsupported;
    unsupported.graph().add_input()->set_name("x");
    unsupported.graph().add_output()->set_name("y");
    unsupported.add_node("Frobnicate", {"x"}, {"y"}, "Frob_0", "my.domain");
    unsupported.save(dir / "u.onnx");
    auto op = run_command(finn("exec " + shell_quote((dir / "u.onnx").string()) + " --input " +
                               shell_quote((dir / "wrong.npy").string()) + out));
    EXPECT_EQ(op.exit_code, 1);
    EXPECT_NE(op.err.find("unsupported operator Frobnicate in domain 'my.domain'"),
              std::string::npos)
        << op.err;
    EXPECT_FALSE(fs::exists(dir / "y.npy"));
}

} // namespace
} // namespace finn

namespace finn {
namespace {

TEST(FinnCli, InspectNpy) {
    FINN_REQUIRE_SHARED(shared);
    auto r = run_command(
        finn("inspect " + shell_quote((shared / "models/finn/tfc_w1a1/input.npy").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("float32 (4, 1, 28, 28), 3136 elements, min 0, max 255"),
              std::string::npos)
        << r.out;
    testing::ScratchDir dir;
    std::ofstream(dir / "bad.npy", std::ios::binary) << std::string("\x93NUMPY\x01\x00", 8) << "xx";
    auto bad = run_command(finn("inspect " + shell_quote((dir / "bad.npy").string())));
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.err.find("bad.npy"), std::string::npos) << bad.err;
    EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
}

} // namespace
} // namespace finn

namespace finn {
namespace {

TEST(FinnConfig, PrintsEffectiveValuesAndRejectsBadConfigs) {
    testing::ScratchDir dir;
    std::ofstream(dir / "ok.yaml")
        << "output_dir: out\nsynth_clk_period_ns: 5\ngenerate_outputs: [estimate_reports]\n";
    auto ok = run_command(finn("config " + shell_quote((dir / "ok.yaml").string())));
    ASSERT_EQ(ok.exit_code, 0) << ok.err;
    auto j = nlohmann::json::parse(ok.out);
    EXPECT_EQ(j["synth_clk_period_ns"], 5.0);
    EXPECT_EQ(j["mvau_wwidth_max"], 36);
    EXPECT_EQ(j["generate_outputs"], nlohmann::json::array({"estimate_reports"}));

    auto expect_error = [&](const std::string& name, const std::string& text,
                            const std::string& fragment) {
        std::ofstream(dir / name) << text;
        auto r = run_command(finn("config " + shell_quote((dir / name).string())));
        EXPECT_EQ(r.exit_code, 1) << name;
        EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(name), std::string::npos) << "error does not name the file: " << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_TRUE(r.out.empty());
    };
    expect_error(
        "unknown.json",
        R"({"output_dir": "o", "synth_clk_period_ns": 10, "generate_outputs": [], "target_fsp": 1})",
        "did you mean 'target_fps'");
    expect_error("type.json",
                 R"({"output_dir": "o", "synth_clk_period_ns": "ten", "generate_outputs": []})",
                 "synth_clk_period_ns");
    expect_error("missing.json", R"({"output_dir": "o", "generate_outputs": []})",
                 "missing required key 'synth_clk_period_ns'");
}

} // namespace
} // namespace finn
