#include "finn/config/boards.h"
#include "finn/config/build_config.h"
#include "finn/core/error.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

namespace finn {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// Every field set to a value different from its default.
constexpr const char* kAllFieldsJson = R"({
  "output_dir": "out_all",
  "synth_clk_period_ns": 5,
  "generate_outputs": ["stitched_ip", "estimate_reports", "out_of_context_synth",
                       "rtlsim_performance", "bitfile", "pynq_driver", "deployment_package"],
  "specialize_layers_config_file": "specialize.json",
  "folding_config_file": "folding.json",
  "target_fps": 2e5,
  "folding_two_pass_relaxation": false,
  "verify_steps": ["finn_onnx_python", "initial_python", "streamlined_python",
                   "folded_hls_cppsim", "stitched_ip_rtlsim"],
  "verify_input_npy": "in.npy",
  "verify_expected_output_npy": "out.npy",
  "verify_save_full_context": true,
  "verify_save_rtlsim_waveforms": true,
  "stitched_ip_gen_dcp": true,
  "signature": [1, 2, 3735928559],
  "mvau_wwidth_max": 72,
  "standalone_thresholds": true,
  "minimize_bit_width": false,
  "board": "U250",
  "shell_flow_type": "vitis_alveo",
  "fpga_part": "xcu250-figd2104-2L-e",
  "auto_fifo_depths": false,
  "split_large_fifos": true,
  "auto_fifo_strategy": "characterize",
  "force_python_rtlsim": true,
  "large_fifo_mem_style": "ultra",
  "hls_clk_period_ns": 4.5,
  "default_swg_exception": true,
  "vitis_platform": "my_platform",
  "vitis_floorplan_file": "floorplan.json",
  "vitis_opt_strategy": "performance_best",
  "save_intermediate_models": false,
  "enable_hw_debug": true,
  "enable_build_pdb_debug": false,
  "verbose": true,
  "steps": ["step_tidy_up", "step_streamline"],
  "start_step": "step_tidy_up",
  "stop_step": "step_streamline",
  "max_multithreshold_bit_width": 16,
  "rtlsim_batch_size": 4,
  "rtlsim_use_vivado_comps": false
})";

// The same settings in YAML, using several scalar styles.
constexpr const char* kAllFieldsYaml = R"(# all 40 fields
output_dir: out_all
synth_clk_period_ns: 5
generate_outputs:
  - stitched_ip
  - estimate_reports
  - out_of_context_synth
  - rtlsim_performance
  - bitfile
  - pynq_driver
  - deployment_package
specialize_layers_config_file: "specialize.json"
folding_config_file: 'folding.json'
target_fps: 2e5
folding_two_pass_relaxation: False
verify_steps: [finn_onnx_python, initial_python, streamlined_python, folded_hls_cppsim,
               stitched_ip_rtlsim]
verify_input_npy: in.npy
verify_expected_output_npy: out.npy
verify_save_full_context: true
verify_save_rtlsim_waveforms: TRUE
stitched_ip_gen_dcp: true
signature: [1, 0x2, 3735928559]
mvau_wwidth_max: 72
standalone_thresholds: true
minimize_bit_width: false
board: U250
shell_flow_type: vitis_alveo
fpga_part: xcu250-figd2104-2L-e
auto_fifo_depths: false
split_large_fifos: true
auto_fifo_strategy: characterize
force_python_rtlsim: true
large_fifo_mem_style: ultra
hls_clk_period_ns: 4.5
default_swg_exception: true
vitis_platform: my_platform
vitis_floorplan_file: floorplan.json
vitis_opt_strategy: performance_best
save_intermediate_models: false
enable_hw_debug: true
enable_build_pdb_debug: false
verbose: true
steps:
  - step_tidy_up
  - step_streamline
start_step: step_tidy_up
stop_step: step_streamline
max_multithreshold_bit_width: 16
rtlsim_batch_size: 4
rtlsim_use_vivado_comps: false
)";

constexpr const char* kMinimalJson =
    R"({"output_dir": "out", "synth_clk_period_ns": 10.0, "generate_outputs": []})";

