#include "finn/step/step_tool.h"

#include "finn/config/config_file.h"
#include "finn/core/error.h"
#include "finn/core/npy.h"
#include "finn/exec/verification.h"
#include "finn/hw/rtlsim.h"
#include "finn/initialize.h"
#include "finn/util/file_io.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iostream>
#include <malloc.h>
#include <new>
#include <vector>

namespace finn {
namespace fs = std::filesystem;

StepContext::StepContext(std::string step_name, Model model, nlohmann::ordered_json config,
                         std::optional<fs::path> output_dir, bool verbose)
    : step_name_(std::move(step_name)), model_(std::move(model)), config_(std::move(config)),
      output_dir_(std::move(output_dir)), verbose_(verbose) {
    build_config_ =
        BuildConfig::from_json(config_, "step configuration", /*require_mandatory=*/false);
    // exec_mode rtlsim finds the nodes' ipgen_path folders in the output folder.
    if (output_dir_) hw::set_generated_hardware_root(fs::absolute(*output_dir_));
}

const fs::path& StepContext::output_dir() const {
    if (!output_dir_) throw Error("this step writes files and needs --output-dir");
    return *output_dir_;
}

void StepContext::log(const std::string& message) {
    if (output_dir_) BuildLog(*output_dir_ / "build_dataflow.log").write(message);
    if (verbose_ || !output_dir_) std::cout << message << "\n";
}

void StepContext::warn(const std::string& message) {
    std::string line = "Warning: " + message;
    if (output_dir_) BuildLog(*output_dir_ / "build_dataflow.log").write(line);
    std::cout << line << "\n";
}

void StepContext::write_output(const fs::path& relative_path, std::string bytes) {
    bool climbs = false;
    for (const auto& part : relative_path)
        climbs |= part == "..";
    if (relative_path.is_absolute() || relative_path.empty() || climbs)
        throw Error("step output '" + relative_path.string() +
                    "' must be a path inside the output directory (relative, without '..')");
    output_dir();
    staged_[relative_path] = std::move(bytes);
}

void StepContext::write_tree_file(const fs::path& relative_path, std::string bytes) {
    write_output(relative_path, std::move(bytes)); // the same checks
    auto staged = staged_.extract(relative_path);
    staged_tree_[relative_path] = std::move(staged.mapped());
}

namespace {

// A staged output must land inside the output directory even when a folder on its way is a
// symbolic link (a crafted or stale output folder must not redirect writes elsewhere).
void check_inside(const fs::path& output_dir, const fs::path& relative) {
    std::error_code ec;
    fs::path root = fs::weakly_canonical(output_dir, ec);
    fs::path target = fs::weakly_canonical(output_dir / relative.parent_path(), ec);
    auto [root_end, unused] = std::mismatch(root.begin(), root.end(), target.begin(), target.end());
    if (ec || root_end != root.end())
        throw Error("output '" + relative.string() + "' would be written to " + target.string() +
                    ", outside the output directory " + root.string() +
                    " (a folder on the way is a symbolic link)");
}

} // namespace

bool StepContext::verification_requested(VerificationStepType type) const {
    auto steps = build_config_.verify_steps_resolved();
    return std::find(steps.begin(), steps.end(), type) != steps.end();
}

void StepContext::skip_verification(const StepVerification& hook, const std::string& reason) {
    if (!verification_requested(hook.type) || verification_handled(hook.type)) return;
    verification_handled_.insert(hook.type);
    warn("verify_steps requests " + std::string(to_string(hook.type)) + ", which " + step_name_ +
         " does not run: " + reason);
}

std::pair<Tensor, Tensor> StepContext::verification_io() const {
    auto require = [](const std::string& path, const char* key) {
        std::error_code ec;
        if (!fs::exists(path, ec)) throw Error(std::string(key) + " not found: " + path);
        return read_npy(path);
    };
    return {require(build_config_.verify_input_npy, "verify_input_npy"),
            require(build_config_.verify_expected_output_npy, "verify_expected_output_npy")};
}

void StepContext::stage_verification(const VerificationReport& report) {
    for (const auto& [relative, tensor] : report.files)
        write_output(relative, to_npy(tensor));
    for (const auto& line : report.log_lines)
        log(line);
}

bool StepContext::verify_if_requested(VerificationStepType type, const std::string& tag) {
    if (!verification_requested(type)) return false;
    verification_handled_.insert(type);
    const auto [input, expected] = verification_io();
    stage_verification(run_verification(model_, input, expected, tag));
    return true;
}

bool StepContext::verify_in_parent_if_requested(const StepVerification& hook, const Model& child) {
    if (!verification_requested(hook.type) || verification_handled(hook.type)) return false;
    const fs::path parent_path = "intermediate_models/dataflow_parent.onnx";
    std::error_code ec;
    if (!build_config_.save_intermediate_models ||
        !fs::is_regular_file(output_dir() / parent_path, ec)) {
        skip_verification(hook, "it runs the dataflow partition inside the parent model " +
                                    parent_path.string() +
                                    ", which step_create_dataflow_partition writes with "
                                    "save_intermediate_models");
        return false;
    }
    verification_handled_.insert(hook.type);
    const Model parent = Model::load(output_dir() / parent_path);
    const auto [input, expected] = verification_io();
    stage_verification(
        run_parent_verification(parent, child, input, expected, std::string(hook.tag)));
    return true;
}

namespace {

struct StepArguments {
    std::optional<fs::path> in, out, config, output_dir;
    std::string index; // "i/N"
    std::optional<fs::path> index_file;
    bool help = false;
};

void print_usage(const StepDefinition& step, std::ostream& os, const char* argv0) {
    os << "usage: " << argv0
       << " --in <model.onnx> --out <model.onnx> [--config <config.json|.yaml>]\n"
          "       [--output-dir <dir>] [--index <i>/<N> | --index-file <file>]\n\n"
       << step.name << ": " << step.summary << "\n\n"
       << "  --in          model written by the previous step\n"
          "  --out         model this step writes (untouched when its bytes do not change)\n"
          "  --config      this step's slice of the build configuration (FINN's keys); relative\n"
          "                paths in it (folding_config_file, verify_input_npy, ...) resolve\n"
          "                against the folder of the configuration file\n"
          "  --output-dir  the build's output directory: build_dataflow.log, reports, times\n"
          "  --index       position in the flow, shown as \"Running step: <name> [i/N]\"\n"
          "  --index-file  a file holding <i>/<N> (the build graph uses it so that a change of\n"
          "                the step list does not change the step's command line)\n";
}

StepArguments parse_arguments(int argc, char** argv) {
    StepArguments args;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            args.help = true;
            continue;
        }
        std::string value;
        std::size_t eq = arg.find('=');
        std::string key = arg.substr(0, eq);
        if (eq != std::string::npos) {
            value = arg.substr(eq + 1);
        } else {
            if (key != "--in" && key != "--out" && key != "--config" && key != "--output-dir" &&
                key != "--index" && key != "--index-file")
                throw UsageError("unknown argument '" + arg +
                                 "'; expected --in, --out, --config, --output-dir, --index, "
                                 "--index-file or --help");
            if (i + 1 >= argc) throw UsageError("argument " + key + " needs a value");
            value = argv[++i];
        }
        if (key == "--in")
            args.in = value;
        else if (key == "--out")
            args.out = value;
        else if (key == "--config")
            args.config = value;
        else if (key == "--output-dir")
            args.output_dir = value;
        else if (key == "--index")
            args.index = value;
        else if (key == "--index-file")
            args.index_file = value;
        else
            throw UsageError("unknown argument '" + arg +
                             "'; expected --in, --out, --config, --output-dir, --index or --help");
    }
    if (!args.help) {
        if (!args.in) throw UsageError("missing required argument --in <model.onnx>");
        if (!args.out) throw UsageError("missing required argument --out <model.onnx>");
    }
    if (args.index_file && args.index.empty()) {
        args.index = read_file(*args.index_file);
        while (!args.index.empty() && std::isspace(static_cast<unsigned char>(args.index.back())))
            args.index.pop_back();
    }
    if (!args.index.empty()) {
        std::size_t slash = args.index.find('/');
        auto digits = [](const std::string& s) {
            return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
        };
        if (slash == std::string::npos || !digits(args.index.substr(0, slash)) ||
            !digits(args.index.substr(slash + 1)))
            throw UsageError("--index '" + args.index + "' is not of the form <i>/<N>");
    }
    return args;
}

