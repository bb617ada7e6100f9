#include "window_axes.h"

#include <algorithm>
#include <string>

namespace finn::kernels {

std::vector<WindowAxis> window_axes(const KernelContext& ctx, const Shape& in, const Shape& kernel,
                                    bool ceil_mode) {
    const std::size_t n = in.size();
    const auto strides = ctx.node.attr_ints("strides", std::vector<std::int64_t>(n, 1));
    const auto dilations = ctx.node.attr_ints("dilations", std::vector<std::int64_t>(n, 1));
    const auto pads = ctx.node.attr_ints("pads", std::vector<std::int64_t>(2 * n, 0));
    const std::string auto_pad = ctx.node.attr_string("auto_pad", "NOTSET");
    if (strides.size() != n || dilations.size() != n || pads.size() != 2 * n)
        ctx.fail("strides/dilations/pads have " + std::to_string(strides.size()) + "/" +
                 std::to_string(dilations.size()) + "/" + std::to_string(pads.size()) +
                 " values, expected " + std::to_string(n) + "/" + std::to_string(n) + "/" +
                 std::to_string(2 * n) + " for " + std::to_string(n) + " spatial axes");
    const bool same = auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER";
    if (auto_pad != "NOTSET" && auto_pad != "VALID" && !same)
        ctx.fail("auto_pad '" + auto_pad + "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");

    std::vector<WindowAxis> axes(n);
    for (std::size_t d = 0; d < n; ++d) {
        WindowAxis& ax = axes[d];
        ax = {in[d], kernel[d], strides[d], dilations[d], pads[d], pads[d + n], 0};
        if (ax.kernel < 1 || ax.stride < 1 || ax.dilation < 1 || ax.pad_begin < 0 || ax.pad_end < 0)
            ctx.fail("kernel size, strides and dilations must be >= 1 and pads >= 0");
        const std::int64_t extent = (ax.kernel - 1) * ax.dilation + 1;
        if (auto_pad == "VALID") ax.pad_begin = ax.pad_end = 0;
        if (same) {
            const std::int64_t out = (ax.in + ax.stride - 1) / ax.stride;
            const std::int64_t total =
                std::max<std::int64_t>(0, (out - 1) * ax.stride + extent - ax.in);
            ax.pad_begin = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
            ax.pad_end = total - ax.pad_begin;
        }
        const std::int64_t span = ax.in + ax.pad_begin + ax.pad_end - extent;
        if (span < 0)
            ctx.fail("the window (extent " + std::to_string(extent) +
                     ") is larger than the padded input (" +
                     std::to_string(ax.in + ax.pad_begin + ax.pad_end) + ") on spatial axis " +
                     std::to_string(d));
        // SAME padding makes span / stride + 1 == ceil(in / stride) already.
        const bool round_up = ceil_mode && !same;
        ax.out = (round_up ? (span + ax.stride - 1) / ax.stride : span / ax.stride) + 1;
        if (round_up && (ax.out - 1) * ax.stride >= ax.in + ax.pad_begin) --ax.out;
    }
    return axes;
}

} // namespace finn::kernels
