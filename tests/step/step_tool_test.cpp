// The step-tool contract, checked on finn-step-test-only: arguments, log lines, outputs written
// only on success and left untouched when identical, one-line errors with exit code 1.
#include "../test_support.h"
#include "finn/core/npy.h"
#include "finn/ir/model.h"
#include "finn/step/build_log.h"
#include "finn/util/file_io.h"

#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace finn {
namespace {
namespace fs = std::filesystem;
using testing::run_command;
using testing::ScratchDir;
using testing::shell_quote;

Model tiny_model() {
    Model model;
    model.proto().add_opset_import()->set_version(13);
    model.graph().add_input()->set_name("x");
    model.set_shape("x", {1, 4});
    model.graph().add_output()->set_name("y");
    model.add_node("Relu", {"x"}, {"y"}, "Relu_0");
    return model;
}

struct StepRun {
    ScratchDir dir;
    fs::path in = dir / "in.onnx";
    fs::path out = dir / "out.onnx";
    fs::path od = dir / "output";
    StepRun() { tiny_model().save(in); }
    testing::CommandResult run(const std::string& extra = "") {
        return run_command(std::string(FINN_TEST_STEP_PATH) + " --in " + shell_quote(in.string()) +
                           " --out " + shell_quote(out.string()) + " --output-dir " +
                           shell_quote(od.string()) + " " + extra);
    }
    void write_config(const std::string& name, const std::string& text) {
        std::ofstream(dir / name) << text;
    }
};

TEST(StepTool, HelpDescribesTheContract) {
    auto r = run_command(std::string(FINN_TEST_STEP_PATH) + " --help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("--in"), std::string::npos);
    EXPECT_NE(r.out.find("--output-dir"), std::string::npos);
    EXPECT_NE(r.out.find("step_test_only"), std::string::npos);
}

TEST(StepTool, RunsAndWritesModelReportLogAndTime) {
    StepRun s;
    s.write_config("step.json", R"({"target_fps": 1000})");
    auto r = s.run("--config " + shell_quote((s.dir / "step.json").string()) + " --index 3/19");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "Running step: step_test_only [3/19]\n");
    Model out = Model::load(s.out);
    EXPECT_EQ(out.metadata("test_only_step"), "ran");
    auto report = nlohmann::json::parse(read_file(s.od / "report/test_only.json"));
    EXPECT_EQ(report["nodes"], 1);
    EXPECT_EQ(report["target_fps"], 1000);
    std::string log = read_file(s.od / "build_dataflow.log");
    EXPECT_NE(log.find("] Running step: step_test_only [3/19]\n"), std::string::npos) << log;
    EXPECT_NE(log.find("] test-only step sees 1 nodes\n"), std::string::npos) << log;
    EXPECT_EQ(log[0], '[');
    EXPECT_TRUE(fs::exists(step_time_record_path(s.od, "step_test_only")));
}

TEST(StepTool, IdenticalOutputsAreLeftUntouched) {
    StepRun s;
    ASSERT_EQ(s.run().exit_code, 0);
    auto model_time = testing::mtime_ns(s.out);
    auto report_time = testing::mtime_ns(s.od / "report/test_only.json");
    ASSERT_EQ(s.run().exit_code, 0);
    EXPECT_EQ(testing::mtime_ns(s.out), model_time);
    EXPECT_EQ(testing::mtime_ns(s.od / "report/test_only.json"), report_time);
}

TEST(StepTool, YamlConfigWorksLikeJson) {
    StepRun s;
    s.write_config("step.yaml", "target_fps: 250\nverbose: false\n");
    auto r = s.run("--config " + shell_quote((s.dir / "step.yaml").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto report = nlohmann::json::parse(read_file(s.od / "report/test_only.json"));
    EXPECT_EQ(report["target_fps"], 250);
}

TEST(StepTool, FailureWritesNothingAndExitsOne) {
    StepRun s;
    s.write_config("fail.json", R"({"stop_step": "fail"})");
    auto r = s.run("--config " + shell_quote((s.dir / "fail.json").string()));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "step_test_only: deliberate failure for testing\n");
    EXPECT_FALSE(fs::exists(s.out));
    EXPECT_FALSE(fs::exists(s.od / "report/test_only.json"));
    EXPECT_FALSE(fs::exists(step_time_record_path(s.od, "step_test_only")));
    EXPECT_NE(read_file(s.od / "build_dataflow.log").find("step_test_only: deliberate failure"),
              std::string::npos);
}

// An error's details (e.g. every node that blocks the dataflow partition) go to the log; the
// console keeps the one line, pointing at the log.
TEST(StepTool, ErrorDetailsGoToTheLogNotTheConsole) {
    StepRun s;
    s.write_config("fail.json", R"({"stop_step": "fail_with_details"})");
    auto r = s.run("--config " + shell_quote((s.dir / "fail.json").string()));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "step_test_only: deliberate failure with details (details in "
                     "build_dataflow.log)\n");
    const std::string log = read_file(s.od / "build_dataflow.log");
    EXPECT_NE(log.find("] step_test_only: deliberate failure with details\n"), std::string::npos)
        << log;
    EXPECT_NE(log.find("] first detail line\n"), std::string::npos) << log;
    EXPECT_NE(log.find("] second detail line\n"), std::string::npos) << log;

    // Without an output folder there is no log: the details follow the error line.
    auto bare = run_command(std::string(FINN_TEST_STEP_PATH) + " --in " +
                            shell_quote(s.in.string()) + " --out " + shell_quote(s.out.string()) +
                            " --config " + shell_quote((s.dir / "fail.json").string()));
    EXPECT_EQ(bare.exit_code, 1);
    EXPECT_EQ(bare.err, "step_test_only: deliberate failure with details\nfirst detail line\n"
                        "second detail line\n");
}

TEST(StepTool, BadInputsAreOneLineErrors) {
    StepRun s;
    auto expect_error = [&](const std::string& extra, const std::string& fragment,
                            int exit_code = 1) {
        auto r = s.run(extra);
        EXPECT_EQ(r.exit_code, exit_code) << extra;
        EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "not one line: " << r.err;
        EXPECT_FALSE(fs::exists(s.out));
    };
    s.write_config("unknown.json", R"({"target_fsp": 10})");
    expect_error("--config " + shell_quote((s.dir / "unknown.json").string()),
                 "did you mean 'target_fps'");
    s.write_config("type.json", R"({"target_fps": "fast"})");
    expect_error("--config " + shell_quote((s.dir / "type.json").string()), "target_fps");
    s.write_config("syntax.json", R"({"target_fps": )");
    expect_error("--config " + shell_quote((s.dir / "syntax.json").string()), "invalid JSON");
    expect_error("--config " + shell_quote((s.dir / "missing.json").string()), "cannot open file");
    // Usage errors exit with 2.
    expect_error("--bogus 1", "unknown argument '--bogus'", 2);
    expect_error("--index three", "--index", 2);

    std::ofstream(s.in) << "garbage";
    expect_error("", "not an ONNX model");
    fs::remove(s.in);
    expect_error("", "cannot open file");
}

TEST(StepTool, VerificationHookStagesFinnFiles) {
    StepRun s;
    // Relu on (1, 4): two samples, the second expectation is wrong.
    write_npy(s.dir / "input.npy", Tensor::from_floats({2, 1, 4}, {-1, 2, -3, 4, 5, -6, 7, -8}));
    write_npy(s.dir / "expected_output.npy",
              Tensor::from_floats({2, 1, 4}, {0, 2, 0, 4, 5, 0, 7, 8}));
    s.write_config("verify.json", R"({"verify_steps": ["initial_python"]})");
    std::string cd = "cd " + shell_quote(s.dir.path().string()) + " && ";
    auto r = run_command(cd + FINN_TEST_STEP_PATH +
                         " --in in.onnx --out out.onnx --output-dir output --config verify.json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(s.od / "verification_output/verify_initial_python_0_SUCCESS.npy"));
    EXPECT_TRUE(fs::exists(s.od / "verification_output/verify_initial_python_1_FAIL.npy"));
    EXPECT_NE(
        read_file(s.od / "build_dataflow.log").find("] Verification for initial_python : FAIL"),
        std::string::npos);

    // A step that fails after verifying leaves no verification files either.
    fs::remove_all(s.od);
    s.write_config("verify_fail.json",
                   R"({"verify_steps": ["initial_python"], "stop_step": "fail"})");
    auto f =
        run_command(cd + FINN_TEST_STEP_PATH +
                    " --in in.onnx --out out2.onnx --output-dir output --config verify_fail.json");
    EXPECT_EQ(f.exit_code, 1);
    EXPECT_FALSE(fs::exists(s.od / "verification_output"));

    // Missing verification data is a clear error.
    fs::remove(s.dir / "input.npy");
    auto m = run_command(cd + FINN_TEST_STEP_PATH +
                         " --in in.onnx --out out3.onnx --config verify.json");
    EXPECT_EQ(m.exit_code, 1);
    EXPECT_NE(m.err.find("verify_input_npy not found: input.npy"), std::string::npos) << m.err;
}

TEST(StepTool, MissingRequiredArguments) {
    auto r = run_command(std::string(FINN_TEST_STEP_PATH) + " --out x.onnx");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("missing required argument --in"), std::string::npos) << r.err;
}

} // namespace
} // namespace finn
