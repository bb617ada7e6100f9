#include "finn/hwgen/verilator.h"

#include "finn/core/error.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/util/file_io.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace finn::hwgen {

namespace fs = std::filesystem;

namespace {

std::string find_in_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    return {};
}

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

ProcessResult run_process(const std::vector<std::string>& argv, const fs::path& cwd) {
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw Error("cannot start " + argv[0] + ": " + std::strerror(errno));
    const std::string dir = cwd.string();
    pid_t pid = ::fork();
    if (pid < 0) throw Error("cannot start " + argv[0] + ": " + std::strerror(errno));
    if (pid == 0) {
        // Only async-signal-safe calls between fork and exec (the parent may run threads).
        ::dup2(fds[1], STDOUT_FILENO);
        ::dup2(fds[1], STDERR_FILENO);
        if (::chdir(dir.c_str()) != 0) ::_exit(126);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    ProcessResult result;
    char buffer[4096];
    while (true) {
        ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        result.output.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw Error("cannot wait for " + argv[0]);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (result.status == 127) result.output += "cannot run " + argv[0] + "\n";
    return result;
}

std::string require_verilator(const std::string& needed_for) {
    const char* env = std::getenv("VERILATOR_BIN");
    std::string path = env && *env ? find_in_path(env) : find_in_path("verilator");
    if (env && *env && path.empty() && ::access(env, X_OK) == 0) path = env;
    if (path.empty())
        throw Error(needed_for +
                    " needs Verilator, which was not found in PATH (install it: apt-get install "
                    "verilator, as scripts/install-deps.sh does)");
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
    std::vector<std::string> argv{verilator,
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
                                  "-std=c++20 -I../" + std::string(kSimFolder) + " -I../" +
                                      kSimFolder + "/include"};
    for (const std::string& source : sources_of(node_dir))
        argv.push_back(source);
    argv.push_back(std::string(kSimFolder) + "/node_rtlsim_main.cpp");
    argv.push_back(std::string(kSimFolder) + "/packed_word.cpp");
    run_or_throw(argv, node_dir, top, "verilator --build of the rtlsim model");
}

} // namespace finn::hwgen