void expect_all_fields_set(const BuildConfig& c) {
    EXPECT_EQ(c.output_dir, "out_all");
    EXPECT_EQ(c.synth_clk_period_ns, 5.0);
    EXPECT_EQ(c.generate_outputs,
              (std::vector<DataflowOutputType>{
                  DataflowOutputType::STITCHED_IP, DataflowOutputType::ESTIMATE_REPORTS,
                  DataflowOutputType::OOC_SYNTH, DataflowOutputType::RTLSIM_PERFORMANCE,
                  DataflowOutputType::BITFILE, DataflowOutputType::PYNQ_DRIVER,
                  DataflowOutputType::DEPLOYMENT_PACKAGE}));
    EXPECT_EQ(c.specialize_layers_config_file, "specialize.json");
    EXPECT_EQ(c.folding_config_file, "folding.json");
    EXPECT_EQ(c.target_fps, 200000);
    EXPECT_FALSE(c.folding_two_pass_relaxation);
    EXPECT_EQ(c.verify_steps,
              (std::vector<VerificationStepType>{
                  VerificationStepType::QONNX_TO_FINN_PYTHON, VerificationStepType::TIDY_UP_PYTHON,
                  VerificationStepType::STREAMLINED_PYTHON, VerificationStepType::FOLDED_HLS_CPPSIM,
                  VerificationStepType::STITCHED_IP_RTLSIM}));
    EXPECT_EQ(c.verify_input_npy, "in.npy");
    EXPECT_EQ(c.verify_expected_output_npy, "out.npy");
    EXPECT_TRUE(c.verify_save_full_context);
    EXPECT_TRUE(c.verify_save_rtlsim_waveforms);
    EXPECT_TRUE(c.stitched_ip_gen_dcp);
    EXPECT_EQ(c.signature, (std::vector<std::int64_t>{1, 2, 3735928559}));
    EXPECT_EQ(c.mvau_wwidth_max, 72);
    EXPECT_TRUE(c.standalone_thresholds);
    EXPECT_FALSE(c.minimize_bit_width);
    EXPECT_EQ(c.board, "U250");
    EXPECT_EQ(c.shell_flow_type, ShellFlowType::VITIS_ALVEO);
    EXPECT_EQ(c.fpga_part, "xcu250-figd2104-2L-e");
    EXPECT_FALSE(c.auto_fifo_depths);
    EXPECT_TRUE(c.split_large_fifos);
    EXPECT_EQ(c.auto_fifo_strategy, AutoFIFOSizingMethod::CHARACTERIZE);
    EXPECT_TRUE(c.force_python_rtlsim);
    EXPECT_EQ(c.large_fifo_mem_style, LargeFIFOMemStyle::URAM);
    EXPECT_EQ(c.hls_clk_period_ns, 4.5);
    EXPECT_TRUE(c.default_swg_exception);
    EXPECT_EQ(c.vitis_platform, "my_platform");
    EXPECT_EQ(c.vitis_floorplan_file, "floorplan.json");
    EXPECT_EQ(c.vitis_opt_strategy, VitisOptStrategyCfg::PERFORMANCE_BEST);
    EXPECT_FALSE(c.save_intermediate_models);
    EXPECT_TRUE(c.enable_hw_debug);
    EXPECT_FALSE(c.enable_build_pdb_debug);
    EXPECT_TRUE(c.verbose);
    EXPECT_EQ(c.steps, (std::vector<std::string>{"step_tidy_up", "step_streamline"}));
    EXPECT_EQ(c.start_step, "step_tidy_up");
    EXPECT_EQ(c.stop_step, "step_streamline");
    EXPECT_EQ(c.max_multithreshold_bit_width, 16);
    EXPECT_EQ(c.rtlsim_batch_size, 4);
    EXPECT_FALSE(c.rtlsim_use_vivado_comps);
}

// Runs `parse` and returns the finn::Error message ("" when nothing was thrown).
template <class F> std::string error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

std::string json_error(const std::string& text) {
    return error_of([&] { BuildConfig::parse(text, false, "cfg.json"); });
}

std::string yaml_error(const std::string& text) {
    return error_of([&] { BuildConfig::parse(text, true, "cfg.yaml"); });
}

// kMinimalJson plus one extra key.
std::string minimal_with(const std::string& key, const std::string& value_json) {
    json j = json::parse(kMinimalJson);
    j[key] = json::parse(value_json);
    return j.dump();
}

