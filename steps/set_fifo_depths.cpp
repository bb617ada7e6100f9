// step_set_fifo_depths, FINN's step of that name (spec/finn-builder.md): the FIFOs and width
// converters between the hardware layers of the dataflow partition, and their depths.
// - auto_fifo_depths false: InsertDWC, InsertFIFO(create_shallow_fifos), SpecializeLayers,
//   GiveUniqueNodeNames, GiveReadableTensorNames, then ApplyConfig(folding_config_file) when set,
//   so the folding file can give StreamingFIFO_rtl_<k> and the converters their depth,
//   impl_style and ram_style.
// - auto_fifo_depths with auto_fifo_strategy largefifo_rtlsim: FINN's InsertAndSetFIFODepths:
//   tensor-sized monitored FIFOs (insert_monitored_fifos), the stitched design simulated
//   (simulate_fifo_occupancy, finn/hwgen/fifo_occupancy.h), each FIFO sized from its peak
//   occupancy (set_fifo_depths_from_occupancy).
// - auto_fifo_depths with auto_fifo_strategy characterize: FINN's DeriveCharacteristic and
//   DeriveFIFOSizes: after InsertDWC, when each node's streams move words over one period (the
//   slowest layer's expected cycles + 10), from the exact transaction model of its hardware
//   module (finn/hls/transfer_model.h) instead of FINN's RTL simulation; a node whose module has
//   no model (mem_mode external) is measured on its rtlsim executable, built here in its folder
//   unless step_hw_ipgen built it for the same files (hwgen::build_node_rtlsim_if_stale; that
//   needs Verilator). derive_fifo_sizes turns those into the layers' FIFO depths,
//   InsertFIFO puts the FIFOs in.
// Then always: final_hw_config.json (FINN's attribute list, usable as folding_config_file),
// SplitLargeFIFOs when split_large_fifos, RemoveShallowFIFOs. Every node ends with its folder
// hw/<node>/ and component.xml as step_hw_codegen and step_hw_ipgen write them (the new FIFOs
// and converters get theirs here, but no rtlsim executable, except a node characterize measured
// by rtlsim: the stitched design is simulated as a whole). hw/fifo_depths_manifest.txt lists
// the files, as hw_codegen's manifest does.
#include "builtin_steps.h"
#include "finn/config/attribute_config.h"
#include "finn/core/error.h"
#include "finn/core/strings.h"
#include "finn/hw/registry.h"
#include "finn/hwgen/fifo_occupancy.h"
#include "finn/hwgen/node_build.h"
#include "finn/hwgen/node_characteristic.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/hwgen/verilator.h"
#include "finn/step/step_tool.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/fifo_sizing.h"
#include "finn/transform/stream_insertion.h"
#include "finn/transform/tidy_up.h"
#include "finn/util/file_io.h"
#include "node_hardware.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

