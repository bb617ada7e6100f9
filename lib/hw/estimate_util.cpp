#include "estimate_util.h"

#include "finn/config/boards.h"
#include "finn/hw/hw_layer.h"

#include <algorithm>
#include <cmath>

namespace finn::hw::detail {

std::int64_t weight_layer_luts(const WeightLayerLutInputs& in) {
    const std::int64_t P = in.pe, Q = in.simd, W = in.weight_bits, A = in.input_bits;
    const std::int64_t omega = in.weight_depth;
    double c2 = 0;
    if ((in.mem_mode == "internal_decoupled" && in.ram_style == "distributed") ||
        (in.mem_mode == "internal_embedded" && omega <= 128))
        c2 = static_cast<double>(P * Q * W * ceil_div(omega, 64));
    const double mult = in.dsp_multipliers ? 0.0 : Q * (2 * ceil_div(W + A, 6) - 1) * (W + A);
    const double adder = static_cast<double>((W + A) * (2 * Q - 1));
    // The accumulator is bounded by the datatypes even when accDataType is still INT32.
    const double alpha =
        std::log2(static_cast<double>(in.reduction)) + W + A - 1 - (in.signed_input ? 1 : 0);
    const double acc = std::min(static_cast<double>(in.acc_datatype_bits),
                                std::ceil(alpha + std::log2(1 + std::pow(2.0, -alpha)) + 1));
    double thr = 0, cmp = 0;
    if (in.threshold_words) {
        const double levels = std::pow(2.0, static_cast<double>(in.output_bits)) - 1;
        thr = levels * acc * *in.threshold_words;
        cmp = levels * acc;
    }
    return static_cast<std::int64_t>(300 + 1.1 * (P * (mult + adder + acc + thr + cmp)) + c2);
}

nlohmann::ordered_json weight_layer_counts(std::int64_t input_bits, std::int64_t weight_bits,
                                           std::int64_t weights, std::int64_t macs,
                                           std::int64_t threshold_bits,
                                           std::int64_t threshold_count) {
    nlohmann::ordered_json counts;
    counts["op_mac_" + std::to_string(std::min(input_bits, weight_bits)) + "bx" +
           std::to_string(std::max(input_bits, weight_bits)) + "b"] = macs;
    counts["param_weight_" + std::to_string(weight_bits) + "b"] = weights;
    if (threshold_count > 0)
        counts["param_threshold_" + std::to_string(threshold_bits) + "b"] = threshold_count;
    return counts;
}

std::int64_t bram18_sdp(std::int64_t width, std::int64_t depth) {
    auto cdiv = [](std::int64_t a, std::int64_t b) { return (a + b - 1) / b; };
    if (width == 1) return cdiv(depth, 16384);
    if (width == 2) return cdiv(depth, 8192);
    if (width <= 4) return cdiv(depth, 4096) * cdiv(width, 4);
    if (width <= 9) return cdiv(depth, 2048) * cdiv(width, 9);
    if (width <= 18 || depth > 512) return cdiv(depth, 1024) * cdiv(width, 18);
    return cdiv(depth, 512) * cdiv(width, 36);
}

std::string dsp_block(const std::string& fpga_part) {
    return dsp_block_of_part(fpga_part);
}

AttrDecl int_attr(std::string name, nlohmann::json fallback, std::vector<nlohmann::json> allowed) {
    return AttrDecl{std::move(name), AttrType::Int, std::move(fallback), std::move(allowed)};
}

AttrDecl ints_attr(std::string name, nlohmann::json fallback) {
    return AttrDecl{std::move(name), AttrType::Ints, std::move(fallback), {}};
}

AttrDecl string_attr(std::string name, nlohmann::json fallback,
                     std::vector<nlohmann::json> allowed) {
    return AttrDecl{std::move(name), AttrType::String, std::move(fallback), std::move(allowed)};
}

std::vector<nlohmann::json> mem_modes(bool external) {
    std::vector<nlohmann::json> modes = {"internal_embedded", "internal_decoupled"};
    if (external) modes.push_back("external");
    for (const auto& [legacy, current] : legacy_mem_modes())
        modes.push_back(legacy);
    return modes;
}

} // namespace finn::hw::detail
