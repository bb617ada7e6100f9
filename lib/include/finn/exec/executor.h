// The reference executor: runs a Model on named input tensors, node by node in topological order,
// with one kernel per operator (standard ONNX, FINN/QONNX custom ops, and hardware ops as their
// issues add them). It is the project's ground truth: every step is verified by executing the
// model it writes.
#pragma once

#include "finn/core/tensor.h"
#include "finn/exec/kernel.h"
#include "finn/ir/model.h"

#include <filesystem>
#include <map>
#include <string>

namespace finn {

using TensorMap = std::map<std::string, Tensor>;

class Executor {
public:
    // Checks the model before running anything: every node has a kernel (else an error naming the
    // node, its op type and domain, and listing what is supported) and every tensor a node reads
    // is defined (a graph input, an initializer, or an earlier node's output). A node whose
    // attribute exec_mode is "cppsim" runs its layer's cppsim kernel (the bit-accurate model of
    // its folded hardware); without one it is an error naming the node and its op type. Other
    // exec_mode values run the reference kernel. A model whose metadata_prop exec_mode is set
    // runs as a whole through the registry's runner of that mode (FINN: "rtlsim" simulates the
    // stitched design); without one it is an error naming the mode.
    explicit Executor(const Model& model,
                      const KernelRegistry& registry = default_kernel_registry());
    // The same for a model stored in `model_dir`: file references in the model (the child model
    // of a StreamingDataflowPartition) resolve against that folder, as FINN does for a parent
    // model loaded from there.
    Executor(const Model& model, std::filesystem::path model_dir,
             const KernelRegistry& registry = default_kernel_registry());

    // Runs the graph. `inputs` must hold every graph input (not initializers) with the element
    // type and shape the model declares (unknown dimensions match anything); otherwise an error
    // names the input and the expected shape. Returns the graph outputs, or with
    // `keep_intermediates` every tensor of the execution (initializers excluded).
    TensorMap run(const TensorMap& inputs, bool keep_intermediates = false) const;

    // Like run, but a model whose input has batch 1 (first dimension) accepts a batch of N on every
    // input: samples run one by one and the outputs are stacked along the first axis, as FINN's
    // verification does.
    TensorMap run_batched(const TensorMap& inputs) const;

    const Model& model() const { return model_; }

private:
    const Model& model_;
    const KernelRegistry& registry_;
    std::vector<int> order_;
    std::vector<const KernelFn*> kernels_; // per entry of order_
    std::map<std::string, int> opsets_;
    std::filesystem::path model_dir_;
    const KernelRegistry::ModelRunner* model_runner_ = nullptr;
};

} // namespace finn
