// FINN's TFC-w1a1 folder (../shared, Verilator) through step_measure_rtlsim_performance: FINN's
// configuration and folding configuration, generate_outputs estimate_reports, stitched_ip and
// rtlsim_performance, FINN's verify_steps with stitched_ip_rtlsim. Every verification succeeds,
// FIFO sizing (largefifo_rtlsim, the default) lets the stitched design reach at least 95 % of the
// estimated throughput, the stitched folder is movable and FIFO sizing is deterministic across
// build folders.
// The zoo's tfc_w1a1 through step_create_stitched_ip: the stitched simulation is compiled for
// short runs (-O1) for a small rtlsim_batch_size and rebuilt for long ones (-O2) for a large one.
#include "build_test_support.h"

#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kFrames = 20;

// A copy of FINN's TFC folder in `dir`, configured for the stitched flow.
void tfc_folder(const fs::path& tfc, const fs::path& dir) {
    fs::create_directories(dir);
    for (const char* file : {"model.onnx", "input.npy", "expected_output.npy",
                             "specialize_layers_config.json", "folding_config.json"})
        fs::copy_file(tfc / file, dir / file);
    nlohmann::ordered_json config = read_json(tfc / "dataflow_build_config.json");
    config["output_dir"] = "out";
    // FINN's list without the products that need Vivado or come later in the flow.
    config["generate_outputs"] = {"estimate_reports", "stitched_ip", "rtlsim_performance"};
    config["stop_step"] = "step_measure_rtlsim_performance";
    config["specialize_layers_config_file"] = "specialize_layers_config.json";
    config["rtlsim_batch_size"] = kFrames;
    write_json(dir / "dataflow_build_config.json", config);
}

TEST(StitchedIp, FinnTfcFolderVerifiesAndRunsAtTheEstimatedThroughput) {
    FINN_REQUIRE_SHARED(shared);
    if (!verilator_available()) GTEST_SKIP() << "Verilator or make not installed";
    ScratchDir scratch;
    const fs::path dir = scratch / "tfc";
    tfc_folder(shared / "models/finn/tfc_w1a1", dir);
    const CommandResult result =
        run_command(shell_quote(finn_cli()) + " build_dataflow " + shell_quote(dir.string()));
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    const fs::path out = dir / "out";
    const std::string log = read_bytes(out / "build_dataflow.log");
    for (const char* verification :
         {"initial_python", "streamlined_python", "folded_hls_cppsim", "stitched_ip_rtlsim"})
        EXPECT_NE(log.find(std::string("Verification for ") + verification + " : SUCCESS"),
                  std::string::npos)
            << verification << "\n"
            << log;
    EXPECT_EQ(log.find(": FAIL"), std::string::npos) << log;
    const auto steps = steps_run(result);
    for (const char* step :
         {"step_set_fifo_depths", "step_create_stitched_ip", "step_measure_rtlsim_performance"})
        EXPECT_NE(std::find(steps.begin(), steps.end(), step), steps.end()) << step;
    EXPECT_TRUE(fs::is_regular_file(out / "verification_output" /
                                    "verify_stitched_ip_rtlsim_0_SUCCESS.npy"));

    // FIFOs sized by simulation, in FINN's final_hw_config.json.
    const auto final_config = read_json(out / "final_hw_config.json");
    int fifos = 0;
    for (const auto& [node, attributes] : final_config.items())
        if (node.rfind("StreamingFIFO", 0) == 0) {
            ++fifos;
            EXPECT_GE(attributes.at("depth").get<int>(), 2) << node;
        }
    EXPECT_GT(fifos, 0) << final_config.dump(1);

    // The stitched IP: FINN's files, relative paths only.
    const fs::path ip = out / "stitched_ip";
    for (const char* file : {"ip/component.xml", "make_project.tcl", "all_verilog_srcs.txt",
                             "ip/hdl/finn_design_wrapper.sv"})
        EXPECT_TRUE(fs::is_regular_file(ip / file)) << file;
    for (const auto& entry : fs::recursive_directory_iterator(ip / "ip")) {
        if (!entry.is_regular_file()) continue;
        const std::string text = read_bytes(entry.path());
        EXPECT_EQ(text.find(scratch.path().string()), std::string::npos) << entry.path();
        EXPECT_EQ(text.find(FINN_SOURCE_DIR), std::string::npos) << entry.path();
    }

    // Waveforms (the configuration sets verify_save_rtlsim_waveforms).
    EXPECT_TRUE(fs::is_regular_file(out / "report/verify_rtlsim.fst"));
    EXPECT_TRUE(fs::is_regular_file(
        out / ("report/rtlsim_perf_batch_" + std::to_string(kFrames) + ".fst")));

    // rtlsim_performance.json with the keys of FINN's Python path (force_python_rtlsim is set).
    const auto perf = read_json(out / "report/rtlsim_performance.json");
    std::vector<std::string> keys;
    for (const auto& [key, value] : perf.items())
        keys.push_back(key);
    EXPECT_EQ(keys, (std::vector<std::string>{"cycles", "runtime[ms]", "throughput[images/s]",
                                              "DRAM_in_bandwidth[MB/s]", "DRAM_out_bandwidth[MB/s]",
                                              "fclk[mhz]", "N", "latency_cycles",
                                              "stable_throughput[images/s]"}));
    EXPECT_EQ(perf.at("N").get<int>(), kFrames);
    // Steady state: the frames after the first over the cycles after the first frame left.
    const double clk_ns = 10.0;
    const double cycles = perf.at("cycles").get<double>();
    const double latency = perf.at("latency_cycles").get<double>();
    ASSERT_GT(cycles, latency);
    const double measured_fps = (kFrames - 1) / ((cycles - latency) * clk_ns * 1e-9);
    const double estimated_fps = read_json(out / "report/estimate_network_performance.json")
                                     .at("estimated_throughput_fps")
                                     .get<double>();
    EXPECT_GE(measured_fps, 0.95 * estimated_fps)
        << "measured " << measured_fps << " fps, estimated " << estimated_fps;

    // FIFO sizing and the stitched sources are the same in another build folder.
    const fs::path again = scratch / "again";
    tfc_folder(shared / "models/finn/tfc_w1a1", again);
    const CommandResult second =
        run_command(shell_quote(finn_cli()) + " build_dataflow " + shell_quote(again.string()));
    ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
    EXPECT_EQ(read_bytes(again / "out/final_hw_config.json"),
              read_bytes(out / "final_hw_config.json"));
    EXPECT_EQ(read_bytes(again / "out/stitched_ip/stitched_manifest.txt"),
              read_bytes(ip / "stitched_manifest.txt"));
}

