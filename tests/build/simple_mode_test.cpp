// Simple mode (`finn build_dataflow <dir>`) on FINN's own TFC-w1a1 folder, and advanced mode
// (`finn build_custom`) on examples/custom_flow.
#include "build_test_support.h"
#include "finn/config/attribute_config.h"
#include "finn/ir/model.h"

#include <fstream>
#include <nlohmann/json.hpp>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

CommandResult build_dataflow(const fs::path& dir, const std::string& options = "") {
    return run_command(shell_quote(finn_cli()) + " build_dataflow " + shell_quote(dir.string()) +
                       " " + options);
}

// A copy of ../shared/models/finn/tfc_w1a1 whose config stops at the last step Finn has
// (FINN's file asks for every output, including a bitfile).
class SimpleModeTest : public ::testing::Test {
protected:
    bool prepare() {
        auto shared = shared_dir();
        if (!shared) return false;
        for (const auto& entry : fs::directory_iterator(*shared / "models/finn/tfc_w1a1"))
            fs::copy_file(entry.path(), dir_.path() / entry.path().filename());
        json config = json::parse(read_bytes(dir_ / "dataflow_build_config.json"));
        config["stop_step"] = kEstimateFlow.back();
        config["generate_outputs"] = {"estimate_reports"};
        config["specialize_layers_config_file"] = "specialize_layers_config.json";
        config["verify_steps"] = {"initial_python", "streamlined_python"};
        write_config(config);
        return true;
    }
    void write_config(const json& config) {
        std::ofstream(dir_ / "dataflow_build_config.json") << config.dump(2);
    }
    fs::path out() const { return dir_ / "output_tfc_w1a1_Pynq-Z1"; }
    ScratchDir dir_;
};

TEST_F(SimpleModeTest, TfcFolderBuildsFinnsLayoutAndARerunRunsNoStep) {
    if (!prepare()) GTEST_SKIP() << "../shared not available";
    CommandResult first = build_dataflow(dir_.path());
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    EXPECT_NE(
        first.out.find("Building dataflow accelerator from " + (dir_ / "model.onnx").string()),
        std::string::npos);
    EXPECT_NE(first.out.find("Outputs will be generated at " + out().string()), std::string::npos);
    EXPECT_NE(first.out.find("Build log is at " + (out() / "build_dataflow.log").string()),
              std::string::npos);
    EXPECT_NE(first.out.find("Running step: step_tidy_up [2/10]"), std::string::npos);
    EXPECT_NE(first.out.find("Completed successfully"), std::string::npos);
    EXPECT_EQ(steps_run(first), kEstimateFlow);

    // FINN's layout for these steps.
    for (const auto& step : kEstimateFlow)
        EXPECT_TRUE(fs::exists(out() / "intermediate_models" / (step + ".onnx"))) << step;
    for (const char* file :
         {"intermediate_models/dataflow_parent.onnx",
          "intermediate_models/supported_op_partitions/partition_0.onnx",
          "template_specialize_layers_config.json", "build_dataflow.log",
          "auto_folding_config.json", "report/op_and_param_counts.json",
          "report/estimate_layer_cycles.json", "report/estimate_layer_resources.json",
          "report/estimate_layer_config_alternatives.json",
          "report/estimate_network_performance.json",
          "verification_output/verify_initial_python_0_SUCCESS.npy",
          "verification_output/verify_streamlined_python_0_SUCCESS.npy"})
        EXPECT_TRUE(fs::exists(out() / file)) << file;
    json times = json::parse(read_bytes(out() / "time_per_step.json"));
    std::vector<std::string> timed;
    for (const auto& [step, seconds] : times.items()) {
        timed.push_back(step);
        EXPECT_TRUE(seconds.is_number());
    }
    EXPECT_EQ(timed, kEstimateFlow);
    std::string log = read_bytes(out() / "build_dataflow.log");
    EXPECT_NE(log.find("] Running step: step_specialize_layers [6/10]"), std::string::npos);

    // The node names FINN's folding config refers to (its misspelt MVA_hls_3 matches nothing).
    Model model = Model::load(out() / "intermediate_models/step_specialize_layers.onnx");
    AttributeConfig folding = AttributeConfig::load(dir_ / "folding_config.json");
    std::vector<std::string> names;
    for (Node node : model.nodes())
        names.push_back(node.name());
    EXPECT_EQ(names, (std::vector<std::string>{"Thresholding_rtl_0", "MVAU_hls_0", "MVAU_hls_1",
                                               "MVAU_hls_2", "MVAU_hls_3", "LabelSelect_hls_0"}));
    for (const auto& name : names)
        EXPECT_EQ(folding.find_node(name) != nullptr, name != "MVAU_hls_3") << name;

    CommandResult second = build_dataflow(dir_.path());
    ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
    EXPECT_TRUE(steps_run(second).empty()) << second.out;
    EXPECT_NE(second.out.find("Completed successfully"), std::string::npos);

    // FINN writes final_hw_config.json in step_set_fifo_depths, outside this flow.
    EXPECT_FALSE(fs::exists(out() / "final_hw_config.json"));
    // The folding config rewritten with the same content (other bytes): the rebuild reruns
    // apply_folding_config, whose model is the same, and stops there.
    const json folding_json = json::parse(read_bytes(dir_ / "folding_config.json"));
    std::ofstream(dir_ / "folding_config.json") << folding_json.dump(4);
    CommandResult fed_back = build_dataflow(dir_.path());
    ASSERT_EQ(fed_back.exit_code, 0) << fed_back.out << fed_back.err;
    EXPECT_EQ(steps_run(fed_back), std::vector<std::string>{"step_apply_folding_config"});

    CommandResult clean = build_dataflow(dir_.path(), "--clean");
    ASSERT_EQ(clean.exit_code, 0) << clean.out << clean.err;
    EXPECT_EQ(steps_run(clean), kEstimateFlow);
}

