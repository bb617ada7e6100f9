#include "finn/core/error.h"
#include "finn/exec/kernel.h"
#include "finn/ir/custom_op_schemas.h"

namespace finn {

const Tensor& KernelContext::input(int i) const {
    if (!has_input(i)) fail("input " + std::to_string(i) + " is required but missing");
    return *inputs[i];
}

void KernelContext::fail(const std::string& message) const {
    throw Error("node " + node.describe() + ": " + message);
}

std::string canonical_kernel_domain(const std::string& domain) {
    if (domain == "ai.onnx") return "";
    if (is_general_custom_domain(domain)) return domains::kQonnxGeneral;
    return domain;
}

void KernelRegistry::add(const std::string& domain, const std::string& op_type, KernelFn kernel) {
    kernels_[{canonical_kernel_domain(domain), op_type}] = std::move(kernel);
}

const KernelFn* KernelRegistry::find(const std::string& domain, const std::string& op_type) const {
    auto it = kernels_.find({canonical_kernel_domain(domain), op_type});
    return it == kernels_.end() ? nullptr : &it->second;
}

void KernelRegistry::add_mode_kernel(const std::string& exec_mode, const std::string& domain,
                                     const std::string& op_type, KernelFn kernel) {
    mode_kernels_[{exec_mode, {canonical_kernel_domain(domain), op_type}}] = std::move(kernel);
}

const KernelFn* KernelRegistry::find_mode_kernel(const std::string& exec_mode,
                                                 const std::string& domain,
                                                 const std::string& op_type) const {
    auto it = mode_kernels_.find({exec_mode, {canonical_kernel_domain(domain), op_type}});
    return it == mode_kernels_.end() ? nullptr : &it->second;
}

void KernelRegistry::add_model_runner(const std::string& exec_mode, ModelRunner runner) {
    model_runners_[exec_mode] = std::move(runner);
}

const KernelRegistry::ModelRunner*
KernelRegistry::find_model_runner(const std::string& exec_mode) const {
    auto it = model_runners_.find(exec_mode);
    return it == model_runners_.end() ? nullptr : &it->second;
}

std::vector<std::string> KernelRegistry::supported() const {
    std::vector<std::string> names;
    for (const auto& [key, kernel] : kernels_)
        names.push_back(key.first.empty() ? key.second : key.first + ":" + key.second);
    return names;
}

} // namespace finn
