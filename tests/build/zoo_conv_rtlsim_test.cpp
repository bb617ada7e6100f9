// Conv nets end to end in hardware: the zoo's LeNet (sliding windows, MVAUs, a StreamingMaxPool),
// residual block (DuplicateStreams, AddStreams) and depthwise-separable block (VVAU), each with a
// seeded input and its reference output, built through step_hw_ipgen with folded_hls_cppsim and
// node_by_node_rtlsim requested; both verifications succeed and every node gets a compiled rtlsim
// executable. Needs Verilator and make (else skipped).
#include "build_test_support.h"
#include "finn/ir/model.h"

#include <fstream>
#include <nlohmann/json.hpp>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;

class ZooConvNetRtlsim : public ::testing::TestWithParam<std::string> {};

TEST_P(ZooConvNetRtlsim, VerifiesInCppsimAndNodeByNodeRtlsim) {
    FINN_REQUIRE_VERILATOR();
    ScratchDir scratch;
    const fs::path dir = scratch / GetParam();
    fs::create_directories(dir);
    const std::string cd = "cd " + shell_quote(dir.string()) + " && " + shell_quote(finn_cli());
    auto zoo = run_command(cd + " zoo " + GetParam() + " -o model.onnx --input-npy input.npy");
    ASSERT_EQ(zoo.exit_code, 0) << zoo.err;
    auto reference =
        run_command(cd + " exec model.onnx --input input.npy --output expected_output.npy");
    ASSERT_EQ(reference.exit_code, 0) << reference.err;
    {
        nlohmann::ordered_json config = {
            {"output_dir", "out"},
            {"fpga_part", "xc7z020clg400-1"},
            {"synth_clk_period_ns", 10.0},
            {"target_fps", 1000},
            {"generate_outputs", {"estimate_reports"}},
            {"stop_step", "step_hw_ipgen"},
            {"verify_input_npy", "input.npy"},
            {"verify_expected_output_npy", "expected_output.npy"},
            {"verify_steps", {"folded_hls_cppsim", "node_by_node_rtlsim"}}};
        std::ofstream(dir / "dataflow_build_config.json") << config.dump(2);
    }
    auto build = run_command(cd + " build_dataflow .");
    const std::string log = read_bytes(dir / "out/build_dataflow.log");
    ASSERT_EQ(build.exit_code, 0) << build.out << build.err << log;
    EXPECT_NE(log.find("Verification for folded_hls_cppsim : SUCCESS"), std::string::npos) << log;
    EXPECT_NE(log.find("Verification for node_by_node_rtlsim : SUCCESS"), std::string::npos) << log;
    Model model = Model::load(dir / "out/intermediate_models/step_hw_ipgen.onnx");
    for (Node node : model.nodes())
        EXPECT_TRUE(fs::is_regular_file(dir / "out/hw" / node.name() / "sim_build/rtlsim"))
            << node.name();
}

INSTANTIATE_TEST_SUITE_P(Zoo, ZooConvNetRtlsim,
                         ::testing::Values("lenet_w4a4", "residual_w4a4", "dwsep_w4a4"));

} // namespace
} // namespace finn::testing
