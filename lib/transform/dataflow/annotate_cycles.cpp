#include "finn/hw/registry.h"
#include "finn/transform/folding.h"

#include <algorithm>
#include <map>

namespace finn {

bool AnnotateCycles::run(Model& model) {
    bool changed = false;
    for (Node node : model.nodes()) {
        auto layer = hw::make_layer(model, node);
        if (!layer) continue;
        const std::int64_t cycles = layer->exp_cycles();
        if (node.has_attr("cycles_estimate") && node.attr_int("cycles_estimate") == cycles)
            continue;
        node.set_attr_int("cycles_estimate", cycles);
        changed = true;
    }
    return changed;
}

DataflowPerformance dataflow_performance(const Model& model) {
    Model copy = model; // Node handles need a mutable graph
    DataflowPerformance perf;
    std::map<std::string, std::int64_t> latency_at; // by output tensor
    for (Node node : copy.nodes()) {
        if (node.domain() != domains::kFpgaDataflowHls &&
            node.domain() != domains::kFpgaDataflowRtl)
            continue;
        const std::int64_t cycles = node.attr_int("cycles_estimate", 0);
        if (cycles > perf.max_cycles) {
            perf.max_cycles = cycles;
            perf.max_cycles_node_name = node.name();
        }
        // Pessimistic: a node starts when its slowest predecessor has finished.
        std::int64_t start = 0;
        for (const auto& in : node.inputs()) {
            auto it = latency_at.find(in);
            if (it != latency_at.end()) start = std::max(start, it->second);
        }
        for (const auto& out : node.outputs())
            latency_at[out] = start + cycles;
        perf.critical_path_cycles = std::max(perf.critical_path_cycles, start + cycles);
    }
    return perf;
}

} // namespace finn
