#include "finn/report/estimate_reports.h"

#include "finn/hw/registry.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/folding.h"

namespace finn::report {
namespace {

using ojson = nlohmann::ordered_json;

bool is_specialized(const Node& node) {
    return node.domain() == domains::kFpgaDataflowHls || node.domain() == domains::kFpgaDataflowRtl;
}

// FINN's aggregate_dict_keys: every key summed as a float, efficiencies skipped.
ojson totals(const ojson& per_node) {
    ojson total = ojson::object();
    for (const auto& [node, counts] : per_node.items())
        for (const auto& [key, value] : counts.items()) {
            if (key.find("efficiency") != std::string::npos) continue;
            const double v = value.get<double>();
            total[key] = total.contains(key) ? total[key].get<double>() + v : v;
        }
    return total;
}

} // namespace

ojson op_and_param_counts(Model& model) {
    ojson out = ojson::object();
    for (Node node : model.nodes()) {
        if (!is_fpgadataflow_domain(node.domain())) continue;
        auto layer = hw::make_layer(model, node);
        out[node.name()] = layer ? layer->op_and_param_counts() : ojson::object();
    }
    out["total"] = totals(out);
    return out;
}

ojson layer_cycles(Model& model) {
    ojson out = ojson::object();
    for (Node node : model.nodes()) {
        if (!is_specialized(node)) continue;
        auto layer = hw::make_layer(model, node);
        out[node.name()] = layer ? layer->exp_cycles() : 0;
    }
    return out;
}

ojson layer_resources(Model& model, const std::string& fpga_part) {
    ojson out = ojson::object();
    for (Node node : model.nodes()) {
        if (!is_specialized(node)) continue;
        auto layer = hw::make_layer(model, node);
        out[node.name()] = (layer ? layer->resources(fpga_part) : hw::Resources{}).to_json();
    }
    out["total"] = totals(out);
    return out;
}

ojson layer_config_alternatives(Model& model, const std::string& fpga_part) {
    ojson out = ojson::object();
    for (Node node : model.nodes()) {
        if (!is_specialized(node)) continue;
        auto layer = hw::make_layer(model, node);
        ojson list = ojson::array();
        if (layer)
            for (const auto& r : layer->resource_alternatives(fpga_part))
                list.push_back(r.to_json());
        else
            list.push_back(hw::Resources{}.to_json());
        out[node.name()] = std::move(list);
    }
    return out;
}

ojson network_performance(const Model& model, double synth_clk_period_ns) {
    DataflowPerformance perf = dataflow_performance(model);
    ojson out;
    out["critical_path_cycles"] = perf.critical_path_cycles;
    out["max_cycles"] = perf.max_cycles;
    out["max_cycles_node_name"] = perf.max_cycles_node_name;
    out["estimated_throughput_fps"] =
        perf.max_cycles > 0 ? (1e9 / synth_clk_period_ns) / static_cast<double>(perf.max_cycles)
                            : 0.0;
    out["estimated_latency_ns"] =
        static_cast<double>(perf.critical_path_cycles) * synth_clk_period_ns;
    return out;
}

} // namespace finn::report
