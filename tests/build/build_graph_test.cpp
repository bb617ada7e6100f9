// The build graph: real CMake projects calling finn_add_accelerator(), built with Ninja in
// scratch folders. The steps a build ran are read from the steps' own "Running step:" lines.
#include "build_test_support.h"

#include <fstream>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;

const char* kConfig = R"({
  "output_dir": "out",
  "synth_clk_period_ns": 10.0,
  "fpga_part": "xc7z020clg400-1",
  "specialize_layers_config_file": "specialize.json",
  "max_multithreshold_bit_width": 8,
  "target_fps": 100000,
  "folding_config_file": "fold.json",
  "stop_step": "step_generate_estimate_reports",
  "generate_outputs": ["estimate_reports"]
})";

// `text` with the first occurrence of `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
    std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

const char* kSpecialize = R"({"Defaults": {}, "MVAU_0": {"preferred_impl_style": "hls"}})";

// A folding config that fixes every node of the zoo's TFC.
const char* kFolding = R"({"Defaults": {},
  "Thresholding_rtl_0": {"PE": 49},
  "MVAU_hls_0": {"PE": 16, "SIMD": 49, "ram_style": "block"},
  "MVAU_hls_1": {"PE": 8, "SIMD": 8},
  "MVAU_hls_2": {"PE": 8, "SIMD": 8},
  "MVAU_hls_3": {"PE": 10, "SIMD": 8}})";

// A project with one accelerator `tfc` over the zoo's TFC-w1a1.
class BuildGraphTest : public ::testing::Test {
protected:
    void SetUp() override {
        project_.write("config.json", kConfig);
        project_.write("specialize.json", kSpecialize);
        project_.write("fold.json", kFolding);
        project_.zoo_model("tfc_w1a1", "model.onnx");
    }
    void write_accelerator_project(const std::string& extra_arguments = "") {
        project_.write_cmakelists("finn_add_accelerator(tfc MODEL model.onnx CONFIG config.json " +
                                  extra_arguments + " ALL)\n");
    }
    fs::path out() const { return project_.build_dir() / "out"; }
    CmakeProject project_;
};

TEST_F(BuildGraphTest, CleanBuildRunsEveryStepAndNoOpRebuildRunsNone) {
    write_accelerator_project();
    ASSERT_EQ(project_.configure().exit_code, 0);
    CommandResult first = project_.build();
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    EXPECT_EQ(steps_run(first), kEstimateFlow);
    for (const auto& step : kEstimateFlow)
        EXPECT_TRUE(fs::exists(out() / "intermediate_models" / (step + ".onnx"))) << step;
    EXPECT_TRUE(fs::exists(out() / "time_per_step.json"));
    EXPECT_TRUE(fs::exists(out() / "build_dataflow.log"));

    CommandResult second = project_.build();
    ASSERT_EQ(second.exit_code, 0);
    EXPECT_TRUE(steps_run(second).empty()) << second.out;
    EXPECT_NE(second.out.find("no work to do"), std::string::npos) << second.out;
}

TEST_F(BuildGraphTest, AKeyChangeRerunsOnlyTheStepsReadingItAndIsCutOffWhenNothingChanges) {
    write_accelerator_project();
    ASSERT_EQ(project_.configure().exit_code, 0);
    ASSERT_EQ(project_.build().exit_code, 0);
    const auto tidy_mtime = mtime_ns(out() / "intermediate_models/step_tidy_up.onnx");

    // Only qonnx_to_finn reads max_multithreshold_bit_width; with 4-bit-or-less activations its
    // result does not change, so the rebuild stops right after it.
    std::string config = replaced(kConfig, "\"max_multithreshold_bit_width\": 8",
                                  "\"max_multithreshold_bit_width\": 9");
    project_.write("config.json", config);
    CommandResult rebuild = project_.build();
    ASSERT_EQ(rebuild.exit_code, 0) << rebuild.out << rebuild.err;
    EXPECT_EQ(steps_run(rebuild), std::vector<std::string>{"step_qonnx_to_finn"});
    EXPECT_EQ(mtime_ns(out() / "intermediate_models/step_tidy_up.onnx"), tidy_mtime);

    // A key no step of this flow reads reruns nothing at all.
    config = replaced(config, "\"stop_step\"", "\"rtlsim_batch_size\": 4, \"stop_step\"");
    project_.write("config.json", config);
    CommandResult unrelated = project_.build();
    ASSERT_EQ(unrelated.exit_code, 0) << unrelated.out << unrelated.err;
    EXPECT_TRUE(steps_run(unrelated).empty()) << unrelated.out;
}

