#include "finn/config/flow_plan.h"

#include "finn/config/config_file.h"
#include "finn/core/error.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace finn {
namespace fs = std::filesystem;
using ordered_json = nlohmann::ordered_json;

namespace {

bool contains(std::span<const std::string_view> keys, std::string_view key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::string join(const std::vector<std::string>& items, const std::string& separator = ", ") {
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : separator) + item;
    return out;
}

// The configuration document with overrides applied and every relative path made absolute
// against the configuration's folder (FINN's build_dataflow runs with that folder as cwd).
ordered_json effective_document(const FlowPlanOptions& options, const fs::path& config_dir) {
    ordered_json document = read_config_document(options.config_path);
    if (!document.is_object())
        throw Error(options.config_path.string() + ": build config must be an object");
    for (const auto& [key, value] : options.overrides.items())
        document[key] = value;
    for (std::string_view key : path_keys()) {
        auto it = document.find(std::string(key));
        if (it == document.end() || !it->is_string()) continue;
        fs::path path = it->get<std::string>();
        if (path.empty()) continue;
        if (path.is_relative()) path = config_dir / path;
        *it = path.lexically_normal().string();
    }
    return document;
}

// The step list as the configuration names it (canonical names), checked against the built-in
// steps and the custom ones.
std::vector<std::string> resolve_step_names(const StepCatalog& builtins, const BuildConfig& config,
                                            const std::vector<CustomStepDecl>& custom,
                                            const std::string& source) {
    std::vector<std::string> names;
    for (const auto& raw : config.steps.value_or(builtins.names())) {
        std::string name = builtins.canonical_name(raw);
        bool is_custom = std::any_of(custom.begin(), custom.end(),
                                     [&](const CustomStepDecl& c) { return c.name == raw; });
        if (is_custom)
            name = raw;
        else if (!builtins.find(name))
            throw Error(source + ": unknown step '" + raw +
                        "' in steps; expected one of FINN's steps (" + join(builtins.names()) +
                        ") or a step added with finn_add_step()");
        if (std::find(names.begin(), names.end(), name) != names.end())
            throw Error(source + ": step '" + name +
                        "' appears twice in steps; each step writes its own checkpoint "
                        "intermediate_models/" +
                        name + ".onnx");
        names.push_back(name);
    }
    if (names.empty()) throw Error(source + ": steps is empty; list at least one step");
    return names;
}

std::size_t position_of(const StepCatalog& builtins, const std::vector<std::string>& names,
                        const std::string& raw, const char* key, const std::string& source) {
    std::string name = builtins.canonical_name(raw);
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) it = std::find(names.begin(), names.end(), raw);
    if (it == names.end())
        throw Error(source + ": " + key + " '" + raw + "' is not in the step list (" + join(names) +
                    ")");
    return static_cast<std::size_t>(it - names.begin());
}

void copy_key(const ordered_json& document, ordered_json& slice, std::string_view key) {
    auto it = document.find(std::string(key));
    if (it != document.end()) slice[std::string(key)] = *it;
}

// The slice of the configuration a built-in step reads.
ordered_json builtin_slice(const StepDeclaration& step, const ordered_json& document,
                           const BuildConfig& config, const fs::path& config_dir) {
    ordered_json slice = ordered_json::object();
    for (std::string_view key : keys_read_by_every_step())
        copy_key(document, slice, key);
    for (std::string_view key : step.reads)
        copy_key(document, slice, key);
    if (step.product) {
        // Only the products this step acts on: asking for a bitfile must not rerun the estimates.
        ordered_json outputs = ordered_json::array();
        for (DataflowOutputType out : config.generate_outputs) {
            bool relevant = out == step.product->type ||
                            std::find(step.requires_products.begin(), step.requires_products.end(),
                                      out) != step.requires_products.end();
            if (relevant) outputs.push_back(std::string(to_string(out)));
        }
        slice["generate_outputs"] = outputs;
    }
    if (step.verification) {
        auto requested = config.verify_steps_resolved();
        if (std::find(requested.begin(), requested.end(), step.verification->type) !=
            requested.end()) {
            slice["verify_steps"] =
                ordered_json::array({std::string(to_string(step.verification->type))});
            for (std::string_view key : verification_keys())
                if (key != "verify_steps") copy_key(document, slice, key);
            // The default file names are relative to the configuration's folder too.
            for (const char* key : {"verify_input_npy", "verify_expected_output_npy"})
                if (!slice.contains(key))
                    slice[key] = (config_dir / (std::string(key) == "verify_input_npy"
                                                    ? config.verify_input_npy
                                                    : config.verify_expected_output_npy))
                                     .lexically_normal()
                                     .string();
        }
    }
    return slice;
}

