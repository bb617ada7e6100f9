// Every real Brevitas export in ../shared/models/brevitas (one test case per folder, found when the
// tests start) through `finn build_dataflow` with the folder's own configuration, in a scratch
// copy: the build reaches step_generate_estimate_reports, every verification the configuration
// asks for succeeds, and the model after each hardware step still computes expected_output.npy —
// step_convert_to_hw's whole model, and every later dataflow model run inside
// dataflow_parent.onnx, as FINN's parent-mode verification runs the accelerator.
#include "build_test_support.h"
#include "finn/core/npy.h"
#include "finn/exec/verification.h"
#include "finn/ir/model.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::vector<std::string> brevitas_folders() {
    std::vector<std::string> names;
    auto shared = shared_dir();
    if (!shared) return names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(*shared / "models/brevitas", ec))
        if (fs::exists(entry.path() / "dataflow_build_config.json"))
            names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// A GoogleTest name: letters, digits and underscores.
std::string test_name(std::string folder) {
    for (char& c : folder)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return folder;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines)
        text += line + "\n";
    return text;
}

class BrevitasModel : public ::testing::TestWithParam<std::string> {};

TEST_P(BrevitasModel, BuildsToEstimatesVerifiedAndEveryHardwareStepComputesTheExpectedOutput) {
    FINN_REQUIRE_SHARED(shared);
    const fs::path source = shared / "models/brevitas" / GetParam();
    ScratchDir dir;
    fs::copy(source, dir.path(), fs::copy_options::recursive);
    const json config = json::parse(read_bytes(dir / "dataflow_build_config.json"));
    const fs::path out = dir / config.at("output_dir").get<std::string>();

    const CommandResult build = run_command(shell_quote(finn_cli()) + " build_dataflow " +
                                            shell_quote(dir.path().string()));
    ASSERT_EQ(build.exit_code, 0) << build.out << build.err
                                  << read_bytes(out / "build_dataflow.log");
    EXPECT_EQ(steps_run(build), kEstimateFlow);

    // Every verification the configuration asks for, one file per sample, all SUCCESS.
    const Tensor input = read_npy(dir / config.at("verify_input_npy").get<std::string>());
    const Tensor expected =
        read_npy(dir / config.at("verify_expected_output_npy").get<std::string>());
    const std::size_t samples = static_cast<std::size_t>(input.shape().at(0));
    std::vector<std::string> results;
    for (const auto& entry : fs::directory_iterator(out / "verification_output"))
        results.push_back(entry.path().filename().string());
    EXPECT_EQ(results.size(), config.at("verify_steps").size() * samples);
    for (const auto& file : results)
        EXPECT_NE(file.find("_SUCCESS.npy"), std::string::npos) << file;

    // The hardware steps' models: convert_to_hw's on its own, the later ones (the dataflow
    // partition) inside the parent, reading the child from that step's file.
    const fs::path models = out / "intermediate_models";
    const VerificationReport converted = run_verification(
        Model::load(models / "step_convert_to_hw.onnx"), input, expected, "step_convert_to_hw");
    EXPECT_TRUE(converted.success) << joined(converted.log_lines);

    Model parent = Model::load(models / "dataflow_parent.onnx");
    std::vector<Node> partitions;
    for (Node node : parent.nodes())
        if (node.op_type() == "StreamingDataflowPartition") partitions.push_back(node);
    ASSERT_EQ(partitions.size(), 1u) << "FINN's flow needs one dataflow partition";
    const auto first =
        std::find(kEstimateFlow.begin(), kEstimateFlow.end(), "step_create_dataflow_partition");
    int checked = 0;
    for (auto step = first; step != kEstimateFlow.end(); ++step) {
        const fs::path child = models / (*step + ".onnx");
        if (!fs::exists(child)) continue;
        partitions[0].set_attr_string("model", fs::absolute(child).string());
        const VerificationReport report = run_verification(parent, input, expected, *step);
        EXPECT_TRUE(report.success) << *step << " in dataflow_parent.onnx:\n"
                                    << joined(report.log_lines);
        ++checked;
    }
    EXPECT_GE(checked, 5) << "the dataflow models from step_create_dataflow_partition on";
}

// Whether an export has convolutions or pooling (its meta.json's op types), as opposed to an MLP
// whose layers are all MVAU, Thresholding, LabelSelect, width converters and FIFOs.
bool is_conv_net(const std::string& folder) {
    const json meta =
        json::parse(read_bytes(*shared_dir() / "models/brevitas" / folder / "meta.json"));
    const auto& ops = meta.at("onnx_op_types");
    return std::any_of(ops.begin(), ops.end(), [](const json& op) {
        const std::string type = op.get<std::string>();
        return type.find("Conv") != std::string::npos || type.find("Pool") != std::string::npos;
    });
}

