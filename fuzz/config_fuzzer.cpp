// Fuzzes the build config reader: the document parser (each input as JSON and as YAML, since JSON
// seeds are valid YAML too) and BuildConfig::from_json, with and without the mandatory keys, plus
// the cheap derived values a step computes from it.
#include "finn/config/build_config.h"
#include "finn/config/config_file.h"
#include "finn/core/error.h"
#include "finn/initialize.h"
#include "fuzz_input.h"

namespace {

// Runs f; a finn::Error is an expected outcome for fuzzed input.
template <class F> void expect_ok_or_error(F&& f) {
    try {
        f();
    } catch (const finn::Error&) {
    }
}

void use_config(const finn::BuildConfig& config) {
    (void)config.to_json().dump();
    // Each derived value may reject the config on its own; that must not stop the others.
    expect_ok_or_error([&] { (void)config.cycles_per_frame(); });
    expect_ok_or_error([&] { (void)config.hls_clk_period_ns_resolved(); });
    expect_ok_or_error([&] { (void)config.fpga_part_resolved(); });
    expect_ok_or_error([&] { (void)config.verify_steps_resolved(); });
}

void run(std::string_view text, bool yaml) {
    nlohmann::ordered_json doc;
    try {
        doc = finn::parse_config_document(text, yaml, "fuzz");
    } catch (const finn::Error&) {
        return;
    }
    for (bool require_mandatory : {true, false})
        expect_ok_or_error(
            [&] { use_config(finn::BuildConfig::from_json(doc, "fuzz", require_mandatory)); });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool initialized = (finn::initialize(), true);
    (void)initialized;
    const std::string_view text = finn::fuzz::as_text(data, size);
    run(text, false);
    run(text, true);
    return 0;
}