nlohmann::ordered_json load_config_json(const fs::path& path) {
    nlohmann::ordered_json document = read_config_document(path);
    // Validate keys and types now, so a bad slice fails before the step does any work.
    BuildConfig parsed =
        BuildConfig::from_json(document, path.string(), /*require_mandatory=*/false);
    // Relative paths, and the default verification files, live beside the configuration (a slice
    // from the build graph holds absolute paths already).
    const fs::path config_dir = path.parent_path();
    resolve_config_paths(document, config_dir);
    if (!parsed.verify_steps_resolved().empty()) {
        for (const auto& [key, value] :
             {std::pair{"verify_input_npy", parsed.verify_input_npy},
              std::pair{"verify_expected_output_npy", parsed.verify_expected_output_npy}})
            if (!document.contains(key))
                document[key] = (config_dir / value).lexically_normal().string();
    }
    return document;
}

} // namespace

int run_step_tool(const StepDefinition& step, int argc, char** argv) {
    // Passes allocate and free many large temporaries (decoded weights, their products). glibc
    // would map and unmap each one and the kernel zero its pages again every time; a step process
    // is short-lived, so freed memory stays in the heap for the next temporary instead.
    mallopt(M_MMAP_THRESHOLD, 32 << 20); // the largest glibc accepts
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    initialize();
    std::optional<BuildLog> log;
    try {
        StepArguments args = parse_arguments(argc, argv);
        if (args.help) {
            print_usage(step, std::cout, argv[0]);
            return 0;
        }
        if (args.output_dir) log.emplace(*args.output_dir / "build_dataflow.log");

        nlohmann::ordered_json config = nlohmann::ordered_json::object();
        if (args.config) config = load_config_json(*args.config);
        bool verbose = config.contains("verbose") && config["verbose"].is_boolean() &&
                       config["verbose"].get<bool>();

        std::string running = "Running step: " + step.name;
        if (!args.index.empty()) running += " [" + args.index + "]";
        std::cout << running << std::endl;
        if (log) log->write(running);

        auto start = std::chrono::steady_clock::now();
        Model model = Model::load(*args.in);
        model.validate_structure(args.in->string());
        StepContext context(step.name, std::move(model), std::move(config), args.output_dir,
                            verbose);
        step.run(context);
        // Every intermediate model must pass ONNX's checker, which needs an opset_import for each
        // custom domain (FINN's own files often lack them).
        context.model().add_missing_opset_imports();
        // Serialize before writing anything, so a failure here leaves every output untouched.
        std::string model_bytes = context.model().serialize();
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

        for (const auto* staged : {&context.staged_tree_files(), &context.staged_outputs()})
            for (const auto& [relative, bytes] : *staged)
                check_inside(*args.output_dir, relative);
        // The tree first: its manifest (a declared output) is written after it.
        for (const auto* staged : {&context.staged_tree_files(), &context.staged_outputs()})
            for (const auto& [relative, bytes] : *staged)
                write_file_if_changed(*args.output_dir / relative, bytes);
        write_file_if_changed(*args.out, model_bytes);
        if (args.output_dir) write_step_time_record(*args.output_dir, step.name, seconds);
        return 0;
    } catch (const UsageError& e) {
        // Wrong arguments: nothing ran, so nothing goes to the build log.
        std::cerr << step.name << ": " << e.what() << std::endl;
        return 2;
    } catch (const std::bad_alloc&) {
        std::string message = step.name + ": out of memory";
        std::cerr << message << std::endl;
        if (log) try {
                log->write(message);
            } catch (...) {
            }
        return 1;
    } catch (const std::exception& e) {
        std::string message = step.name + ": " + e.what();
        const auto* error = dynamic_cast<const Error*>(&e);
        const std::string details = error ? error->details() : std::string();
        // The console keeps one line; what does not fit on it goes to the log.
        if (details.empty())
            std::cerr << message << std::endl;
        else if (log)
            std::cerr << message << " (details in build_dataflow.log)" << std::endl;
        else
            std::cerr << message << "\n" << details << std::flush;
        if (log) try {
                log->write(message);
                if (!details.empty()) log->write(details); // one log line per line

            } catch (...) {
            }
        return 1;
    }
}

int run_step_tool(const StepDeclaration& step, int argc, char** argv) {
    auto run = [&step](StepContext& ctx) {
        step.run(ctx);
        // A declared hook the step neither ran nor skipped with a reason is one Finn cannot run
        // yet (cppsim, rtlsim): never skipped without a word.
        if (step.verification)
            ctx.skip_verification(*step.verification, "Finn cannot run this verification yet");
    };
    return run_step_tool(StepDefinition{std::string(step.name), std::string(step.summary), run},
                         argc, argv);
}

} // namespace finn