TEST_F(SimpleModeTest, SeedEraStepNamesAreAccepted) {
    if (!prepare()) GTEST_SKIP() << "../shared not available";
    json config = json::parse(read_bytes(dir_ / "dataflow_build_config.json"));
    config["steps"] = {"step_qonnx_to_finn", "step_tidy_up", "step_streamline",
                       "step_convert_to_hls", "step_create_dataflow_partition"};
    config["stop_step"] = "step_convert_to_hls";
    write_config(config);
    CommandResult result = build_dataflow(dir_.path());
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("Running step: step_convert_to_hw [4/4]"), std::string::npos);
    EXPECT_TRUE(fs::exists(out() / "intermediate_models/step_convert_to_hw.onnx"));
}

TEST_F(SimpleModeTest, FailuresGiveAClearMessageAndANonZeroStatus) {
    if (!prepare()) GTEST_SKIP() << "../shared not available";
    // A step failure: an impl style that does not exist.
    std::ofstream(dir_ / "specialize_layers_config.json")
        << R"({"Defaults": {}, "MVAU_0": {"preferred_impl_style": "vhdl"}})";
    CommandResult failed = build_dataflow(dir_.path());
    EXPECT_EQ(failed.exit_code, 1);
    EXPECT_NE((failed.out + failed.err).find("step_specialize_layers: "), std::string::npos)
        << failed.out << failed.err;
    EXPECT_NE(failed.err.find("Build failed"), std::string::npos) << failed.err;
    EXPECT_FALSE(fs::exists(out() / "intermediate_models/step_specialize_layers.onnx"));
    EXPECT_NE(read_bytes(out() / "build_dataflow.log").find("step_specialize_layers:"),
              std::string::npos);

    // A bad key: nothing is built.
    json config = json::parse(read_bytes(dir_ / "dataflow_build_config.json"));
    config["target_fsp"] = 10;
    write_config(config);
    CommandResult bad_key = build_dataflow(dir_.path());
    EXPECT_EQ(bad_key.exit_code, 1);
    EXPECT_NE(bad_key.err.find("unknown key 'target_fsp'; did you mean 'target_fps'?"),
              std::string::npos)
        << bad_key.err;

    fs::remove(dir_ / "model.onnx");
    CommandResult no_model = build_dataflow(dir_.path());
    EXPECT_EQ(no_model.exit_code, 1);
    EXPECT_NE(no_model.err.find("ONNX not found: " + (dir_ / "model.onnx").string()),
              std::string::npos)
        << no_model.err;

    CommandResult no_dir = build_dataflow(dir_ / "nope");
    EXPECT_EQ(no_dir.exit_code, 1);
    EXPECT_NE(no_dir.err.find("Directory not found"), std::string::npos) << no_dir.err;
}

TEST(BuildCustomTest, CustomFlowExampleRunsTheUsersStep) {
    ScratchDir dir;
    fs::copy(fs::path(FINN_SOURCE_DIR) / "examples/custom_flow", dir.path(),
             fs::copy_options::recursive);
    CommandResult result =
        run_command("Finn_DIR=" + shell_quote(FINN_BUILD_TREE_DIR) + " " + shell_quote(finn_cli()) +
                    " build_custom " + shell_quote(dir.path().string()));
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("Running step: step_uniform_folding [7/9]"), std::string::npos)
        << result.out;
    Model model =
        Model::load(dir / "build/output_tfc/intermediate_models/step_uniform_folding.onnx");
    int mvaus = 0;
    for (Node node : model.nodes()) {
        if (node.op_type() != "MVAU_hls") continue;
        ++mvaus;
        // At most 8-way, and dividing the matrix dimensions.
        EXPECT_LE(node.attr_int("PE"), 8);
        EXPECT_LE(node.attr_int("SIMD"), 8);
        EXPECT_EQ(node.attr_int("MH") % node.attr_int("PE"), 0);
        EXPECT_EQ(node.attr_int("MW") % node.attr_int("SIMD"), 0);
    }
    EXPECT_EQ(mvaus, 4);
    EXPECT_EQ(model.node_by_name("MVAU_hls_3")->attr_int("PE"), 5); // MH = 10
    // The estimates reflect the user's folding: 64 x 64 weights at PE = SIMD = 8 take 64 cycles.
    auto cycles = nlohmann::json::parse(
        read_bytes(dir / "build/output_tfc/report/estimate_layer_cycles.json"));
    EXPECT_EQ(cycles["MVAU_hls_1"], 64);

    CommandResult missing = run_command(shell_quote(finn_cli()) + " build_custom " +
                                        shell_quote((dir / "nope").string()));
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("Directory not found"), std::string::npos);
}

} // namespace
} // namespace finn::testing