// step_create_stitched_ip compiles the design's simulation for the runs the build makes of it: -O1
// for a few frames (rtlsim_batch_size 1: a third less compile time), -O2 for many; sim.stamp says
// which, and a change of rtlsim_batch_size across the limit rebuilds it.
TEST(StitchedIp, SimulationIsOptimizedForTheRunsOfTheBuild) {
    if (!verilator_available()) GTEST_SKIP() << "Verilator or make not installed";
    ScratchDir scratch;
    const fs::path dir = scratch / "tfc";
    fs::create_directories(dir);
    auto zoo = run_command("cd " + shell_quote(dir.string()) + " && " + shell_quote(finn_cli()) +
                           " zoo tfc_w1a1 -o model.onnx");
    ASSERT_EQ(zoo.exit_code, 0) << zoo.err;
    nlohmann::ordered_json config = {{"output_dir", "out"},
                                     {"fpga_part", "xc7z020clg400-1"},
                                     {"synth_clk_period_ns", 10.0},
                                     {"target_fps", 100000},
                                     {"generate_outputs", {"estimate_reports", "stitched_ip"}},
                                     {"stop_step", "step_create_stitched_ip"},
                                     {"auto_fifo_depths", false},
                                     {"rtlsim_batch_size", 1}};
    write_json(dir / "dataflow_build_config.json", config);
    const auto build = [&] {
        return run_command(shell_quote(finn_cli()) + " build_dataflow " +
                           shell_quote(dir.string()));
    };
    const auto last_run = [&] {
        const std::string log = read_bytes(dir / "out/build_dataflow.log");
        return log.substr(log.rfind("Running step: step_create_stitched_ip"));
    };
    const fs::path stamp = dir / "out/stitched_ip/sim.stamp";
    auto short_runs = build();
    ASSERT_EQ(short_runs.exit_code, 0) << short_runs.out << short_runs.err;
    EXPECT_TRUE(read_bytes(stamp).ends_with(" short runs\n")) << read_bytes(stamp);
    EXPECT_NE(last_run().find("built the rtlsim executable for short runs (-O1"), std::string::npos)
        << last_run();

    config["rtlsim_batch_size"] = 1000;
    write_json(dir / "dataflow_build_config.json", config);
    auto long_runs = build();
    ASSERT_EQ(long_runs.exit_code, 0) << long_runs.out << long_runs.err;
    EXPECT_EQ(steps_run(long_runs), std::vector<std::string>{"step_create_stitched_ip"});
    EXPECT_TRUE(read_bytes(stamp).ends_with(" long runs\n")) << read_bytes(stamp);
    EXPECT_NE(last_run().find("built the rtlsim executable for long runs (-O2"), std::string::npos)
        << last_run();

    // Another small batch builds for short runs again; the same one again builds nothing.
    config["rtlsim_batch_size"] = 5;
    write_json(dir / "dataflow_build_config.json", config);
    auto short_again = build();
    ASSERT_EQ(short_again.exit_code, 0) << short_again.out << short_again.err;
    EXPECT_TRUE(read_bytes(stamp).ends_with(" short runs\n")) << read_bytes(stamp);
    auto unchanged = build();
    ASSERT_EQ(unchanged.exit_code, 0) << unchanged.out << unchanged.err;
    EXPECT_TRUE(steps_run(unchanged).empty()) << unchanged.out;
}

} // namespace
} // namespace finn::testing