namespace finn::steps {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFinalHwConfig = "final_hw_config.json";
constexpr const char* kManifest = "hw/fifo_depths_manifest.txt";
// The stitched design FIFO sizing simulates (its FIFOs deep and monitored), kept between builds so
// that an unchanged design is not compiled again.
constexpr const char* kSizingFolder = "fifo_sizing";

// Depths from the folding configuration (or the layers' inFIFODepths/outFIFODepths).
void insert_configured_fifos(StepContext& ctx, const DiagnosticSink& log) {
    Model& model = ctx.model();
    const BuildConfig& cfg = ctx.config();
    InsertDWC().run(model);
    InsertFIFO(true, std::nullopt, "auto", log).run(model);
    SpecializeLayers(cfg.fpga_part_resolved(), log).run(model);
    GiveUniqueNodeNames().run(model);
    GiveReadableTensorNames().run(model);
    if (cfg.folding_config_file)
        ApplyConfig(AttributeConfig::load(*cfg.folding_config_file), log).run(model);
}

// FINN's InsertAndSetFIFODepths, max_qsrl_depth 256.
void size_fifos_by_simulation(StepContext& ctx, const DiagnosticSink& log) {
    const BuildConfig& cfg = ctx.config();
    Model model = ctx.model();
    const FifoMonitoring monitoring = insert_monitored_fifos(model, cfg.fpga_part_resolved(), log);
    const hwgen::FifoOccupancy simulated = hwgen::simulate_fifo_occupancy(
        model, ctx.output_dir() / kSizingFolder, ctx.output_dir() / hwgen::kRtlsimRuntimeFolder,
        cfg.fpga_part_resolved(), cfg.synth_clk_period_ns);
    char seconds[96];
    std::snprintf(seconds, sizeof seconds, "in %.2f s (Verilator build %.1f s)",
                  simulated.simulate_seconds, simulated.build_seconds);
    ctx.log("set_fifo_depths: largefifo_rtlsim: simulated " + std::to_string(simulated.frames) +
            " frames (" + std::to_string(simulated.cycles) + " cycles, an input word every " +
            std::to_string(simulated.input_interval) + " cycles) " + seconds +
            (simulated.rebuilt ? "" : ", simulation unchanged and not rebuilt"));
    const auto& occupancy = simulated.peak;
    set_fifo_depths_from_occupancy(
        model, occupancy, monitoring,
        {.max_qsrl_depth = 256,
         .vivado_ram_style = std::string(to_string(cfg.large_fifo_mem_style)),
         .swg_exception = cfg.default_swg_exception});
    ctx.model() = std::move(model);
}

// The node's rtlsim executable, built here unless it is current for the node's files (step_hw_ipgen
// builds the executables only for node_by_node_rtlsim, and a converter inserted by this step has
// none).
fs::path node_executable(StepContext& ctx, Model& model, Node node, const std::string& verilator) {
    auto layer = hw::require_layer(model, node);
    const hwgen::NodeFiles files =
        hwgen::generate_node_files(*layer, *hw::find_definition_of_op_type(node.op_type()));
    const fs::path dir = ctx.output_dir() / node_folder(node);
    for (const auto& [path, bytes] : files.files)
        write_file_if_changed(dir / path, bytes);
    const fs::path runtime = ctx.output_dir() / hwgen::kRtlsimRuntimeFolder;
    const bool built = hwgen::build_node_rtlsim_if_stale(
        verilator, dir, node.name(),
        hwgen::node_folder_hash(dir, hwgen::verilator_version(verilator)), [&] {
            hwgen::build_rtlsim_runtime(verilator, runtime);
            return runtime / hwgen::kRtlsimRuntimeLibrary;
        });
    if (built) ctx.log("set_fifo_depths: built the rtlsim executable of " + node.name());
    return dir;
}

// FINN's characterize strategy (DeriveCharacteristic, DeriveFIFOSizes).
void size_fifos_by_characteristic(StepContext& ctx, const DiagnosticSink& log) {
    const BuildConfig& cfg = ctx.config();
    const std::string part = cfg.fpga_part_resolved();
    Model& model = ctx.model();
    InsertDWC().run(model);
    SpecializeLayers(part, log).run(model);
    GiveUniqueNodeNames().run(model);
    std::int64_t max_cycles = 0;
    for (Node node : model.nodes())
        max_cycles = std::max(max_cycles, hw::require_layer(model, node)->exp_cycles());
    const std::int64_t period = max_cycles + 10;
    // Each node's exact transaction model; a node whose module has none (mem_mode external) is
    // measured on its rtlsim executable, which needs Verilator.
    std::map<std::string, IoCharacteristic> characteristics;
    std::vector<std::string> measured;
    std::optional<std::string> verilator;
    const auto start = std::chrono::steady_clock::now();
    const auto seconds_since = [](std::chrono::steady_clock::time_point from) {
        char text[32];
        std::snprintf(
            text, sizeof text, "%.3f s",
            std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count());
        return std::string(text);
    };
    for (Node node : model.nodes()) {
        auto layer = hw::require_layer(model, node);
        const hw::LayerDefinition& definition = *hw::find_definition_of_op_type(node.op_type());
        std::optional<hwgen::NodeTransfers> moved =
            hwgen::model_node_transfers(*layer, definition, period);
        if (!moved) {
            if (!verilator) verilator = hwgen::require_verilator("auto_fifo_strategy characterize");
            const fs::path dir = node_executable(ctx, model, node, *verilator);
            moved = hwgen::measure_node_transfers(*layer, definition, dir, period);
            measured.push_back(node.name());
        }
        IoCharacteristic& c = characteristics[node.name()];
        for (const auto& x : moved->inputs)
            c.inputs.push_back(accumulate_characteristic(x, period));
        for (const auto& x : moved->outputs)
            c.outputs.push_back(accumulate_characteristic(x, period));
    }
    std::string how = "from their transaction models";
    if (!measured.empty())
        how += ", " + std::to_string(measured.size()) + " without one by rtlsim (" +
               join(measured, ", ") + ")";
    ctx.log("set_fifo_depths: characterized " + std::to_string(characteristics.size()) +
            " nodes over a period of " + std::to_string(period) + " cycles " + how + " in " +
            seconds_since(start));
    const auto derive_start = std::chrono::steady_clock::now();
    derive_fifo_sizes(model, characteristics, period);
    ctx.log("set_fifo_depths: derived the FIFO depths in " + seconds_since(derive_start));
    InsertFIFO(true, 256, std::string(to_string(cfg.large_fifo_mem_style)), log).run(model);
    SpecializeLayers(part, log).run(model);
    GiveUniqueNodeNames().run(model);
    GiveReadableTensorNames().run(model);
}

// A node whose folder step_hw_codegen wrote with other bytes (a folding_config_file entry
// changed it here) has a stale rtlsim executable from step_hw_ipgen: said in the log.
void warn_if_changed(StepContext& ctx, const Node& node, const hwgen::NodeFiles& files) {
    const fs::path dir = ctx.output_dir() / node_folder(node);
    std::error_code ec;
    if (!fs::exists(dir / hwgen::kRtlsimExecutable, ec)) return;
    for (const auto& [path, bytes] : files.files)
        if (!fs::exists(dir / path, ec) || read_file(dir / path) != bytes) {
            ctx.log("Warning: set_fifo_depths: the hardware of " + node.name() +
                    " changed after step_hw_ipgen; its rtlsim executable " + node_folder(node) +
                    "/" + hwgen::kRtlsimExecutable + " is out of date");
            return;
        }
}

void write_hardware(StepContext& ctx) {
    Model& model = ctx.model();
    require_hardware(model);
    std::string manifest;
    std::set<std::string> folders;
    for (Node node : model.nodes()) {
        const hwgen::NodeFiles files = write_node_sources(ctx, model, node, manifest);
        warn_if_changed(ctx, node, files);
        const std::string component = write_node_ip(ctx, node, node_folder(node), files);
        manifest += hwgen::content_hash(component) + " " + node_folder(node) + "/component.xml\n";
        folders.insert(files.top);
    }
    remove_stale_node_folders(ctx, folders, "set_fifo_depths");
    ctx.write_output(kManifest, manifest);
}

void run(StepContext& ctx) {
    const BuildConfig& cfg = ctx.config();
    auto log = [&ctx](const std::string& line) { ctx.log("Warning: " + line); };
    if (!cfg.auto_fifo_depths) {
        insert_configured_fifos(ctx, log);
    } else {
        switch (cfg.auto_fifo_strategy) {
        case AutoFIFOSizingMethod::LARGEFIFO_RTLSIM:
            size_fifos_by_simulation(ctx, log);
            break;
        case AutoFIFOSizingMethod::CHARACTERIZE:
            size_fifos_by_characteristic(ctx, log);
            break;
        }
    }
    // Before splitting and removing FIFOs, so its node names are those a folding config meets.
    auto final_config = extract_model_config(
        ctx.model(), {"PE", "SIMD", "parallel_window", "ram_style", "depth", "impl_style",
                      "resType", "mem_mode", "runtime_writeable_weights", "inFIFODepths",
                      "outFIFODepths", "depth_trigger_uram", "depth_trigger_bram"});
    ctx.write_output(kFinalHwConfig, final_config.dump(2, ' ', true));
    if (cfg.split_large_fifos) SplitLargeFIFOs().run(ctx.model());
    RemoveShallowFIFOs().run(ctx.model());
    write_hardware(ctx);
}

std::vector<std::string> outputs(const BuildConfig&) {
    return {kFinalHwConfig, kManifest};
}

} // namespace

const StepDeclaration set_fifo_depths{
    .name = "step_set_fifo_depths",
    .summary = "size the FIFOs between the hardware layers",
    .reads = with_part_keys({"auto_fifo_depths", "auto_fifo_strategy", "split_large_fifos",
                             "force_python_rtlsim", "large_fifo_mem_style", "default_swg_exception",
                             "folding_config_file", "synth_clk_period_ns", "hls_clk_period_ns"}),
    .outputs = outputs,
    .pool = StepPool::Heavy,
    .run = run,
};

} // namespace finn::steps
