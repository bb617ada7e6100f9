#include "finn/hwgen/verilator.h"

#include "finn/core/error.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/util/file_io.h"
#include "finn/util/process.h"

#include <cstdlib>
#include <sstream>
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

std::vector<std::string> sources_of(const fs::path& node_dir) {
    std::vector<std::string> sources;
    std::stringstream lines(read_file(node_dir / kSourcesFile));
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

void build_node_rtlsim(const std::string& verilator, const fs::path& node_dir,
                       const std::string& top) {
    // One make job per node: hw_ipgen builds the nodes in parallel already. Relative include
    // paths are relative to sim_build/, where make runs.
    std::vector<std::string> argv{
        verilator,
        "--cc",
        "--exe",
        "--build",
        "-j",
        "1",
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
        "-std=c++20 -I../" + std::string(kSimFolder) + " -I../" + kSimFolder + "/include"};
    for (const std::string& source : sources_of(node_dir))
        argv.push_back(source);
    argv.push_back(std::string(kSimFolder) + "/node_rtlsim_main.cpp");
    argv.push_back(std::string(kSimFolder) + "/packed_word.cpp");
    run_or_throw(argv, node_dir, top, "verilator --build of the rtlsim model");
}

} // namespace finn::hwgen
