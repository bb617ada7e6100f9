// The step declarations are the truth about the steps: every built-in step gives the same bytes
// with the whole build configuration as with only its slice (the keys it declares), so a step
// reading an undeclared key fails here instead of silently getting FINN's default in a build; it
// writes exactly the files it declares; and the tools built are the implemented declarations.
#include "builtin_steps.h"
#include "finn/config/flow_plan.h"
#include "finn/core/npy.h"
#include "finn/exec/executor.h"
#include "finn/step/step_tool.h"
#include "finn/util/file_io.h"
#include "finn/zoo/zoo.h"
#include "test_support.h"

#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <set>

namespace finn {
namespace {
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

// What one step run produced: the model, the files it staged and its log lines, or its error.
struct StepResult {
    std::string model;
    std::map<fs::path, std::string> files;
    std::string log;
    std::string error;
};

StepResult run_step(const StepDeclaration& step, const std::string& model_bytes, const json& config,
                    const fs::path& output_dir) {
    fs::remove_all(output_dir);
    StepResult result;
    try {
        bool verbose = config.contains("verbose") && config["verbose"].get<bool>();
        StepContext ctx(std::string(step.name), Model::parse(model_bytes, step.name), config,
                        output_dir, verbose);
        step.run(ctx);
        ctx.model().add_missing_opset_imports();
        result.model = ctx.model().serialize();
        result.files = ctx.staged_outputs();
    } catch (const std::exception& e) {
        result.error = e.what();
    }
    std::error_code ec;
    if (fs::exists(output_dir / "build_dataflow.log", ec)) {
        // The lines without their time stamps.
        static const std::regex stamp(R"(^\[[^\]]*\] )", std::regex::multiline);
        result.log = std::regex_replace(read_file(output_dir / "build_dataflow.log"), stamp, "");
    }
    return result;
}

// How the whole configuration departs from FINN's defaults: every key, or every key but the
// booleans (so that a step a non-default boolean switches off, minimize_bit_width, runs too).
struct Variant {
    std::string zoo_model;
    bool boolean_defaults = false;
    int max_multithreshold_bit_width = 16;
    bool runs_every_step = true;
    // Whether the flow goes on to step_hw_codegen (the model's layers all have hardware). Steps
    // that need external tools (the heavy pool: Verilator) are never run here.
    bool hardware = false;
};

// A configuration setting every key to a value other than FINN's default, paths absolute.
json whole_configuration(const fs::path& dir, const Variant& variant) {
    std::ofstream(dir / "specialize.json")
        << R"({"Defaults": {"preferred_impl_style": ["hls", "all"]}})";
    std::ofstream(dir / "folding.json")
        << R"({"Defaults": {"ram_style": ["distributed", ["MVAU_hls", "MVAU_rtl"]]}})";
    std::ofstream(dir / "floorplan.json") << "{}";
    std::vector<std::string> implemented;
    for (const StepDeclaration* step : builtin_step_catalog().steps()) {
        if (!variant.hardware && step->name == "step_hw_codegen") break;
        if (step->run && step->pool == StepPool::Default) implemented.emplace_back(step->name);
    }
    auto flag = [&](bool finn_default) {
        return variant.boolean_defaults ? finn_default : !finn_default;
    };
    json config = {
        {"output_dir", (dir / "out").string()},
        {"synth_clk_period_ns", 4.0},
        {"generate_outputs",
         {"estimate_reports", "stitched_ip", "rtlsim_performance", "out_of_context_synth",
          "bitfile", "pynq_driver", "deployment_package"}},
        {"specialize_layers_config_file", (dir / "specialize.json").string()},
        {"folding_config_file", (dir / "folding.json").string()},
        {"target_fps", 2000000},
        {"folding_two_pass_relaxation", flag(true)},
        {"verify_steps",
         {"finn_onnx_python", "initial_python", "streamlined_python", "folded_hls_cppsim",
          "stitched_ip_rtlsim"}},
        {"verify_input_npy", (dir / "in.npy").string()},
        {"verify_expected_output_npy", (dir / "out.npy").string()},
        {"verify_save_full_context", flag(false)},
        {"verify_save_rtlsim_waveforms", flag(false)},
        {"stitched_ip_gen_dcp", flag(false)},
        {"signature", {7, 1, 2}},
        {"mvau_wwidth_max", 24},
        {"standalone_thresholds", flag(false)},
        {"minimize_bit_width", flag(true)},
        {"board", "Pynq-Z1"},
        {"shell_flow_type", "vivado_zynq"},
        // Not the board's part: a step resolving the part from the board alone differs.
        {"fpga_part", "xczu7ev-ffvc1156-2-e"},
        {"auto_fifo_depths", flag(true)},
        {"split_large_fifos", flag(false)},
        {"auto_fifo_strategy", "characterize"},
        {"force_python_rtlsim", flag(false)},
        {"large_fifo_mem_style", "block"},
        {"hls_clk_period_ns", 6.0},
        {"default_swg_exception", flag(false)},
        {"vitis_platform", "xilinx_u250_gen3x16_xdma_2_1_202010_1"},
        {"vitis_floorplan_file", (dir / "floorplan.json").string()},
        {"vitis_opt_strategy", "performance"},
        {"save_intermediate_models", flag(true)},
        {"enable_hw_debug", flag(false)},
        {"enable_build_pdb_debug", flag(true)},
        {"verbose", false}, // read by every step (declared); true would only flood the test log
        {"steps", implemented},
        // start_step is left unset: it cannot name the first step, and every step runs here.
        {"stop_step", implemented.back()},
        {"max_multithreshold_bit_width", variant.max_multithreshold_bit_width},
        {"rtlsim_batch_size", 3},
        {"rtlsim_use_vivado_comps", flag(true)},
    };
    return config;
}

// Runs every implemented step along the flow, each once with the whole configuration and once
// with its planned slice, from the same input model; a step failing must fail alike, and ends the
// flow.
void expect_slices_suffice(const Variant& variant) {
    testing::ScratchDir dir;
    Model model = make_zoo_model(variant.zoo_model, 1);
    Tensor input = make_zoo_input(model, 2);
    Tensor expected =
        Executor(model).run_batched({{model.input_names()[0], input}}).at(model.output_names()[0]);
    write_file_if_changed(dir / "in.npy", to_npy(input));
    write_file_if_changed(dir / "out.npy", to_npy(expected));
    const json config = whole_configuration(dir.path(), variant);
    ASSERT_EQ(config.size(), BuildConfig::field_names().size() - 1); // all but start_step
    std::ofstream(dir / "config.json") << config.dump(2);

    FlowPlanOptions options;
    options.config_path = dir / "config.json";
    FlowPlan plan = plan_flow(builtin_step_catalog(), options);
    std::string model_bytes = model.serialize();
    for (const PlannedStep& planned : plan.steps) {
        SCOPED_TRACE(variant.zoo_model + ", " + planned.name);
        const StepDeclaration& step = *planned.builtin;
        StepResult whole = run_step(step, model_bytes, config, dir / "whole");
        StepResult slice = run_step(step, model_bytes, planned.slice, dir / "slice");
        EXPECT_EQ(whole.error, slice.error);
        EXPECT_TRUE(whole.model == slice.model) << "the model differs: the step reads a key its "
                                                   "declaration does not list";
        EXPECT_EQ(whole.log, slice.log);
        ASSERT_EQ(whole.files.size(), slice.files.size());
        for (const auto& [path, bytes] : whole.files) {
            ASSERT_TRUE(slice.files.count(path)) << path;
            EXPECT_TRUE(bytes == slice.files.at(path)) << path << " differs";
        }
        if (!whole.error.empty()) {
            EXPECT_FALSE(variant.runs_every_step) << whole.error;
            return;
        }
        // The files it writes are those it declares (verification outputs aside: they are
        // written only when asked for).
        std::vector<std::string> written;
        for (const auto& [path, bytes] : slice.files)
            if (!path.string().starts_with("verification_output/"))
                written.push_back(path.string());
        std::vector<std::string> declared = planned.outputs;
        std::sort(declared.begin(), declared.end());
        EXPECT_EQ(written, declared);
        model_bytes = whole.model;
    }
    EXPECT_TRUE(variant.runs_every_step) << "expected a step to fail";
}

TEST(StepDeclarations, EveryStepGivesTheSameBytesWithOnlyItsSlice) {
    expect_slices_suffice({.zoo_model = "tfc_w1a1", .hardware = true});
    expect_slices_suffice({.zoo_model = "tfc_w1a1", .boolean_defaults = true, .hardware = true});
}

TEST(StepDeclarations, SlicesSufficeOnAConvolutionalNetwork) {
    expect_slices_suffice({.zoo_model = "dwsep_w4a4"});
    // 4-bit activations stay Quant nodes, which no hardware layer takes.
    expect_slices_suffice(
        {.zoo_model = "dwsep_w4a4", .max_multithreshold_bit_width = 2, .runs_every_step = false});
}

TEST(StepDeclarations, ToolsAreBuiltForTheImplementedSteps) {
    std::set<std::string_view> names;
    for (const StepDeclaration* step : builtin_step_catalog().steps()) {
        EXPECT_TRUE(names.insert(step->name).second) << step->name << " is declared twice";
        std::error_code ec;
        bool tool_built = fs::exists(fs::path(FINN_STEP_DIR) / step_tool_name(step->name), ec);
        EXPECT_EQ(tool_built, step->run != nullptr) << step->name;
    }
}

TEST(StepDeclarations, PlanCatalogWritesTheBuiltinLists) {
    testing::ScratchDir dir;
    auto r = testing::run_command(std::string(FINN_CLI_PATH) + " plan --catalog " +
                                  testing::shell_quote((dir / "catalog.cmake").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string catalog = read_file(dir / "catalog.cmake");
    std::string steps;
    for (const std::string& name : builtin_step_catalog().names())
        steps += (steps.empty() ? "" : ";") + name;
    EXPECT_NE(catalog.find("set(FINN_CATALOG_STEPS \"" + steps + "\")"), std::string::npos)
        << catalog;
    EXPECT_NE(catalog.find("set(FINN_CATALOG_PRODUCT_TARGETS \"estimates;stitched_ip;rtlsim;"
                           "ooc_synth;bitfile;driver;deploy\")"),
              std::string::npos)
        << catalog;
}

} // namespace
} // namespace finn
