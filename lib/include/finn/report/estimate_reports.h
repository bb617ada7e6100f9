// The estimate reports of step_generate_estimate_reports (spec/finn-builder.md §5.3), as JSON
// with FINN's keys in FINN's order; write them with dump(2) as FINN's json.dump(indent=2).
#pragma once

#include "finn/ir/model.h"

#include <nlohmann/json.hpp>
#include <string>

namespace finn::report {

// op_and_param_counts.json: per hardware node its op/parameter counts, plus "total" (floats).
nlohmann::ordered_json op_and_param_counts(Model& model);
// estimate_layer_cycles.json: expected cycles of every hls/rtl node.
nlohmann::ordered_json layer_cycles(Model& model);
// estimate_layer_resources.json: per hls/rtl node its resources, plus "total" (floats, without
// the efficiencies).
nlohmann::ordered_json layer_resources(Model& model, const std::string& fpga_part);
// estimate_layer_config_alternatives.json: per hls/rtl node the resources of its alternatives.
nlohmann::ordered_json layer_config_alternatives(Model& model, const std::string& fpga_part);
// estimate_network_performance.json from the cycles_estimate annotations.
nlohmann::ordered_json network_performance(const Model& model, double synth_clk_period_ns);

} // namespace finn::report
