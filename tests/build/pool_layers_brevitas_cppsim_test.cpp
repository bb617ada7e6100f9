// Real conv nets' pooling nodes in cppsim: the Brevitas CNV (StreamingMaxPool), ResNet
// (DownSampler, Pool's QuantAvgPool) and MobileNet-v1 (Pool's QuantAvgPool) of ../shared go through
// `finn build_dataflow` with their own configuration; in the folded dataflow model
// (step_apply_folding_config) every node of those layers runs through its cppsim model, the rest
// through the reference execution, and the parent model still computes expected_output.npy for
// every sample. The sliding-window generators have no cppsim model on this branch, so the layers
// are checked inside the reference run of the others.
#include "build_test_support.h"
#include "finn/core/npy.h"
#include "finn/exec/verification.h"
#include "finn/ir/model.h"

#include <map>
#include <nlohmann/json.hpp>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;

// The folder's build, then the parent verification with `ops` in cppsim; returns the number of
// nodes switched to cppsim per op type.
std::map<std::string, int> verify_with_pooling_nodes_in_cppsim(const fs::path& source) {
    ScratchDir dir;
    fs::copy(source, dir.path(), fs::copy_options::recursive);
    const auto config = nlohmann::json::parse(read_bytes(dir / "dataflow_build_config.json"));
    const fs::path out = dir / config.at("output_dir").get<std::string>();
    const CommandResult build = run_command(shell_quote(finn_cli()) + " build_dataflow " +
                                            shell_quote(dir.path().string()));
    EXPECT_EQ(build.exit_code, 0) << build.out << build.err;
    if (build.exit_code != 0) return {};

    const fs::path models = out / "intermediate_models";
    Model child = Model::load(models / "step_apply_folding_config.onnx");
    std::map<std::string, int> switched;
    for (Node node : child.nodes()) {
        const std::string& op = node.op_type();
        if (op == "StreamingMaxPool_hls" || op == "Pool_hls" || op == "DownSampler_hls" ||
            op == "GlobalAccPool_hls") {
            node.set_attr_string("exec_mode", "cppsim");
            ++switched[op];
        }
    }
    const Tensor input = read_npy(dir / config.at("verify_input_npy").get<std::string>());
    const Tensor expected =
        read_npy(dir / config.at("verify_expected_output_npy").get<std::string>());
    const VerificationReport report =
        run_parent_verification(Model::load(models / "dataflow_parent.onnx"), child, input,
                                expected, "pooling_nodes_in_cppsim");
    std::string log;
    for (const auto& line : report.log_lines)
        log += line + "\n";
    EXPECT_TRUE(report.success) << log;
    return switched;
}

TEST(PoolLayersBrevitasCppsim, CnvMaxPoolNodesInCppsimComputeTheExpectedOutput) {
    FINN_REQUIRE_SHARED(shared);
    const auto switched = verify_with_pooling_nodes_in_cppsim(shared / "models/brevitas/cnv_w2a2");
    EXPECT_GE(switched.count("StreamingMaxPool_hls") ? switched.at("StreamingMaxPool_hls") : 0, 2);
}

TEST(PoolLayersBrevitasCppsim, ResnetDownSamplerAndPoolNodesInCppsimComputeTheExpectedOutput) {
    FINN_REQUIRE_SHARED(shared);
    const auto switched =
        verify_with_pooling_nodes_in_cppsim(shared / "models/brevitas/resnet_w4a4_small");
    EXPECT_GE(switched.count("DownSampler_hls") ? switched.at("DownSampler_hls") : 0, 1);
    EXPECT_GE(switched.count("Pool_hls") ? switched.at("Pool_hls") : 0, 1);
}

// MobileNet-v1's global average pooling is a Pool with QuantAvgPool over the whole last map.
TEST(PoolLayersBrevitasCppsim, MobilenetQuantAvgPoolNodeInCppsimComputesTheExpectedOutput) {
    FINN_REQUIRE_SHARED(shared);
    const auto switched = verify_with_pooling_nodes_in_cppsim(
        shared / "models/brevitas/mobilenet_v1_w4a4_x0.25_64px");
    EXPECT_GE(switched.count("Pool_hls") ? switched.at("Pool_hls") : 0, 1);
}

} // namespace
} // namespace finn::testing
