// The declaration of a build step and the catalog of declarations a flow is planned from. Every
// built-in step is one StepDeclaration beside its `run` (steps/<name>.cpp), and the list of them,
// in FINN main's order, is steps/builtin_steps.def: the planner, the step tools and (through
// `finn plan --catalog`) the CMake functions all read that one list.
#pragma once

#include "finn/config/build_config.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace finn {

class StepContext; // finn/step/step_tool.h; the catalog only names a step's run function

// Which Ninja job pool a step runs in: most steps are light and run in parallel freely; heavy
// ones (Verilator builds, synthesis) share a pool sized from the machine's cores and memory.
enum class StepPool {
    Default,
    Heavy,
    // Heavy, but when Vivado is installed a long vendor run whose progress the console pool shows.
    VendorConsole,
};

// The output product a step makes when generate_outputs asks for it (product-gated steps always
// run and do nothing otherwise, as in FINN), and the CMake target that builds it
// (`<accelerator>_<target>` and the aggregate `<target>`).
struct StepProduct {
    DataflowOutputType type;
    std::string_view target;
};

// FINN's verification hook of a step: the verify_steps value and the file tag of its outputs.
struct StepVerification {
    VerificationStepType type;
    std::string_view tag;
    // Files of the output directory it reads, written by earlier steps (the parent model of a
    // parent-mode verification): when requested, the step depends on them in the build graph.
    std::vector<std::string_view> reads_outputs = {};
};

struct StepDeclaration {
    std::string_view name = {};    // FINN's step function name, e.g. "step_tidy_up"
    std::string_view summary = {}; // one line for --help
    // Older names of the step that users' configurations still carry.
    std::vector<std::string_view> aliases = {};
    // Configuration keys (DataflowBuildConfig fields) the step reads; its configuration slice
    // holds only these, so a key missing here reads as FINN's default.
    std::vector<std::string_view> reads = {};
    // Files the step always writes besides its model, relative to the output directory, given its
    // configuration slice (only files always written: Ninja reruns a rule forever when a declared
    // output never appears).
    std::vector<std::string> (*outputs)(const BuildConfig& slice) = nullptr;
    std::optional<StepProduct> product = {};
    // Other products that must be requested with it (FINN asserts them, e.g. rtlsim needs the
    // stitched IP); they are part of the step's configuration slice.
    std::vector<DataflowOutputType> requires_products = {};
    std::optional<StepVerification> verification = {};
    StepPool pool = StepPool::Default;
    // What the step does; nullptr for a step FINN has and Finn does not implement yet (no tool).
    void (*run)(StepContext& ctx) = nullptr;
};

// The Finn tool running a step: "step_tidy_up" -> "finn-step-tidy-up".
std::string step_tool_name(std::string_view step_name);

// `keys` followed by what BuildConfig::fpga_part_resolved() reads: fpga_part, or board and
// shell_flow_type.
std::vector<std::string_view> with_part_keys(std::vector<std::string_view> keys);

// A list of step declarations in flow order, looked up by the names users write.
class StepCatalog {
public:
    explicit StepCatalog(std::span<const StepDeclaration* const> steps) : steps_(steps) {}

    std::span<const StepDeclaration* const> steps() const { return steps_; }
    // The step names in order (for the built-in catalog: FINN main's
    // default_build_dataflow_steps).
    std::vector<std::string> names() const;
    // The canonical name of a step name as users write it: declared aliases (seed-era
    // step_convert_to_hls, step_hls_codegen, step_hls_ipgen, dev's step_make_driver) and short
    // names without the "step_" prefix (tidy_up) map to the declared names; anything else is
    // returned unchanged.
    std::string canonical_name(std::string_view name) const;
    // nullptr if `name` names no step of the catalog (after alias resolution).
    const StepDeclaration* find(std::string_view name) const;

private:
    std::span<const StepDeclaration* const> steps_;
};

// Keys every step reads: the console verbosity of its log.
std::span<const std::string_view> keys_read_by_every_step();
// Keys a step reads when its verification hook is requested.
std::span<const std::string_view> verification_keys();
// Keys whose values are file paths (resolved against the configuration's folder).
std::span<const std::string_view> path_keys();

} // namespace finn