class TempDir {
public:
    TempDir() {
        path_ = fs::temp_directory_path() / ("finn_config_test_" + std::to_string(::getpid()));
        fs::create_directories(path_);
    }
    ~TempDir() { fs::remove_all(path_); }
    const fs::path& path() const { return path_; }
    fs::path write(const std::string& name, const std::string& text) const {
        fs::path p = path_ / name;
        std::ofstream(p) << text;
        return p;
    }

private:
    fs::path path_;
};

TEST(BuildConfig, HasFortyFieldsInDeclarationOrder) {
    auto names = BuildConfig::field_names();
    ASSERT_EQ(names.size(), 40u);
    EXPECT_EQ(names.front(), "output_dir");
    EXPECT_EQ(names[25], "hls_clk_period_ns");
    EXPECT_EQ(names.back(), "rtlsim_use_vivado_comps");
}

TEST(BuildConfig, ParsesAllFieldsFromJson) {
    json j = json::parse(kAllFieldsJson);
    ASSERT_EQ(j.size(), BuildConfig::field_names().size());
    for (std::string_view name : BuildConfig::field_names())
        EXPECT_TRUE(j.contains(std::string(name))) << name;
    expect_all_fields_set(BuildConfig::parse(kAllFieldsJson, false, "all.json"));
}

TEST(BuildConfig, ParsesAllFieldsFromYaml) {
    BuildConfig from_yaml = BuildConfig::parse(kAllFieldsYaml, true, "all.yaml");
    expect_all_fields_set(from_yaml);
    EXPECT_EQ(from_yaml, BuildConfig::parse(kAllFieldsJson, false, "all.json"));
}

TEST(BuildConfig, DefaultsWhenAbsent) {
    BuildConfig c = BuildConfig::parse(kMinimalJson, false, "min.json");
    EXPECT_EQ(c.output_dir, "out");
    EXPECT_EQ(c.synth_clk_period_ns, 10.0);
    EXPECT_TRUE(c.generate_outputs.empty());
    EXPECT_FALSE(c.specialize_layers_config_file);
    EXPECT_FALSE(c.folding_config_file);
    EXPECT_FALSE(c.target_fps);
    EXPECT_TRUE(c.folding_two_pass_relaxation);
    EXPECT_FALSE(c.verify_steps);
    EXPECT_EQ(c.verify_input_npy, "input.npy");
    EXPECT_EQ(c.verify_expected_output_npy, "expected_output.npy");
    EXPECT_FALSE(c.verify_save_full_context);
    EXPECT_FALSE(c.verify_save_rtlsim_waveforms);
    EXPECT_FALSE(c.stitched_ip_gen_dcp);
    EXPECT_FALSE(c.signature);
    EXPECT_EQ(c.mvau_wwidth_max, 36);
    EXPECT_FALSE(c.standalone_thresholds);
    EXPECT_TRUE(c.minimize_bit_width);
    EXPECT_FALSE(c.board);
    EXPECT_FALSE(c.shell_flow_type);
    EXPECT_FALSE(c.fpga_part);
    EXPECT_TRUE(c.auto_fifo_depths);
    EXPECT_FALSE(c.split_large_fifos);
    EXPECT_EQ(c.auto_fifo_strategy, AutoFIFOSizingMethod::LARGEFIFO_RTLSIM);
    EXPECT_FALSE(c.force_python_rtlsim);
    EXPECT_EQ(c.large_fifo_mem_style, LargeFIFOMemStyle::AUTO);
    EXPECT_FALSE(c.hls_clk_period_ns);
    EXPECT_FALSE(c.default_swg_exception);
    EXPECT_FALSE(c.vitis_platform);
    EXPECT_FALSE(c.vitis_floorplan_file);
    EXPECT_EQ(c.vitis_opt_strategy, VitisOptStrategyCfg::DEFAULT);
    EXPECT_TRUE(c.save_intermediate_models);
    EXPECT_FALSE(c.enable_hw_debug);
    EXPECT_TRUE(c.enable_build_pdb_debug);
    EXPECT_FALSE(c.verbose);
    EXPECT_FALSE(c.steps);
    EXPECT_FALSE(c.start_step);
    EXPECT_FALSE(c.stop_step);
    EXPECT_EQ(c.max_multithreshold_bit_width, 8);
    EXPECT_EQ(c.rtlsim_batch_size, 1);
    EXPECT_TRUE(c.rtlsim_use_vivado_comps);
}

