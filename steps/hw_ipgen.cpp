// step_hw_ipgen, FINN's step of that name: every hardware node built into its own IP block from the
// folder step_hw_codegen wrote (code_gen_dir_ipgen). Per node: `verilator --lint-only -Wall` of the
// wrapper and its sources and component.xml (IP-XACT); when verify_steps requests
// node_by_node_rtlsim (as FINN prepares per-node rtlsim only then), also the node's rtlsim
// executable (sim_build/rtlsim: the Verilated wrapper with the generic driver, which exec_mode
// "rtlsim" runs; Verilator's runtime, the same for every node, is compiled once into
// hw/_rtlsim_runtime/ and linked; it is built here in any case, beside the lint, since the
// stitched design's simulations link it too). Nothing else in a build needs those executables: the
// stitched design has its own, and step_set_fifo_depths builds one it measures itself. The node
// attributes ipgen_path and ip_path hold the node folder relative to the output folder, ip_vlnv its
// VLNV. Nodes build in parallel (one thread per core); lint and executable each carry a stamp of
// the folder's content (finn/hwgen/node_build.h), so changing one layer rebuilds one node and a
// later build requesting node_by_node_rtlsim compiles only what is missing. An executable that no
// longer matches its folder is deleted. The declared output is hw/ipgen_manifest.txt (node, folder
// hash). Needs Verilator.
#include "builtin_steps.h"
#include "finn/core/error.h"
#include "finn/hw/layer_definition.h"
#include "finn/hw/registry.h"
#include "finn/hwgen/ip_xact.h"
#include "finn/hwgen/node_build.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/hwgen/verilator.h"
#include "finn/step/step_tool.h"
#include "finn/util/file_io.h"
#include "node_hardware.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <mutex>
#include <thread>

