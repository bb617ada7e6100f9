// Interrupted builds: a build killed with SIGKILL at a random moment (the whole process group:
// Ninja and the step it runs), then resumed with `ninja`, ends with exactly the bytes of an
// uninterrupted build, and leaves no temporary files behind.
#include "build_test_support.h"

#include <chrono>
#include <csignal>
#include <map>
#include <random>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;

const char* kConfig = R"({
  "output_dir": "out",
  "synth_clk_period_ns": 10.0,
  "fpga_part": "xc7z020clg400-1",
  "stop_step": "step_specialize_layers",
  "generate_outputs": ["estimate_reports"]
})";

// Every output of the build except the ones that hold times (the log, time records and
// time_per_step.json), keyed by path relative to the output folder.
std::map<std::string, std::string> outputs(const fs::path& out) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(out)) {
        if (!entry.is_regular_file()) continue;
        std::string relative = fs::relative(entry.path(), out).string();
        if (relative.rfind(".finn/", 0) == 0 || relative == "build_dataflow.log" ||
            relative == "time_per_step.json")
            continue;
        files[relative] = read_bytes(entry.path());
    }
    return files;
}

// Starts `ninja -C <dir>` in its own process group and kills the group after `delay`.
void build_and_kill(const fs::path& build_dir, std::chrono::microseconds delay) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::setpgid(0, 0);
        ::freopen("/dev/null", "w", stdout);
        ::execlp("ninja", "ninja", "-C", build_dir.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::setpgid(pid, pid); // also here, so the kill below cannot precede the child's own call
    std::this_thread::sleep_for(delay);
    ::kill(-pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
}

TEST(InterruptedBuildTest, KilledBuildsResumeToTheBytesOfACleanBuild) {
    CmakeProject reference;
    reference.write("config.json", kConfig);
    reference.zoo_model("tfc_w1a1", "model.onnx");
    reference.write_cmakelists(
        "finn_add_accelerator(tfc MODEL model.onnx CONFIG config.json ALL)\n");
    ASSERT_EQ(reference.configure().exit_code, 0);
    auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(reference.build().exit_code, 0);
    auto clean_build_time = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start);
    const auto expected = outputs(reference.build_dir() / "out");
    ASSERT_GT(expected.size(), 6u);

    CmakeProject project;
    project.write("config.json", kConfig);
    project.zoo_model("tfc_w1a1", "model.onnx");
    project.write_cmakelists("finn_add_accelerator(tfc MODEL model.onnx CONFIG config.json ALL)\n");
    ASSERT_EQ(project.configure().exit_code, 0);
    std::mt19937 random(20261125);
    // Kill moments are drawn from [0, window); the window starts at the clean build's duration
    // and shrinks whenever a kill came too late (the machine may be busier than when measured).
    long window = clean_build_time.count();
    auto moment = [&]() {
        return std::chrono::microseconds(std::uniform_int_distribution<long>(0, window)(random));
    };
    int interrupted = 0;
    for (int run = 0; run < 20; ++run) {
        SCOPED_TRACE("run " + std::to_string(run));
        // Every run starts from scratch; odd runs also interrupt the first resumption.
        fs::remove_all(project.build_dir() / "out");
        build_and_kill(project.build_dir(), moment());
        if (run % 2 == 1) build_and_kill(project.build_dir(), moment());
        CommandResult resumed = project.build();
        ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
        if (!steps_run(resumed).empty())
            ++interrupted;
        else
            window = window * 3 / 4;
        EXPECT_EQ(outputs(project.build_dir() / "out"), expected);
        for (const auto& entry : fs::recursive_directory_iterator(project.build_dir() / "out"))
            EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos)
                << entry.path();
    }
    // The kills must actually land inside builds for the test to mean anything.
    EXPECT_GE(interrupted, 10);
}

} // namespace
} // namespace finn::testing