TEST_F(BuildGraphTest, EditingTheSpecializeConfigRerunsFromSpecializeLayersOn) {
    write_accelerator_project();
    ASSERT_EQ(project_.configure().exit_code, 0);
    ASSERT_EQ(project_.build().exit_code, 0);
    project_.write("specialize.json",
                   R"({"Defaults": {}, "LabelSelect_0": {"preferred_impl_style": "hls"}})");
    CommandResult rebuild = project_.build();
    ASSERT_EQ(rebuild.exit_code, 0) << rebuild.out << rebuild.err;
    auto steps = steps_run(rebuild);
    ASSERT_FALSE(steps.empty());
    EXPECT_EQ(steps.front(), "step_specialize_layers"); // nothing before it
}

TEST_F(BuildGraphTest, EditingTheFoldingConfigRerunsExactlyFromApplyFoldingConfigOn) {
    write_accelerator_project();
    ASSERT_EQ(project_.configure().exit_code, 0);
    ASSERT_EQ(project_.build().exit_code, 0);
    project_.write("fold.json",
                   replaced(kFolding, "\"MVAU_hls_1\": {\"PE\": 8", "\"MVAU_hls_1\": {\"PE\": 4"));
    CommandResult rebuild = project_.build();
    ASSERT_EQ(rebuild.exit_code, 0) << rebuild.out << rebuild.err;
    EXPECT_EQ(steps_run(rebuild),
              (std::vector<std::string>{"step_apply_folding_config", "step_minimize_bit_width",
                                        "step_generate_estimate_reports"}));
    EXPECT_NE(read_bytes(out() / "report/estimate_layer_cycles.json").find("\"MVAU_hls_1\": 128"),
              std::string::npos);
}

TEST_F(BuildGraphTest, TargetFpsChangeWithAFullFoldingConfigIsCutOffAfterApplyingIt) {
    write_accelerator_project();
    ASSERT_EQ(project_.configure().exit_code, 0);
    ASSERT_EQ(project_.build().exit_code, 0);
    const auto reports_mtime = mtime_ns(out() / "report/estimate_layer_cycles.json");
    project_.write("config.json",
                   replaced(kConfig, "\"target_fps\": 100000", "\"target_fps\": 5000"));
    CommandResult rebuild = project_.build();
    ASSERT_EQ(rebuild.exit_code, 0) << rebuild.out << rebuild.err;
    // Parallelization reruns (its slice changed), but the folding config fixes every node, so
    // apply_folding_config's result is identical and nothing after it runs.
    EXPECT_EQ(steps_run(rebuild), (std::vector<std::string>{"step_target_fps_parallelization",
                                                            "step_apply_folding_config"}));
    EXPECT_EQ(mtime_ns(out() / "report/estimate_layer_cycles.json"), reports_mtime);
}

