#include "finn/config/flow_plan.h"

#include "finn/config/config_file.h"
#include "finn/core/error.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
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
    resolve_config_paths(document, config_dir);
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

// The files of the output directory a step's requested verification reads (the parent model of a
// parent-mode verification) that an earlier planned step writes: the step depends on them, so a
// change of that file alone reruns the verification.
std::vector<fs::path> verification_reads(const PlannedStep& step, const FlowPlan& plan) {
    std::vector<fs::path> files;
    if (!step.builtin || !step.builtin->verification || !step.slice.contains("verify_steps"))
        return files;
    for (std::string_view file : step.builtin->verification->reads_outputs)
        for (const PlannedStep& earlier : plan.steps)
            if (std::find(earlier.outputs.begin(), earlier.outputs.end(), file) !=
                earlier.outputs.end()) {
                files.push_back(plan.output_dir / file);
                break;
            }
    return files;
}

// A requested verification runs at the end of the step declaring its hook: say so when no step
// of the catalog declares it, or when that step is outside the planned steps.
std::vector<std::string> unreachable_verifications(const StepCatalog& builtins,
                                                   const BuildConfig& config,
                                                   const std::vector<PlannedStep>& planned) {
    std::vector<std::string> warnings;
    for (VerificationStepType type : config.verify_steps_resolved()) {
        const StepDeclaration* owner = nullptr;
        for (const StepDeclaration* step : builtins.steps())
            if (step->verification && step->verification->type == type) owner = step;
        std::string what = "verify_steps requests " + std::string(to_string(type));
        if (!owner) {
            warnings.push_back(what + ", which Finn cannot run yet (no step runs it); skipped");
            continue;
        }
        bool planned_here = std::any_of(planned.begin(), planned.end(),
                                        [&](const PlannedStep& s) { return s.builtin == owner; });
        if (!planned_here)
            warnings.push_back(what + ", which runs in " + std::string(owner->name) +
                               ", a step this flow does not run (steps, start_step, stop_step); "
                               "skipped");
    }
    return warnings;
}

} // namespace

namespace {

// The length of the UTF-8 sequence starting at text[i] (1 to 4), or 0 if it is not valid UTF-8
// (a stray continuation byte, a truncated sequence, an overlong form or a surrogate).
std::size_t utf8_sequence_length(const std::string& text, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80) return 1;
    std::size_t length = lead >= 0xC2 && lead <= 0xDF   ? 2
                         : lead >= 0xE0 && lead <= 0xEF ? 3
                         : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                        : 0;
    if (length == 0 || i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    const unsigned char second = byte(i + 1);
    if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
        (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F))
        return 0;
    return length;
}

std::string code_point_name(unsigned value) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "U+%04X", value);
    return buffer;
}

// `text` as one readable line: bytes that are not UTF-8 as \xNN, control characters as U+NNNN.
std::string printable(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            char byte[8];
            std::snprintf(byte, sizeof byte, "\\x%02X", c);
            out += byte;
            ++i;
            continue;
        }
        if (length == 1 && (c < 0x20 || c == 0x7F))
            out += code_point_name(c);
        else
            out.append(text, i, length);
        i += length;
    }
    return out;
}

} // namespace

void check_build_graph_path(const fs::path& path, const std::string& what) {
    // ASCII characters known to pass through CMake, Ninja and the shell untouched; others (';',
    // '"', '\\', '#', '$', '[', ']', '|', '<', '>', control characters ...) break or bend CMake's
    // generators. CMake and Ninja carry UTF-8 file names byte for byte, so letters such as 'Ü'
    // are fine; only bytes that are not UTF-8 and control characters are refused.
    static const std::string allowed = " -_.+@,=~%/:(){}'!&*`";
    const std::string text = path.string();
    auto refuse = [&](const std::string& shown, const std::string& why) {
        throw Error(what + " '" + printable(text) + "' contains " + shown + ", which " + why +
                    "; rename it");
    };
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            char byte[8];
            std::snprintf(byte, sizeof byte, "\\x%02X", c);
            refuse(std::string("the byte ") + byte,
                   "is not UTF-8 (CMake and Ninja take UTF-8 file names)");
        }
        if (length == 1) {
            if (c < 0x20 || c == 0x7F)
                refuse("the control character " + code_point_name(c),
                       "the CMake build graph cannot hold in a file name");
            if (!std::isalnum(c) && allowed.find(static_cast<char>(c)) == std::string::npos)
                refuse("'" + std::string(1, static_cast<char>(c)) + "'",
                       "the CMake build graph cannot hold in a file name");
        } else if (length == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
            // U+0080..U+009F: C1 control characters.
            refuse("the control character " +
                       code_point_name(static_cast<unsigned char>(text[i + 1])),
                   "the CMake build graph cannot hold in a file name");
        }
        i += length;
    }
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
        for (const auto& file : verification_reads(step, plan))
            step.file_dependencies.push_back(file);
        for (const auto& file : step.file_dependencies)
            check_build_graph_path(file, source + ": a file " + step.name + " reads,");
        plan.steps.push_back(std::move(step));
    }
    plan.warnings = unreachable_verifications(builtin_steps, plan.config, plan.steps);
    return plan;
}

} // namespace finn
