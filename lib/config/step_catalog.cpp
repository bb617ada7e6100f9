#include "finn/config/step_catalog.h"

#include <algorithm>
#include <array>
#include <utility>

namespace finn {
namespace {

using Out = DataflowOutputType;
using Verify = VerificationStepType;

// What each step reads is taken from FINN main's step functions (spec/finn-builder.md §1.3, §3).
// The FPGA part is resolved from fpga_part, or board + shell_flow_type.
#define FINN_PART_KEYS "fpga_part", "board", "shell_flow_type"

const std::vector<BuiltinStep>& catalog() {
    static const std::vector<BuiltinStep> steps = {
        {.name = "step_qonnx_to_finn",
         .tool = "finn-step-qonnx-to-finn",
         .reads = {"max_multithreshold_bit_width"},
         .verification = Verify::QONNX_TO_FINN_PYTHON},
        {.name = "step_tidy_up",
         .tool = "finn-step-tidy-up",
         .verification = Verify::TIDY_UP_PYTHON},
        {.name = "step_streamline",
         .tool = "finn-step-streamline",
         .verification = Verify::STREAMLINED_PYTHON},
        {.name = "step_convert_to_hw",
         .tool = "finn-step-convert-to-hw",
         .reads = {"standalone_thresholds"}},
        {.name = "step_create_dataflow_partition",
         .tool = "finn-step-create-dataflow-partition",
         .reads = {"save_intermediate_models"}},
        {.name = "step_specialize_layers",
         .tool = "finn-step-specialize-layers",
         .reads = {"specialize_layers_config_file", FINN_PART_KEYS}},
        {.name = "step_target_fps_parallelization",
         .tool = "finn-step-target-fps-parallelization",
         .reads = {"target_fps", "synth_clk_period_ns", "folding_two_pass_relaxation",
                   "mvau_wwidth_max"}},
        {.name = "step_apply_folding_config",
         .tool = "finn-step-apply-folding-config",
         .reads = {"folding_config_file", "save_intermediate_models"},
         .verification = Verify::FOLDED_HLS_CPPSIM},
        {.name = "step_minimize_bit_width",
         .tool = "finn-step-minimize-bit-width",
         .reads = {"minimize_bit_width"}},
        {.name = "step_generate_estimate_reports",
         .tool = "finn-step-generate-estimate-reports",
         .reads = {"synth_clk_period_ns", FINN_PART_KEYS},
         .product = Out::ESTIMATE_REPORTS},
        {.name = "step_hw_codegen",
         .tool = "finn-step-hw-codegen",
         .reads = {"synth_clk_period_ns", "hls_clk_period_ns", FINN_PART_KEYS}},
        {.name = "step_hw_ipgen",
         .tool = "finn-step-hw-ipgen",
         .reads = {"synth_clk_period_ns", "hls_clk_period_ns", FINN_PART_KEYS},
         .pool = StepPool::Heavy},
        {.name = "step_set_fifo_depths",
         .tool = "finn-step-set-fifo-depths",
         .reads = {"auto_fifo_depths", "auto_fifo_strategy", "split_large_fifos",
                   "force_python_rtlsim", "large_fifo_mem_style", "default_swg_exception",
                   "folding_config_file", "synth_clk_period_ns", "hls_clk_period_ns",
                   FINN_PART_KEYS},
         .pool = StepPool::Heavy},
        {.name = "step_create_stitched_ip",
         .tool = "finn-step-create-stitched-ip",
         .reads = {"synth_clk_period_ns", "stitched_ip_gen_dcp", "signature",
                   "verify_save_rtlsim_waveforms", "rtlsim_use_vivado_comps",
                   "save_intermediate_models", FINN_PART_KEYS},
         .product = Out::STITCHED_IP,
         .verification = Verify::STITCHED_IP_RTLSIM,
         .pool = StepPool::Heavy},
        {.name = "step_measure_rtlsim_performance",
         .tool = "finn-step-measure-rtlsim-performance",
         .reads = {"synth_clk_period_ns", "force_python_rtlsim", "rtlsim_batch_size",
                   "verify_save_rtlsim_waveforms", "rtlsim_use_vivado_comps", FINN_PART_KEYS},
         .product = Out::RTLSIM_PERFORMANCE,
         .requires_products = {Out::STITCHED_IP},
         .pool = StepPool::Heavy},
        {.name = "step_out_of_context_synthesis",
         .tool = "finn-step-out-of-context-synthesis",
         .reads = {"synth_clk_period_ns", FINN_PART_KEYS},
         .product = Out::OOC_SYNTH,
         .requires_products = {Out::STITCHED_IP},
         .pool = StepPool::Heavy},
        {.name = "step_synthesize_bitfile",
         .tool = "finn-step-synthesize-bitfile",
         .reads = {"synth_clk_period_ns", "enable_hw_debug", "vitis_platform",
                   "vitis_floorplan_file", "vitis_opt_strategy", FINN_PART_KEYS},
         .product = Out::BITFILE,
         .pool = StepPool::Heavy},
        {.name = "step_make_pynq_driver",
         .tool = "finn-step-make-pynq-driver",
         .reads = {"board", "shell_flow_type"},
         .product = Out::PYNQ_DRIVER},
        {.name = "step_deployment_package",
         .tool = "finn-step-deployment-package",
         .product = Out::DEPLOYMENT_PACKAGE},
    };
    return steps;
}

#undef FINN_PART_KEYS

// Older names of steps that users' configurations still carry.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kAliases{{
    {"step_convert_to_hls", "step_convert_to_hw"},
    {"step_hls_codegen", "step_hw_codegen"},
    {"step_hls_ipgen", "step_hw_ipgen"},
    {"step_make_driver", "step_make_pynq_driver"},
}};

} // namespace

