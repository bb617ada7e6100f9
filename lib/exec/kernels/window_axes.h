// The geometry of a sliding window (Conv, MaxPool, AveragePool) along each spatial axis, derived
// from ONNX's strides, dilations, pads, auto_pad and ceil_mode attributes. Internal to the kernels.
#pragma once

#include "finn/exec/kernel.h"

#include <cstdint>
#include <vector>

namespace finn::kernels {

struct WindowAxis {
    std::int64_t in, kernel, stride, dilation, pad_begin, pad_end, out;
};

// One WindowAxis per spatial axis of `in` (the input's spatial dims) for a window of size
// `kernel`. SAME_UPPER/SAME_LOWER give ceil(in / stride) outputs with the odd pad at the end or
// the start. With `ceil_mode` (pooling), the output size rounds up, but a last window that would
// start in the end padding is dropped (as ONNX shape inference, onnxruntime and PyTorch do).
// Bad attributes fail through ctx with one line.
std::vector<WindowAxis> window_axes(const KernelContext& ctx, const Shape& in, const Shape& kernel,
                                    bool ceil_mode);

} // namespace finn::kernels
