// `finn build_dataflow` as a new user meets it: a failed step's console shows FINN's progress
// lines and the step's one error line (Ninja's FAILED line and command line go to the build log
// only), and a build folder with non-ASCII letters builds; what the build graph cannot carry is
// refused with the character shown whole.
#include "build_test_support.h"
#include "finn/config/flow_plan.h"
#include "finn/core/error.h"

#include <fstream>
#include <nlohmann/json.hpp>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;

// A simple-mode folder with the zoo's TFC-w1a1 whose flow ends at `stop_step`.
void write_tfc_folder(const fs::path& dir, const std::string& stop_step,
                      const nlohmann::ordered_json& extra = nlohmann::ordered_json::object()) {
    fs::create_directories(dir);
    auto zoo = run_command("cd " + shell_quote(dir.string()) + " && " + shell_quote(finn_cli()) +
                           " zoo tfc_w1a1 -o model.onnx");
    ASSERT_EQ(zoo.exit_code, 0) << zoo.err;
    nlohmann::ordered_json config = {
        {"output_dir", "out"},   {"synth_clk_period_ns", 10.0},
        {"board", "Pynq-Z1"},    {"shell_flow_type", "vivado_zynq"},
        {"target_fps", 100000},  {"generate_outputs", {"estimate_reports"}},
        {"stop_step", stop_step}};
    for (const auto& [key, value] : extra.items())
        config[key] = value;
    std::ofstream(dir / "dataflow_build_config.json") << config.dump(2);
}

CommandResult build_dataflow(const fs::path& dir) {
    return run_command(shell_quote(finn_cli()) + " build_dataflow " + shell_quote(dir.string()));
}

TEST(FailedStepConsole, ShowsTheStepsErrorLineAndLogsNinjasDetail) {
    ScratchDir scratch;
    const fs::path dir = scratch / "tfc";
    write_tfc_folder(dir, "step_apply_folding_config",
                     {{"folding_config_file", "folding_config.json"}});
    std::ofstream(dir / "folding_config.json") << "{ not json";
    CommandResult failed = build_dataflow(dir);
    EXPECT_EQ(failed.exit_code, 1);
    const std::string console = failed.out + failed.err;
    EXPECT_NE(console.find("Running step: step_apply_folding_config [8/8]"), std::string::npos)
        << console;
    EXPECT_NE(console.find("\nstep_apply_folding_config: "), std::string::npos) << console;
    EXPECT_NE(console.find("Build failed"), std::string::npos) << console;
    // No Ninja detail on the console: neither its FAILED line nor the step's command line.
    EXPECT_EQ(console.find("FAILED"), std::string::npos) << console;
    EXPECT_EQ(console.find("finn-step-apply-folding-config"), std::string::npos) << console;
    EXPECT_EQ(console.find("--output-dir"), std::string::npos) << console;
    EXPECT_EQ(console.find("ninja: build stopped"), std::string::npos) << console;
    // They are in the log, after the step's error line.
    const std::string log = read_bytes(dir / "out/build_dataflow.log");
    EXPECT_NE(log.find("] FAILED: "), std::string::npos) << log;
    EXPECT_NE(log.find("finn-step-apply-folding-config --in "), std::string::npos) << log;
    EXPECT_NE(log.find("] step_apply_folding_config: "), std::string::npos) << log;
}

TEST(NonAsciiBuildFolder, BuildsUnderUbung) {
    ScratchDir scratch;
    const fs::path dir = scratch /
                         "\xC3\x9C"
                         "bung" /
                         "tfc"; // Übung/tfc
    write_tfc_folder(dir, "step_tidy_up");
    CommandResult built = build_dataflow(dir);
    ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
    EXPECT_EQ(steps_run(built), (std::vector<std::string>{"step_qonnx_to_finn", "step_tidy_up"}));
    EXPECT_TRUE(fs::exists(dir / "out/intermediate_models/step_tidy_up.onnx"));
}

std::string refusal(const std::string& path) {
    try {
        check_build_graph_path(path, "output_dir");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(NonAsciiBuildFolder, RefusedCharactersAreShownWhole) {
    EXPECT_EQ(refusal("/work/\xC3\x9C"
                      "bung/\xE2\x82\xAC/\xF0\x9F\x99\x82"),
              ""); // Übung/€/🙂
    EXPECT_EQ(refusal("/work/\xC3\x9C"
                      "bung;x"),
              "output_dir '/work/\xC3\x9C"
              "bung;x' contains ';', which the CMake build graph "
              "cannot hold in a file name; rename it");
    // Latin-1 'Ü' is not UTF-8: the byte is named, and the path printed without a broken byte.
    EXPECT_EQ(refusal("/work/\xDC"
                      "bung"),
              "output_dir '/work/\\xDCbung' contains the byte \\xDC, which is not UTF-8 (CMake "
              "and Ninja take UTF-8 file names); rename it");
    EXPECT_EQ(refusal("/work/a\nb"),
              "output_dir '/work/aU+000Ab' contains the control character U+000A, which the "
              "CMake build graph cannot hold in a file name; rename it");
}

} // namespace
} // namespace finn::testing
