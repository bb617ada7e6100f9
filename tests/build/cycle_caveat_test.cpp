// step_generate_estimate_reports keeps FINN's expected-cycles formulas (folding must match FINN's)
// and warns where one is known not to describe Finn's hardware: one console warning naming the
// nodes, the reason per node in the log; a net whose formulas all hold gets no such warning.
#include "build_test_support.h"

#include <fstream>
#include <nlohmann/json.hpp>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;

CommandResult estimate(const fs::path& dir, const std::string& zoo_model) {
    fs::create_directories(dir);
    const std::string cd = "cd " + shell_quote(dir.string()) + " && " + shell_quote(finn_cli());
    if (run_command(cd + " zoo " + zoo_model + " -o model.onnx").exit_code != 0)
        throw std::runtime_error("finn zoo " + zoo_model + " failed");
    std::ofstream(dir / "dataflow_build_config.json") << nlohmann::json{
        {"output_dir", "out"},
        {"fpga_part", "xc7z020clg400-1"},
        {"synth_clk_period_ns", 10.0},
        {"target_fps", 1000},
        {"generate_outputs", {"estimate_reports"}},
        {"stop_step", "step_generate_estimate_reports"}}.dump();
    return run_command(cd + " build_dataflow .");
}

TEST(CycleCaveat, SmallMapSlidingWindowIsNamedAndExplained) {
    ScratchDir scratch;
    const CommandResult build = estimate(scratch / "lenet", "lenet_w4a4");
    ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
    const std::string console = build.out + build.err;
    EXPECT_NE(console.find("Warning: FINN's expected-cycles formula does not describe Finn's "
                           "hardware for 1 node (estimates kept as FINN's; the log says why): "
                           "ConvolutionInputGenerator_rtl_1"),
              std::string::npos)
        << console;
    const std::string log = read_bytes(scratch / "lenet/out/build_dataflow.log");
    EXPECT_NE(log.find("estimate of ConvolutionInputGenerator_rtl_1 (FINN's formula kept): "
                       "FINN's formula counts a buffer fill of "),
              std::string::npos)
        << log;
}

TEST(CycleCaveat, NoWarningWhereTheFormulasHold) {
    ScratchDir scratch;
    const CommandResult build = estimate(scratch / "tfc", "tfc_w1a1");
    ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
    EXPECT_EQ((build.out + build.err).find("expected-cycles formula"), std::string::npos)
        << build.out << build.err;
}

} // namespace
} // namespace finn::testing
