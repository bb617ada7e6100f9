// Zoo conv nets through step_measure_rtlsim_performance in one build folder each, FIFO sizing
// changed between builds:
// - largefifo_rtlsim (FINN's default) and characterize: stitched_ip_rtlsim SUCCESS and the
//   steady-state throughput at least 95 % of the estimate;
// - every FIFO at FINN's default depth 2 (auto_fifo_depths false): the residual net's bypass
//   cannot hold what the convolution branch holds back and the design deadlocks, named in one
//   line; CNV-w1a1 still computes right but visibly below the estimate. Sizing matters.
#include "build_test_support.h"

#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kFrames = 3;
constexpr double kClockNs = 10.0;

// A zoo net with its expected output in a FINN folder, built through the stitched design's
// performance measurement with stitched_ip_rtlsim verification.
class ZooStitchedBuild {
public:
    ZooStitchedBuild(const std::string& zoo, int target_fps) : dir_(scratch_ / zoo) {
        fs::create_directories(dir_);
        const CommandResult r = run_command(
            "cd " + shell_quote(dir_.string()) + " && " + shell_quote(finn_cli()) + " zoo " + zoo +
            " -o model.onnx --input-npy input.npy && " + shell_quote(finn_cli()) +
            " exec model.onnx --input input.npy --output expected_output.npy");
        EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
        config_ = {{"output_dir", "out"},
                   {"fpga_part", "xc7z020clg400-1"},
                   {"synth_clk_period_ns", kClockNs},
                   {"target_fps", target_fps},
                   {"generate_outputs", {"estimate_reports", "stitched_ip", "rtlsim_performance"}},
                   {"stop_step", "step_measure_rtlsim_performance"},
                   {"rtlsim_batch_size", kFrames},
                   {"verify_steps", {"stitched_ip_rtlsim"}}};
    }

    // Builds with auto_fifo_strategy `strategy`, or every FIFO at depth 2 for "depth 2".
    CommandResult build(const std::string& strategy) {
        if (strategy == "depth 2") {
            config_["auto_fifo_depths"] = false;
            config_.erase("auto_fifo_strategy");
        } else {
            config_["auto_fifo_depths"] = true;
            config_["auto_fifo_strategy"] = strategy;
        }
        write_json(dir_ / "dataflow_build_config.json", config_);
        return run_command(shell_quote(finn_cli()) + " build_dataflow " +
                           shell_quote(dir_.string()));
    }

    bool verified() const {
        return read_bytes(out() / "build_dataflow.log")
                   .rfind("Verification for stitched_ip_rtlsim : SUCCESS") != std::string::npos;
    }

    // Frames per second in steady state (the frames after the first over the cycles after it
    // left) over the estimate.
    double fraction_of_estimate() const {
        const auto perf = read_json(out() / "report/rtlsim_performance.json");
        const double cycles = perf.at("cycles").get<double>();
        const double latency = perf.at("latency_cycles").get<double>();
        const double fps = (kFrames - 1) / ((cycles - latency) * kClockNs * 1e-9);
        return fps / read_json(out() / "report/estimate_network_performance.json")
                         .at("estimated_throughput_fps")
                         .get<double>();
    }

private:
    fs::path out() const { return dir_ / "out"; }
    ScratchDir scratch_;
    fs::path dir_;
    nlohmann::ordered_json config_;
};

TEST(StitchedIp, ResidualNetSizedBothWaysRunsAtTheEstimateAndDeadlocksWithShallowFifos) {
    if (!verilator_available()) GTEST_SKIP() << "Verilator or make not installed";
    ZooStitchedBuild net("residual_w4a4", 10000);
    for (const char* strategy : {"largefifo_rtlsim", "characterize"}) {
        const CommandResult r = net.build(strategy);
        ASSERT_EQ(r.exit_code, 0) << strategy << "\n" << r.out << r.err;
        EXPECT_TRUE(net.verified()) << strategy;
        EXPECT_GE(net.fraction_of_estimate(), 0.95) << strategy;
    }
    const CommandResult shallow = net.build("depth 2");
    EXPECT_EQ(shallow.exit_code, 1);
    EXPECT_NE((shallow.out + shallow.err).find("the design stalled"), std::string::npos)
        << shallow.out << shallow.err;
}

TEST(StitchedIp, ZooCnvSizedBothWaysRunsAtTheEstimateAndSlowerWithShallowFifos) {
    if (!verilator_available()) GTEST_SKIP() << "Verilator or make not installed";
    ZooStitchedBuild net("cnv_w1a1", 5000);
    for (const char* strategy : {"largefifo_rtlsim", "characterize"}) {
        const CommandResult r = net.build(strategy);
        ASSERT_EQ(r.exit_code, 0) << strategy << "\n" << r.out << r.err;
        EXPECT_TRUE(net.verified()) << strategy;
        EXPECT_GE(net.fraction_of_estimate(), 0.95) << strategy;
    }
    // Depth-2 FIFOs let the sliding windows and pools stall their producers (measured: 56 %).
    const CommandResult shallow = net.build("depth 2");
    ASSERT_EQ(shallow.exit_code, 0) << shallow.out << shallow.err;
    EXPECT_TRUE(net.verified());
    EXPECT_LT(net.fraction_of_estimate(), 0.8);
}

} // namespace
} // namespace finn::testing
