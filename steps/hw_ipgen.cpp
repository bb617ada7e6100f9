// step_hw_ipgen, FINN's step of that name: every hardware node built into its own IP block from the
// folder step_hw_codegen wrote (code_gen_dir_ipgen). Per node: `verilator --lint-only -Wall` of the
// wrapper and its sources, the node's rtlsim executable (sim_build/rtlsim: the Verilated wrapper
// with the generic driver, which exec_mode "rtlsim" runs; Verilator's runtime, the same for every
// node, is compiled once into hw/_rtlsim_runtime/ and linked) and component.xml (IP-XACT). The node
// attributes ipgen_path and ip_path hold the node folder relative to the output folder, ip_vlnv its
// VLNV. Nodes build in parallel (one thread per core); a node whose folder has the same content as
// at its last build (stamp file ipgen.stamp) is skipped, so changing one layer rebuilds one node.
// The declared output is hw/ipgen_manifest.txt (node, stamp hash). Needs Verilator.
#include "builtin_steps.h"
#include "finn/core/error.h"
#include "finn/hw/layer_definition.h"
#include "finn/hw/registry.h"
#include "finn/hwgen/ip_xact.h"
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
constexpr const char* kStamp = "ipgen.stamp";
constexpr const char* kComponent = "component.xml"; // written by write_node_ip

struct NodeJob {
    std::string name;
    std::string folder; // relative to the output folder
    fs::path dir;       // absolute
    std::string hash;
    bool skipped = false;
    double seconds = 0;
    std::string error, details;
};

// What the build depends on: every file hw_codegen wrote into the folder, and the tool.
std::string folder_hash(const fs::path& dir, const std::string& tool_version) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        fs::path relative = entry.path().lexically_relative(dir);
        const std::string first = relative.begin()->string();
        if (first == "sim_build" || first == kStamp || first == kComponent) continue;
        files.push_back(relative);
    }
    std::sort(files.begin(), files.end());
    std::string all = tool_version;
    for (const fs::path& f : files)
        all += f.generic_string() + "\n" + hwgen::content_hash(read_file(dir / f)) + "\n";
    return hwgen::content_hash(all);
}

bool up_to_date(const NodeJob& job) {
    std::error_code ec;
    const fs::path stamp = job.dir / kStamp;
    return fs::exists(stamp, ec) && fs::exists(job.dir / hwgen::kRtlsimExecutable, ec) &&
           read_file(stamp) == job.hash + "\n";
}

// Lint and compile the node, then link it once the shared runtime is ready (`runtime` rethrows
// the runtime's build error).
void build(NodeJob& job, const std::string& verilator,
           const std::shared_future<fs::path>& runtime) {
    const auto start = std::chrono::steady_clock::now();
    try {
        std::error_code ec;
        fs::remove(job.dir / kStamp, ec);
        hwgen::lint_node(verilator, job.dir, job.name);
        hwgen::compile_node_rtlsim(verilator, job.dir, job.name);
        hwgen::link_node_rtlsim(job.dir, job.name, runtime.get());
        write_file_if_changed(job.dir / kStamp, job.hash + "\n");
    } catch (const Error& e) {
        job.error = e.what();
        job.details = e.details();
    } catch (const std::exception& e) {
        job.error = job.name + ": " + e.what();
    }
    job.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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
        job.hash = folder_hash(dir, version);
        job.skipped = up_to_date(job);
        jobs.push_back(std::move(job));
    }

    // The runtime every executable links builds beside the nodes' compilation, only when some
    // node needs building.
    std::vector<std::size_t> to_build;
    for (std::size_t i = 0; i < jobs.size(); ++i)
        if (!jobs[i].skipped) to_build.push_back(i);
    std::shared_future<fs::path> runtime;
    if (!to_build.empty())
        runtime = std::async(std::launch::async, [&] {
                      const fs::path dir = ctx.output_dir() / hwgen::kRtlsimRuntimeFolder;
                      hwgen::build_rtlsim_runtime(verilator, dir);
                      return dir / hwgen::kRtlsimRuntimeLibrary;
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
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.1f", job.seconds);
        ctx.log(job.skipped
                    ? "hw_ipgen: " + job.name + ": unchanged, not rebuilt"
                    : "hw_ipgen: " + job.name + ": linted and compiled in " + seconds + " s");
        manifest += job.hash + " " + job.folder + "\n";
    }
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
    // Lint, rtlsim model and IP-XACT depend on the node folders alone (no clock or part).
    .reads = {},
    .outputs = outputs,
    .verification = kVerification,
    .pool = StepPool::Heavy,
    .run = run,
};

} // namespace finn::steps
