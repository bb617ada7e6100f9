// step_measure_rtlsim_performance, FINN's step of that name: the stitched design (built by
// step_create_stitched_ip) simulated on rtlsim_batch_size frames at full rate (every input word
// presented as soon as it can be taken, every output always ready), written to
// report/rtlsim_performance.json with FINN's keys and formulas. The keys are those of FINN's C++
// driver path, or of its Python path when force_python_rtlsim is set (Finn always simulates with
// its C++ Verilator harness; the key set follows the configuration for drop-in compatibility).
// latency_cycles is measured within the same run: the cycle of the first frame's last output
// word (FINN's Python path runs a separate one-frame simulation for it).
#include "builtin_steps.h"
#include "finn/core/error.h"
#include "finn/hw/hw_layer.h"
#include "finn/hw/rtlsim.h"
#include "finn/ir/tensor_proto.h"
#include "finn/step/step_tool.h"

#include <filesystem>
#include <nlohmann/json.hpp>

namespace finn::steps {
namespace {

namespace fs = std::filesystem;

constexpr const char* kReport = "report/rtlsim_performance.json";
constexpr const char* kWaveformPrefix = "report/rtlsim_perf_batch_";

// Bytes of `frames` frames of the named graph tensors at their datatypes' widths (FINN's
// throughput_test_rtlsim).
double frame_bytes(const Model& model, const std::vector<std::string>& tensors,
                   std::int64_t frames) {
    double bytes = 0;
    for (const std::string& name : tensors) {
        Shape shape = model.shape(name).value_or(Shape{});
        if (shape.empty()) continue;
        shape[0] = frames;
        bytes += static_cast<double>(hw::product(shape)) * model.datatype(name).bitwidth() / 8.0;
    }
    return bytes;
}

void run(StepContext& ctx) {
    const BuildConfig& cfg = ctx.config();
    if (!cfg.has_output(DataflowOutputType::RTLSIM_PERFORMANCE)) return;
    Model& model = ctx.model();
    const std::int64_t frames = cfg.rtlsim_batch_size;
    if (frames < 1)
        throw Error("rtlsim_batch_size must be at least 1, got " + std::to_string(frames));
    const auto clk_text = model.metadata("clk_ns");
    if (!clk_text)
        throw Error("the model has no metadata_prop clk_ns: run step_create_stitched_ip first");
    const double clk_ns = std::stod(*clk_text);

    std::string trace;
    if (cfg.verify_save_rtlsim_waveforms) {
        fs::create_directories(ctx.output_dir() / "report");
        trace = (ctx.output_dir() / (kWaveformPrefix + std::to_string(frames) + ".fst")).string();
    }
    const hw::StitchedRun run =
        hw::run_stitched_rtlsim(model, hw::constant_frames(model, frames), {.trace = trace});

    const double runtime_s = static_cast<double>(run.cycles) * clk_ns * 1e-9;
    const double throughput = static_cast<double>(frames) / runtime_s;
    const double stable =
        frames == 1 ? throughput
                    : static_cast<double>(frames) /
                          (static_cast<double>(run.cycles - run.latency_cycles) * clk_ns * 1e-9);
    nlohmann::ordered_json j;
    if (cfg.force_python_rtlsim) {
        j["cycles"] = run.cycles;
        j["runtime[ms]"] = runtime_s * 1000;
        j["throughput[images/s]"] = throughput;
        j["DRAM_in_bandwidth[MB/s]"] =
            frame_bytes(model, model.input_names(), frames) * 1e-6 / runtime_s;
        j["DRAM_out_bandwidth[MB/s]"] =
            frame_bytes(model, model.output_names(), frames) * 1e-6 / runtime_s;
        j["fclk[mhz]"] = 1000 / clk_ns;
        j["N"] = frames;
        j["latency_cycles"] = run.latency_cycles;
        j["stable_throughput[images/s]"] = stable;
    } else {
        j["N_IN_TXNS"] = run.input_words;
        j["N_OUT_TXNS"] = run.output_words;
        j["cycles"] = run.cycles;
        j["N"] = frames;
        j["latency_cycles"] = run.latency_cycles;
        for (std::size_t k = 0; k < run.maxcounts.size(); ++k)
            j[k == 0 ? "maxcount" : "maxcount_" + std::to_string(k)] = run.maxcounts[k].second;
        j["runtime[ms]"] = runtime_s * 1000;
        j["throughput[images/s]"] = throughput;
        j["fclk[mhz]"] = 1000 / clk_ns;
        j["stable_throughput[images/s]"] = stable;
    }
    ctx.write_output(kReport, j.dump(2, ' ', true));
    ctx.log("measure_rtlsim_performance: " + std::to_string(frames) + " frames in " +
            std::to_string(run.cycles) + " cycles, latency " + std::to_string(run.latency_cycles) +
            " cycles");
}

std::vector<std::string> outputs(const BuildConfig& cfg) {
    if (!cfg.has_output(DataflowOutputType::RTLSIM_PERFORMANCE)) return {};
    return {kReport};
}

} // namespace

const StepDeclaration measure_rtlsim_performance{
    .name = "step_measure_rtlsim_performance",
    .summary = "measure the performance of the stitched IP in RTL simulation",
    .reads = with_part_keys({"synth_clk_period_ns", "force_python_rtlsim", "rtlsim_batch_size",
                             "verify_save_rtlsim_waveforms", "rtlsim_use_vivado_comps"}),
    .outputs = outputs,
    .product = {{DataflowOutputType::RTLSIM_PERFORMANCE, "rtlsim"}},
    .requires_products = {DataflowOutputType::STITCHED_IP},
    .pool = StepPool::Heavy,
    .run = run,
};

} // namespace finn::steps