TEST_F(BuildGraphTest, AModelRewrittenWithTheSameBytesStopsAfterTheFirstStep) {
    write_accelerator_project();
    ASSERT_EQ(project_.configure().exit_code, 0);
    ASSERT_EQ(project_.build().exit_code, 0);
    // Same content, new time stamp: the first step reruns, leaves its output untouched, and
    // Ninja's restat stops there.
    std::string bytes = read_bytes(project_.path() / "model.onnx");
    fs::remove(project_.path() / "model.onnx");
    std::ofstream(project_.path() / "model.onnx", std::ios::binary) << bytes;
    CommandResult rebuild = project_.build();
    ASSERT_EQ(rebuild.exit_code, 0) << rebuild.out << rebuild.err;
    EXPECT_EQ(steps_run(rebuild), std::vector<std::string>{"step_qonnx_to_finn"});
}

TEST_F(BuildGraphTest, TwoAcceleratorsBuildInParallel) {
    project_.write("config_b.json", replaced(kConfig, "\"out\"", "\"outb\""));
    project_.write_cmakelists(
        "finn_add_accelerator(tfc_a MODEL model.onnx CONFIG config.json ALL)\n"
        "finn_add_accelerator(tfc_b MODEL model.onnx CONFIG config_b.json ALL)\n");
    ASSERT_EQ(project_.configure().exit_code, 0);
    // The aggregate builds both accelerators' reports, in parallel.
    CommandResult build = project_.build("estimates", "-j2");
    ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
    EXPECT_EQ(steps_run(build).size(), 2 * kEstimateFlow.size());
    for (const char* dir : {"out", "outb"})
        EXPECT_TRUE(
            fs::exists(project_.build_dir() / dir / "report/estimate_network_performance.json"))
            << dir;
    EXPECT_EQ(read_bytes(out() / "intermediate_models/step_specialize_layers.onnx"),
              read_bytes(project_.build_dir() / "outb/intermediate_models/"
                                                "step_specialize_layers.onnx"));
}

TEST_F(BuildGraphTest, ProductTargetsOutsideTheFlowFailWithAClearMessage) {
    write_accelerator_project();
    ASSERT_EQ(project_.configure().exit_code, 0);
    CommandResult bitfile = project_.build("tfc_bitfile");
    EXPECT_NE(bitfile.exit_code, 0);
    EXPECT_NE(bitfile.out.find("tfc: bitfile needs step_synthesize_bitfile"), std::string::npos)
        << bitfile.out;
    // The aggregate exists too and builds nothing for accelerators that do not ask for it.
    EXPECT_EQ(project_.build("bitfile").exit_code, 0);
    CommandResult estimates = project_.build("tfc_estimates");
    ASSERT_EQ(estimates.exit_code, 0) << estimates.out << estimates.err;
    EXPECT_TRUE(fs::exists(out() / "report/estimate_layer_resources.json"));
}

TEST_F(BuildGraphTest, StepsNotImplementedYetFailAtBuildTimeNamingTheStep) {
    project_.write("config.json",
                   replaced(kConfig, "\"stop_step\": \"step_generate_estimate_reports\"",
                            "\"steps\": [\"step_qonnx_to_finn\", \"step_synthesize_bitfile\"]"));
    write_accelerator_project();
    ASSERT_EQ(project_.configure().exit_code, 0);
    // Heavy steps share a pool sized from the machine (the console pool when Vivado runs them).
    std::string ninja_file = read_bytes(project_.build_dir() / "build.ninja") +
                             read_bytes(project_.build_dir() / "CMakeFiles/rules.ninja");
    EXPECT_NE(ninja_file.find("pool finn_heavy"), std::string::npos);
    EXPECT_TRUE(ninja_file.find("pool = finn_heavy") != std::string::npos ||
                ninja_file.find("pool = console") != std::string::npos);
    CommandResult build = project_.build();
    EXPECT_NE(build.exit_code, 0);
    EXPECT_NE(build.out.find("step_synthesize_bitfile is not implemented in this Finn yet"),
              std::string::npos)
        << build.out;
}

