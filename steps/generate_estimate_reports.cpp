// step_generate_estimate_reports, FINN's step of that name: with generate_outputs containing
// "estimate_reports": report/op_and_param_counts.json, report/estimate_layer_cycles.json,
// report/estimate_layer_resources.json, report/estimate_layer_config_alternatives.json, then
// AnnotateCycles (kept on the model) and report/estimate_network_performance.json; and
// report/index.html, a self-contained summary page (charts of cycles and resources per layer,
// bottleneck highlighted, folding per layer, the totals against the part's capacity); a warning
// when the estimate exceeds the part.
#include "builtin_steps.h"
#include "finn/core/error.h"
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
