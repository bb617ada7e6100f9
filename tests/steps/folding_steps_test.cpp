// The folding and estimate step tools on FINN's TFC folder, after the six front-end steps:
// apply-folding-config with the folder's folding_config.json, target-fps-parallelization,
// minimize-bit-width and generate-estimate-reports. Expected values are computed here from the
// layer dimensions and folding (FINN's formulas), not by the code under test.
#include "../hw/folding_checks.h"
#include "../test_support.h"
#include "finn/core/npy.h"
#include "finn/exec/executor.h"
#include "finn/ir/model.h"
#include "finn/transform/folding.h"
#include "finn/util/file_io.h"

#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace finn {
namespace {
namespace fs = std::filesystem;
using testing::run_command;
using testing::shell_quote;
using testing::step_tool;

// The TFC dataflow child after the six front-end steps, built once for the whole suite.
class FoldingStepsOnTfc : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto shared = testing::shared_dir();
        if (!shared) return;
        tfc_ = *shared / "models/finn/tfc_w1a1";
        front_ = new testing::ScratchDir();
        const fs::path dir = front_->path();
        fs::copy_file(tfc_ / "specialize_layers_config.json",
                      dir / "specialize_layers_config.json");
        std::ofstream(dir / "step.json") << R"({"fpga_part": "xc7z020clg400-1",
            "specialize_layers_config_file": "specialize_layers_config.json"})";
        const std::vector<std::string> steps = {"qonnx-to-finn",
                                                "tidy-up",
                                                "streamline",
                                                "convert-to-hw",
                                                "create-dataflow-partition",
                                                "specialize-layers"};
        std::string prev = shell_quote((tfc_ / "model.onnx").string());
        for (std::size_t i = 0; i < steps.size(); ++i) {
            std::string out = "m" + std::to_string(i) + ".onnx";
            auto r = run_command("cd " + shell_quote(dir.string()) + " && " + step_tool(steps[i]) +
                                 " --in " + prev + " --out " + out +
                                 " --output-dir . --config step.json");
            if (r.exit_code != 0) {
                error_ = steps[i] + ": " + r.err;
                return;
            }
            prev = out;
        }
        specialized_ = dir / prev;
    }
    static void TearDownTestSuite() {
        delete front_;
        front_ = nullptr;
    }
    void SetUp() override {
        if (!testing::shared_dir()) GTEST_SKIP() << "../shared (FINN_SHARED_DIR) not available";
        ASSERT_TRUE(error_.empty()) << error_;
        cd_ = "cd " + shell_quote(dir_.path().string()) + " && ";
        fs::copy_file(specialized_, dir_ / "specialized.onnx");
    }

    testing::CommandResult run_step(const std::string& tool, const std::string& in,
                                    const std::string& out, const std::string& config_json) {
        std::ofstream(dir_ / "step.json") << config_json;
        return run_command(cd_ + step_tool(tool) + " --in " + in + " --out " + out +
                           " --output-dir . --config step.json");
    }

    // The child computes the folder's expected output from the flattened input.
    void expect_tfc_output(const fs::path& model_path) {
        Model child = Model::load(model_path);
        Tensor input = read_npy(tfc_ / "input.npy");
        Tensor expected = read_npy(tfc_ / "expected_output.npy");
        Tensor produced = Executor(child)
                              .run_batched({{child.input_names()[0], input.reshaped({4, 784})}})
                              .at(child.output_names()[0]);
        EXPECT_EQ(produced.to_int64s(), expected.to_int64s()) << model_path;
    }

    nlohmann::ordered_json read_json(const std::string& relative) {
        return nlohmann::ordered_json::parse(read_file(dir_ / relative));
    }

    static inline fs::path tfc_;
    static inline testing::ScratchDir* front_ = nullptr;
    static inline fs::path specialized_;
    static inline std::string error_;
    testing::ScratchDir dir_;
    std::string cd_;
};

// TFC layer dimensions (MW, MH) and the folding of the folder's folding_config.json; MVAU_hls_3
// keeps PE = SIMD = 1 because the file misspells it MVA_hls_3.
struct TfcLayer {
    std::string name;
    std::int64_t cycles;
};

