// Running CMake and Ninja for `finn build_dataflow` and `finn build_custom`: locating Finn's own
// CMake package, configuring a project once and building a target of it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace finn::cli {

// Runs a program (looked up in PATH) with arguments, without a shell, and returns its exit
// status (128 + signal number if it was killed). With `log` set, stdout and stderr go there.
int run_program(const std::vector<std::string>& argv, const std::filesystem::path& log = {});

// The folder holding FinnConfig.cmake for this `finn` executable: $Finn_DIR if set, else the
// installed package beside the executable, else Finn's build tree.
std::filesystem::path finn_package_dir();

// Configures `source` into `build` with Ninja unless `build` is already configured (Ninja reruns
// CMake itself when the project changes). On failure prints CMake's output and throws.
void configure_project(const std::filesystem::path& source, const std::filesystem::path& build);

// Builds `target`; Ninja prints only the commands' output (the steps' progress lines).
// Returns the build's exit status.
int build_target(const std::filesystem::path& build, const std::string& target);
// The same, but a failed command's Ninja detail (its "FAILED: <outputs>" line, its command line
// and "ninja: build stopped") goes to the build log `log` only: the console keeps the steps' own
// lines, among them the failed step's one error line.
int build_target(const std::filesystem::path& build, const std::string& target,
                 const std::filesystem::path& log);

// Deletes every file the build graph generates (ninja -t clean), forcing a full rebuild.
void clean_build(const std::filesystem::path& build);

} // namespace finn::cli
