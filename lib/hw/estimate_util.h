// Helpers the resource models of several layers share (private to lib/hw/).
#pragma once

#include "finn/hw/mem_mode.h"
#include "finn/ir/custom_op_schemas.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace finn::hw::detail {

// RAMB18 count of a memory of `width` bits and `depth` words in simple-dual-port mode (FINN's
// table for MVAU weights and FIFOs, UG573).
std::int64_t bram18_sdp(std::int64_t width, std::int64_t depth);
// "DSP58", "DSP48E1" or "DSP48E2" for a part.
std::string dsp_block(const std::string& fpga_part);

// op_and_param_counts of a layer with weights (MVAU, VVAU): MACs of input x weight bits (widths
// ordered low to high), the weight count, and the thresholds when it has an activation
// (threshold_count 0 = none).
nlohmann::ordered_json weight_layer_counts(std::int64_t input_bits, std::int64_t weight_bits,
                                           std::int64_t weights, std::int64_t macs,
                                           std::int64_t threshold_bits,
                                           std::int64_t threshold_count);

// What FINN-R's LUT model of a layer with weights (MVAU, VVAU) reads.
struct WeightLayerLutInputs {
    std::int64_t pe, simd, weight_bits, input_bits;
    std::int64_t reduction; // products summed into one output: MW, or the kernel size
    bool signed_input;
    std::int64_t acc_datatype_bits;
    bool dsp_multipliers; // resType "dsp"
    std::string mem_mode, ram_style;
    std::int64_t weight_depth; // words of weight memory (wmem)
    // 64-bit words of thresholds each PE keeps in LUTs, when the model counts thresholds.
    std::optional<double> threshold_words;
    std::int64_t output_bits;
};
// FINN-R's LUT model: 300 + 1.1 * P * (multipliers + adders + accumulator + thresholds +
// comparators) + the LUTs holding weights.
std::int64_t weight_layer_luts(const WeightLayerLutInputs& in);

// Declaration shorthands.
AttrDecl int_attr(std::string name, nlohmann::json fallback,
                  std::vector<nlohmann::json> allowed = {});
AttrDecl ints_attr(std::string name, nlohmann::json fallback);
AttrDecl string_attr(std::string name, nlohmann::json fallback,
                     std::vector<nlohmann::json> allowed = {});
inline const nlohmann::json kRequired = nullptr;
inline const std::vector<nlohmann::json> kBool = {0, 1};
// FINN's mem_mode values plus the legacy ones older files carry (finn/hw/mem_mode.h).
std::vector<nlohmann::json> mem_modes(bool external);

} // namespace finn::hw::detail
