// `finn exec <model.onnx> --input x.npy [--input name=x.npy ...] [--output y.npy | name=y.npy ...]
//            [--dump-dir DIR]`: runs a model with the reference executor.
//
// A model whose input has batch 1 fed a batch of N runs sample by sample and stacks the results,
// as FINN's verification does. Everything is computed before anything is written, so an error
// leaves no partial output.
#include "commands.h"
#include "finn/core/error.h"
#include "finn/core/npy.h"
#include "finn/exec/executor.h"
#include "finn/hw/rtlsim.h"
#include "finn/ir/model.h"
#include "finn/ir/tensor_proto.h"

#include <iostream>
#include <map>
#include <optional>

namespace finn::cli {
namespace {

const char* kUsage =
    "usage: finn exec <model.onnx> --input [name=]x.npy|x.pb ... [--output [name=]y.npy ...]\n"
    "                 [--dump-dir DIR] [--output-dir DIR]\n"
    "  Runs the model with the reference executor. An --input without a name feeds the first\n"
    "  graph input, an --output without a name receives the first graph output. A batch of N\n"
    "  on a batch-1 model runs sample by sample. --dump-dir writes every tensor of the execution\n"
    "  as DIR/<tensor>.npy (single-sample runs only). Without --output the outputs are printed.\n"
    "  A parent model's StreamingDataflowPartition runs its child model, a relative path to\n"
    "  which resolves against the parent model's folder. A hardware node in exec_mode rtlsim\n"
    "  runs the executable step_hw_ipgen built in its ipgen_path (built when verify_steps\n"
    "  requests node_by_node_rtlsim), relative to the build's --output-dir (default: the\n"
    "  folder above the model's when the model lies in the build's intermediate_models/\n"
    "  folder, else the model's folder).\n";

struct NamedPath {
    std::string name; // empty: the first graph input/output
    std::string path;
};

NamedPath split_named(const std::string& value) {
    // "name=path" unless the part before '=' looks like a path.
    std::size_t eq = value.find('=');
    if (eq == std::string::npos || value.find('/') < eq) return {"", value};
    return {value.substr(0, eq), value.substr(eq + 1)};
}

std::string safe_file_name(std::string name) {
    for (char& c : name)
        if (c == '/' || c == '\\' || c == ':') c = '_';
    return name;
}

void print_tensor(const std::string& name, const Tensor& t) {
    std::cout << name << ": " << element_type_name(t.type()) << " " << shape_to_string(t.shape());
    const std::int64_t shown = std::min<std::int64_t>(t.size(), 64);
    std::cout << " [";
    for (std::int64_t i = 0; i < shown; ++i)
        std::cout << (i ? ", " : "") << t.get(i);
    std::cout << (shown < t.size() ? ", ...]" : "]") << "\n";
}

// Where a model written by a build sits: <output dir>/intermediate_models/<step>.onnx (FINN's
// layout), or a user's copy anywhere else, whose folder is taken as the output folder.
std::filesystem::path build_output_dir_of(const std::filesystem::path& model_dir) {
    const std::filesystem::path dir = model_dir.empty() ? "." : model_dir;
    if (std::filesystem::absolute(dir).lexically_normal().filename() == "intermediate_models")
        return dir / "..";
    return dir;
}

} // namespace

int exec_command(const std::vector<std::string>& args) {
    std::optional<std::string> model_path;
    std::vector<NamedPath> input_args, output_args;
    std::optional<std::string> dump_dir, output_dir;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size()) throw UsageError("option " + arg + " needs a value");
            return args[++i];
        };
        if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            return 0;
        } else if (arg == "--input") {
            input_args.push_back(split_named(value()));
        } else if (arg == "--output") {
            output_args.push_back(split_named(value()));
        } else if (arg == "--dump-dir") {
            dump_dir = value();
        } else if (arg == "--output-dir") {
            output_dir = value();
        } else if (!arg.empty() && arg[0] == '-') {
            throw UsageError("unknown option '" + arg +
                             "'; expected --input, --output, --dump-dir or --output-dir");
        } else if (model_path) {
            throw UsageError("more than one model given ('" + *model_path + "', '" + arg + "')");
        } else {
            model_path = arg;
        }
    }
    if (!model_path)
        throw UsageError("missing model; usage: finn exec <model.onnx> --input x.npy ...");

    Model model = Model::load(*model_path);
    const std::filesystem::path model_dir = std::filesystem::path(*model_path).parent_path();
    hw::set_generated_hardware_root(std::filesystem::absolute(
        output_dir ? std::filesystem::path(*output_dir) : build_output_dir_of(model_dir)));
    // A parent model names its partition's child model relative to its own folder.
    Executor executor(model, model_dir);
    auto graph_inputs = model.input_names();
    auto graph_outputs = model.output_names();

    TensorMap feeds;
    for (const auto& in : input_args) {
        std::string name =
            in.name.empty() ? (graph_inputs.empty() ? "" : graph_inputs[0]) : in.name;
        if (feeds.count(name)) throw UsageError("input '" + name + "' given twice");
        // ONNX test data (TensorProto .pb files) works as well as numpy's .npy.
        feeds.emplace(name, std::filesystem::path(in.path).extension() == ".pb"
                                ? tensor_from_proto(read_tensor_proto(in.path))
                                : read_npy(in.path));
    }

    TensorMap results;
    if (dump_dir) {
        results = executor.run(feeds, /*keep_intermediates=*/true);
    } else {
        results = executor.run_batched(feeds);
    }

    std::map<std::string, std::string> writes; // path -> tensor name
    for (const auto& out : output_args) {
        std::string name = out.name.empty() ? graph_outputs.at(0) : out.name;
        if (!results.count(name))
            throw Error("'" + name + "' is not an output of the model; outputs are: " + [&] {
                std::string s;
                for (const auto& o : graph_outputs)
                    s += (s.empty() ? "" : ", ") + o;
                return s;
            }());
        writes[out.path] = name;
    }
    // All computed: now write.
    for (const auto& [path, name] : writes)
        write_npy(path, results.at(name));
    if (dump_dir)
        for (const auto& [name, tensor] : results)
            write_npy(std::filesystem::path(*dump_dir) / (safe_file_name(name) + ".npy"), tensor);
    if (output_args.empty())
        for (const auto& name : graph_outputs)
            print_tensor(name, results.at(name));
    return 0;
}

} // namespace finn::cli
