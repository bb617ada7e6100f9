// `finn plan`: what finn_add_accelerator() runs at configure time. It resolves the flow of one
// accelerator (steps, start/stop, overrides), writes each step's configuration slice as
// <plan-dir>/<step>.json (untouched when unchanged, so only the steps whose slice changed rerun)
// and <plan-dir>/plan.cmake, which the CMake function includes to create one rule per step.
// `finn plan --catalog <file>` writes the built-in step and product lists for the CMake functions
// from the step declarations, so that the CMake side holds no copy of them.
#include "builtin_steps.h"
#include "commands.h"
#include "finn/config/flow_plan.h"
#include "finn/core/error.h"
#include "finn/step/build_log.h"
#include "finn/util/file_io.h"

#include <iostream>
#include <sstream>

namespace finn::cli {
namespace fs = std::filesystem;

namespace {

const char* kUsage =
    "usage: finn plan --config <dataflow_build_config.json|.yaml> --plan-dir <dir>\n"
    "                 [--output-base <dir>] [--set <key>=<value>]... [--set-json <key>=<json>]...\n"
    "                 [--custom-step <name>[:<key>,...[:<output>,...]]]...\n"
    "       finn plan --catalog <file.cmake>\n"
    "  Resolves an accelerator's build flow and writes one configuration slice per step and\n"
    "  plan.cmake into --plan-dir (used by the CMake function finn_add_accelerator).\n"
    "  Relative paths in the configuration resolve against the configuration file's folder.\n"
    "  --catalog      writes the built-in steps and output products as CMake lists instead\n"
    "  --output-base  folder a relative output_dir resolves against (default: the config's)\n"
    "  --set          overrides a key with a string value; --set-json with a JSON value\n"
    "  --custom-step  a step added with finn_add_step(), the keys it reads, the files it writes\n";

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    if (text.empty()) return parts;
    std::size_t start = 0;
    while (true) {
        std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return parts;
}

// A quoted CMake argument holding `text` verbatim.
std::string cmake_escape(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '\\' || c == '"' || c == '$') out += '\\';
        out += c;
    }
    return out + "\"";
}

// A single value. A ';' would split it into two list elements, and CMake's generators cannot
// hold a '"', '\\' or line break in a file name, so such values are refused.
std::string cmake_quote(const std::string& text) {
    std::size_t bad = text.find_first_of(";\"\\\n\r");
    if (bad != std::string::npos)
        throw Error("path '" + text + "' contains '" + std::string(1, text[bad]) +
                    "', which CMake cannot hold in a file name; rename it");
    return cmake_escape(text);
}

template <class Range> std::string cmake_list(const Range& items) {
    std::string joined;
    for (const auto& item : items) {
        std::string text = fs::path(item).string();
        cmake_quote(text); // refuses a ';' inside an element
        joined += (joined.empty() ? "" : ";") + text;
    }
    return cmake_escape(joined);
}

// The pool as plan.cmake names it for finn_add_accelerator().
std::string pool_name(StepPool pool) {
    switch (pool) {
    case StepPool::Default:
        return "";
    case StepPool::Heavy:
        return "heavy";
    case StepPool::VendorConsole:
        return "vendor_console";
    }
    return "";
}

// The built-in step names and, for every step making a product, the product's target, its
// generate_outputs value and the step, as parallel CMake lists.
std::string render_catalog(const StepCatalog& catalog) {
    std::vector<std::string> targets, values, product_steps;
    for (const StepDeclaration* step : catalog.steps()) {
        if (!step->product) continue;
        targets.emplace_back(step->product->target);
        values.emplace_back(to_string(step->product->type));
        product_steps.emplace_back(step->name);
    }
    return "# Written by `finn plan --catalog` from Finn's step declarations.\n"
           "set(FINN_CATALOG_STEPS " +
           cmake_list(catalog.names()) + ")\nset(FINN_CATALOG_PRODUCT_TARGETS " +
           cmake_list(targets) + ")\nset(FINN_CATALOG_PRODUCT_VALUES " + cmake_list(values) +
           ")\nset(FINN_CATALOG_PRODUCT_STEPS " + cmake_list(product_steps) + ")\n";
}

