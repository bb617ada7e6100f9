#include "finn/exec/kernel.h"

#include <mutex>
#include <stdexcept>
#include <vector>

namespace finn {
namespace {

struct AddedGroups {
    std::mutex mutex;
    std::vector<std::function<void(KernelRegistry&)>> groups;
    bool built = false;
};

AddedGroups& added_groups() {
    static AddedGroups added;
    return added;
}

} // namespace

void add_default_kernel_group(std::function<void(KernelRegistry&)> group) {
    AddedGroups& added = added_groups();
    std::lock_guard<std::mutex> lock(added.mutex);
    if (added.built)
        throw std::logic_error("add_default_kernel_group: the default kernel registry is already "
                               "built; add kernel groups at start-up");
    added.groups.push_back(std::move(group));
}

// Every kernel group the executor knows; a new group adds one line here.
const KernelRegistry& default_kernel_registry() {
    static const KernelRegistry registry = [] {
        KernelRegistry r;
        register_elementwise_kernels(r);
        register_shape_kernels(r);
        register_reduction_kernels(r);
        register_conv_gemm_kernels(r);
        register_pooling_kernels(r);
        register_qonnx_kernels(r);
        register_partition_kernels(r);
        AddedGroups& added = added_groups();
        std::lock_guard<std::mutex> lock(added.mutex);
        added.built = true;
        for (const auto& group : added.groups)
            group(r);
        return r;
    }();
    return registry;
}

} // namespace finn