std::vector<std::string> brevitas_folders_where(bool conv_nets) {
    std::vector<std::string> chosen;
    for (const std::string& name : brevitas_folders())
        if (is_conv_net(name) == conv_nets) chosen.push_back(name);
    return chosen;
}

// The folder's configuration continued through step_create_stitched_ip with FIFOs sized by
// characterize and `verifications` added; runs `finn build_dataflow` and checks that every added
// verification succeeded on every sample.
void build_stitched_and_verify(const std::string& folder,
                               const std::vector<std::string>& verifications) {
    FINN_REQUIRE_SHARED(shared);
    FINN_REQUIRE_VERILATOR();
    ScratchDir dir;
    fs::copy(shared / "models/brevitas" / folder, dir.path(), fs::copy_options::recursive);
    json config = json::parse(read_bytes(dir / "dataflow_build_config.json"));
    config["stop_step"] = "step_create_stitched_ip";
    config["generate_outputs"].push_back("stitched_ip");
    config["auto_fifo_strategy"] = "characterize";
    for (const std::string& verification : verifications)
        config["verify_steps"].push_back(verification);
    std::ofstream(dir / "dataflow_build_config.json") << config.dump(2);
    const fs::path out = dir / config.at("output_dir").get<std::string>();

    const CommandResult build = run_command(shell_quote(finn_cli()) + " build_dataflow " +
                                            shell_quote(dir.path().string()));
    ASSERT_EQ(build.exit_code, 0) << build.out << build.err
                                  << read_bytes(out / "build_dataflow.log");
    const std::vector<std::string> steps = steps_run(build);
    ASSERT_FALSE(steps.empty());
    EXPECT_EQ(steps.back(), "step_create_stitched_ip");

    const std::int64_t samples =
        read_npy(dir / config.at("verify_input_npy").get<std::string>()).shape().at(0);
    const std::string log = read_bytes(out / "build_dataflow.log");
    for (const std::string& verification : verifications) {
        EXPECT_NE(log.find("Verification for " + verification + " : SUCCESS"), std::string::npos)
            << verification << "\n"
            << log;
        for (std::int64_t b = 0; b < samples; ++b)
            EXPECT_TRUE(
                fs::exists(out / "verification_output" /
                           ("verify_" + verification + "_" + std::to_string(b) + "_SUCCESS.npy")))
                << verification << " sample " << b;
    }
    EXPECT_EQ(log.find(": FAIL"), std::string::npos) << log;
}

class BrevitasMlpHardware : public ::testing::TestWithParam<std::string> {};

// The MLPs with the three hardware verifications: the bit-accurate model of every folded layer
// inside the parent (folded_hls_cppsim), every node's Verilated RTL (node_by_node_rtlsim) and the
// stitched accelerator (stitched_ip_rtlsim).
TEST_P(BrevitasMlpHardware, CppsimNodeByNodeAndStitchedRtlsimVerifyThroughCreateStitchedIp) {
    build_stitched_and_verify(GetParam(),
                              {"folded_hls_cppsim", "node_by_node_rtlsim", "stitched_ip_rtlsim"});
}

class BrevitasConvHardware : public ::testing::TestWithParam<std::string> {};

// The conv nets (cnv_w2a2, MobileNet-v1, the ResNet) as stitched accelerators. Their cppsim is
// FoldedHlsCppsim.Brevitas*; node by node they verify in bench/brevitas_rtlsim_bench.sh (one
// Verilator build per node, minutes for MobileNet's 100 nodes), so here only the stitched design.
TEST_P(BrevitasConvHardware, StitchedRtlsimVerifiesThroughCreateStitchedIp) {
    build_stitched_and_verify(GetParam(), {"stitched_ip_rtlsim"});
}

INSTANTIATE_TEST_SUITE_P(Shared, BrevitasMlpHardware,
                         ::testing::ValuesIn(brevitas_folders_where(false)),
                         [](const auto& info) { return test_name(info.param); });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(BrevitasMlpHardware);

INSTANTIATE_TEST_SUITE_P(Shared, BrevitasConvHardware,
                         ::testing::ValuesIn(brevitas_folders_where(true)),
                         [](const auto& info) { return test_name(info.param); });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(BrevitasConvHardware);

INSTANTIATE_TEST_SUITE_P(Shared, BrevitasModel, ::testing::ValuesIn(brevitas_folders()),
                         [](const auto& info) { return test_name(info.param); });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(BrevitasModel);

} // namespace
} // namespace finn::testing