TEST(BuildConfig, UnknownKeySuggestsClosest) {
    EXPECT_EQ(json_error(minimal_with("target_fsp", "1")),
              "cfg.json: unknown key 'target_fsp'; did you mean 'target_fps'?");
    // The seed-era key is gone on main.
    EXPECT_NE(json_error(minimal_with("default_mem_mode", "\"decoupled\""))
                  .find("unknown key 'default_mem_mode'; did you mean '"),
              std::string::npos);
}

TEST(BuildConfig, WrongTypeIsAnError) {
    EXPECT_EQ(json_error(minimal_with("target_fps", "\"100\"")),
              "cfg.json: key 'target_fps' has type string, expected integer");
    EXPECT_EQ(json_error(minimal_with("verbose", "1")),
              "cfg.json: key 'verbose' has type integer, expected boolean");
    EXPECT_EQ(json_error(minimal_with("board", "true")),
              "cfg.json: key 'board' has type boolean, expected string");
    EXPECT_EQ(json_error(minimal_with("steps", "\"step_tidy_up\"")),
              "cfg.json: key 'steps' has type string, expected array");
    EXPECT_EQ(json_error(minimal_with("steps", "[\"a\", 3]")),
              "cfg.json: key 'steps'[1] has type integer, expected string");
    EXPECT_EQ(json_error(minimal_with("hls_clk_period_ns", "{}")),
              "cfg.json: key 'hls_clk_period_ns' has type object, expected number");
    EXPECT_EQ(json_error("[1, 2]"), "cfg.json: build config must be an object, got array");
}

TEST(BuildConfig, MissingRequiredKey) {
    EXPECT_EQ(json_error(R"({"synth_clk_period_ns": 10, "generate_outputs": []})"),
              "cfg.json: missing required key 'output_dir'");
    EXPECT_EQ(json_error(R"({"output_dir": "o", "generate_outputs": []})"),
              "cfg.json: missing required key 'synth_clk_period_ns'");
    EXPECT_EQ(json_error(R"({"output_dir": "o", "synth_clk_period_ns": 10})"),
              "cfg.json: missing required key 'generate_outputs'");
    // Per-step slices skip the check.
    BuildConfig slice = BuildConfig::from_json(json{{"target_fps", 5}}, "slice.json", false);
    EXPECT_EQ(slice.target_fps, 5);
}

TEST(BuildConfig, NullHandling) {
    // null on an Optional field means unset.
    BuildConfig c = BuildConfig::parse(minimal_with("target_fps", "null"), false, "cfg.json");
    EXPECT_FALSE(c.target_fps);
    // Optional[bool] None reads as false in FINN.
    c = BuildConfig::parse(minimal_with("auto_fifo_depths", "null"), false, "cfg.json");
    EXPECT_FALSE(c.auto_fifo_depths);
    // Stricter than FINN: null on a mandatory field is an error.
    EXPECT_EQ(
        json_error(R"({"output_dir": null, "synth_clk_period_ns": 10, "generate_outputs": []})"),
        "cfg.json: key 'output_dir' has type null, expected string");
    EXPECT_EQ(json_error(minimal_with("mvau_wwidth_max", "null")),
              "cfg.json: key 'mvau_wwidth_max' has type null, expected integer");
}

TEST(BuildConfig, BadEnumValue) {
    EXPECT_EQ(json_error(minimal_with("shell_flow_type", "\"VIVADO_ZYNQ\"")),
              "cfg.json: key 'shell_flow_type': 'VIVADO_ZYNQ' is not a valid ShellFlowType; "
              "expected one of vivado_zynq, vitis_alveo");
    EXPECT_EQ(json_error(minimal_with("generate_outputs", R"(["bitfile", "bitstream"])")),
              "cfg.json: key 'generate_outputs'[1]: 'bitstream' is not a valid DataflowOutputType; "
              "expected one of stitched_ip, estimate_reports, out_of_context_synth, "
              "rtlsim_performance, bitfile, pynq_driver, deployment_package");
    EXPECT_NE(json_error(minimal_with("large_fifo_mem_style", "\"bram\""))
                  .find("'bram' is not a valid LargeFIFOMemStyle; expected one of auto, block, "
                        "distributed, ultra"),
              std::string::npos);
}

