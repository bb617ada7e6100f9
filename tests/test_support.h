// Helpers shared by the test suites: the reference data folder, scratch directories and running
// Finn's executables.
#pragma once

#include "finn/ir/model.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <optional>
#include <string>

namespace finn::testing {

// ../shared (FINN_SHARED_DIR), or nothing when it is absent.
std::optional<std::filesystem::path> shared_dir();

// Skips the current test when ../shared is absent.
#define FINN_REQUIRE_SHARED(var)                                                                   \
    auto var##_optional = ::finn::testing::shared_dir();                                           \
    if (!var##_optional) GTEST_SKIP() << "../shared (FINN_SHARED_DIR) not available";              \
    const std::filesystem::path var = *var##_optional

// A fresh empty directory, removed with everything in it when the object goes away.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

struct CommandResult {
    int exit_code;
    std::string out;
    std::string err;
};
// Runs a shell command line, capturing stdout and stderr.
CommandResult run_command(const std::string& command_line);
// Quotes a string for /bin/sh.
std::string shell_quote(const std::string& text);

// The path of the built step tool finn-step-<name> (FINN_STEP_DIR).
std::string step_tool(const std::string& name);

// Whether Verilated models can be built here: Verilator and the make its --build runs.
bool verilator_available();

// Skips the current test when verilator_available() is false.
#define FINN_REQUIRE_VERILATOR()                                                                   \
    if (!::finn::testing::verilator_available()) GTEST_SKIP() << "Verilator or make not installed"

// A model with a float graph input "x" of `shape` and a graph output "y" but no nodes yet,
// importing ONNX opset 13 and the custom-op `domain` (e.g. domains::kFpgaDataflowHls), version 1.
Model dataflow_model(const std::string& domain, const Shape& shape);

// The modification time of a file in nanoseconds (to check that a file was left untouched).
long long mtime_ns(const std::filesystem::path& path);

} // namespace finn::testing