std::vector<TfcLayer> expected_tfc_cycles() {
    auto mvau = [](std::int64_t mw, std::int64_t mh, std::int64_t simd, std::int64_t pe) {
        return (mh / pe) * (mw / simd);
    };
    return {{"Thresholding_rtl_0", 784 / 49},   {"MVAU_hls_0", mvau(784, 64, 49, 16)},
            {"MVAU_hls_1", mvau(64, 64, 8, 8)}, {"MVAU_hls_2", mvau(64, 64, 8, 8)},
            {"MVAU_hls_3", mvau(64, 10, 1, 1)}, {"LabelSelect_hls_0", 10 / 1}};
}

TEST_F(FoldingStepsOnTfc, FoldingConfigThenEstimateReports) {
    fs::copy_file(tfc_ / "folding_config.json", dir_ / "folding_config.json");
    auto r = run_step("apply-folding-config", "specialized.onnx", "folded.onnx",
                      R"({"folding_config_file": "folding_config.json"})");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // The misspelt entry matches no node: a warning naming it, not an error.
    EXPECT_NE(read_file(dir_ / "build_dataflow.log").find("Unused HW configurations: MVA_hls_3"),
              std::string::npos);
    Model folded = Model::load(dir_ / "folded.onnx");
    EXPECT_EQ(folded.node_by_name("MVAU_hls_0")->attr_int("PE"), 16);
    EXPECT_EQ(folded.node_by_name("MVAU_hls_0")->attr_int("SIMD"), 49);
    EXPECT_EQ(folded.node_by_name("MVAU_hls_0")->attr_string("ram_style"), "block");
    EXPECT_EQ(folded.node_by_name("MVAU_hls_3")->attr_int("PE"), 1);
    EXPECT_EQ(folded.node_by_name("MVAU_hls_3")->attr_int("SIMD"), 1);
    expect_tfc_output(dir_ / "folded.onnx");

    r = run_step("generate-estimate-reports", "folded.onnx", "estimated.onnx",
                 R"({"fpga_part": "xc7z020clg400-1", "synth_clk_period_ns": 10.0,
                     "generate_outputs": ["estimate_reports"]})");
    ASSERT_EQ(r.exit_code, 0) << r.err;

    auto cycles = read_json("report/estimate_layer_cycles.json");
    std::int64_t max_cycles = 0, critical_path = 0;
    std::string bottleneck;
    std::vector<std::string> names;
    for (const auto& layer : expected_tfc_cycles()) {
        EXPECT_EQ(cycles.at(layer.name).get<std::int64_t>(), layer.cycles) << layer.name;
        names.push_back(layer.name);
        if (layer.cycles > max_cycles) {
            max_cycles = layer.cycles;
            bottleneck = layer.name;
        }
        critical_path += layer.cycles; // a chain: every layer waits for the previous one
    }
    std::vector<std::string> keys;
    for (const auto& [k, v] : cycles.items())
        keys.push_back(k);
    EXPECT_EQ(keys, names);

    nlohmann::ordered_json perf;
    perf["critical_path_cycles"] = critical_path;
    perf["max_cycles"] = max_cycles;
    perf["max_cycles_node_name"] = bottleneck;
    perf["estimated_throughput_fps"] = 1e9 / 10.0 / static_cast<double>(max_cycles);
    perf["estimated_latency_ns"] = static_cast<double>(critical_path) * 10.0;
    EXPECT_EQ(read_file(dir_ / "report/estimate_network_performance.json"), perf.dump(2));
    EXPECT_EQ(bottleneck, "MVAU_hls_3");
    EXPECT_EQ(perf["estimated_throughput_fps"].get<double>(), 156250.0);

    auto resources = read_json("report/estimate_layer_resources.json");
    ASSERT_TRUE(resources.contains("total"));
    EXPECT_EQ(resources.at("MVAU_hls_0").at("BRAM_18K").get<int>(), 22); // 784-bit words
    std::vector<std::string> resource_keys;
    for (const auto& [k, v] : resources.at("MVAU_hls_1").items())
        resource_keys.push_back(k);
    EXPECT_EQ(resource_keys, (std::vector<std::string>{"BRAM_18K", "BRAM_efficiency", "LUT", "URAM",
                                                       "URAM_efficiency", "DSP"}));
    double bram_total = 0;
    for (const auto& name : names)
        bram_total += resources.at(name).at("BRAM_18K").get<double>();
    EXPECT_EQ(resources.at("total").at("BRAM_18K").get<double>(), bram_total);

    auto alternatives = read_json("report/estimate_layer_config_alternatives.json");
    EXPECT_EQ(alternatives.at("MVAU_hls_0").size(), 2u);
    EXPECT_EQ(alternatives.at("LabelSelect_hls_0").size(), 1u);

    auto counts = read_json("report/op_and_param_counts.json");
    EXPECT_EQ(counts.at("MVAU_hls_0").at("op_mac_1bx1b").get<std::int64_t>(), 784 * 64);
    EXPECT_EQ(counts.at("MVAU_hls_0").at("param_weight_1b").get<std::int64_t>(), 784 * 64);
    EXPECT_EQ(counts.at("total").at("param_weight_1b").get<double>(),
              784.0 * 64 + 64 * 64 * 2 + 64 * 10);

    // The summary page: self-contained, the bottleneck highlighted.
    const std::string html = read_file(dir_ / "report/index.html");
    EXPECT_NE(html.find("<svg"), std::string::npos);
    EXPECT_NE(html.find("<tr class=\"bottleneck\"><td>MVAU_hls_3</td>"), std::string::npos);
    EXPECT_NE(html.find("SIMD=49, PE=16"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_NE(html.find("http://www.w3.org/2000/svg"), std::string::npos);

    // AnnotateCycles stays on the model.
    Model estimated = Model::load(dir_ / "estimated.onnx");
    EXPECT_EQ(estimated.node_by_name("MVAU_hls_3")->attr_int("cycles_estimate"), 640);
    expect_tfc_output(dir_ / "estimated.onnx");

    // Rerunning on the same input leaves every report untouched (Ninja's restat stops there).
    const auto before = testing::mtime_ns(dir_ / "report/estimate_layer_resources.json");
    const auto html_before = testing::mtime_ns(dir_ / "report/index.html");
    r = run_step("generate-estimate-reports", "folded.onnx", "estimated.onnx",
                 R"({"fpga_part": "xc7z020clg400-1", "synth_clk_period_ns": 10.0,
                     "generate_outputs": ["estimate_reports"]})");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(testing::mtime_ns(dir_ / "report/estimate_layer_resources.json"), before);
    EXPECT_EQ(testing::mtime_ns(dir_ / "report/index.html"), html_before);
    // Python's onnx opens the annotated model and its checker accepts it.
    if (run_command("/usr/bin/python3 -c 'import onnx'").exit_code == 0) {
        auto check = run_command("/usr/bin/python3 -c 'import onnx,sys; "
                                 "onnx.checker.check_model(onnx.load(sys.argv[1]))' " +
                                 shell_quote((dir_ / "estimated.onnx").string()));
        EXPECT_EQ(check.exit_code, 0) << check.err;
    }

    // Without a clock there is no throughput: an error naming the key, nothing written.
    auto no_clock = run_step("generate-estimate-reports", "folded.onnx", "noclock.onnx",
                             R"({"fpga_part": "xc7z020clg400-1",
                                 "generate_outputs": ["estimate_reports"]})");
    EXPECT_EQ(no_clock.exit_code, 1);
    EXPECT_NE(no_clock.err.find("synth_clk_period_ns"), std::string::npos) << no_clock.err;
    EXPECT_FALSE(fs::exists(dir_ / "noclock.onnx"));

    // Nothing is written without "estimate_reports" in generate_outputs.
    testing::ScratchDir other;
    auto none =
        run_command("cd " + shell_quote(other.path().string()) + " && " +
                    step_tool("generate-estimate-reports") + " --in " +
                    shell_quote((dir_ / "folded.onnx").string()) + " --out x.onnx --output-dir .");
    ASSERT_EQ(none.exit_code, 0) << none.err;
    EXPECT_FALSE(fs::exists(other / "report"));
}

