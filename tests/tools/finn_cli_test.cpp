// The `finn` command: --version, --help, and `finn inspect` on our own and the reference models.
#include "../test_support.h"
#include "finn/ir/model.h"

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
    auto none = run_command(finn(""));
    EXPECT_EQ(none.exit_code, 1);
    auto bad = run_command(finn("frobnicate"));
    EXPECT_EQ(bad.exit_code, 1);
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
    EXPECT_EQ(none.exit_code, 1);
    EXPECT_NE(none.err.find("missing model"), std::string::npos) << none.err;
    auto option = run_command(finn("inspect --frob x.onnx"));
    EXPECT_EQ(option.exit_code, 1);
}

} // namespace
} // namespace finn
