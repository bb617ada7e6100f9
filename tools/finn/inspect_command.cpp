// `finn inspect <model.onnx> [--json]`: what a model holds, in order — nodes with op type and
// domain, every tensor with shape, datatype and layout, and the initializers with their sizes.
#include "commands.h"
#include "finn/core/error.h"
#include "finn/core/npy.h"
#include "finn/core/strings.h"
#include "finn/ir/model.h"
#include "finn/ir/tensor_proto.h"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

namespace finn::cli {
namespace {

const char* kUsage = "usage: finn inspect <model.onnx | array.npy> [--json]\n"
                     "  Prints the nodes in graph order (op type, domain, inputs, outputs),\n"
                     "  every tensor's shape, finn_datatype and tensor_layout, and the\n"
                     "  initializers with their sizes. Shapes come from ONNX shape inference\n"
                     "  with the FINN/QONNX custom-op schemas; --json prints the same as JSON.\n"
                     "  For a .npy file: element type, shape, value range.\n";

struct TensorRow {
    std::string name;
    std::optional<Shape> shape;
    std::string elem_type; // ONNX container type, e.g. float32 or int64
    std::string datatype;  // FINN's finn_datatype (FLOAT32 when unannotated)
    std::string layout;
    std::string role; // input, output, initializer or "" for intermediate tensors
};

std::string shape_text(const std::optional<Shape>& shape) {
    if (!shape) return "?";
    std::string text = "(";
    for (std::size_t i = 0; i < shape->size(); ++i) {
        if (i) text += ", ";
        text += (*shape)[i] < 0 ? "?" : std::to_string((*shape)[i]);
    }
    return text + (shape->size() == 1 ? ",)" : ")");
}

nlohmann::json shape_json(const std::optional<Shape>& shape) {
    if (!shape) return nullptr;
    nlohmann::json dims = nlohmann::json::array();
    for (auto d : *shape)
        dims.push_back(d < 0 ? nlohmann::json(nullptr) : nlohmann::json(d));
    return dims;
}

std::string elem_type_text(int onnx_type) {
    if (onnx_type == 0) return "?";
    try {
        return std::string(element_type_name(element_type_from_onnx(onnx_type, "")));
    } catch (const Error&) {
        return "onnx:" + std::to_string(onnx_type);
    }
}

// A .npy file: what numpy would say about it, plus its value range.
int inspect_npy(const std::string& path, bool as_json) {
    Tensor t = read_npy(path);
    double lo = 0, hi = 0;
    auto values = t.to_doubles();
    if (!values.empty()) {
        lo = *std::min_element(values.begin(), values.end());
        hi = *std::max_element(values.begin(), values.end());
    }
    if (as_json) {
        nlohmann::ordered_json j;
        j["file"] = path;
        j["dtype"] = std::string(element_type_name(t.type()));
        j["shape"] = t.shape();
        j["elements"] = t.size();
        j["min"] = values.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(lo);
        j["max"] = values.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(hi);
        std::cout << j.dump(2) << "\n";
    } else {
        std::cout << path << ": " << element_type_name(t.type()) << " "
                  << shape_to_string(t.shape()) << ", " << t.size() << " elements";
        if (!values.empty()) std::cout << ", min " << lo << ", max " << hi;
        std::cout << "\n";
    }
    return 0;
}

} // namespace

int inspect_command(const std::vector<std::string>& args) {
    std::optional<std::string> path;
    bool as_json = false;
    for (const auto& arg : args) {
        if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            return 0;
        }
        if (arg == "--json")
            as_json = true;
        else if (!arg.empty() && arg[0] == '-')
            throw UsageError("unknown option '" + arg + "'; expected --json");
        else if (path)
            throw UsageError("more than one model given ('" + *path + "', '" + arg + "')");
        else
            path = arg;
    }
    if (!path) throw UsageError("missing model; " + std::string(kUsage).substr(7, 33));

    if (std::filesystem::path(*path).extension() == ".npy") return inspect_npy(*path, as_json);

    Model model = Model::load(*path);
    std::string shape_warning;
    try {
        model.infer_shapes();
    } catch (const Error& e) {
        // Still show what the file records; say why some shapes may be missing.
        shape_warning = e.what();
        model = Model::load(*path);
    }

