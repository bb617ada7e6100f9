// step_create_stitched_ip, FINN's step of that name: the layers, width converters and FIFOs of the
// dataflow partition stitched into one IP in stitched_ip/ (finn/hwgen/stitched_design.h): the top
// finn_design_wrapper with FINN's interfaces, every source and memory file under ip/hdl/ with
// relative paths, ip/component.xml (IP-XACT), make_project.tcl for Vivado (run when `vivado` is
// in PATH, otherwise left ready) and the design's Verilator simulation sim_build/rtlsim, which
// exec_mode "rtlsim" of the whole model, step_measure_rtlsim_performance and FIFO sizing run.
// The simulation is rebuilt only when a source or its optimization changed (stamp file
// sim.stamp). It is compiled for short runs (-O1, a third less compile time) when the build's runs
// of it are a few frames each: stitched_ip_rtlsim runs one sample at a time and
// step_measure_rtlsim_performance rtlsim_batch_size frames; a larger batch gets -O2. Sets FINN's
// metadata_props clk_ns, vivado_stitch_proj, vivado_stitch_vlnv, vivado_stitch_ifnames and
// wrapper_filename (paths relative to the output folder). Verification hook stitched_ip_rtlsim:
// the dataflow parent with the partition simulated as the stitched design. Needs Verilator.
#include "builtin_steps.h"
#include "finn/core/error.h"
#include "finn/hw/rtlsim.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/hwgen/stitched_build.h"
#include "finn/step/step_tool.h"
#include "finn/util/process.h"

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace finn::steps {
namespace {

namespace fs = std::filesystem;

constexpr const char* kManifest = "stitched_ip/stitched_manifest.txt";
// Where the waveform of stitched_ip_rtlsim goes (FINN: report/verify_rtlsim.vcd).
constexpr const char* kVerifyWaveform = "report/verify_rtlsim.fst";

constexpr StepVerification kVerification{VerificationStepType::STITCHED_IP_RTLSIM,
                                         "stitched_ip_rtlsim"};

std::string ifnames_json(const hwgen::StitchedDesign& design) {
    nlohmann::ordered_json j;
    j["clk"] = {"ap_clk"};
    j["rst"] = {"ap_rst_n"};
    j["s_axis"] = nlohmann::ordered_json::array();
    for (const auto& in : design.inputs)
        j["s_axis"].push_back({in.interface, in.width});
    j["m_axis"] = nlohmann::ordered_json::array();
    for (const auto& out : design.outputs)
        j["m_axis"].push_back({out.interface, out.width});
    j["aximm"] = nlohmann::ordered_json::array();
    j["axilite"] = nlohmann::ordered_json::array();
    return j.dump();
}

// FINN's stitched_ip_rtlsim: the dataflow parent with the partition run as the stitched design.
void verify_stitched(StepContext& ctx) {
    if (!ctx.verification_requested(kVerification.type)) return;
    Model child = ctx.model();
    child.set_metadata("exec_mode", "rtlsim");
    if (ctx.config().verify_save_rtlsim_waveforms) {
        fs::create_directories(ctx.output_dir() / "report");
        child.set_metadata(hw::kRtlsimTraceMetadata, kVerifyWaveform);
        ctx.log("stitched_ip_rtlsim: waveform in " + std::string(kVerifyWaveform) +
                " (FST; the last sample's run)");
    }
    ctx.verify_in_parent_if_requested(kVerification, child);
}

void run_vivado_if_present(StepContext& ctx, const fs::path& dir) {
    if (find_in_path("vivado").empty()) {
        ctx.log("create_stitched_ip: vivado not found in PATH: stitched_ip/make_project.tcl is "
                "ready for Vivado (vivado -mode batch -source make_project.tcl) and was not run");
        return;
    }
    const ProcessResult r =
        run_process({"vivado", "-mode", "batch", "-source", "make_project.tcl"}, dir);
    if (r.status != 0)
        throw Error("create_stitched_ip: vivado -source make_project.tcl failed (see "
                    "build_dataflow.log)",
                    r.output);
    ctx.log("create_stitched_ip: Vivado project finn_vivado_stitch_proj written");
}

// Up to this many frames per run, the time -O1 saves in the compile is more than its slower
// simulation costs (finn/hwgen/verilator.h, SimulationLength).
constexpr int kShortRunFrames = 10;

hwgen::SimulationLength simulation_length(const BuildConfig& cfg) {
    return cfg.rtlsim_batch_size <= kShortRunFrames ? hwgen::SimulationLength::Short
                                                    : hwgen::SimulationLength::Long;
}

void run(StepContext& ctx) {
    const BuildConfig& cfg = ctx.config();
    Model& model = ctx.model();
    const hwgen::StitchedDesign design =
        hwgen::stitch_design(model, cfg.fpga_part_resolved(), cfg.synth_clk_period_ns);
    const fs::path dir = ctx.output_dir() / hwgen::kStitchedFolder;

    // The sources go to disk now: Verilator builds from them within this step.
    const hwgen::SimulationLength length = simulation_length(cfg);
    const hwgen::StitchedBuild build = hwgen::write_and_build_stitched(
        design, dir, cfg.verify_save_rtlsim_waveforms,
        ctx.output_dir() / hwgen::kRtlsimRuntimeFolder, "step_create_stitched_ip", length);
    if (build.rebuilt) {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.1f", build.seconds);
        const std::string how = length == hwgen::SimulationLength::Short
                                    ? "for short runs (-O1, rtlsim_batch_size "
                                    : "for long runs (-O2, rtlsim_batch_size ";
        ctx.log("create_stitched_ip: linted and built the rtlsim executable " + how +
                std::to_string(cfg.rtlsim_batch_size) + ") in " + seconds + " s");
    } else {
        ctx.log("create_stitched_ip: sources unchanged, rtlsim executable not rebuilt");
    }
    run_vivado_if_present(ctx, dir);
    ctx.log("Vivado stitched IP written into " + dir.string());

    char clk[32];
    std::snprintf(clk, sizeof clk, "%g", cfg.synth_clk_period_ns);
    model.set_metadata("clk_ns", clk);
    model.set_metadata(hw::kStitchedProjectMetadata, hwgen::kStitchedFolder);
    model.set_metadata("vivado_stitch_vlnv", hwgen::kStitchedVlnv);
    model.set_metadata("vivado_stitch_ifnames", ifnames_json(design));
    model.set_metadata("wrapper_filename", std::string(hwgen::kStitchedFolder) + "/" +
                                               hwgen::kStitchedHdlFolder + "/" +
                                               hwgen::kStitchedTop + ".sv");
    ctx.write_output(kManifest, build.manifest);
    verify_stitched(ctx);
}

std::vector<std::string> outputs(const BuildConfig&) {
    return {kManifest};
}

} // namespace

const StepDeclaration create_stitched_ip{
    .name = "step_create_stitched_ip",
    .summary = "stitch the hardware layers into one IP",
    .reads = with_part_keys({"synth_clk_period_ns", "stitched_ip_gen_dcp", "signature",
                             "verify_save_rtlsim_waveforms", "rtlsim_use_vivado_comps",
                             "save_intermediate_models", "rtlsim_batch_size"}),
    .outputs = outputs,
    .product = {{DataflowOutputType::STITCHED_IP, "stitched_ip"}},
    .verification = kVerification,
    .pool = StepPool::Heavy,
    .run = run,
};

} // namespace finn::steps
