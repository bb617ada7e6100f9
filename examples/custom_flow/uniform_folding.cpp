// A user's build step: gives every MVAU the same parallelism (at most 8 PEs and 8 SIMD lanes),
// as one might for a small FPGA, instead of FINN's search for a target frame rate. It is a normal
// Finn step tool: run_step_tool() provides the arguments, logging, timing and atomic output.
#include <algorithm>
#include <cstdint>
#include <finn/core/datatype.h>
#include <finn/step/step_tool.h>
#include <string>

namespace {

// The largest divisor of `n` not above `limit` (folding must divide the matrix dimensions).
std::int64_t largest_divisor_up_to(std::int64_t n, std::int64_t limit) {
    for (std::int64_t d = std::min(n, limit); d > 1; --d)
        if (n % d == 0) return d;
    return 1;
}

void fold_uniformly(finn::StepContext& ctx) {
    const std::int64_t wwidth_max = ctx.config().mvau_wwidth_max;
    for (finn::Node node : ctx.model().nodes()) {
        if (node.op_type().rfind("MVAU", 0) != 0) continue;
        const int weight_bits =
            finn::DataType::parse(node.attr_string("weightDataType")).bitwidth();
        // SIMD lanes times weight bits is the width of one PE's weight stream.
        const std::int64_t simd_limit = std::max<std::int64_t>(1, wwidth_max / weight_bits);
        const std::int64_t simd =
            largest_divisor_up_to(node.attr_int("MW"), std::min<std::int64_t>(8, simd_limit));
        const std::int64_t pe = largest_divisor_up_to(node.attr_int("MH"), 8);
        node.set_attr_int("SIMD", simd);
        node.set_attr_int("PE", pe);
        ctx.log(node.name() + ": PE=" + std::to_string(pe) + " SIMD=" + std::to_string(simd));
    }
}

} // namespace

int main(int argc, char** argv) {
    return finn::run_step_tool(
        {"step_uniform_folding", "give every MVAU at most 8 PEs and 8 SIMD lanes", fold_uniformly},
        argc, argv);
}
