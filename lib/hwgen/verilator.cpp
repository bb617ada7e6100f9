#include "finn/hwgen/verilator.h"

#include "finn/core/error.h"
#include "finn/hwgen/hardware_library.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/hwgen/stitched_design.h"
#include "finn/util/file_io.h"
#include "finn/util/process.h"

#include <algorithm>
#include <cstdlib>
#include <future>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace finn::hwgen {

namespace fs = std::filesystem;

namespace {

// The first line of Verilator's output that says what is wrong.
std::string first_problem(const std::string& output) {
    std::stringstream lines(output);
    std::string line;
    while (std::getline(lines, line))
        if (line.rfind("%Warning", 0) == 0 || line.rfind("%Error", 0) == 0 ||
            line.find("error:") != std::string::npos)
            return line;
    return "see build_dataflow.log";
}

std::vector<std::string> sources_of(const fs::path& node_dir,
                                    const char* list_file = kSourcesFile) {
    std::vector<std::string> sources;
    std::stringstream lines(read_file(node_dir / list_file));
    std::string line;
    while (std::getline(lines, line))
        if (!line.empty()) sources.push_back(line);
    return sources;
}

void run_or_throw(std::vector<std::string> argv, const fs::path& node_dir, const std::string& top,
                  const char* what) {
    ProcessResult r = run_process(argv, node_dir);
    if (r.status != 0)
        throw Error(top + ": " + what + " failed: " + first_problem(r.output), r.output);
}

} // namespace

std::string require_verilator(const std::string& needed_for) {
    const char* env = std::getenv("VERILATOR_BIN");
    std::string path = env && *env ? find_in_path(env) : find_in_path("verilator");
    if (env && *env && path.empty() && ::access(env, X_OK) == 0) path = env;
    if (path.empty())
        throw Error(needed_for +
                    " needs Verilator, which was not found in PATH (install it: apt-get install "
                    "verilator, as scripts/install-deps.sh does)");
    // verilator --build runs make and the C++ compiler; without make it fails with a bare 127.
    if (find_in_path("make").empty())
        throw Error(needed_for +
                    " needs make, which Verilator's --build runs and which was not found in PATH "
                    "(install it: apt-get install make, as scripts/install-deps.sh does)");
    return path;
}

std::string verilator_version(const std::string& verilator) {
    ProcessResult r = run_process({verilator, "--version"}, fs::current_path());
    return r.output;
}

void lint_node(const std::string& verilator, const fs::path& node_dir, const std::string& top) {
    std::vector<std::string> argv{verilator, "--lint-only", "-Wall", "-sv", "--top-module", top};
    for (const std::string& source : sources_of(node_dir))
        argv.push_back(source);
    run_or_throw(argv, node_dir, top, "verilator --lint-only -Wall");
}

namespace {

// Verilator's install folder (its include/ holds verilated.mk and the runtime's sources).
std::string verilator_root(const std::string& verilator) {
    ProcessResult r = run_process({verilator, "--getenv", "VERILATOR_ROOT"}, fs::current_path());
    std::string root = r.output.substr(0, r.output.find('\n'));
    if (r.status != 0 || root.empty() || !fs::is_regular_file(root + "/include/verilated.mk"))
        throw Error("verilator --getenv VERILATOR_ROOT did not name Verilator's install folder "
                    "(expected <root>/include/verilated.mk): " +
                        root,
                    r.output);
    return root;
}

// The make of a Verilated model's objects: the generated makefile with Verilator's rules.
std::vector<std::string> node_make(const std::string& top) {
    return {"make", "-s", "-C", "sim_build", "-f", "V" + top + ".mk"};
}

// The objects every node links from the runtime instead of compiling them again: Verilator's
// global objects (VM_GLOBAL_FAST/SLOW of the generated makefile) are emptied on make's command
// line, which overrides the makefile's own assignments.
const std::vector<std::string> kWithoutGlobalObjects = {"VM_GLOBAL_FAST=", "VM_GLOBAL_SLOW="};

} // namespace

