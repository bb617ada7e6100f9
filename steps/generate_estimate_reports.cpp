// finn-step-generate-estimate-reports: FINN's step_generate_estimate_reports — with
// generate_outputs containing "estimate_reports": report/op_and_param_counts.json,
// report/estimate_layer_cycles.json, report/estimate_layer_resources.json,
// report/estimate_layer_config_alternatives.json, then AnnotateCycles (kept on the model) and
// report/estimate_network_performance.json; and report/index.html, a self-contained summary
// page (charts of cycles and resources per layer, bottleneck highlighted, folding per layer).
#include "finn/core/error.h"
#include "finn/report/estimate_reports.h"
#include "finn/report/html_report.h"
#include "finn/step/step_tool.h"
#include "finn/transform/folding.h"

int main(int argc, char** argv) {
    finn::StepDefinition step{
        "step_generate_estimate_reports", "write cycle, resource and performance estimates",
        [](finn::StepContext& ctx) {
            const finn::BuildConfig& cfg = ctx.config();
            if (!cfg.has_output(finn::DataflowOutputType::ESTIMATE_REPORTS)) return;
            const std::string part = cfg.fpga_part_resolved();
            // The throughput and latency estimates are in terms of the clock.
            if (!(cfg.synth_clk_period_ns > 0))
                throw finn::Error("synth_clk_period_ns must be positive, got " +
                                  nlohmann::json(cfg.synth_clk_period_ns).dump());
            finn::Model& model = ctx.model();
            auto write = [&ctx](const std::string& name, const nlohmann::ordered_json& j) {
                ctx.write_output("report/" + name, j.dump(2, ' ', true));
            };
            write("op_and_param_counts.json", finn::report::op_and_param_counts(model));
            write("estimate_layer_cycles.json", finn::report::layer_cycles(model));
            write("estimate_layer_resources.json", finn::report::layer_resources(model, part));
            write("estimate_layer_config_alternatives.json",
                  finn::report::layer_config_alternatives(model, part));
            finn::AnnotateCycles().run(model);
            write("estimate_network_performance.json",
                  finn::report::network_performance(model, cfg.synth_clk_period_ns));
            ctx.write_output("report/index.html",
                             finn::report::estimate_html(model, part, cfg.synth_clk_period_ns));
        }};
    return finn::run_step_tool(step, argc, argv);
}
