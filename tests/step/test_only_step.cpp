// finn-step-test-only: a step used only by the tests of the step framework.
//
// It records in the model that it ran (metadata "test_only_step"), writes report/test_only.json
// with the node count and the configured target_fps, and fails on purpose when the configuration
// sets "stop_step": "fail" (or "fail_with_details": an error with details), so the tests can check
// that a failing step writes nothing. It runs FINN's verification hook of tidy_up
// ("initial_python") when verify_steps asks for it.
#include "finn/core/error.h"
#include "finn/step/step_tool.h"

#include <nlohmann/json.hpp>

int main(int argc, char** argv) {
    finn::StepDefinition step{
        "step_test_only", "a step for testing the step framework", [](finn::StepContext& ctx) {
            ctx.log("test-only step sees " + std::to_string(ctx.model().node_count()) + " nodes");
            nlohmann::ordered_json report;
            report["nodes"] = ctx.model().node_count();
            report["target_fps"] = ctx.config().target_fps
                                       ? nlohmann::ordered_json(*ctx.config().target_fps)
                                       : nlohmann::ordered_json(nullptr);
            ctx.model().set_metadata("test_only_step", "ran");
            if (ctx.has_output_dir()) ctx.write_output("report/test_only.json", report.dump(2));
            ctx.verify_if_requested(finn::VerificationStepType::TIDY_UP_PYTHON, "initial_python");
            if (ctx.config().stop_step == "fail")
                throw finn::Error("deliberate failure for testing");
            if (ctx.config().stop_step == "fail_with_details")
                throw finn::Error("deliberate failure with details",
                                  "first detail line\nsecond detail line\n");
        }};
    return finn::run_step_tool(step, argc, argv);
}