std::string render_plan(const FlowPlan& plan, const fs::path& plan_dir) {
    std::ostringstream out;
    auto set = [&out](const std::string& var, const std::string& quoted) {
        out << "set(" << var << " " << quoted << ")\n";
    };
    out << "# Written by `finn plan` from " << plan.config_path.filename().string()
        << "; regenerated at every configure.\n";
    set("FINN_PLAN_OUTPUT_DIR", cmake_quote(plan.output_dir.string()));
    set("FINN_PLAN_MODEL_INPUT",
        cmake_quote(plan.resume_after ? FlowPlan::checkpoint(*plan.resume_after) : ""));
    std::vector<std::string> outputs;
    for (auto product : plan.config.generate_outputs)
        outputs.emplace_back(to_string(product));
    set("FINN_PLAN_GENERATE_OUTPUTS", cmake_list(outputs));
    set("FINN_PLAN_COUNT", std::to_string(plan.steps.size()));
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
        const PlannedStep& step = plan.steps[i];
        const std::string prefix = "FINN_PLAN_STEP_" + std::to_string(i) + "_";
        set(prefix + "NAME", cmake_quote(step.name));
        set(prefix + "TOOL", cmake_quote(step.builtin ? step_tool_name(step.builtin->name) : ""));
        set(prefix + "SLICE", cmake_quote((plan_dir / (step.name + ".json")).string()));
        set(prefix + "FILES", cmake_list(step.file_dependencies));
        set(prefix + "OUTPUTS", cmake_list(step.outputs));
        set(prefix + "POOL", cmake_quote(pool_name(step.pool)));
        set(prefix + "INDEX_FILE", cmake_quote((plan_dir / (step.name + ".index")).string()));
    }
    return out.str();
}

} // namespace

int plan_command(const std::vector<std::string>& args) {
    FlowPlanOptions options;
    std::optional<fs::path> plan_dir, catalog_file;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            return 0;
        }
        if (i + 1 >= args.size()) throw UsageError("argument " + arg + " needs a value");
        const std::string& value = args[++i];
        auto key_value = [&]() {
            std::size_t eq = value.find('=');
            if (eq == std::string::npos || eq == 0)
                throw UsageError(arg + " '" + value + "' is not of the form <key>=<value>");
            return std::pair{value.substr(0, eq), value.substr(eq + 1)};
        };
        if (arg == "--catalog") {
            catalog_file = value;
        } else if (arg == "--config") {
            options.config_path = value;
        } else if (arg == "--plan-dir") {
            plan_dir = value;
        } else if (arg == "--output-base") {
            options.output_base = value;
        } else if (arg == "--set") {
            auto [key, text] = key_value();
            options.overrides[key] = text;
        } else if (arg == "--set-json") {
            auto [key, text] = key_value();
            try {
                options.overrides[key] = nlohmann::ordered_json::parse(text);
            } catch (const nlohmann::json::exception&) {
                throw UsageError("--set-json " + key + ": '" + text + "' is not valid JSON");
            }
        } else if (arg == "--custom-step") {
            auto parts = split(value, ':');
            if (parts.empty() || parts[0].empty() || parts.size() > 3)
                throw UsageError("--custom-step '" + value +
                                 "' is not of the form <name>[:<key>,...[:<output>,...]]");
            CustomStepDecl step{parts[0], {}, {}};
            if (parts.size() > 1) step.reads = split(parts[1], ',');
            if (parts.size() > 2) step.outputs = split(parts[2], ',');
            options.custom_steps.push_back(std::move(step));
        } else {
            throw UsageError("unknown argument '" + arg + "'; run 'finn plan --help'");
        }
    }
    if (catalog_file) {
        write_file_if_changed(*catalog_file, render_catalog(builtin_step_catalog()));
        return 0;
    }
    if (options.config_path.empty()) throw UsageError("missing required argument --config <file>");
    if (!plan_dir) throw UsageError("missing required argument --plan-dir <dir>");

    FlowPlan plan = plan_flow(builtin_step_catalog(), options);
    for (const auto& step : plan.steps) {
        write_file_if_changed(*plan_dir / (step.name + ".json"), step.slice.dump(2) + "\n");
        // The position is read at run time, not passed on the command line: Ninja reruns a rule
        // whose command changes, and a longer step list must not rerun every step.
        write_file_if_changed(*plan_dir / (step.name + ".index"),
                              std::to_string(step.index) + "/" + std::to_string(plan.total_steps) +
                                  "\n");
    }
    write_file_if_changed(*plan_dir / "plan.cmake", render_plan(plan, *plan_dir));
    for (const auto& warning : plan.warnings)
        std::cout << "Warning: " << warning << "\n";
    return 0;
}

int time_per_step_command(const std::vector<std::string>& args) {
    if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
        std::cout << "usage: finn time-per-step <output_dir> <step>...\n"
                     "  Assembles <output_dir>/time_per_step.json from the steps' time records.\n";
        return 0;
    }
    if (args.size() < 2)
        throw UsageError("expected an output directory and at least one step name");
    assemble_time_per_step(args[0], {args.begin() + 1, args.end()});
    return 0;
}

} // namespace finn::cli