// With the misspelling fixed and the bit widths minimized, the estimates are FINN's worked
// example for this folder (spec/finn-ops.md §5.3): BRAM 22/2/2/0 and LUT 5615/766/766/963.
TEST_F(FoldingStepsOnTfc, MinimizedBitWidthsGiveFinnsResourceEstimates) {
    std::ofstream(dir_ / "folding.json") << R"({"Defaults": {},
        "Thresholding_rtl_0": {"PE": 49},
        "MVAU_hls_0": {"PE": 16, "SIMD": 49, "ram_style": "block"},
        "MVAU_hls_1": {"PE": 8, "SIMD": 8, "ram_style": "auto"},
        "MVAU_hls_2": {"PE": 8, "SIMD": 8, "ram_style": "auto"},
        "MVAU_hls_3": {"PE": 10, "SIMD": 8, "ram_style": "distributed"},
        "LabelSelect_hls_0": {"PE": 1}})";
    ASSERT_EQ(run_step("apply-folding-config", "specialized.onnx", "folded.onnx",
                       R"({"folding_config_file": "folding.json"})")
                  .exit_code,
              0);
    auto r = run_step("minimize-bit-width", "folded.onnx", "minimized.onnx", "{}");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_tfc_output(dir_ / "minimized.onnx");
    Model minimized = Model::load(dir_ / "minimized.onnx");
    // XNOR popcounts over MW inputs need ceil(log2(MW + 1)) bits.
    EXPECT_EQ(minimized.node_by_name("MVAU_hls_0")->attr_string("accDataType"), "UINT10");
    EXPECT_EQ(minimized.node_by_name("MVAU_hls_1")->attr_string("accDataType"), "UINT7");
    EXPECT_EQ(minimized.node_by_name("MVAU_hls_3")->attr_string("outputDataType"), "UINT7");

    r = run_step("generate-estimate-reports", "minimized.onnx", "estimated.onnx",
                 R"({"fpga_part": "xc7z020clg400-1", "synth_clk_period_ns": 10,
                     "generate_outputs": ["estimate_reports"]})");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto resources = read_json("report/estimate_layer_resources.json");
    const std::vector<std::pair<std::string, std::pair<int, int>>> expected = {
        {"MVAU_hls_0", {22, 5615}},
        {"MVAU_hls_1", {2, 766}},
        {"MVAU_hls_2", {2, 766}},
        {"MVAU_hls_3", {0, 963}}};
    for (const auto& [name, bram_lut] : expected) {
        EXPECT_EQ(resources.at(name).at("BRAM_18K").get<int>(), bram_lut.first) << name;
        EXPECT_EQ(resources.at(name).at("LUT").get<int>(), bram_lut.second) << name;
    }
    auto perf = read_json("report/estimate_network_performance.json");
    EXPECT_EQ(perf.at("max_cycles").get<int>(), 64);
    EXPECT_EQ(perf.at("critical_path_cycles").get<int>(), 16 + 64 + 64 + 64 + 8 + 10);
    EXPECT_EQ(perf.at("estimated_throughput_fps").get<double>(), 1562500.0);
    EXPECT_EQ(perf.at("estimated_latency_ns").get<double>(), 2260.0);
}