std::span<const BuiltinStep> builtin_steps() {
    return catalog();
}

std::string canonical_step_name(std::string_view name) {
    for (const auto& [alias, canonical] : kAliases)
        if (name == alias) return std::string(canonical);
    if (!name.starts_with("step_")) {
        std::string prefixed = "step_" + std::string(name);
        for (const auto& step : catalog())
            if (step.name == prefixed) return prefixed;
        for (const auto& [alias, canonical] : kAliases)
            if (prefixed == alias) return std::string(canonical);
    }
    return std::string(name);
}

const BuiltinStep* find_builtin_step(std::string_view name) {
    std::string canonical = canonical_step_name(name);
    for (const auto& step : catalog())
        if (step.name == canonical) return &step;
    return nullptr;
}

std::vector<std::string> default_build_steps() {
    std::vector<std::string> names;
    for (const auto& step : catalog())
        names.emplace_back(step.name);
    return names;
}

std::vector<std::string> estimate_only_build_steps() {
    std::vector<std::string> names = default_build_steps();
    names.resize(10);
    return names;
}

std::span<const ProductTarget> product_targets() {
    static const std::array<ProductTarget, 7> targets{{
        {"estimates", Out::ESTIMATE_REPORTS, "step_generate_estimate_reports"},
        {"stitched_ip", Out::STITCHED_IP, "step_create_stitched_ip"},
        {"rtlsim", Out::RTLSIM_PERFORMANCE, "step_measure_rtlsim_performance"},
        {"ooc_synth", Out::OOC_SYNTH, "step_out_of_context_synthesis"},
        {"bitfile", Out::BITFILE, "step_synthesize_bitfile"},
        {"driver", Out::PYNQ_DRIVER, "step_make_pynq_driver"},
        {"deploy", Out::DEPLOYMENT_PACKAGE, "step_deployment_package"},
    }};
    return targets;
}

std::span<const std::string_view> keys_read_by_every_step() {
    static const std::array<std::string_view, 1> keys{"verbose"};
    return keys;
}

std::span<const std::string_view> verification_keys() {
    static const std::array<std::string_view, 5> keys{
        "verify_steps", "verify_input_npy", "verify_expected_output_npy",
        "verify_save_full_context", "save_intermediate_models"};
    return keys;
}

std::span<const std::string_view> path_keys() {
    static const std::array<std::string_view, 5> keys{
        "specialize_layers_config_file", "folding_config_file", "verify_input_npy",
        "verify_expected_output_npy", "vitis_floorplan_file"};
    return keys;
}

} // namespace finn
