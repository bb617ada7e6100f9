// folded_hls_cppsim (FINN's FOLDED_HLS_CPPSIM verification, run at the end of
// step_apply_folding_config): the MLPs of ../shared, the Brevitas CNV and the zoo's padded,
// strided convnet, built with the verification requested, run every layer of their dataflow
// partition through its cppsim model inside dataflow_parent.onnx and match expected_output.npy; a
// residual net, whose branch layers have no cppsim model yet, gets a warning naming them and no
// verification result. The
// step's output model stays the same bytes as in a build without the verification.
#include "build_test_support.h"
#include "finn/core/npy.h"
#include "finn/exec/verification.h"
#include "finn/ir/model.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

struct Build {
    CommandResult result;
    fs::path out;
    std::string log;
    std::int64_t samples = 0;
};

// Copies a model folder, edits its configuration (estimate reports only, verify_steps ending in
// folded_hls_cppsim unless `request` is false) and runs `finn build_dataflow` on it.
Build build_with_cppsim(const fs::path& source, const ScratchDir& dir, bool request = true,
                        const json& overrides = json::object()) {
    fs::copy(source, dir.path(), fs::copy_options::recursive);
    json config = json::parse(read_bytes(dir / "dataflow_build_config.json"));
    config["generate_outputs"] = json::array({"estimate_reports"});
    config["stop_step"] = "step_generate_estimate_reports";
    json steps = json::array();
    for (const auto& step : config.value("verify_steps", json::array()))
        if (step != "stitched_ip_rtlsim" && step != "folded_hls_cppsim") steps.push_back(step);
    if (request) steps.push_back("folded_hls_cppsim");
    config["verify_steps"] = steps;
    config.update(overrides);
    {
        std::ofstream file(dir / "dataflow_build_config.json", std::ios::binary | std::ios::trunc);
        file << config.dump(2);
    }
    Build build;
    build.out = dir / config.at("output_dir").get<std::string>();
    build.result = run_command(shell_quote(finn_cli()) + " build_dataflow " +
                               shell_quote(dir.path().string()));
    build.log = read_bytes(build.out / "build_dataflow.log");
    const std::string input = config.value("verify_input_npy", std::string("input.npy"));
    build.samples = read_npy(dir / input).shape().at(0);
    return build;
}

void expect_cppsim_success(const fs::path& source) {
    ScratchDir dir;
    const Build build = build_with_cppsim(source, dir);
    ASSERT_EQ(build.result.exit_code, 0) << build.result.out << build.result.err << build.log;
    EXPECT_NE(build.log.find("Verification for folded_hls_cppsim : SUCCESS"), std::string::npos)
        << build.log;
    for (std::int64_t b = 0; b < build.samples; ++b)
        EXPECT_TRUE(fs::exists(build.out / "verification_output" /
                               ("verify_folded_hls_cppsim_" + std::to_string(b) + "_SUCCESS.npy")))
            << "sample " << b;
    // The step's own model does not carry exec_mode.
    const std::string stepped =
        read_bytes(build.out / "intermediate_models/step_apply_folding_config.onnx");
    EXPECT_EQ(stepped.find("cppsim"), std::string::npos);
}

// A zoo convnet with padded, strided convolutions: its FMPadding and sliding window generator
// nodes run through their cppsim models too (no ../shared needed: the input and the reference
// output come from `finn zoo` and `finn exec`).
TEST(FoldedHlsCppsim, PaddedStridedZooConvNetSucceeds) {
    ScratchDir source;
    const std::string cli = shell_quote(finn_cli());
    const auto made =
        run_command("cd " + shell_quote(source.path().string()) + " && " + cli +
                    " zoo strided_w4a4 -o model.onnx --input-npy input.npy && " + cli +
                    " exec model.onnx --input input.npy --output " + "expected_output.npy");
    ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
    {
        std::ofstream file(source / "dataflow_build_config.json", std::ios::binary);
        file << json{
            {"output_dir", "out"},
            {"fpga_part", "xc7z020clg400-1"},
            {"synth_clk_period_ns", 10.0},
            {"target_fps", 1000},
            {"save_intermediate_models",
             true}}.dump(2);
    }
    expect_cppsim_success(source.path());
}

TEST(FoldedHlsCppsim, FinnTfcW1A1WithItsFoldingConfigSucceeds) {
    FINN_REQUIRE_SHARED(shared);
    expect_cppsim_success(shared / "models/finn/tfc_w1a1");
}

