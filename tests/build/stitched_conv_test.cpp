// The zoo's residual net (a fork that joins again: DuplicateStreams ... AddStreams) through
// step_measure_rtlsim_performance in one build folder, FIFO sizing changed between builds:
// - largefifo_rtlsim (FINN's default) and characterize: stitched_ip_rtlsim SUCCESS and the
//   steady-state throughput at least 95 % of the estimate;
// - every FIFO at FINN's default depth 2 (auto_fifo_depths false): the bypass cannot hold what the
//   convolution branch holds back and the design deadlocks, named in one line: sizing matters.
#include "build_test_support.h"

#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kFrames = 3;

// Frames per second in steady state: the frames after the first over the cycles after it left.
double steady_fps(const fs::path& out, double clk_ns) {
    const auto perf = read_json(out / "report/rtlsim_performance.json");
    const double cycles = perf.at("cycles").get<double>();
    const double latency = perf.at("latency_cycles").get<double>();
    return (kFrames - 1) / ((cycles - latency) * clk_ns * 1e-9);
}

TEST(StitchedIp, ResidualNetSizedBothWaysRunsAtTheEstimateAndDeadlocksWithShallowFifos) {
    if (!verilator_available()) GTEST_SKIP() << "Verilator or make not installed";
    ScratchDir scratch;
    const fs::path dir = scratch / "residual";
    fs::create_directories(dir);
    const CommandResult zoo = run_command(
        "cd " + shell_quote(dir.string()) + " && " + shell_quote(finn_cli()) +
        " zoo residual_w4a4 -o model.onnx --input-npy input.npy && " + shell_quote(finn_cli()) +
        " exec model.onnx --input input.npy --output expected_output.npy");
    ASSERT_EQ(zoo.exit_code, 0) << zoo.out << zoo.err;
    nlohmann::ordered_json config = {
        {"output_dir", "out"},
        {"fpga_part", "xc7z020clg400-1"},
        {"synth_clk_period_ns", 10.0},
        {"target_fps", 10000},
        {"generate_outputs", {"estimate_reports", "stitched_ip", "rtlsim_performance"}},
        {"stop_step", "step_measure_rtlsim_performance"},
        {"rtlsim_batch_size", kFrames},
        {"verify_steps", {"stitched_ip_rtlsim"}}};
    const fs::path out = dir / "out";
    const auto build = [&](const char* what) {
        write_json(dir / "dataflow_build_config.json", config);
        const CommandResult r =
            run_command(shell_quote(finn_cli()) + " build_dataflow " + shell_quote(dir.string()));
        SCOPED_TRACE(what);
        return r;
    };

    for (const char* strategy : {"largefifo_rtlsim", "characterize"}) {
        config["auto_fifo_strategy"] = strategy;
        const CommandResult r = build(strategy);
        ASSERT_EQ(r.exit_code, 0) << strategy << "\n" << r.out << r.err;
        const std::string log = read_bytes(out / "build_dataflow.log");
        EXPECT_NE(log.rfind("Verification for stitched_ip_rtlsim : SUCCESS"), std::string::npos)
            << strategy;
        const double estimated = read_json(out / "report/estimate_network_performance.json")
                                     .at("estimated_throughput_fps")
                                     .get<double>();
        EXPECT_GE(steady_fps(out, 10.0), 0.95 * estimated) << strategy;
    }

    config["auto_fifo_depths"] = false;
    config.erase("auto_fifo_strategy");
    const CommandResult shallow = build("depth 2");
    EXPECT_EQ(shallow.exit_code, 1);
    EXPECT_NE((shallow.out + shallow.err).find("the design stalled"), std::string::npos)
        << shallow.out << shallow.err;
}

} // namespace
} // namespace finn::testing
