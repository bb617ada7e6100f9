// step_generate_estimate_reports, FINN's step of that name: with generate_outputs containing
// "estimate_reports": report/op_and_param_counts.json, report/estimate_layer_cycles.json,
// report/estimate_layer_resources.json, report/estimate_layer_config_alternatives.json, then
// AnnotateCycles (kept on the model) and report/estimate_network_performance.json; and
// report/index.html, a self-contained summary page (charts of cycles and resources per layer,
// bottleneck highlighted, folding per layer, the totals against the part's capacity); a warning
// when the estimate exceeds the part.
#include "builtin_steps.h"
#include "finn/core/error.h"
#include "finn/hw/registry.h"
#include "finn/report/estimate_reports.h"
#include "finn/report/html_report.h"
#include "finn/report/part_fit.h"
#include "finn/step/step_tool.h"
#include "finn/transform/folding.h"

namespace finn::steps {
namespace {

constexpr const char* kOpAndParamCounts = "report/op_and_param_counts.json";
constexpr const char* kLayerCycles = "report/estimate_layer_cycles.json";
constexpr const char* kLayerResources = "report/estimate_layer_resources.json";
constexpr const char* kConfigAlternatives = "report/estimate_layer_config_alternatives.json";
constexpr const char* kNetworkPerformance = "report/estimate_network_performance.json";
constexpr const char* kSummaryPage = "report/index.html";

// The cycle estimates are FINN's formulas (folding must match FINN's); where a formula is known not
// to describe Finn's hardware, one warning names the nodes and the log says why for each.
void warn_where_formulas_do_not_hold(StepContext& ctx, Model& model) {
    std::string nodes;
    int count = 0;
    for (Node node : model.nodes()) {
        auto layer = hw::make_layer(model, node);
        const std::string caveat = layer ? layer->exp_cycles_caveat() : "";
        if (caveat.empty()) continue;
        ctx.log("estimate of " + node.name() + " (FINN's formula kept): " + caveat);
        nodes += (count++ ? ", " : "") + node.name();
    }
    if (count)
        ctx.warn("FINN's expected-cycles formula does not describe Finn's hardware for " +
                 std::to_string(count) + (count == 1 ? " node" : " nodes") +
                 " (estimates kept as FINN's; the log says why): " + nodes);
}

void run(StepContext& ctx) {
    const BuildConfig& cfg = ctx.config();
    if (!cfg.has_output(DataflowOutputType::ESTIMATE_REPORTS)) return;
    const std::string part = cfg.fpga_part_resolved();
    // The throughput and latency estimates are in terms of the clock.
    if (!(cfg.synth_clk_period_ns > 0))
        throw Error("synth_clk_period_ns must be positive, got " +
                    nlohmann::json(cfg.synth_clk_period_ns).dump());
    Model& model = ctx.model();
    auto write = [&ctx](const char* file, const nlohmann::ordered_json& j) {
        ctx.write_output(file, j.dump(2, ' ', true));
    };
    write(kOpAndParamCounts, report::op_and_param_counts(model));
    write(kLayerCycles, report::layer_cycles(model));
    write(kLayerResources, report::layer_resources(model, part));
    write(kConfigAlternatives, report::layer_config_alternatives(model, part));
    AnnotateCycles().run(model);
    write(kNetworkPerformance, report::network_performance(model, cfg.synth_clk_period_ns));
    ctx.write_output(kSummaryPage, report::estimate_html(model, part, cfg.synth_clk_period_ns));
    if (std::string warning = report::over_capacity_warning(report::part_fit(model, part));
        !warning.empty())
        ctx.warn(warning);
    warn_where_formulas_do_not_hold(ctx, model);
}

std::vector<std::string> outputs(const BuildConfig& config) {
    if (!config.has_output(DataflowOutputType::ESTIMATE_REPORTS)) return {};
    return {kOpAndParamCounts,   kLayerCycles,        kLayerResources,
            kConfigAlternatives, kNetworkPerformance, kSummaryPage};
}

} // namespace

const StepDeclaration generate_estimate_reports{
    .name = "step_generate_estimate_reports",
    .summary = "write cycle, resource and performance estimates",
    .reads = with_part_keys({"synth_clk_period_ns"}),
    .outputs = outputs,
    .product = {{DataflowOutputType::ESTIMATE_REPORTS, "estimates"}},
    .run = run,
};

} // namespace finn::steps
