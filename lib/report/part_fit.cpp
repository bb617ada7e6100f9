#include "finn/report/part_fit.h"

#include "finn/hw/registry.h"
#include "finn/ir/custom_op_schemas.h"

#include <algorithm>
#include <cstdio>

namespace finn::report {
namespace {

constexpr std::size_t kLargestLayers = 3;

struct LayerUse {
    std::string name;
    hw::Resources resources;
};

ResourceFit fit_of(const std::string& resource, std::int64_t available, double guideline,
                   const std::vector<LayerUse>& layers,
                   std::int64_t (*amount)(const hw::Resources&)) {
    ResourceFit fit;
    fit.resource = resource;
    fit.available = available;
    fit.guideline = guideline;
    for (const LayerUse& layer : layers) {
        const std::int64_t used = amount(layer.resources);
        fit.used += used;
        if (used > 0) fit.largest.emplace_back(layer.name, used);
    }
    // Largest first; equal amounts in graph order, so the report is deterministic.
    std::stable_sort(fit.largest.begin(), fit.largest.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (fit.largest.size() > kLargestLayers) fit.largest.resize(kLargestLayers);
    const double share = double(fit.used) / double(std::max<std::int64_t>(available, 1));
    fit.level = fit.used > available ? ResourceFit::Level::Over
                : share > guideline  ? ResourceFit::Level::Close
                                     : ResourceFit::Level::Fits;
    return fit;
}

std::string percent(double share) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", share * 100.0);
    return buf;
}

} // namespace

bool PartFit::over() const {
    return std::any_of(resources.begin(), resources.end(),
                       [](const ResourceFit& r) { return r.level == ResourceFit::Level::Over; });
}

PartFit part_fit(Model& model, const std::string& fpga_part) {
    PartFit fit;
    fit.fpga_part = fpga_part;
    fit.capacity = find_part_capacity(fpga_part);
    if (!fit.capacity) return fit;
    std::vector<LayerUse> layers;
    for (Node node : model.nodes()) {
        if (node.domain() != domains::kFpgaDataflowHls &&
            node.domain() != domains::kFpgaDataflowRtl)
            continue;
        if (auto layer = hw::make_layer(model, node))
            layers.push_back({node.name(), layer->resources(fpga_part)});
    }
    const PartCapacity& cap = *fit.capacity;
    // FINN's recommended limits: LUT 70 %, BRAM_18K, URAM and DSP 80 %.
    fit.resources = {
        fit_of("LUT", cap.lut, 0.7, layers, [](const hw::Resources& r) { return r.lut; }),
        fit_of("BRAM_18K", cap.bram_18k, 0.8, layers,
               [](const hw::Resources& r) { return r.bram_18k; }),
        fit_of("URAM", cap.uram, 0.8, layers, [](const hw::Resources& r) { return r.uram; }),
        fit_of("DSP", cap.dsp, 0.8, layers, [](const hw::Resources& r) { return r.dsp; }),
    };
    return fit;
}

std::string over_capacity_warning(const PartFit& fit) {
    std::string text;
    for (const ResourceFit& r : fit.resources) {
        if (r.level != ResourceFit::Level::Over) continue;
        text += text.empty() ? "" : "; ";
        text += r.resource + " " + std::to_string(r.used) + " of " + std::to_string(r.available);
        if (r.available > 0) text += " (" + percent(r.share()) + ")";
        text += ", most in ";
        for (std::size_t i = 0; i < r.largest.size(); ++i)
            text += (i ? ", " : "") + r.largest[i].first + " (" +
                    std::to_string(r.largest[i].second) + ")";
    }
    if (text.empty()) return text;
    return "the resource estimate exceeds the FPGA part " + fit.fpga_part + ": " + text +
           " (see report/index.html; lower target_fps or choose a larger part)";
}

} // namespace finn::report
