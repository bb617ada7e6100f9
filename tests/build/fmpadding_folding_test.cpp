// FMPadding's folding in the default flow is FINN's: `finn build_dataflow` of a padded conv net
// (the zoo's strided_w4a4: 3 x 16x16 padded to 18x18, then 8 x 8x8 padded to 10x10) at several
// target_fps values, checked in report/estimate_layer_cycles.json and the folded model.
//
// FINN's rule (finn/transformation/fpgadataflow/convert_to_hw_layers.py, set_folding.py,
// specialize_layers.py; custom_op/fpgadataflow/fmpadding.py):
// - InferConvInpGen creates FMPadding with SIMD = NumChannels;
// - SpecializeLayers picks the RTL variant when no style is preferred (FMPadding has both);
// - SetFolding's simd_ops list names FMPadding_hls but not FMPadding_rtl, so FMPadding_rtl is an
//   op it "doesn't know how to handle" (a warning) and keeps SIMD = NumChannels at every target;
// - cycles = (NumChannels / SIMD) * numInputVectors * H' * W' (H', W' the padded dimensions),
//   so H' * W' here whatever the target_fps.
#include "build_test_support.h"
#include "finn/ir/model.h"

#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;

TEST(FMPaddingFolding, RtlPaddingKeepsAllChannelsPerWordAtEveryTargetFps) {
    ScratchDir scratch;
    for (int fps : {1000, 10000, 100000, 1000000}) {
        SCOPED_TRACE("target_fps " + std::to_string(fps));
        const fs::path dir = scratch / ("fps" + std::to_string(fps));
        fs::create_directories(dir);
        auto zoo = run_command("cd " + shell_quote(dir.string()) + " && " +
                               shell_quote(finn_cli()) + " zoo strided_w4a4 -o model.onnx");
        ASSERT_EQ(zoo.exit_code, 0) << zoo.err;
        const nlohmann::ordered_json config = {{"output_dir", "out"},
                                               {"fpga_part", "xc7z020clg400-1"},
                                               {"synth_clk_period_ns", 10.0},
                                               {"target_fps", fps},
                                               {"generate_outputs", {"estimate_reports"}},
                                               {"stop_step", "step_generate_estimate_reports"}};
        std::ofstream(dir / "dataflow_build_config.json") << config.dump(2);
        auto build =
            run_command(shell_quote(finn_cli()) + " build_dataflow " + shell_quote(dir.string()));
        ASSERT_EQ(build.exit_code, 0) << build.out << build.err;

        const auto cycles = read_json(dir / "out/report/estimate_layer_cycles.json");
        Model folded =
            Model::load(dir / "out/intermediate_models/step_generate_estimate_reports.onnx");
        int paddings = 0;
        for (Node node : folded.nodes()) {
            if (node.op_type().rfind("FMPadding", 0) != 0) continue;
            ++paddings;
            EXPECT_EQ(node.op_type(), "FMPadding_rtl") << node.name();
            const std::int64_t channels = node.attr_int("NumChannels");
            const auto dim = node.attr_ints("ImgDim"), pad = node.attr_ints("Padding");
            const std::int64_t padded = (dim[0] + pad[0] + pad[2]) * (dim[1] + pad[1] + pad[3]);
            EXPECT_EQ(node.attr_int("SIMD"), channels) << node.name();
            EXPECT_EQ(cycles.at(node.name()), padded) << node.name();
        }
        EXPECT_EQ(paddings, 2);
        // The two layers of the comment: 18 x 18 and 10 x 10 cycles.
        EXPECT_EQ(cycles.at("FMPadding_rtl_0"), 18 * 18);
        EXPECT_EQ(cycles.at("FMPadding_rtl_1"), 10 * 10);
        EXPECT_NE(read_bytes(dir / "out/build_dataflow.log")
                      .find("SetFolding doesn't know how to handle op_type FMPadding_rtl"),
                  std::string::npos);
    }
}

} // namespace
} // namespace finn::testing