TEST_F(BuildGraphTest, ArgumentsOverrideTheConfigurationFile) {
    write_accelerator_project("OUTPUT_DIR elsewhere STOP_STEP step_tidy_up");
    ASSERT_EQ(project_.configure().exit_code, 0);
    CommandResult build = project_.build();
    ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
    EXPECT_EQ(steps_run(build), (std::vector<std::string>{"step_qonnx_to_finn", "step_tidy_up"}));
    EXPECT_TRUE(
        fs::exists(project_.build_dir() / "elsewhere/intermediate_models/step_tidy_up.onnx"));
}

TEST_F(BuildGraphTest, MisspeltOrMissingArgumentsAreCMakeErrorsNamingThem) {
    project_.write_cmakelists("finn_add_accelerator(tfc MODEL model.onnx CONFIG config.json "
                              "FOLDNG_CONFIG fold.json)\n");
    CommandResult misspelt = project_.configure();
    EXPECT_NE(misspelt.exit_code, 0);
    EXPECT_NE(unwrapped(misspelt.err).find("unknown argument(s) 'FOLDNG_CONFIG;fold.json'"),
              std::string::npos)
        << misspelt.err;

    project_.write_cmakelists("finn_add_accelerator(tfc MODEL model.onnx)\n");
    CommandResult missing = project_.configure();
    EXPECT_NE(missing.exit_code, 0);
    EXPECT_NE(unwrapped(missing.err).find("missing CONFIG"), std::string::npos) << missing.err;

    project_.write_cmakelists("finn_add_accelerator(tfc MODEL model.onnx CONFIG config.json "
                              "STEPS tidy_up SPECIALIZE_CONFIGG x)\n");
    CommandResult absorbed = project_.configure();
    EXPECT_NE(absorbed.exit_code, 0);
    EXPECT_NE(unwrapped(absorbed.err).find("'SPECIALIZE_CONFIGG' looks like a misspelt keyword"),
              std::string::npos)
        << absorbed.err;

    project_.write("config.json", R"({"output_dir": "out", "synth_clk_period_ns": 10,
        "generate_outputs": [], "target_fsp": 5})");
    project_.write_cmakelists("finn_add_accelerator(tfc MODEL model.onnx CONFIG config.json)\n");
    CommandResult bad_key = project_.configure();
    EXPECT_NE(bad_key.exit_code, 0);
    EXPECT_NE(unwrapped(bad_key.err).find("did you mean 'target_fps'"), std::string::npos)
        << bad_key.err;
}

TEST_F(BuildGraphTest, TwoBuildFoldersGiveByteIdenticalOutputsWithoutTheirPaths) {
    write_accelerator_project();
    CmakeProject other;
    other.write("config.json", kConfig);
    other.write("specialize.json", kSpecialize);
    other.write("fold.json", kFolding);
    other.zoo_model("tfc_w1a1", "model.onnx");
    other.write_cmakelists("finn_add_accelerator(tfc MODEL model.onnx CONFIG config.json ALL)\n");
    // Different folders and different parallelism, same bytes.
    ASSERT_EQ(project_.configure().exit_code, 0);
    ASSERT_EQ(project_.build("", "-j2").exit_code, 0);
    ASSERT_EQ(other.configure().exit_code, 0);
    ASSERT_EQ(other.build("", "-j1").exit_code, 0);
    for (const auto& entry : fs::recursive_directory_iterator(out())) {
        if (!entry.is_regular_file()) continue;
        // Logs and times differ between any two builds; everything else must not.
        std::string name = entry.path().filename().string();
        if (name == "build_dataflow.log" || name == "time_per_step.json" ||
            entry.path().parent_path().filename() == "step_times")
            continue;
        fs::path relative = fs::relative(entry.path(), out());
        std::string bytes = read_bytes(entry.path());
        EXPECT_EQ(bytes, read_bytes(other.build_dir() / "out" / relative)) << relative;
        EXPECT_EQ(bytes.find(project_.path().string()), std::string::npos) << relative;
        EXPECT_EQ(bytes.find("/tmp"), std::string::npos) << relative;
    }
}

} // namespace
} // namespace finn::testing