// A step's file dependencies: every path-valued key in its slice must name an existing file.
std::vector<fs::path> file_dependencies(const ordered_json& slice, const std::string& step,
                                        const std::string& source) {
    std::vector<fs::path> files;
    for (std::string_view key : path_keys()) {
        auto it = slice.find(std::string(key));
        if (it == slice.end() || !it->is_string() || it->get<std::string>().empty()) continue;
        fs::path path = it->get<std::string>();
        std::error_code ec;
        if (!fs::is_regular_file(path, ec))
            throw Error(source + ": " + std::string(key) + " '" + path.string() + "' (read by " +
                        step + ") is not an existing file");
        files.push_back(path);
    }
    return files;
}

} // namespace

void check_build_graph_path(const fs::path& path, const std::string& what) {
    // Characters known to pass through CMake, Ninja and the shell untouched; others (';', '"',
    // '\\', '#', '$', '[', ']', '|', '<', '>', line breaks ...) break or bend CMake's generators.
    static const std::string allowed = " -_.+@,=~%/:(){}'!&*`";
    const std::string text = path.string();
    for (char c : text)
        if (!std::isalnum(static_cast<unsigned char>(c)) && allowed.find(c) == std::string::npos)
            throw Error(what + " '" + text + "' contains '" + std::string(1, c) +
                        "', which the CMake build graph cannot hold in a file name; rename it");
}

const PlannedStep* FlowPlan::find(const std::string& name) const {
    for (const auto& step : steps)
        if (step.name == name) return &step;
    return nullptr;
}

std::string FlowPlan::checkpoint(const std::string& step_name) {
    return "intermediate_models/" + step_name + ".onnx";
}

FlowPlan plan_flow(const StepCatalog& builtin_steps, const FlowPlanOptions& options) {
    FlowPlan plan;
    std::error_code ec;
    plan.config_path = fs::absolute(options.config_path, ec).lexically_normal();
    const std::string source = options.config_path.string();
    const fs::path config_dir = plan.config_path.parent_path();

    ordered_json document = effective_document(options, config_dir);
    plan.config = BuildConfig::from_json(document, source);

    fs::path output_dir = plan.config.output_dir;
    if (output_dir.empty()) throw Error(source + ": output_dir is empty");
    if (output_dir.is_relative())
        output_dir = (options.output_base.empty() ? config_dir : options.output_base) / output_dir;
    plan.output_dir = fs::absolute(output_dir, ec).lexically_normal();
    check_build_graph_path(plan.output_dir, source + ": output_dir");

    std::vector<std::string> names =
        resolve_step_names(builtin_steps, plan.config, options.custom_steps, source);
    std::size_t first = 0, last = names.size() - 1;
    if (plan.config.start_step) {
        first = position_of(builtin_steps, names, *plan.config.start_step, "start_step", source);
        if (first == 0)
            throw Error(source + ": start_step '" + *plan.config.start_step +
                        "' is the first step; leave start_step unset to build from the model");
        plan.resume_after = names[first - 1];
    }
    if (plan.config.stop_step)
        last = position_of(builtin_steps, names, *plan.config.stop_step, "stop_step", source);
    if (last < first)
        throw Error(source + ": stop_step '" + *plan.config.stop_step +
                    "' comes before start_step '" + *plan.config.start_step + "'");

    plan.total_steps = static_cast<int>(last - first + 1);
    for (std::size_t i = first; i <= last; ++i) {
        PlannedStep step;
        step.name = names[i];
        step.index = static_cast<int>(i - first + 1);
        auto custom = std::find_if(options.custom_steps.begin(), options.custom_steps.end(),
                                   [&](const CustomStepDecl& c) { return c.name == step.name; });
        if (custom != options.custom_steps.end()) {
            step.slice = ordered_json::object();
            for (std::string_view key : keys_read_by_every_step())
                copy_key(document, step.slice, key);
            for (const auto& key : custom->reads) {
                if (!contains(BuildConfig::field_names(), key))
                    throw Error("finn_add_step(" + step.name + "): READS names '" + key +
                                "', which is not a build configuration key");
                copy_key(document, step.slice, key);
            }
            step.outputs = custom->outputs;
        } else {
            step.builtin = builtin_steps.find(step.name);
            step.slice = builtin_slice(*step.builtin, document, plan.config, config_dir);
            // Computed from the slice, as the step sees its configuration.
            if (step.builtin->outputs)
                step.outputs = step.builtin->outputs(
                    BuildConfig::from_json(step.slice, source + " (" + step.name + "'s slice)",
                                           /*require_mandatory=*/false));
            step.pool = step.builtin->pool;
        }
        step.file_dependencies = file_dependencies(step.slice, step.name, source);
        for (const auto& file : step.file_dependencies)
            check_build_graph_path(file, source + ": a file " + step.name + " reads,");
        plan.steps.push_back(std::move(step));
    }
    return plan;
}

} // namespace finn
