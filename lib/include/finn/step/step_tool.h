// The step-tool framework: everything a `finn-step-<name>` main shares (DESIGN.md, "The step
// contract").
//
//   finn-step-<name> --in <prev.onnx> --out <next.onnx> [--config <step config>]
//                    [--output-dir <dir>] [--index <i>/<N>]
//
// Relative paths in the --config file resolve against that file's folder, as in a build.
// A step defines a name and a `run` function over a StepContext; the framework parses arguments,
// loads the model and the configuration, logs "Running step: <name> [i/N]" to the console and
// build_dataflow.log, times the step, and on success writes the model and every declared file
// atomically, leaving files with identical bytes untouched. On failure it prints one line naming
// the step, appends it to the log, exits with code 1 and writes nothing.
#pragma once

#include "finn/config/build_config.h"
#include "finn/config/step_catalog.h"
#include "finn/exec/verification.h"
#include "finn/ir/model.h"
#include "finn/step/build_log.h"

#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

namespace finn {

class StepContext {
public:
    StepContext(std::string step_name, Model model, nlohmann::ordered_json config,
                std::optional<std::filesystem::path> output_dir, bool verbose);

    const std::string& step_name() const { return step_name_; }
    Model& model() { return model_; }
    // The step's configuration slice as given (keys of DataflowBuildConfig).
    const nlohmann::ordered_json& config_json() const { return config_; }
    // The slice parsed as a BuildConfig (fields absent from the slice keep FINN's defaults).
    const BuildConfig& config() const { return build_config_; }
    // The build's output directory; throws finn::Error if the tool was run without one.
    const std::filesystem::path& output_dir() const;
    bool has_output_dir() const { return output_dir_.has_value(); }

    // A message for build_dataflow.log (and the console when the config says verbose).
    void log(const std::string& message);
    // "Warning: <message>" in build_dataflow.log and always on the console.
    void warn(const std::string& message);
    // Stages a file (path relative to the output directory); it is written only if the step
    // succeeds, atomically and only when its bytes changed.
    void write_output(const std::filesystem::path& relative_path, std::string bytes);
    const std::map<std::filesystem::path, std::string>& staged_outputs() const { return staged_; }
    // A file of a tree the step declares through one manifest output (DESIGN.md: per-node
    // folders): staged and written like write_output, but not one of the declared outputs.
    void write_tree_file(const std::filesystem::path& relative_path, std::string bytes);
    const std::map<std::filesystem::path, std::string>& staged_tree_files() const {
        return staged_tree_;
    }

    // Whether the configuration's verify_steps lists `type`.
    bool verification_requested(VerificationStepType type) const;
    // FINN's verification hook: when the configuration's verify_steps lists `type`, runs the
    // current model on verify_input_npy, compares with verify_expected_output_npy (a relative
    // path resolves against the configuration file's folder), logs
    // "Verification for <tag> : SUCCESS|FAIL" and stages
    // verification_output/verify_<tag>_<b>_*.npy. A failed comparison never fails the step (as in
    // FINN). Returns whether it ran.
    bool verify_if_requested(VerificationStepType type, const std::string& tag);
    // The same on another model than the step's (FINN's need_parent: the dataflow parent).
    bool verify_if_requested(VerificationStepType type, const std::string& tag, const Model& model);
    // The same for a step's declared hook.
    bool verify_if_requested(const StepVerification& hook) {
        return verify_if_requested(hook.type, std::string(hook.tag));
    }
    // Parent mode (FINN's verify_step with need_parent): the same, but runs the build's
    // intermediate_models/dataflow_parent.onnx with its dataflow partition computing `child`
    // (this step's checkpoint, prepared for verification). Without that file (FINN asserts
    // save_intermediate_models) the verification is skipped with a warning saying why.
    bool verify_in_parent_if_requested(const StepVerification& hook, const Model& child);
    // A requested verification the step does not run: warns, naming it and `reason`, so that a
    // requested verification is never skipped silently. Nothing when it was not requested.
    void skip_verification(const StepVerification& hook, const std::string& reason);
    // Whether verify_if_requested or skip_verification already handled `type`.
    bool verification_handled(VerificationStepType type) const {
        return verification_handled_.count(type) != 0;
    }

private:
    // verify_input_npy and verify_expected_output_npy.
    std::pair<Tensor, Tensor> verification_io() const;
    void stage_verification(const VerificationReport& report);

    std::string step_name_;
    Model model_;
    nlohmann::ordered_json config_;
    BuildConfig build_config_;
    std::optional<std::filesystem::path> output_dir_;
    bool verbose_;
    std::map<std::filesystem::path, std::string> staged_;
    std::map<std::filesystem::path, std::string> staged_tree_;
    std::set<VerificationStepType> verification_handled_;
};

struct StepDefinition {
    // FINN's step name, e.g. "step_tidy_up": it appears in the log and in time_per_step.json.
    std::string name;
    // One line for --help.
    std::string summary;
    std::function<void(StepContext&)> run;
};

// The whole main() of a step tool. Returns the process exit code (0, or 1 on any error).
int run_step_tool(const StepDefinition& step, int argc, char** argv);
// The same for a built-in step (steps/step_main.cpp); its run must be set.
int run_step_tool(const StepDeclaration& step, int argc, char** argv);

} // namespace finn