void build_rtlsim_runtime(const std::string& verilator, const fs::path& runtime_dir) {
    const std::string root = verilator_root(verilator);
    const std::string stamp = verilator_version(verilator);
    std::error_code ec;
    if (fs::exists(runtime_dir / "verilator.version", ec) &&
        read_file(runtime_dir / "verilator.version") != stamp)
        fs::remove_all(runtime_dir, ec);
    fs::create_directories(runtime_dir);
    write_file_if_changed(runtime_dir / "verilator.version", stamp);
    std::string objects = "verilated.o verilated_threads.o";
    for (const std::string& path : rtlsim_runtime_sources()) {
        write_file_if_changed(runtime_dir / sim_path(path),
                              std::string(hardware_library_file(path)));
        if (path.ends_with(".cpp"))
            objects += " " + fs::path(path).filename().replace_extension(".o").string();
    }
    // The settings a node's generated makefile has (no coverage, SystemC, tracing or timing),
    // so that the objects link with every node's model.
    write_file_if_changed(
        runtime_dir / "Makefile",
        "# The rtlsim runtime every node's executable links (step_hw_ipgen): Verilator's runtime\n"
        "# and the driver's node-independent sources, compiled with verilated.mk's rules.\n"
        "VM_COVERAGE = 0\nVM_SC = 0\nVM_TRACE = 0\nVM_TRACE_FST = 0\nVM_TRACE_VCD = 0\n"
        "VM_TIMING = 0\n"
        "VM_USER_CFLAGS = -std=c++20 -I" +
            std::string(kSimFolder) + "/include\nVPATH += " + kSimFolder +
            "\ninclude $(VERILATOR_ROOT)/include/verilated.mk\n" + kRtlsimRuntimeLibrary + ": " +
            objects + "\n\t$(AR) -rcs $@ $^\n");
    const unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
    run_or_throw(
        {"make", "-s", "-j", std::to_string(jobs), "VERILATOR_ROOT=" + root, kRtlsimRuntimeLibrary},
        runtime_dir, "the rtlsim runtime", "make");
}

void compile_node_rtlsim(const std::string& verilator, const fs::path& node_dir,
                         const std::string& top) {
    // Relative include paths are relative to sim_build/, where make runs.
    std::vector<std::string> argv{verilator,
                                  "--cc",
                                  "--exe",
                                  "-sv",
                                  "-Wno-fatal",
                                  "--top-module",
                                  top,
                                  "--prefix",
                                  "V" + top,
                                  "-Mdir",
                                  "sim_build",
                                  "-o",
                                  "rtlsim",
                                  "-CFLAGS",
                                  "-std=c++20 -I../" + std::string(kSimFolder) + " -I../" +
                                      kSimFolder + "/include"};
    for (const std::string& source : sources_of(node_dir))
        argv.push_back(source);
    argv.push_back(std::string(kSimFolder) + "/node_rtlsim_main.cpp");
    run_or_throw(argv, node_dir, top, "verilator --cc of the rtlsim model");
    // One make job per node: hw_ipgen builds the nodes in parallel already.
    std::vector<std::string> make = node_make(top);
    make.insert(make.end(), kWithoutGlobalObjects.begin(), kWithoutGlobalObjects.end());
    make.insert(make.end(), {"V" + top + "__ALL.a", "node_rtlsim_main.o"});
    run_or_throw(make, node_dir, top, "compiling the rtlsim model");
}

void link_node_rtlsim(const fs::path& node_dir, const std::string& top,
                      const fs::path& runtime_library) {
    std::vector<std::string> make = node_make(top);
    make.insert(make.end(), kWithoutGlobalObjects.begin(), kWithoutGlobalObjects.end());
    // The library goes before the thread libraries on the link line: a user object.
    make.insert(
        make.end(),
        {"VK_USER_OBJS=node_rtlsim_main.o " + fs::absolute(runtime_library).string(), "rtlsim"});
    run_or_throw(make, node_dir, top, "linking the rtlsim executable");
}

