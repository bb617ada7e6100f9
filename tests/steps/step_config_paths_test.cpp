// A step tool run by hand with --config some/dir/config.json resolves the relative paths in it
// (and the default verification files) against some/dir, as finn build_dataflow does.
#include "../test_support.h"
#include "finn/util/file_io.h"

#include <fstream>
#include <gtest/gtest.h>

namespace finn {
namespace {
namespace fs = std::filesystem;
using testing::run_command;
using testing::shell_quote;
using testing::step_tool;

TEST(StepConfigPaths, RelativeToTheConfigFilesFolder) {
    testing::ScratchDir dir;
    fs::create_directories(dir / "cfg");
    fs::create_directories(dir / "elsewhere");
    const std::string finn = shell_quote(FINN_CLI_PATH);
    const std::string in_cfg = "cd " + shell_quote((dir / "cfg").string()) + " && ";
    ASSERT_EQ(
        run_command(in_cfg + finn + " zoo tfc_w1a1 -o model.onnx --input-npy input.npy").exit_code,
        0);
    ASSERT_EQ(run_command(in_cfg + finn +
                          " exec model.onnx --input input.npy --output expected_output.npy")
                  .exit_code,
              0);
    std::ofstream(dir / "cfg/folding.json") << R"({"Defaults": {}})";
    // verify_input_npy and verify_expected_output_npy are FINN's defaults, beside the config.
    std::ofstream(dir / "cfg/config.json")
        << R"({"folding_config_file": "folding.json", "verify_steps": ["initial_python"]})";

    const std::string elsewhere = "cd " + shell_quote((dir / "elsewhere").string()) + " && ";
    auto tidy = run_command(elsewhere + step_tool("tidy-up") +
                            " --in ../cfg/model.onnx --out tidy.onnx --output-dir out "
                            "--config ../cfg/config.json");
    ASSERT_EQ(tidy.exit_code, 0) << tidy.err;
    EXPECT_NE(read_file(dir / "elsewhere/out/build_dataflow.log")
                  .find("Verification for initial_python : SUCCESS"),
              std::string::npos);
    auto fold = run_command(elsewhere + step_tool("apply-folding-config") +
                            " --in tidy.onnx --out folded.onnx --output-dir out "
                            "--config ../cfg/config.json");
    EXPECT_EQ(fold.exit_code, 0) << fold.err;

    auto help = run_command(step_tool("tidy-up") + " --help");
    EXPECT_NE(help.out.find("resolve\n                against the folder of the configuration"),
              std::string::npos)
        << help.out;
}

} // namespace
} // namespace finn
