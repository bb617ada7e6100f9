// Helpers for the build-graph tests: a scratch CMake project that finds Finn's build tree,
// configured and built with Ninja, and the list of steps a build ran.
#pragma once

#include "test_support.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace finn::testing {

// FINN's first ten steps (estimate_only_dataflow_steps), the flow Finn runs in full so far.
inline const std::vector<std::string> kEstimateFlow = {"step_qonnx_to_finn",
                                                       "step_tidy_up",
                                                       "step_streamline",
                                                       "step_convert_to_hw",
                                                       "step_create_dataflow_partition",
                                                       "step_specialize_layers",
                                                       "step_target_fps_parallelization",
                                                       "step_apply_folding_config",
                                                       "step_minimize_bit_width",
                                                       "step_generate_estimate_reports"};

class CmakeProject {
public:
    const std::filesystem::path& path() const { return dir_.path(); }
    std::filesystem::path build_dir() const { return dir_.path() / "build"; }

    void write(const std::string& relative, const std::string& text) const;
    // CMakeLists.txt: a tools-only project finding Finn, followed by `body`.
    void write_cmakelists(const std::string& body) const;
    // Writes a zoo model (`finn zoo <name>`) into the project folder.
    void zoo_model(const std::string& name, const std::string& relative) const;

    CommandResult configure() const;
    // Builds `target` (default: all) with extra ninja arguments.
    CommandResult build(const std::string& target = "", const std::string& ninja_args = "") const;

private:
    ScratchDir dir_;
};

// The steps a build or `finn build_dataflow` ran, in order, from their "Running step:" lines.
std::vector<std::string> steps_run(const CommandResult& result);

std::string read_bytes(const std::filesystem::path& path);

// A configuration or report file (two-space indentation, keys in their order).
void write_json(const std::filesystem::path& path, const nlohmann::ordered_json& json);
nlohmann::ordered_json read_json(const std::filesystem::path& path);

// CMake wraps its messages; tests search them with line breaks and runs of spaces collapsed.
std::string unwrapped(const std::string& text);

// Finn's `finn` command.
std::string finn_cli();

} // namespace finn::testing
