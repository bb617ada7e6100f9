// step_create_stitched_ip, FINN's step of that name: the layers, width converters and FIFOs of the
// dataflow partition stitched into one IP in stitched_ip/ (finn/hwgen/stitched_design.h): the top
// finn_design_wrapper with FINN's interfaces, every source and memory file under ip/hdl/ with
// relative paths, ip/component.xml (IP-XACT), make_project.tcl for Vivado (run when `vivado` is
// in PATH, otherwise left ready) and the design's Verilator simulation sim_build/rtlsim, which
// exec_mode "rtlsim" of the whole model, step_measure_rtlsim_performance and FIFO sizing run.
// The simulation is rebuilt only when a source changed (stamp file sim.stamp). Sets FINN's
// metadata_props clk_ns, vivado_stitch_proj, vivado_stitch_vlnv, vivado_stitch_ifnames and
// wrapper_filename (paths relative to the output folder). Verification hook stitched_ip_rtlsim:
// the dataflow parent with the partition simulated as the stitched design. Needs Verilator.
#include "builtin_steps.h"
#include "finn/core/error.h"
#include "finn/hw/rtlsim.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/hwgen/stitched_design.h"
#include "finn/hwgen/verilator.h"
#include "finn/step/step_tool.h"
#include "finn/util/file_io.h"
#include "finn/util/process.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

namespace finn::steps {
namespace {

namespace fs = std::filesystem;

constexpr const char* kManifest = "stitched_ip/stitched_manifest.txt";
constexpr const char* kStamp = "sim.stamp";
// Where the waveform of stitched_ip_rtlsim goes (FINN: report/verify_rtlsim.vcd).
constexpr const char* kVerifyWaveform = "report/verify_rtlsim.fst";

constexpr StepVerification kVerification{VerificationStepType::STITCHED_IP_RTLSIM,
                                         "stitched_ip_rtlsim"};

// Files of an earlier design that this one no longer has (a removed layer's wrapper or memory
// image) are deleted, so the folder holds this design only.
void remove_stale_files(const fs::path& dir, const std::set<std::string>& current) {
    std::error_code ec;
    for (const char* folder : {hwgen::kStitchedHdlFolder, hwgen::kSimFolder}) {
        std::vector<fs::path> stale;
        for (auto it = fs::recursive_directory_iterator(dir / folder, ec);
             it != fs::recursive_directory_iterator(); ++it)
            if (it->is_regular_file() &&
                !current.count(it->path().lexically_relative(dir).generic_string()))
                stale.push_back(it->path());
        for (const fs::path& file : stale)
            fs::remove(file, ec);
    }
}

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

void run(StepContext& ctx) {
    const BuildConfig& cfg = ctx.config();
    const std::string verilator = hwgen::require_verilator("step_create_stitched_ip");
    Model& model = ctx.model();
    const hwgen::StitchedDesign design =
        hwgen::stitch_design(model, cfg.fpga_part_resolved(), cfg.synth_clk_period_ns);
    const fs::path dir = ctx.output_dir() / hwgen::kStitchedFolder;

    // The sources go to disk now: Verilator builds from them within this step.
    std::string manifest, all_bytes = hwgen::verilator_version(verilator);
    const bool waveforms = cfg.verify_save_rtlsim_waveforms;
    all_bytes += waveforms ? "waveforms\n" : "no waveforms\n";
    std::set<std::string> current;
    for (const auto& [path, bytes] : design.files) {
        write_file_if_changed(dir / path, bytes);
        current.insert(path);
        const std::string hash = hwgen::content_hash(bytes);
        manifest += hash + " " + std::string(hwgen::kStitchedFolder) + "/" + path + "\n";
        all_bytes += path + " " + hash + "\n";
    }
    remove_stale_files(dir, current);
    const std::string stamp = hwgen::content_hash(all_bytes);
    std::error_code ec;
    const bool up_to_date = fs::exists(dir / hwgen::kRtlsimExecutable, ec) &&
                            fs::exists(dir / kStamp, ec) && read_file(dir / kStamp) == stamp + "\n";
    if (up_to_date) {
        ctx.log("create_stitched_ip: sources unchanged, rtlsim executable not rebuilt");
    } else {
        fs::remove(dir / kStamp, ec);
        const auto start = std::chrono::steady_clock::now();
        // Verilator's makefiles use OBJCACHE: with ccache, an unchanged file is quick.
        if (!std::getenv("OBJCACHE") && !run_process({"ccache", "--version"}, ".").status)
            ::setenv("OBJCACHE", "ccache", 0);
        hwgen::build_stitched_rtlsim(verilator, dir, waveforms);
        write_file_if_changed(dir / kStamp, stamp + "\n");
        char seconds[32];
        std::snprintf(
            seconds, sizeof seconds, "%.1f",
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        ctx.log("create_stitched_ip: linted and built the rtlsim executable in " +
                std::string(seconds) + " s");
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
    ctx.write_output(kManifest, manifest + stamp + " " + hwgen::kStitchedFolder + "/" +
                                    hwgen::kRtlsimExecutable + "\n");
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
                             "save_intermediate_models"}),
    .outputs = outputs,
    .product = {{DataflowOutputType::STITCHED_IP, "stitched_ip"}},
    .verification = kVerification,
    .pool = StepPool::Heavy,
    .run = run,
};

} // namespace finn::steps
