// Kernels: how the reference executor computes one node.
//
// A kernel is a function from a node (attributes) and its input tensors to its output tensors.
// Kernels are registered by (domain, op type) in a KernelRegistry; each group of operators has a
// register_*_kernels() function, and default_kernel_registry() calls them all (explicit
// registration: self-registering globals would be dropped by the linker from a static library).
// The hardware layers' kernels come from their definitions (lib/hw/), added at start-up.
#pragma once

#include "finn/core/tensor.h"
#include "finn/ir/node.h"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace finn {

class Model;

struct KernelContext {
    // The node being executed (typed attribute access; errors name the node).
    Node node;
    // One entry per node input; nullptr for an omitted optional input (empty name).
    std::vector<const Tensor*> inputs;
    // The opset version the model imports for the node's domain (0 if none).
    int opset = 0;
    // The whole model, for kernels that need annotations (e.g. datatypes of hardware ops).
    const Model* model = nullptr;
    // The folder the model's relative file references (a partition's child model) resolve
    // against; empty for the current directory.
    std::filesystem::path model_dir;

    // Input i, or an error naming the node if it is missing.
    const Tensor& input(int i) const;
    bool has_input(int i) const {
        return i < static_cast<int>(inputs.size()) && inputs[i] != nullptr;
    }
    // Throws finn::Error "node <name> (<op>): <message>".
    [[noreturn]] void fail(const std::string& message) const;
};

using KernelFn = std::function<std::vector<Tensor>(const KernelContext&)>;

class KernelRegistry {
public:
    // `domain` "" is the standard ONNX domain ("ai.onnx" is accepted as its alias). Custom ops are
    // registered in their canonical domain: qonnx.custom_op.general for the general ops (the
    // legacy finn, finn.custom_op.general and onnx.brevitas domains find them too), and the
    // fpgadataflow domains for hardware ops.
    void add(const std::string& domain, const std::string& op_type, KernelFn kernel);
    const KernelFn* find(const std::string& domain, const std::string& op_type) const;
    // "Add", "qonnx.custom_op.general:MultiThreshold", ... sorted, for error messages.
    std::vector<std::string> supported() const;

    // Kernels of an execution mode other than the reference one: a node whose attribute
    // `exec_mode` names the mode ("cppsim": the bit-accurate model of a hardware layer) runs
    // this kernel instead of the reference kernel.
    void add_mode_kernel(const std::string& exec_mode, const std::string& domain,
                         const std::string& op_type, KernelFn kernel);
    const KernelFn* find_mode_kernel(const std::string& exec_mode, const std::string& domain,
                                     const std::string& op_type) const;

    // Whole-model execution: a model whose metadata_prop `exec_mode` names a mode ("rtlsim": the
    // stitched design's simulation, as FINN's execute_onnx does) runs as one unit through this
    // runner instead of node by node. `model_dir` is the folder of the model's file, if any.
    using ModelRunner = std::function<std::map<std::string, Tensor>(
        const Model& model, const std::filesystem::path& model_dir,
        const std::map<std::string, Tensor>& inputs)>;
    void add_model_runner(const std::string& exec_mode, ModelRunner runner);
    const ModelRunner* find_model_runner(const std::string& exec_mode) const;

private:
    std::map<std::string, ModelRunner> model_runners_;
    std::map<std::pair<std::string, std::string>, KernelFn> kernels_;
    std::map<std::pair<std::string, std::pair<std::string, std::string>>, KernelFn> mode_kernels_;
};

// Maps a node's domain to the domain kernels are registered under.
std::string canonical_kernel_domain(const std::string& domain);

// The groups of kernels.
void register_elementwise_kernels(KernelRegistry& registry); // kernels/elementwise.cpp
void register_shape_kernels(KernelRegistry& registry);       // kernels/shape_ops.cpp
void register_reduction_kernels(KernelRegistry& registry);   // kernels/reductions.cpp
void register_conv_gemm_kernels(KernelRegistry& registry);   // kernels/conv_gemm.cpp
void register_pooling_kernels(KernelRegistry& registry);     // kernels/pooling.cpp
void register_qonnx_kernels(KernelRegistry& registry);       // kernels/qonnx_ops.cpp
void register_partition_kernels(KernelRegistry& registry);   // kernels/partition.cpp
// Replaces the StreamingDataflowPartition kernels of `registry` by ones that run `child` instead
// of the model the node's attribute names (FINN's execute_parent with a child model given).
void substitute_partition_child(KernelRegistry& registry, std::shared_ptr<const Model> child);

// All of the above, plus the groups dialects added (built once, on first use).
const KernelRegistry& default_kernel_registry();
// Adds a group of kernels to default_kernel_registry(): the hardware layers register theirs at
// start-up (finn::initialize()), so the executor knows no layer. A std::logic_error once the
// registry was built.
void add_default_kernel_group(std::function<void(KernelRegistry&)> group);

} // namespace finn
