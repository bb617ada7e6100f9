// The plan of one accelerator build: which steps run in which order, and for each step the slice
// of the build configuration it reads, the files it depends on and the files it writes, all taken
// from the steps' declarations. The CMake function finn_add_accelerator() turns a plan into one
// Ninja rule per step; because each rule depends only on its own slice, changing target_fps
// reruns parallelization onwards and never tidy-up.
#pragma once

#include "finn/config/build_config.h"
#include "finn/config/step_catalog.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace finn {

// A step added by the user with finn_add_step(): its name and the configuration keys it reads.
struct CustomStepDecl {
    std::string name;
    std::vector<std::string> reads;
    std::vector<std::string> outputs; // files it writes, relative to the output directory
};

struct FlowPlanOptions {
    std::filesystem::path config_path;
    // Values replacing (or adding) keys of the configuration file, e.g. from CMake arguments.
    // Relative paths in them resolve like the file's own: against the configuration's folder.
    nlohmann::ordered_json overrides = nlohmann::ordered_json::object();
    // Where a relative output_dir resolves; empty = the configuration's folder (FINN's rule).
    std::filesystem::path output_base;
    std::vector<CustomStepDecl> custom_steps;
};

struct PlannedStep {
    std::string name;
    const StepDeclaration* builtin = nullptr; // nullptr for a custom step
    int index = 0;                            // 1-based position in the planned list
    // This step's slice of the configuration: only the keys it reads, paths made absolute.
    nlohmann::ordered_json slice;
    // Files the step reads besides its input model (folding config, verification data ...).
    std::vector<std::filesystem::path> file_dependencies;
    // Files the step always writes besides its model, relative to the output directory.
    std::vector<std::string> outputs;
    StepPool pool = StepPool::Default;
};

struct FlowPlan {
    std::filesystem::path config_path; // absolute
    std::filesystem::path output_dir;  // absolute
    BuildConfig config;                // the configuration with overrides applied
    std::vector<PlannedStep> steps;    // the steps to run, after start_step/stop_step slicing
    // With start_step: the step before it in the full list, whose checkpoint is the input.
    std::optional<std::string> resume_after;
    int total_steps = 0; // N of "[i/N]"
    // What the user should know before the build runs, one line each without "Warning: " (e.g. a
    // verification verify_steps requests that no planned step runs).
    std::vector<std::string> warnings;

    const PlannedStep* find(const std::string& name) const;
    // intermediate_models/<step>.onnx, relative to the output directory (FINN's checkpoint name).
    static std::string checkpoint(const std::string& step_name);
};

// Throws finn::Error if `path` holds a character the CMake build graph cannot carry in a file name:
// in ASCII anything but letters, digits, space and -_.+@,=~%/:(){}'!&*`; beyond ASCII, bytes that
// are not UTF-8 and control characters (UTF-8 letters such as 'Ü' are fine). The message shows the
// refused character whole; `what` names the path.
void check_build_graph_path(const std::filesystem::path& path, const std::string& what);

// Reads the configuration, applies the overrides and resolves the step list against the built-in
// steps (steps/builtin_steps.h: builtin_step_catalog()) and the custom ones. Throws finn::Error
// with one line naming the file and key on bad input (unknown step, missing file, ...).
FlowPlan plan_flow(const StepCatalog& builtin_steps, const FlowPlanOptions& options);

} // namespace finn