// The verification can fail: the step's checkpoint in cppsim, with the last MVAU's weights
// inverted, no longer computes the expected output inside the parent.
TEST(FoldedHlsCppsim, ParentVerificationFailsWhenThePartitionComputesSomethingElse) {
    FINN_REQUIRE_SHARED(shared);
    ScratchDir dir;
    const Build build = build_with_cppsim(shared / "models/brevitas/tfc_w1a1", dir);
    ASSERT_EQ(build.result.exit_code, 0) << build.log;
    const fs::path models = build.out / "intermediate_models";
    const Model parent = Model::load(models / "dataflow_parent.onnx");
    Model child = Model::load(models / "step_apply_folding_config.onnx");
    for (Node node : child.nodes())
        node.set_attr_string("exec_mode", "cppsim");
    const Tensor input = read_npy(dir / "input.npy");
    const Tensor expected = read_npy(dir / "expected_output.npy");
    EXPECT_TRUE(run_parent_verification(parent, child, input, expected, "clean").success);

    std::optional<Node> last;
    for (Node node : child.nodes())
        if (node.op_type().rfind("MVAU", 0) == 0) last = node;
    ASSERT_TRUE(last);
    auto weights = child.initializer(last->input(1));
    auto values = weights.to_doubles();
    const bool binary =
        std::all_of(values.begin(), values.end(), [](double v) { return v == 0 || v == 1; });
    for (auto& v : values)
        v = binary ? 1 - v : -v; // the same datatype (BINARY, BIPOLAR or signed)
    child.set_initializer(last->input(1),
                          Tensor::from_doubles(weights.type(), weights.shape(), values));
    const VerificationReport corrupted =
        run_parent_verification(parent, child, input, expected, "corrupted");
    EXPECT_FALSE(corrupted.success);
    EXPECT_EQ(corrupted.log_lines.back(), "Verification for corrupted : FAIL");
}

class BrevitasMlp : public ::testing::TestWithParam<std::string> {};

TEST_P(BrevitasMlp, FoldedHlsCppsimSucceeds) {
    FINN_REQUIRE_SHARED(shared);
    expect_cppsim_success(shared / "models/brevitas" / GetParam());
}

INSTANTIATE_TEST_SUITE_P(Shared, BrevitasMlp,
                         ::testing::Values("tfc_w1a1", "tfc_w1a1_prepost", "sfc_w1a2",
                                           "cybsec_mlp_w2a2"));

// Requesting the verification changes no intermediate model of the build.
TEST(FoldedHlsCppsim, IntermediateModelsAreTheSameBytesWithAndWithoutTheVerification) {
    FINN_REQUIRE_SHARED(shared);
    ScratchDir with_dir, without_dir;
    const Build with = build_with_cppsim(shared / "models/brevitas/sfc_w1a2", with_dir);
    const Build without =
        build_with_cppsim(shared / "models/brevitas/sfc_w1a2", without_dir, false);
    ASSERT_EQ(with.result.exit_code, 0) << with.log;
    ASSERT_EQ(without.result.exit_code, 0) << without.log;
    for (const auto& step : kEstimateFlow)
        EXPECT_EQ(read_bytes(with.out / "intermediate_models" / (step + ".onnx")),
                  read_bytes(without.out / "intermediate_models" / (step + ".onnx")))
            << step;
}

// Without the parent model (FINN asserts save_intermediate_models) the verification is skipped
// with a warning saying why.
TEST(FoldedHlsCppsim, WithoutIntermediateModelsWarnsAndWritesNoResult) {
    FINN_REQUIRE_SHARED(shared);
    ScratchDir dir;
    const Build build = build_with_cppsim(shared / "models/brevitas/tfc_w1a1", dir, true,
                                          {{"save_intermediate_models", false}});
    ASSERT_EQ(build.result.exit_code, 0) << build.result.out << build.result.err << build.log;
    EXPECT_NE(build.log.find("Warning: verify_steps requests folded_hls_cppsim, which "
                             "step_apply_folding_config does not run: it runs the dataflow "
                             "partition inside the parent model "
                             "intermediate_models/dataflow_parent.onnx"),
              std::string::npos)
        << build.log;
    EXPECT_EQ(build.log.find("Verification for folded_hls_cppsim"), std::string::npos);
}

// CNV's sliding windows and max pools run through their cppsim models.
TEST(FoldedHlsCppsim, BrevitasCnvW2A2Succeeds) {
    FINN_REQUIRE_SHARED(shared);
    expect_cppsim_success(shared / "models/brevitas/cnv_w2a2");
}

// The residual and depthwise-separable nets: their branch layers (DuplicateStreams, AddStreams),
// DownSampler, Pool and VVAU run through their cppsim models too.
TEST(FoldedHlsCppsim, BrevitasResnetSucceeds) {
    FINN_REQUIRE_SHARED(shared);
    expect_cppsim_success(shared / "models/brevitas/resnet_w4a4_small");
}

TEST(FoldedHlsCppsim, BrevitasMobilenetSucceeds) {
    FINN_REQUIRE_SHARED(shared);
    expect_cppsim_success(shared / "models/brevitas/mobilenet_v1_w4a4_x0.25_64px");
}

} // namespace
} // namespace finn::testing