    std::vector<TensorRow> tensors;
    auto inputs = model.input_names();
    auto outputs = model.output_names();
    for (const auto& name : model.tensor_names()) {
        TensorRow row{name,
                      model.shape(name),
                      elem_type_text(model.elem_type(name)),
                      model.datatype(name).name(),
                      model.layout(name).empty() ? "" : layout_to_string(model.layout(name)),
                      ""};
        if (std::find(inputs.begin(), inputs.end(), name) != inputs.end())
            row.role = "input";
        else if (std::find(outputs.begin(), outputs.end(), name) != outputs.end())
            row.role = "output";
        else if (model.has_initializer(name))
            row.role = "initializer";
        tensors.push_back(row);
    }

    if (as_json) {
        nlohmann::ordered_json out;
        out["model"] = *path;
        out["ir_version"] = model.proto().ir_version();
        nlohmann::ordered_json opsets = nlohmann::ordered_json::object();
        for (const auto& op : model.proto().opset_import())
            opsets[op.domain().empty() ? "ai.onnx" : op.domain()] = op.version();
        out["opset_import"] = opsets;
        out["inputs"] = inputs;
        out["outputs"] = outputs;
        out["nodes"] = nlohmann::ordered_json::array();
        for (auto& node : model.nodes()) {
            nlohmann::ordered_json n;
            n["name"] = node.name();
            n["op_type"] = node.op_type();
            n["domain"] = node.domain();
            n["inputs"] = node.inputs();
            n["outputs"] = node.outputs();
            out["nodes"].push_back(n);
        }
        out["tensors"] = nlohmann::ordered_json::array();
        for (const auto& t : tensors) {
            nlohmann::ordered_json j;
            j["name"] = t.name;
            j["shape"] = shape_json(t.shape);
            j["elem_type"] = t.elem_type;
            j["datatype"] = t.datatype;
            j["layout"] = t.layout.empty() ? nlohmann::ordered_json(nullptr)
                                           : nlohmann::ordered_json(model.layout(t.name));
            j["role"] = t.role.empty() ? "intermediate" : t.role;
            out["tensors"].push_back(j);
        }
        out["initializers"] = nlohmann::ordered_json::array();
        for (const auto& init : model.graph().initializer()) {
            Tensor value = tensor_from_proto(init);
            nlohmann::ordered_json j;
            j["name"] = init.name();
            j["shape"] = value.shape();
            j["elem_type"] = std::string(element_type_name(value.type()));
            j["elements"] = value.size();
            j["bytes"] = value.byte_size();
            out["initializers"].push_back(j);
        }
        if (!shape_warning.empty()) out["shape_inference_error"] = shape_warning;
        std::cout << out.dump(2) << "\n";
        return 0;
    }

    std::cout << "model " << *path << " (ir_version " << model.proto().ir_version() << ", opsets";
    for (const auto& op : model.proto().opset_import())
        std::cout << " " << (op.domain().empty() ? "ai.onnx" : op.domain()) << ":" << op.version();
    std::cout << ")\n";
    if (!shape_warning.empty()) std::cout << "warning: " << shape_warning << "\n";

    std::cout << "\nnodes (" << model.node_count() << "):\n";
    int index = 0;
    for (auto& node : model.nodes()) {
        std::cout << "  " << std::setw(3) << index++ << "  " << std::left << std::setw(28)
                  << (node.name().empty() ? "<unnamed>" : node.name()) << std::setw(26)
                  << node.op_type() << (node.domain().empty() ? "ai.onnx" : node.domain())
                  << std::right << "\n"
                  << "         in: " << join(node.inputs()) << "\n"
                  << "        out: " << join(node.outputs()) << "\n";
    }

    std::cout << "\ntensors (" << tensors.size() << "):\n";
    for (const auto& t : tensors)
        std::cout << "  " << std::left << std::setw(34) << t.name << std::setw(22)
                  << shape_text(t.shape) << std::setw(9) << t.elem_type << std::setw(12)
                  << t.datatype << std::setw(24) << t.layout << t.role << std::right << "\n";

    std::size_t total_bytes = 0;
    std::cout << "\ninitializers (" << model.graph().initializer_size() << "):\n";
    for (const auto& init : model.graph().initializer()) {
        Tensor value = tensor_from_proto(init);
        total_bytes += value.byte_size();
        std::cout << "  " << std::left << std::setw(34) << init.name() << std::setw(22)
                  << shape_text(value.shape()) << std::setw(10) << element_type_name(value.type())
                  << std::right << std::setw(10) << value.size() << " elements " << std::setw(10)
                  << value.byte_size() << " bytes\n";
    }
    std::cout << "  total " << total_bytes << " bytes\n";
    return 0;
}

} // namespace finn::cli