TEST_F(FoldingStepsOnTfc, IllegalFoldingValueFailsNamingNodeAttributeAndLegalValues) {
    std::ofstream(dir_ / "folding.json") << R"({"Defaults": {}, "MVAU_hls_1": {"PE": 7}})";
    auto r = run_step("apply-folding-config", "specialized.onnx", "folded.onnx",
                      R"({"folding_config_file": "folding.json"})");
    EXPECT_EQ(r.exit_code, 1);
    for (const char* part : {"step_apply_folding_config", "MVAU_hls_1", "'PE'", "= 7",
                             "legal values: 1, 2, 4, 8, 16, 32, 64"})
        EXPECT_NE(r.err.find(part), std::string::npos) << part << " in: " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "folded.onnx"));

    // SIMD must divide MW (784 for the first layer).
    std::ofstream(dir_ / "folding.json") << R"({"Defaults": {}, "MVAU_hls_0": {"SIMD": 100}})";
    r = run_step("apply-folding-config", "specialized.onnx", "folded.onnx",
                 R"({"folding_config_file": "folding.json"})");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("'SIMD' = 100"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("98, 112, 196, 392, 784"), std::string::npos) << r.err;

    // An attribute the op does not declare is an error too.
    std::ofstream(dir_ / "folding.json") << R"({"Defaults": {}, "LabelSelect_hls_0": {"SIMD": 2}})";
    r = run_step("apply-folding-config", "specialized.onnx", "folded.onnx",
                 R"({"folding_config_file": "folding.json"})");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("LabelSelect_hls_0"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("no attribute 'SIMD'"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "folded.onnx"));
}

