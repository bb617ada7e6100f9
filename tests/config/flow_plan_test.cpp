// The flow plan: step lists (default, custom, aliases, start/stop), per-step configuration
// slices (only the keys a step reads), file dependencies and declared outputs.
#include "builtin_steps.h"
#include "finn/config/flow_plan.h"
#include "finn/core/error.h"
#include "test_support.h"

#include <algorithm>
#include <fstream>

namespace finn {
namespace {

namespace fs = std::filesystem;
using finn::testing::ScratchDir;
using json = nlohmann::ordered_json;

class FlowPlanTest : public ::testing::Test {
protected:
    fs::path write_config(const json& config) {
        fs::path path = dir_ / "dataflow_build_config.json";
        std::ofstream(path) << config.dump(2);
        return path;
    }
    json base_config() const {
        return {{"output_dir", "out"},  {"synth_clk_period_ns", 10.0},
                {"board", "Pynq-Z1"},   {"shell_flow_type", "vivado_zynq"},
                {"target_fps", 100000}, {"generate_outputs", {"estimate_reports", "bitfile"}}};
    }
    FlowPlan plan(const json& config, FlowPlanOptions options = {}) {
        options.config_path = write_config(config);
        return plan_flow(builtin_step_catalog(), options);
    }
    std::vector<std::string> names(const FlowPlan& p) const {
        std::vector<std::string> out;
        for (const auto& s : p.steps)
            out.push_back(s.name);
        return out;
    }
    ScratchDir dir_;
};

TEST_F(FlowPlanTest, DefaultListIsFinnMainsNineteenSteps) {
    FlowPlan p = plan(base_config());
    ASSERT_EQ(p.steps.size(), 19u);
    EXPECT_EQ(p.steps.front().name, "step_qonnx_to_finn");
    EXPECT_EQ(p.steps[9].name, "step_generate_estimate_reports");
    EXPECT_EQ(p.steps.back().name, "step_deployment_package");
    EXPECT_EQ(p.total_steps, 19);
    EXPECT_EQ(p.steps[3].index, 4);
    EXPECT_EQ(p.output_dir, (dir_.path() / "out").lexically_normal());
    EXPECT_FALSE(p.resume_after);
}

TEST_F(FlowPlanTest, SliceHoldsOnlyTheKeysTheStepReads) {
    FlowPlan p = plan(base_config());
    // tidy_up reads nothing (no verification requested): changing target_fps cannot rerun it.
    EXPECT_EQ(p.find("step_tidy_up")->slice, json::object());
    EXPECT_EQ(p.find("step_target_fps_parallelization")->slice,
              json({{"target_fps", 100000}, {"synth_clk_period_ns", 10.0}}));
    EXPECT_EQ(p.find("step_specialize_layers")->slice,
              json({{"board", "Pynq-Z1"}, {"shell_flow_type", "vivado_zynq"}}));
}

TEST_F(FlowPlanTest, ProductStepsSeeOnlyTheirOwnProducts) {
    FlowPlan p = plan(base_config());
    EXPECT_EQ(p.find("step_generate_estimate_reports")->slice["generate_outputs"],
              json({"estimate_reports"}));
    EXPECT_EQ(p.find("step_synthesize_bitfile")->slice["generate_outputs"], json({"bitfile"}));
    EXPECT_EQ(p.find("step_create_stitched_ip")->slice["generate_outputs"], json::array());
    // The estimate step always writes its five reports and the HTML page when asked to, so they
    // are declared.
    EXPECT_EQ(p.find("step_generate_estimate_reports")->outputs.size(), 6u);
    EXPECT_EQ(p.find("step_target_fps_parallelization")->outputs,
              std::vector<std::string>{"auto_folding_config.json"});
}

TEST_F(FlowPlanTest, VerificationKeysOnlyForTheStepWhoseHookIsRequested) {
    json config = base_config();
    config["verify_steps"] = {"streamlined_python"};
    std::ofstream(dir_ / "input.npy") << "x";
    std::ofstream(dir_ / "expected_output.npy") << "y";
    FlowPlan p = plan(config);
    EXPECT_FALSE(p.find("step_tidy_up")->slice.contains("verify_steps"));
    const PlannedStep* streamline = p.find("step_streamline");
    EXPECT_EQ(streamline->slice["verify_steps"], json({"streamlined_python"}));
    // Default file names resolve against the configuration's folder, as FINN's chdir does.
    EXPECT_EQ(streamline->slice["verify_input_npy"], (dir_.path() / "input.npy").string());
    ASSERT_EQ(streamline->file_dependencies.size(), 2u);
}

// folded_hls_cppsim runs the parent model step_create_dataflow_partition writes: when requested,
// step_apply_folding_config depends on it (only when a planned step writes it).
TEST_F(FlowPlanTest, ParentModeVerificationDependsOnTheParentModel) {
    json config = base_config();
    config["verify_steps"] = {"folded_hls_cppsim"};
    std::ofstream(dir_ / "input.npy") << "x";
    std::ofstream(dir_ / "expected_output.npy") << "y";
    const fs::path parent = dir_.path() / "out/intermediate_models/dataflow_parent.onnx";
    auto depends_on_parent = [&](const FlowPlan& p) {
        const auto& files = p.find("step_apply_folding_config")->file_dependencies;
        return std::find(files.begin(), files.end(), parent) != files.end();
    };
    EXPECT_TRUE(depends_on_parent(plan(config)));
    config["save_intermediate_models"] = false; // no parent model is written
    EXPECT_FALSE(depends_on_parent(plan(config)));
    config.erase("save_intermediate_models");
    config["start_step"] = "step_specialize_layers"; // the partition step is not planned
    EXPECT_FALSE(depends_on_parent(plan(config)));
    config.erase("start_step");
    config["verify_steps"] = json::array();
    EXPECT_FALSE(depends_on_parent(plan(config)));
}

TEST_F(FlowPlanTest, MissingVerificationFileIsAnErrorNamingKeyAndStep) {
    json config = base_config();
    config["verify_steps"] = {"initial_python"};
    try {
        plan(config);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        std::string message = e.what();
        EXPECT_NE(message.find("verify_input_npy"), std::string::npos) << message;
        EXPECT_NE(message.find("step_tidy_up"), std::string::npos) << message;
    }
}

TEST_F(FlowPlanTest, FoldingConfigIsAFileDependencyOfTheStepsReadingIt) {
    json config = base_config();
    config["folding_config_file"] = "fold.json";
    std::ofstream(dir_ / "fold.json") << "{\"Defaults\": {}}";
    FlowPlan p = plan(config);
    const fs::path fold = dir_.path() / "fold.json";
    EXPECT_EQ(p.find("step_apply_folding_config")->file_dependencies, std::vector<fs::path>{fold});
    EXPECT_EQ(p.find("step_set_fifo_depths")->file_dependencies, std::vector<fs::path>{fold});
    EXPECT_TRUE(p.find("step_minimize_bit_width")->file_dependencies.empty());
}

TEST_F(FlowPlanTest, SeedEraAndShortNamesAreAccepted) {
    json config = base_config();
    config["steps"] = {"step_tidy_up", "streamline", "step_convert_to_hls",
                       "step_create_dataflow_partition", "step_hls_codegen"};
    config["stop_step"] = "step_convert_to_hls";
    FlowPlan p = plan(config);
    EXPECT_EQ(names(p),
              (std::vector<std::string>{"step_tidy_up", "step_streamline", "step_convert_to_hw"}));
    EXPECT_EQ(builtin_step_catalog().canonical_name("step_make_driver"), "step_make_pynq_driver");
    EXPECT_EQ(builtin_step_catalog().canonical_name("step_hls_ipgen"), "step_hw_ipgen");
}

TEST_F(FlowPlanTest, StartStepResumesFromThePreviousCheckpoint) {
    json config = base_config();
    config["start_step"] = "step_specialize_layers";
    config["stop_step"] = "step_minimize_bit_width";
    FlowPlan p = plan(config);
    EXPECT_EQ(names(p),
              (std::vector<std::string>{"step_specialize_layers", "step_target_fps_parallelization",
                                        "step_apply_folding_config", "step_minimize_bit_width"}));
    EXPECT_EQ(p.resume_after, "step_create_dataflow_partition");
    EXPECT_EQ(p.steps[0].index, 1);
    EXPECT_EQ(p.total_steps, 4);
}

TEST_F(FlowPlanTest, OverridesReplaceFileValues) {
    FlowPlanOptions options;
    options.overrides["target_fps"] = 5000;
    options.overrides["output_dir"] = "/abs/out";
    FlowPlan p = plan(base_config(), options);
    EXPECT_EQ(p.find("step_target_fps_parallelization")->slice["target_fps"], 5000);
    EXPECT_EQ(p.output_dir, fs::path("/abs/out"));
}

TEST_F(FlowPlanTest, CustomStepsReadOnlyTheirDeclaredKeys) {
    json config = base_config();
    config["steps"] = {"step_tidy_up", "my_fold"};
    FlowPlanOptions options;
    options.custom_steps.push_back({"my_fold", {"mvau_wwidth_max", "target_fps"}, {"fold.txt"}});
    FlowPlan p = plan(config, options);
    const PlannedStep* mine = p.find("my_fold");
    ASSERT_NE(mine, nullptr);
    EXPECT_EQ(mine->builtin, nullptr);
    EXPECT_EQ(mine->slice, json({{"target_fps", 100000}}));
    EXPECT_EQ(mine->outputs, std::vector<std::string>{"fold.txt"});

    options.custom_steps[0].reads = {"no_such_key"};
    EXPECT_THROW(plan(config, options), Error);
}

TEST_F(FlowPlanTest, BadStepListsAreErrors) {
    auto message_of = [&](json config) {
        try {
            plan(config);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    json config = base_config();
    config["steps"] = {"step_tidy_up", "step_tidyup"};
    EXPECT_NE(message_of(config).find("unknown step 'step_tidyup'"), std::string::npos);
    config["steps"] = {"step_tidy_up", "step_tidy_up"};
    EXPECT_NE(message_of(config).find("appears twice"), std::string::npos);
    config = base_config();
    config["stop_step"] = "step_nope";
    EXPECT_NE(message_of(config).find("stop_step 'step_nope'"), std::string::npos);
    config = base_config();
    config["start_step"] = "step_qonnx_to_finn";
    EXPECT_NE(message_of(config).find("is the first step"), std::string::npos);
    config = base_config();
    config["start_step"] = "step_streamline";
    config["stop_step"] = "step_tidy_up";
    EXPECT_NE(message_of(config).find("comes before"), std::string::npos);
    config = base_config();
    config["target_fsp"] = 1;
    EXPECT_NE(message_of(config).find("did you mean 'target_fps'"), std::string::npos);
}

} // namespace
} // namespace finn
