// The catalog of FINN's build steps: for every built-in step its FINN name, the Finn tool that
// runs it, the configuration keys it reads, the output product it makes and its verification
// hook. The build graph (finn_add_accelerator) and the simple mode are generated from this one
// table, so a step depends on exactly the configuration keys listed here.
#pragma once

#include "finn/config/build_config.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace finn {

// Which Ninja job pool a step runs in: most steps are light and run in parallel freely; heavy
// ones (Verilator builds, synthesis) share a pool sized from the machine's cores and memory.
enum class StepPool { Default, Heavy };

struct BuiltinStep {
    std::string_view name = {}; // FINN's step function name, e.g. "step_tidy_up"
    std::string_view tool = {}; // the Finn step tool, e.g. "finn-step-tidy-up"
    // Configuration keys (DataflowBuildConfig fields) the step reads.
    std::vector<std::string_view> reads = {};
    // The output product the step makes when generate_outputs asks for it (product-gated steps
    // always run and do nothing otherwise, as in FINN).
    std::optional<DataflowOutputType> product = {};
    // Other products that must be requested with it (FINN asserts them, e.g. rtlsim needs the
    // stitched IP); they are part of the step's configuration slice.
    std::vector<DataflowOutputType> requires_products = {};
    std::optional<VerificationStepType> verification = {};
    StepPool pool = StepPool::Default;
};

// All built-in steps, FINN main's default order.
std::span<const BuiltinStep> builtin_steps();
// nullptr if `name` is not a built-in step (after alias resolution).
const BuiltinStep* find_builtin_step(std::string_view name);

// FINN main's default_build_dataflow_steps (19 names).
std::vector<std::string> default_build_steps();
// FINN's estimate_only_dataflow_steps: the first 10 default steps.
std::vector<std::string> estimate_only_build_steps();

// The canonical name of a step name as users write it: seed-era names (step_convert_to_hls,
// step_hls_codegen, step_hls_ipgen), dev's step_make_driver, and short names without the
// "step_" prefix (tidy_up) map to main's names; anything else is returned unchanged.
std::string canonical_step_name(std::string_view name);

// The product a per-product CMake target builds (`<accelerator>_<target>`, and the project-wide
// aggregate `<target>`): estimates, stitched_ip, rtlsim, ooc_synth, bitfile, driver, deploy.
struct ProductTarget {
    std::string_view target;
    DataflowOutputType product;
    std::string_view step; // the step that makes it
};
std::span<const ProductTarget> product_targets();

// Keys every step reads: the console verbosity of its log.
std::span<const std::string_view> keys_read_by_every_step();
// Keys a step reads when its verification hook is requested.
std::span<const std::string_view> verification_keys();
// Keys whose values are file paths (resolved against the configuration's folder).
std::span<const std::string_view> path_keys();

} // namespace finn