TEST(BuildConfig, NumericCoercions) {
    // Integer JSON for a float field, integral float for an int field.
    BuildConfig c = BuildConfig::parse(minimal_with("target_fps", "1e5"), false, "cfg.json");
    EXPECT_EQ(c.target_fps, 100000);
    c = BuildConfig::parse(minimal_with("hls_clk_period_ns", "3"), false, "cfg.json");
    EXPECT_EQ(c.hls_clk_period_ns, 3.0);
    EXPECT_EQ(json_error(minimal_with("target_fps", "1.5")),
              "cfg.json: key 'target_fps' has non-integral value 1.5, expected integer");
    EXPECT_NE(json_error(minimal_with("rtlsim_batch_size", "1e12")).find("out of range"),
              std::string::npos);
    EXPECT_NE(json_error(minimal_with("mvau_wwidth_max", "4294967296")).find("out of range"),
              std::string::npos);
}

TEST(BuildConfig, JsonSyntaxErrorNamesPosition) {
    std::string message = json_error("{\n  \"output_dir\": \"o\",\n}");
    EXPECT_EQ(message.rfind("cfg.json: invalid JSON at line 3, column 1: ", 0), 0u) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(BuildConfig, YamlSyntaxErrorNamesPosition) {
    std::string message = yaml_error("output_dir: out\ngenerate_outputs: [bitfile\n");
    EXPECT_EQ(message.rfind("cfg.yaml: invalid YAML at line ", 0), 0u) << message;
}

TEST(BuildConfig, YamlScalarsFollowYamlTyping) {
    std::string base = "output_dir: out\nsynth_clk_period_ns: 10\ngenerate_outputs: []\n";
    BuildConfig c = BuildConfig::parse(base + "target_fps: ~\nfpga_part: 'null'\nverbose: true\n", true,
                                       "cfg.yaml");
    EXPECT_FALSE(c.target_fps);
    EXPECT_EQ(c.fpga_part, "null"); // quoted stays a string
    EXPECT_TRUE(c.verbose);
    EXPECT_EQ(yaml_error(base + "target_fps: '100'\n"),
              "cfg.yaml: key 'target_fps' has type string, expected integer");
    EXPECT_EQ(yaml_error(base + "verbose: yes\n"),
              "cfg.yaml: key 'verbose' has type string, expected boolean"); // YAML 1.2 core
    EXPECT_EQ(yaml_error(base + "target_fsp: 1\n"),
              "cfg.yaml: unknown key 'target_fsp'; did you mean 'target_fps'?");
}

TEST(BuildConfig, ImpossibleValuesAreErrorsNamingTheKey) {
    std::string base = "output_dir: out\ngenerate_outputs: []\n";
    EXPECT_EQ(yaml_error(base + "synth_clk_period_ns: -10\n"),
              "cfg.yaml: key 'synth_clk_period_ns' must be positive, got -10");
    EXPECT_EQ(yaml_error(base + "synth_clk_period_ns: 0\n"),
              "cfg.yaml: key 'synth_clk_period_ns' must be positive, got 0");
    base += "synth_clk_period_ns: 10\n";
    EXPECT_EQ(yaml_error(base + "target_fps: -5\n"),
              "cfg.yaml: key 'target_fps' must be positive, got -5");
    EXPECT_EQ(yaml_error(base + "mvau_wwidth_max: 0\n"),
              "cfg.yaml: key 'mvau_wwidth_max' must be positive, got 0");
    EXPECT_EQ(yaml_error(base + "hls_clk_period_ns: -1.5\n"),
              "cfg.yaml: key 'hls_clk_period_ns' must be positive, got -1.5");
    EXPECT_NE(yaml_error(base + "board: Pynq-Z9\n")
                  .find("cfg.yaml: key 'board' names unknown board 'Pynq-Z9'; expected one of "
                        "Ultra96"),
              std::string::npos);
    // Known boards of either table pass.
    EXPECT_NO_THROW(BuildConfig::parse(base + "board: U250\n", true, "cfg.yaml"));
    EXPECT_NO_THROW(BuildConfig::parse(base + "board: KV260_SOM\n", true, "cfg.yaml"));
}

TEST(BuildConfig, ToJsonRoundTrip) {
    for (const char* text : {kAllFieldsJson, kMinimalJson}) {
        BuildConfig c = BuildConfig::parse(text, false, "cfg.json");
        nlohmann::ordered_json j = c.to_json();
        ASSERT_EQ(j.size(), 40u);
        std::size_t i = 0;
        for (const auto& item : j.items())
            EXPECT_EQ(item.key(), BuildConfig::field_names()[i++]);
        EXPECT_EQ(BuildConfig::from_json(j, "round.json"), c);
        EXPECT_EQ(BuildConfig::parse(j.dump(2), false, "round.json"), c);
    }
    nlohmann::ordered_json j = BuildConfig::parse(kMinimalJson, false, "cfg.json").to_json();
    EXPECT_TRUE(j["target_fps"].is_null());
    EXPECT_EQ(j["large_fifo_mem_style"], "auto");
    EXPECT_EQ(j["synth_clk_period_ns"].dump(), "10.0");
}

TEST(BuildConfig, EnumStringsRoundTrip) {
    EXPECT_EQ(to_string(DataflowOutputType::OOC_SYNTH), "out_of_context_synth");
    EXPECT_EQ(to_string(VerificationStepType::QONNX_TO_FINN_PYTHON), "finn_onnx_python");
    EXPECT_EQ(to_string(LargeFIFOMemStyle::LUTRAM), "distributed");
    EXPECT_EQ(to_string(VitisOptStrategyCfg::BUILD_SPEED), "quick");
    EXPECT_EQ(enum_from_string<ShellFlowType>("vitis_alveo"), ShellFlowType::VITIS_ALVEO);
    EXPECT_EQ(enum_from_string<AutoFIFOSizingMethod>("largefifo_rtlsim"),
              AutoFIFOSizingMethod::LARGEFIFO_RTLSIM);
    EXPECT_EQ(error_of([] { enum_from_string<ShellFlowType>("Vivado_Zynq"); }),
              "'Vivado_Zynq' is not a valid ShellFlowType; expected one of vivado_zynq, "
              "vitis_alveo");
}

TEST(BuildConfig, DerivedValues) {
    BuildConfig c = BuildConfig::parse(minimal_with("target_fps", "100000"), false, "cfg.json");
    EXPECT_EQ(c.cycles_per_frame(), 1000);
    EXPECT_EQ(c.hls_clk_period_ns_resolved(), 10.0);
    c.hls_clk_period_ns = 5.0;
    EXPECT_EQ(c.hls_clk_period_ns_resolved(), 5.0);
    c.target_fps = 30000; // 3333.33 truncates
    EXPECT_EQ(c.cycles_per_frame(), 3333);
    c.target_fps.reset();
    EXPECT_FALSE(c.cycles_per_frame());
    EXPECT_EQ(c.verify_steps_resolved().size(), 0u);
    EXPECT_EQ(c.vitis_opt_strategy_resolved(), "0");

    c.board = "Pynq-Z1";
    c.shell_flow_type = ShellFlowType::VIVADO_ZYNQ;
    EXPECT_EQ(c.fpga_part_resolved(), "xc7z020clg400-1");
    EXPECT_EQ(c.driver_platform(), "zynq-iodma");
    c.fpga_part = "xcexplicit"; // takes precedence over the board table
    EXPECT_EQ(c.fpga_part_resolved(), "xcexplicit");

    BuildConfig alveo = BuildConfig::parse(kMinimalJson, false, "cfg.json");
    alveo.board = "U250";
    alveo.shell_flow_type = ShellFlowType::VITIS_ALVEO;
    EXPECT_EQ(alveo.fpga_part_resolved(), "xcu250-figd2104-2L-e");
    EXPECT_EQ(alveo.vitis_platform_resolved(), "xilinx_u250_gen3x16_xdma_2_1_202010_1");
    EXPECT_EQ(alveo.driver_platform(), "alveo");
    alveo.vitis_platform = "custom";
    EXPECT_EQ(alveo.vitis_platform_resolved(), "custom");
    EXPECT_TRUE(BuildConfig::parse(kAllFieldsJson, false, "a.json")
                    .has_output(DataflowOutputType::BITFILE));
}

TEST(BuildConfig, DerivedValueErrors) {
    BuildConfig c = BuildConfig::parse(kMinimalJson, false, "cfg.json");
    EXPECT_NE(error_of([&] { c.fpga_part_resolved(); }).find("Couldn't resolve fpga_part"),
              std::string::npos);
    c.board = "Pynq-Z7";
    c.shell_flow_type = ShellFlowType::VIVADO_ZYNQ;
    EXPECT_EQ(error_of([&] {
                  c.fpga_part_resolved();
              }).rfind("Couldn't resolve fpga_part for board 'Pynq-Z7'", 0),
              0u);
    c.board = "Pynq-Z1"; // a Zynq board is not in the Alveo table
    c.shell_flow_type = ShellFlowType::VITIS_ALVEO;
    EXPECT_EQ(error_of([&] {
                  c.fpga_part_resolved();
              }).rfind("Couldn't resolve fpga_part for board 'Pynq-Z1'", 0),
              0u);
    c.shell_flow_type.reset();
    EXPECT_NE(error_of([&] { c.fpga_part_resolved(); }).find("shell_flow_type is not set"),
              std::string::npos);
    EXPECT_NE(error_of([&] { c.driver_platform(); }), "");
    c.board.reset();
    EXPECT_NE(error_of([&] { c.vitis_platform_resolved(); }), "");
}

TEST(Boards, Tables) {
    EXPECT_EQ(zynq_boards().size(), 10u);
    EXPECT_EQ(alveo_boards().size(), 5u);
    EXPECT_EQ(zynq_part("KV260_SOM"), "xck26-sfvc784-2LV-c");
    EXPECT_EQ(axi_hp_width_bits("Pynq-Z2"), 64);
    EXPECT_EQ(axi_hp_width_bits("ZCU104"), 128);
    EXPECT_EQ(alveo_part("U55C"), "xcu55c-fsvh2892-2L-e");
    EXPECT_EQ(alveo_default_platform("U50"), "xilinx_u50_gen3x16_xdma_5_202210_1");
    EXPECT_EQ(find_zynq_board("pynq-z1"), nullptr); // case-sensitive
    EXPECT_TRUE(find_zynq_board("ZCU111")->vivado_board_part.empty());
}

TEST(BuildConfig, LoadPicksFormatByExtension) {
    TempDir dir;
    EXPECT_EQ(BuildConfig::load(dir.write("c.yaml", kAllFieldsYaml)),
              BuildConfig::load(dir.write("c.json", kAllFieldsJson)));
    EXPECT_EQ(BuildConfig::load(dir.write("c.yml", kAllFieldsYaml)).output_dir, "out_all");
    fs::path broken = dir.write("broken.json", "{\"output_dir\": }");
    EXPECT_EQ(error_of([&] {
                  BuildConfig::load(broken);
              }).rfind(broken.string() + ": invalid JSON at line 1", 0),
              0u);
    EXPECT_NE(error_of([&] { BuildConfig::load(dir.path() / "absent.json"); }), "");
}

TEST(BuildConfig, RealFinnExample) {
    const char* shared = std::getenv("FINN_SHARED_DIR");
    if (!shared) GTEST_SKIP() << "FINN_SHARED_DIR not set";
    fs::path file = fs::path(shared) / "models/finn/tfc_w1a1/dataflow_build_config.json";
    if (!fs::exists(file)) GTEST_SKIP() << file << " missing";
    BuildConfig c = BuildConfig::load(file);
    EXPECT_EQ(c.output_dir, "output_tfc_w1a1_Pynq-Z1");
    EXPECT_EQ(c.synth_clk_period_ns, 10.0);
    EXPECT_EQ(c.target_fps, 100000);
    EXPECT_EQ(c.mvau_wwidth_max, 10000);
    EXPECT_EQ(c.board, "Pynq-Z1");
    EXPECT_EQ(c.shell_flow_type, ShellFlowType::VIVADO_ZYNQ);
    EXPECT_EQ(c.folding_config_file, "folding_config.json");
    EXPECT_TRUE(c.force_python_rtlsim);
    EXPECT_EQ(c.verify_steps_resolved().size(), 4u);
    EXPECT_EQ(c.generate_outputs.size(), 7u);
    EXPECT_EQ(c.cycles_per_frame(), 1000);
    EXPECT_EQ(c.fpga_part_resolved(), "xc7z020clg400-1");
    EXPECT_EQ(BuildConfig::from_json(c.to_json(), "round"), c);
}

} // namespace
} // namespace finn
