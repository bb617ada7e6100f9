#include "finn/exec/kernel.h"

namespace finn {

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
        register_hardware_kernels(r);
        register_partition_kernels(r);
        return r;
    }();
    return registry;
}

} // namespace finn
