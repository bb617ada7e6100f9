// `finn exec` on a parent model (dataflow_parent.onnx) from another working directory: the
// partition's child model resolves against the parent model's folder, not the working directory.
#include "../test_support.h"
#include "finn/util/file_io.h"

#include <gtest/gtest.h>

namespace finn {
namespace {
namespace fs = std::filesystem;
using testing::run_command;
using testing::shell_quote;
using testing::step_tool;

TEST(FinnExecParent, ChildResolvesAgainstTheParentsFolder) {
    testing::ScratchDir dir;
    const std::string cd = "cd " + shell_quote(dir.path().string()) + " && ";
    const std::string finn = shell_quote(FINN_CLI_PATH);
    auto zoo = run_command(cd + finn + " zoo tfc_w1a1 -o model.onnx --input-npy input.npy");
    ASSERT_EQ(zoo.exit_code, 0) << zoo.err;
    std::string previous = "model.onnx";
    for (const char* step :
         {"qonnx-to-finn", "tidy-up", "streamline", "convert-to-hw", "create-dataflow-partition"}) {
        std::string next = std::string("out/") + step + ".onnx";
        auto r = run_command(cd + step_tool(step) + " --in " + previous + " --out " + next +
                             " --output-dir out");
        ASSERT_EQ(r.exit_code, 0) << step << ": " << r.err;
        previous = next;
    }
    ASSERT_TRUE(fs::exists(dir / "out/intermediate_models/dataflow_parent.onnx"));
    fs::create_directories(dir / "elsewhere");

    // The parent computes what the model before the partitioning computed.
    auto expected =
        run_command(cd + finn + " exec out/convert-to-hw.onnx --input input.npy --output y.npy");
    ASSERT_EQ(expected.exit_code, 0) << expected.err;
    auto parent = run_command("cd " + shell_quote((dir / "elsewhere").string()) + " && " + finn +
                              " exec ../out/intermediate_models/dataflow_parent.onnx --input "
                              "../input.npy --output parent_y.npy");
    ASSERT_EQ(parent.exit_code, 0) << parent.err;
    EXPECT_EQ(read_file(dir / "elsewhere/parent_y.npy"), read_file(dir / "y.npy"));
}

} // namespace
} // namespace finn