namespace finn::steps {
namespace {

namespace fs = std::filesystem;

constexpr const char* kManifest = "hw/ipgen_manifest.txt";

struct NodeJob {
    std::string name;
    std::string folder;  // relative to the output folder
    fs::path dir;        // absolute
    std::string hash;    // hwgen::node_folder_hash
    bool lint = false;   // lint is stale
    bool rtlsim = false; // the executable is wanted and stale
    double seconds = 0;
    std::string error, details;
};

// Lint the node and build its executable as the job says; the executable links once the shared
// runtime is ready (`runtime` rethrows the runtime's build error).
void build(NodeJob& job, const std::string& verilator,
           const std::shared_future<fs::path>& runtime) {
    const auto start = std::chrono::steady_clock::now();
    try {
        if (job.lint) hwgen::lint_node_if_stale(verilator, job.dir, job.name, job.hash);
        if (job.rtlsim)
            hwgen::build_node_rtlsim_if_stale(verilator, job.dir, job.name, job.hash,
                                              [&] { return runtime.get(); });
    } catch (const Error& e) {
        job.error = e.what();
        job.details = e.details();
    } catch (const std::exception& e) {
        job.error = job.name + ": " + e.what();
    }
    job.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string what_was_done(const NodeJob& job) {
    if (!job.lint && !job.rtlsim) return "unchanged, not rebuilt";
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, " in %.1f s", job.seconds);
    if (!job.rtlsim) return "linted" + std::string(seconds);
    return (job.lint ? "linted and compiled" : "compiled (lint unchanged)") + std::string(seconds);
}

constexpr StepVerification kVerification{VerificationStepType::NODE_BY_NODE_RTLSIM,
                                         "node_by_node_rtlsim"};

// FINN dev's node_by_node_rtlsim: the dataflow parent runs with every node of the partition in
// exec_mode rtlsim.
void verify_node_by_node(StepContext& ctx) {
    Model child = ctx.model();
    for (Node node : child.nodes())
        node.set_attr_string("exec_mode", "rtlsim");
    ctx.verify_in_parent_if_requested(kVerification, child);
}

void run(StepContext& ctx) {
    const std::string verilator = hwgen::require_verilator("step_hw_ipgen");
    const std::string version = hwgen::verilator_version(verilator);
    // Verilator's makefiles use OBJCACHE: with ccache, rebuilding an unchanged node is quick.
    if (!std::getenv("OBJCACHE") && !run_process({"ccache", "--version"}, ".").status)
        ::setenv("OBJCACHE", "ccache", 0);
    // The per-node executables only serve node_by_node_rtlsim (and `finn exec` of its models).
    const bool executables = ctx.verification_requested(kVerification.type);
    Model& model = ctx.model();
    std::vector<NodeJob> jobs;
    std::vector<hwgen::NodeFiles> files;
    for (Node node : model.nodes()) {
        const std::string folder = node.attr_string("code_gen_dir_ipgen", "");
        if (folder.empty())
            throw Error("node " + node.describe() +
                        " has no code_gen_dir_ipgen: run step_hw_codegen before step_hw_ipgen");
        const fs::path dir = ctx.output_dir() / folder;
        if (!fs::is_regular_file(dir / hwgen::kSourcesFile))
            throw Error("node " + node.describe() + ": " + (dir / hwgen::kSourcesFile).string() +
                        " not found: run step_hw_codegen before step_hw_ipgen");
        auto layer = hw::require_layer(model, node);
        files.push_back(
            hwgen::generate_node_files(*layer, *hw::find_definition_of_op_type(node.op_type())));
        NodeJob job;
        job.name = node.name();
        job.folder = folder;
        job.dir = dir;
        job.hash = hwgen::node_folder_hash(dir, version);
        job.lint = !hwgen::node_lint_current(dir, job.hash);
        job.rtlsim = executables && !hwgen::node_rtlsim_current(dir, job.hash);
        if (!executables) hwgen::remove_stale_node_rtlsim(dir, job.hash);
        jobs.push_back(std::move(job));
    }

    // The rtlsim runtime builds beside the nodes' lint and compilation: every simulation of this
    // build links it, the nodes' executables and the stitched design's (FIFO sizing, the stitched
    // IP), so the later steps find it ready. Skipped when nothing changed and it is there.
    std::vector<std::size_t> to_build;
    for (std::size_t i = 0; i < jobs.size(); ++i)
        if (jobs[i].lint || jobs[i].rtlsim) to_build.push_back(i);
    const fs::path runtime_dir = ctx.output_dir() / hwgen::kRtlsimRuntimeFolder;
    std::error_code ec;
    std::shared_future<fs::path> runtime;
    if (!to_build.empty() || !fs::exists(runtime_dir / hwgen::kRtlsimRuntimeLibrary, ec))
        runtime = std::async(std::launch::async, [&] {
                      hwgen::build_rtlsim_runtime(verilator, runtime_dir);
                      return runtime_dir / hwgen::kRtlsimRuntimeLibrary;
                  }).share();
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i; (i = next++) < to_build.size();)
            build(jobs[to_build[i]], verilator, runtime);
    };
    const unsigned threads =
        std::max(1u, std::min<unsigned>(std::thread::hardware_concurrency(), to_build.size()));
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back(worker);
    for (auto& t : pool)
        t.join();
    if (runtime.valid()) runtime.wait();

    std::string manifest;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const NodeJob& job = jobs[i];
        if (!job.error.empty()) throw Error(job.error, job.details);
        ctx.log("hw_ipgen: " + job.name + ": " + what_was_done(job));
        manifest += job.hash + " " + job.folder + "\n";
    }
    if (runtime.valid()) runtime.get(); // rethrows the runtime's build error
    for (std::size_t i = 0; i < jobs.size(); ++i)
        write_node_ip(ctx, model.nodes()[i], jobs[i].folder, files[i]);
    ctx.write_output(kManifest, manifest);
    verify_node_by_node(ctx);
}

std::vector<std::string> outputs(const BuildConfig&) {
    return {kManifest};
}

} // namespace

const StepDeclaration hw_ipgen{
    .name = "step_hw_ipgen",
    .summary = "build the IP block of every hardware layer",
    .aliases = {"step_hls_ipgen"},
    // Lint, rtlsim model and IP-XACT depend on the node folders alone (no clock or part); whether
    // the executables are built, on verify_steps, which the declared verification puts in the
    // slice when it requests node_by_node_rtlsim.
    .reads = {},
    .outputs = outputs,
    .verification = kVerification,
    .pool = StepPool::Heavy,
    .run = run,
};

} // namespace finn::steps