void build_node_rtlsim(const std::string& verilator, const fs::path& node_dir,
                       const std::string& top, const fs::path& runtime_dir) {
    compile_node_rtlsim(verilator, node_dir, top);
    build_rtlsim_runtime(verilator, runtime_dir);
    link_node_rtlsim(node_dir, top, runtime_dir / kRtlsimRuntimeLibrary);
}

void build_stitched_rtlsim(const std::string& verilator, const fs::path& stitched_dir,
                           bool waveforms, const fs::path& runtime_dir, SimulationLength length) {
    // Without waveforms the executable links the build's shared rtlsim runtime (Verilator's
    // runtime and the word type, compiled once) instead of compiling them again; tracing needs
    // Verilator's FST writer, which that runtime leaves out. The first design of a build to need
    // the runtime builds it beside its own lint and compile (a future's destructor waits for it
    // if those throw).
    std::future<void> runtime;
    if (!waveforms)
        runtime =
            std::async(std::launch::async, [&] { build_rtlsim_runtime(verilator, runtime_dir); });

    const std::string top = kStitchedTop;
    const std::vector<std::string> sources = sources_of(stitched_dir, kStitchedSourcesFile);
    std::vector<std::string> lint{verilator, "--lint-only", "-Wall", "-sv", "--top-module", top};
    lint.insert(lint.end(), sources.begin(), sources.end());
    run_or_throw(lint, stitched_dir, top, "verilator --lint-only -Wall");

    std::vector<std::string> argv{verilator,
                                  "--cc",
                                  "--exe",
                                  "-sv",
                                  "-Wno-fatal",
                                  "--top-module",
                                  top,
                                  "-Mdir",
                                  "sim_build",
                                  "-o",
                                  "rtlsim",
                                  "-CFLAGS",
                                  "-std=c++20 -I../" + std::string(kSimFolder) + " -I../" +
                                      kSimFolder + "/include"};
    if (waveforms) argv.push_back("--trace-fst");
    argv.insert(argv.end(), sources.begin(), sources.end());
    argv.push_back(std::string(kSimFolder) + "/stitched_rtlsim_main.cpp");
    argv.push_back(std::string(kSimFolder) + "/packed_word.cpp");
    run_or_throw(argv, stitched_dir, top, "verilator --cc of the stitched design");
    // verilated.mk's -Os compiles slowly for a slow model: -O2 for long runs, -O1 for short ones.
    const unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
    const std::string optimization = length == SimulationLength::Long ? "-O2" : "-O1";
    std::vector<std::string> make{"make",
                                  "-s",
                                  "-j",
                                  std::to_string(jobs),
                                  "-C",
                                  "sim_build",
                                  "-f",
                                  "V" + top + ".mk",
                                  "OPT_FAST=" + optimization};
    if (waveforms) {
        make.push_back("rtlsim");
        run_or_throw(make, stitched_dir, top, "compiling the stitched design's rtlsim executable");
        return;
    }
    make.insert(make.end(), kWithoutGlobalObjects.begin(), kWithoutGlobalObjects.end());
    make.push_back("VK_USER_OBJS=stitched_rtlsim_main.o " +
                   fs::absolute(runtime_dir / kRtlsimRuntimeLibrary).string());
    // The design's objects first, then the link once the runtime is there.
    std::vector<std::string> objects = make;
    objects.insert(objects.end(), {"V" + top + "__ALL.a", "stitched_rtlsim_main.o"});
    run_or_throw(objects, stitched_dir, top, "compiling the stitched design's rtlsim executable");
    runtime.get();
    make.push_back("rtlsim");
    run_or_throw(make, stitched_dir, top, "linking the stitched design's rtlsim executable");
}

} // namespace finn::hwgen
