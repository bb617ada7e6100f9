// A verification that verify_steps requests but Finn cannot run (yet) is never skipped silently:
// the step that would run it warns on the console and in build_dataflow.log, and the plan warns
// when no planned step runs it at all.
#include "../test_support.h"
#include "builtin_steps.h"
#include "finn/config/flow_plan.h"
#include "finn/util/file_io.h"

#include <fstream>
#include <gtest/gtest.h>

namespace finn {
namespace {
namespace fs = std::filesystem;
using testing::run_command;
using testing::shell_quote;
using testing::step_tool;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A FINN-ONNX model (the zoo's TFC after qonnx_to_finn) in `dir`/finn.onnx.
void write_finn_onnx_model(const fs::path& dir) {
    std::string cd = "cd " + shell_quote(dir.string()) + " && ";
    auto zoo = run_command(cd + shell_quote(FINN_CLI_PATH) + " zoo tfc_w1a1 -o qonnx.onnx");
    ASSERT_EQ(zoo.exit_code, 0) << zoo.err;
    auto convert =
        run_command(cd + step_tool("qonnx-to-finn") + " --in qonnx.onnx --out finn.onnx");
    ASSERT_EQ(convert.exit_code, 0) << convert.err;
}

TEST(VerificationWarnings, FoldedCppsimIsNamedWhenRequested) {
    testing::ScratchDir dir;
    write_finn_onnx_model(dir.path());
    std::ofstream(dir / "step.json") << R"({"verify_steps": ["folded_hls_cppsim"]})";
    auto r = run_command("cd " + shell_quote(dir.path().string()) + " && " +
                         step_tool("apply-folding-config") +
                         " --in finn.onnx --out folded.onnx --output-dir . --config step.json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string warning = "Warning: verify_steps requests folded_hls_cppsim, which "
                                "step_apply_folding_config does not run: Finn cannot run this "
                                "verification yet";
    EXPECT_TRUE(contains(r.out, warning)) << r.out;
    EXPECT_TRUE(contains(read_file(dir / "build_dataflow.log"), warning));

    // Not requested: not a word.
    std::ofstream(dir / "quiet.json") << R"({"verify_steps": ["streamlined_python"]})";
    auto quiet = run_command(
        "cd " + shell_quote(dir.path().string()) + " && " + step_tool("apply-folding-config") +
        " --in finn.onnx --out folded.onnx --output-dir . --config quiet.json");
    ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
    EXPECT_FALSE(contains(quiet.out, "Warning")) << quiet.out;
}

TEST(VerificationWarnings, QonnxToFinnSaysWhyItDidNotVerify) {
    testing::ScratchDir dir;
    write_finn_onnx_model(dir.path());
    std::ofstream(dir / "step.json") << R"({"verify_steps": ["finn_onnx_python"]})";
    auto r =
        run_command("cd " + shell_quote(dir.path().string()) + " && " + step_tool("qonnx-to-finn") +
                    " --in finn.onnx --out again.onnx --output-dir . --config step.json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "Warning: verify_steps requests finn_onnx_python, which "
                                "step_qonnx_to_finn does not run: the model has no QONNX "
                                "quantizers to convert"))
        << r.out;
}

TEST(VerificationWarnings, PlanNamesVerificationsNoPlannedStepRuns) {
    testing::ScratchDir dir;
    nlohmann::ordered_json config = {
        {"output_dir", "out"},
        {"synth_clk_period_ns", 10.0},
        {"board", "Pynq-Z1"},
        {"shell_flow_type", "vivado_zynq"},
        {"generate_outputs", {"estimate_reports"}},
        {"verify_steps", {"initial_python", "node_by_node_rtlsim", "stitched_ip_rtlsim"}},
        {"stop_step", "step_generate_estimate_reports"}};
    std::ofstream(dir / "dataflow_build_config.json") << config.dump(2);
    std::ofstream(dir / "input.npy") << "";
    std::ofstream(dir / "expected_output.npy") << "";
    FlowPlan plan =
        plan_flow(builtin_step_catalog(), {dir / "dataflow_build_config.json", {}, {}, {}});
    ASSERT_EQ(plan.warnings.size(), 2u);
    EXPECT_EQ(plan.warnings[0],
              "verify_steps requests node_by_node_rtlsim, which runs in step_hw_ipgen, a step "
              "this flow does not run (steps, start_step, stop_step); skipped");
    EXPECT_EQ(plan.warnings[1],
              "verify_steps requests stitched_ip_rtlsim, which runs in step_create_stitched_ip, "
              "a step this flow does not run (steps, start_step, stop_step); skipped");
}

} // namespace
} // namespace finn
