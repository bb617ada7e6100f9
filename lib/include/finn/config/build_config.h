// BuildConfig: FINN's DataflowBuildConfig (finn.builder.build_dataflow_config on main), read
// from the same dataflow_build_config.json files (or YAML with the same keys).
//
// Decoding follows dataclasses_json (enums by value string, ints accepted for floats, integral
// floats accepted for ints, null on Optional fields = unset) with deliberate strictness where
// FINN is silent: unknown keys, wrong types and null on mandatory fields are errors.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace finn {

// Member names are FINN's enum member names; the strings in to_string() are the JSON values.
enum class DataflowOutputType {
    STITCHED_IP,
    ESTIMATE_REPORTS,
    OOC_SYNTH,
    RTLSIM_PERFORMANCE,
    BITFILE,
    PYNQ_DRIVER,
    DEPLOYMENT_PACKAGE,
};

enum class ShellFlowType { VIVADO_ZYNQ, VITIS_ALVEO };

enum class VerificationStepType {
    QONNX_TO_FINN_PYTHON, // JSON "finn_onnx_python", file tag "qonnx_to_finn_python" on main
    TIDY_UP_PYTHON,
    STREAMLINED_PYTHON,
    FOLDED_HLS_CPPSIM,
    STITCHED_IP_RTLSIM,
    NODE_BY_NODE_RTLSIM, // FINN dev; accepted, but Finn has no step that runs it yet
};

enum class AutoFIFOSizingMethod { CHARACTERIZE, LARGEFIFO_RTLSIM };

// Values are Vivado ram_style strings.
enum class LargeFIFOMemStyle { AUTO, BRAM, LUTRAM, URAM };

enum class VitisOptStrategyCfg { DEFAULT, POWER, PERFORMANCE, PERFORMANCE_BEST, SIZE, BUILD_SPEED };

std::string_view to_string(DataflowOutputType value);
std::string_view to_string(ShellFlowType value);
std::string_view to_string(VerificationStepType value);
std::string_view to_string(AutoFIFOSizingMethod value);
std::string_view to_string(LargeFIFOMemStyle value);
std::string_view to_string(VitisOptStrategyCfg value);

// Exact, case-sensitive match on the JSON value string, e.g.
// enum_from_string<ShellFlowType>("vivado_zynq"). Throws finn::Error
// "'X' is not a valid ShellFlowType; expected one of vivado_zynq, vitis_alveo".
// Instantiated for the six enums above.
template <class E> E enum_from_string(std::string_view text);

struct BuildConfig {
    // Fields in FINN's declaration order; the member names are the JSON keys.
    std::string output_dir;                           // required
    double synth_clk_period_ns = 0.0;                 // required
    std::vector<DataflowOutputType> generate_outputs; // required
    std::optional<std::string> specialize_layers_config_file;
    std::optional<std::string> folding_config_file;
    std::optional<int> target_fps;
    bool folding_two_pass_relaxation = true;
    std::optional<std::vector<VerificationStepType>> verify_steps;
    std::string verify_input_npy = "input.npy";
    std::string verify_expected_output_npy = "expected_output.npy";
    bool verify_save_full_context = false;
    bool verify_save_rtlsim_waveforms = false;
    bool stitched_ip_gen_dcp = false;
    std::optional<std::vector<std::int64_t>> signature; // 64-bit: words may exceed INT_MAX
    int mvau_wwidth_max = 36;
    bool standalone_thresholds = false;
    bool minimize_bit_width = true;
    std::optional<std::string> board;
    std::optional<ShellFlowType> shell_flow_type;
    std::optional<std::string> fpga_part;
    bool auto_fifo_depths = true;
    bool split_large_fifos = false;
    AutoFIFOSizingMethod auto_fifo_strategy = AutoFIFOSizingMethod::LARGEFIFO_RTLSIM;
    bool force_python_rtlsim = false;
    LargeFIFOMemStyle large_fifo_mem_style = LargeFIFOMemStyle::AUTO;
    std::optional<double> hls_clk_period_ns;
    bool default_swg_exception = false;
    std::optional<std::string> vitis_platform;
    std::optional<std::string> vitis_floorplan_file;
    VitisOptStrategyCfg vitis_opt_strategy = VitisOptStrategyCfg::DEFAULT;
    bool save_intermediate_models = true;
    bool enable_hw_debug = false;
    bool enable_build_pdb_debug = true;
    bool verbose = false;
    std::optional<std::vector<std::string>> steps;
    std::optional<std::string> start_step;
    std::optional<std::string> stop_step;
    int max_multithreshold_bit_width = 8;
    int rtlsim_batch_size = 1;
    bool rtlsim_use_vivado_comps = true;

    bool operator==(const BuildConfig&) const = default;

    // `source` prefixes every error message (usually the file path). With
    // require_mandatory=false the three required keys may be absent (per-step config slices).
    static BuildConfig from_json(const nlohmann::json& j, const std::string& source,
                                 bool require_mandatory = true);
    static BuildConfig parse(std::string_view text, bool yaml, const std::string& source);
    // YAML for .yaml/.yml, JSON otherwise.
    static BuildConfig load(const std::filesystem::path& path);

    // Every field in declaration order, unset optionals as null.
    nlohmann::ordered_json to_json() const;

    // The 40 JSON keys in declaration order.
    static std::span<const std::string_view> field_names();

    // Derived values (FINN's _resolve_* helpers).
    double hls_clk_period_ns_resolved() const;
    // fpga_part if set, else the part of `board` in the table of shell_flow_type.
    std::string fpga_part_resolved() const;
    // int((1e9 / synth_clk_period_ns) / target_fps), or nullopt without target_fps.
    std::optional<std::int64_t> cycles_per_frame() const;
    // "zynq-iodma" / "alveo" by shell_flow_type.
    std::string driver_platform() const;
    // vitis_platform if set, else the default platform of `board`.
    std::string vitis_platform_resolved() const;
    // The v++ --optimize value: "0", "1", "2", "3", "s" or "quick".
    std::string vitis_opt_strategy_resolved() const;
    std::vector<VerificationStepType> verify_steps_resolved() const;
    bool has_output(DataflowOutputType output) const;
};

// Name of a JSON value's type as used in error messages ("string", "integer", "array", ...).
std::string json_type_name(const nlohmann::ordered_json& value);

} // namespace finn
