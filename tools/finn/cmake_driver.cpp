#include "cmake_driver.h"

#include "finn/core/error.h"
#include "finn/step/build_log.h"
#include "finn/util/file_io.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <iostream>
#include <sys/wait.h>
#include <unistd.h>

namespace finn::cli {
namespace fs = std::filesystem;

int run_program(const std::vector<std::string>& argv, const fs::path& log) {
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::cout.flush();
    std::cerr.flush();
    pid_t pid = ::fork();
    if (pid < 0) throw Error("cannot start " + argv[0] + ": " + std::strerror(errno));
    if (pid == 0) {
        if (!log.empty()) {
            int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (fd >= 0) {
                ::dup2(fd, STDOUT_FILENO);
                ::dup2(fd, STDERR_FILENO);
            }
        }
        ::execvp(args[0], args.data());
        std::cerr << "finn: cannot run " << argv[0] << ": " << std::strerror(errno)
                  << " (is it installed and in PATH?)" << std::endl;
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw Error("cannot wait for " + argv[0]);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

namespace {

// Runs a program with stdout and stderr into a pipe and hands every line (without its '\n') to
// `on_line`, in order. Returns its exit status like run_program.
int run_program_by_line(const std::vector<std::string>& argv,
                        const std::function<void(const std::string&)>& on_line) {
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw Error("cannot start " + argv[0] + ": " + std::strerror(errno));
    std::cout.flush();
    std::cerr.flush();
    pid_t pid = ::fork();
    if (pid < 0) throw Error("cannot start " + argv[0] + ": " + std::strerror(errno));
    if (pid == 0) {
        ::dup2(fds[1], STDOUT_FILENO);
        ::dup2(fds[1], STDERR_FILENO);
        ::execvp(args[0], args.data());
        std::cerr << "finn: cannot run " << argv[0] << ": " << std::strerror(errno)
                  << " (is it installed and in PATH?)" << std::endl;
        ::_exit(127);
    }
    ::close(fds[1]);
    std::string pending;
    char buffer[4096];
    while (true) {
        ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        pending.append(buffer, static_cast<std::size_t>(n));
        std::size_t start = 0, end;
        while ((end = pending.find('\n', start)) != std::string::npos) {
            on_line(pending.substr(start, end - start));
            start = end + 1;
        }
        pending.erase(0, start);
    }
    ::close(fds[0]);
    if (!pending.empty()) on_line(pending);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw Error("cannot wait for " + argv[0]);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

} // namespace

fs::path finn_package_dir() {
    if (const char* env = std::getenv("Finn_DIR"); env && *env) return env;
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        fs::path installed =
            (exe.parent_path() / FINN_RELATIVE_PREFIX / FINN_INSTALL_CMAKEDIR).lexically_normal();
        if (fs::exists(installed / "FinnConfig.cmake", ec)) return installed;
    }
    fs::path build_tree = FINN_BUILD_TREE_DIR;
    if (fs::exists(build_tree / "FinnConfig.cmake", ec)) return build_tree;
    throw Error("cannot find Finn's CMake package (FinnConfig.cmake) beside " + exe.string() +
                "; set Finn_DIR to the folder holding it");
}

void configure_project(const fs::path& source, const fs::path& build) {
    std::error_code ec;
    if (fs::exists(build / "build.ninja", ec)) return;
    fs::create_directories(build, ec);
    fs::path log = build / "configure.log";
    int status = run_program({"cmake", "-S", source.string(), "-B", build.string(), "-G", "Ninja",
                              "-DFinn_DIR=" + finn_package_dir().string()},
                             log);
    if (status != 0) {
        std::string output;
        try {
            output = read_file(log);
        } catch (const Error&) {
        }
        std::cerr << output;
        // A half-configured folder would be taken as configured next time.
        fs::remove(build / "build.ninja", ec);
        throw Error("configuring " + source.string() + " failed (CMake output above, also in " +
                    log.string() + ")");
    }
}

int build_target(const fs::path& build, const std::string& target) {
    return run_program({"cmake", "--build", build.string(), "--target", target, "--", "--quiet"});
}

int build_target(const fs::path& build, const std::string& target, const fs::path& log) {
    bool command_line_next = false;
    auto on_line = [&](const std::string& line) {
        // Ninja reports a failed command as "FAILED: <outputs>" followed by its command line (one
        // line: CMake joins a custom command with &&), then the command's own output.
        bool detail = command_line_next || line.starts_with("FAILED: ") ||
                      line.starts_with("ninja: build stopped");
        command_line_next = line.starts_with("FAILED: ");
        if (!detail) {
            std::cout << line << std::endl;
            return;
        }
        try {
            BuildLog(log).write(line);
        } catch (const Error&) {
            std::cout << line << std::endl; // no log to hold it: keep it visible
        }
    };
    return run_program_by_line(
        {"cmake", "--build", build.string(), "--target", target, "--", "--quiet"}, on_line);
}

void clean_build(const fs::path& build) {
    std::error_code ec;
    if (!fs::exists(build / "build.ninja", ec)) return;
    if (run_program({"cmake", "--build", build.string(), "--target", "clean"},
                    build / "clean.log") != 0)
        throw Error("cleaning " + build.string() + " failed (see " +
                    (build / "clean.log").string() + ")");
}

} // namespace finn::cli