TEST_F(FoldingStepsOnTfc, TargetFpsParallelizationMeetsTargetAndKeepsOutput) {
    for (int fps : {10000, 100000, 400000, 5000000}) {
        SCOPED_TRACE(fps);
        auto r =
            run_step("target-fps-parallelization", "specialized.onnx", "auto.onnx",
                     R"({"synth_clk_period_ns": 10.0, "target_fps": )" + std::to_string(fps) + "}");
        ASSERT_EQ(r.exit_code, 0) << r.err;
        Model model = Model::load(dir_ / "auto.onnx");
        const std::int64_t target = static_cast<std::int64_t>((1e9 / 10.0) / fps);
        testing::expect_minimal_folding(model, target, 36);
        expect_tfc_output(dir_ / "auto.onnx");
        // auto_folding_config.json lists each node's declared folding attributes.
        auto config = read_json("auto_folding_config.json");
        EXPECT_EQ(config.begin().key(), "Defaults");
        EXPECT_EQ(config.at("MVAU_hls_0").at("PE").get<std::int64_t>(),
                  model.node_by_name("MVAU_hls_0")->attr_int("PE"));
        EXPECT_TRUE(config.at("MVAU_hls_0").contains("resType"));
        EXPECT_FALSE(config.at("LabelSelect_hls_0").contains("SIMD"));
        EXPECT_TRUE(config.at("Thresholding_rtl_0").contains("depth_trigger_bram"));
        // Applying the written config to the unfolded model reproduces the folding.
        fs::copy_file(dir_ / "auto_folding_config.json", dir_ / "auto_config.json",
                      fs::copy_options::overwrite_existing);
        r = run_step("apply-folding-config", "specialized.onnx", "reapplied.onnx",
                     R"({"folding_config_file": "auto_config.json"})");
        ASSERT_EQ(r.exit_code, 0) << r.err;
        Model reapplied = Model::load(dir_ / "reapplied.onnx");
        for (auto& node : model.nodes())
            for (const char* attr : {"PE", "SIMD"})
                if (node.has_attr(attr)) {
                    EXPECT_EQ(reapplied.node_by_name(node.name())->attr_int(attr),
                              node.attr_int(attr))
                        << node.name() << " " << attr;
                }
    }
}

// A folding config that fixes every node makes the folded model independent of target_fps.
TEST_F(FoldingStepsOnTfc, FoldingConfigOverridesTargetFpsByteForByte) {
    std::ofstream(dir_ / "folding.json") << R"({"Defaults": {},
        "Thresholding_rtl_0": {"PE": 49},
        "MVAU_hls_0": {"PE": 16, "SIMD": 49, "ram_style": "block"},
        "MVAU_hls_1": {"PE": 8, "SIMD": 8}, "MVAU_hls_2": {"PE": 8, "SIMD": 8},
        "MVAU_hls_3": {"PE": 10, "SIMD": 8}, "LabelSelect_hls_0": {"PE": 1}})";
    std::vector<std::string> outputs;
    for (int fps : {20000, 300000}) {
        const std::string config = R"({"synth_clk_period_ns": 10.0, "target_fps": )" +
                                   std::to_string(fps) +
                                   R"(, "folding_config_file": "folding.json"})";
        ASSERT_EQ(run_step("target-fps-parallelization", "specialized.onnx", "auto.onnx", config)
                      .exit_code,
                  0);
        ASSERT_EQ(run_step("apply-folding-config", "auto.onnx", "folded.onnx", config).exit_code,
                  0);
        outputs.push_back(read_file(dir_ / "folded.onnx"));
    }
    EXPECT_EQ(outputs[0], outputs[1]);
    Model folded = Model::load(dir_ / "folded.onnx");
    EXPECT_EQ(folded.node_by_name("MVAU_hls_3")->attr_int("cycles_estimate"), 8);
}

} // namespace
} // namespace finn
