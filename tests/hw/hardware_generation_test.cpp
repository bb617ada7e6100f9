// The layers' generate_hardware slots and the node wrapper (lib/hwgen): module parameters from
// the node's attributes, memory images in the layout hls/README.md gives, and the wrapper passing
// `verilator --lint-only -Wall` (when Verilator is installed). The TFC build test covers MVAU,
// Thresholding and LabelSelect end to end in rtlsim; FIFOs and width converters are checked here.
#include "finn/core/error.h"
#include "finn/hw/layer_definition.h"
#include "finn/hw/registry.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/util/file_io.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace finn {
namespace {

namespace fs = std::filesystem;

Model one_node(const std::string& op, const std::string& domain,
               const std::vector<std::pair<std::string, std::vector<std::int64_t>>>& ints,
               const std::vector<std::pair<std::string, std::string>>& strings,
               std::vector<std::string> inputs = {"x"}) {
    Model model;
    Node n = model.add_node(op, inputs, {"y"}, op + "_0", domain);
    for (const auto& [k, v] : ints) {
        if (k == "folded_shape" || k == "normal_shape" || k == "shape" || k == "numInputVectors")
            n.set_attr_ints(k, v);
        else
            n.set_attr_int(k, v[0]);
    }
    for (const auto& [k, v] : strings)
        n.set_attr_string(k, v);
    return model;
}

hwgen::NodeFiles generate(Model& model) {
    auto layer = hw::require_layer(model, model.node(0));
    return hwgen::generate_node_files(*layer,
                                      *hw::find_definition_of_op_type(model.node(0).op_type()));
}

std::string file_of(const hwgen::NodeFiles& files, const std::string& name) {
    for (const auto& [path, bytes] : files.files)
        if (path == name) return bytes;
    ADD_FAILURE() << name << " not generated";
    return {};
}

// Writes the folder and lints the wrapper; skipped without Verilator.
void expect_lint_clean(const hwgen::NodeFiles& files) {
    if (testing::run_command("verilator --version").exit_code != 0) return;
    testing::ScratchDir dir;
    for (const auto& [path, bytes] : files.files)
        write_file_if_changed(dir / path, bytes);
    std::string command = "cd " + testing::shell_quote(dir.path().string()) +
                          " && verilator --lint-only -Wall -sv --top-module " + files.top;
    for (const std::string& source : files.rtl_sources)
        command += " " + source;
    auto r = testing::run_command(command);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(HardwareGeneration, StreamingFifoDepthWidthAndVivadoRounding) {
    Model fifo =
        one_node("StreamingFIFO_rtl", domains::kFpgaDataflowRtl,
                 {{"depth", {100}}, {"folded_shape", {1, 16, 4}}, {"normal_shape", {1, 64}}},
                 {{"dataType", "UINT3"}, {"ram_style", "distributed"}});
    auto files = generate(fifo);
    const std::string wrapper = file_of(files, "StreamingFIFO_rtl_0.sv");
    EXPECT_NE(wrapper.find("streaming_fifo #("), std::string::npos) << wrapper;
    EXPECT_NE(wrapper.find(".DEPTH(100)"), std::string::npos) << wrapper;
    EXPECT_NE(wrapper.find(".WIDTH(12)"), std::string::npos) << wrapper;
    EXPECT_NE(wrapper.find(".RAM_STYLE(\"distributed\")"), std::string::npos) << wrapper;
    // 12 bits travel in 16-bit tdata.
    EXPECT_NE(wrapper.find("input  logic [15:0] in0_V_TDATA"), std::string::npos) << wrapper;
    EXPECT_NE(wrapper.find("output logic [15:0] out_V_TDATA"), std::string::npos) << wrapper;
    const std::string sources = file_of(files, "sources.txt");
    EXPECT_NE(sources.find("rtl/common/streaming_fifo.sv\n"), std::string::npos) << sources;
    EXPECT_TRUE(sources.ends_with("\nStreamingFIFO_rtl_0.sv\n")) << "the wrapper comes last";
    expect_lint_clean(files);
    fifo.node(0).set_attr_string("impl_style", "vivado");
    EXPECT_NE(file_of(generate(fifo), "StreamingFIFO_rtl_0.sv").find(".DEPTH(128)"),
              std::string::npos);
}

TEST(HardwareGeneration, WidthConverterAnyRatio) {
    Model dwc = one_node("StreamingDataWidthConverter_hls", domains::kFpgaDataflowHls,
                         {{"shape", {1, 24}}, {"inWidth", {12}}, {"outWidth", {8}}},
                         {{"dataType", "UINT4"}});
    auto files = generate(dwc);
    const std::string wrapper = file_of(files, "StreamingDataWidthConverter_hls_0.sv");
    EXPECT_NE(wrapper.find("streaming_dwc #("), std::string::npos) << wrapper;
    EXPECT_NE(wrapper.find(".IN_WIDTH(12)"), std::string::npos) << wrapper;
    EXPECT_NE(wrapper.find(".OUT_WIDTH(8)"), std::string::npos) << wrapper;
    EXPECT_NE(wrapper.find("input  logic [15:0] in0_V_TDATA"), std::string::npos) << wrapper;
    EXPECT_NE(wrapper.find("output logic [7:0] out_V_TDATA"), std::string::npos) << wrapper;
    expect_lint_clean(files);
}

TEST(HardwareGeneration, ThresholdMemoryInterleavesChannelsOverPe) {
    Model model = one_node(
        "Thresholding_hls", domains::kFpgaDataflowHls,
        {{"NumChannels", {4}}, {"PE", {2}}, {"numSteps", {1}}},
        {{"inputDataType", "INT8"}, {"weightDataType", "INT8"}, {"outputDataType", "UINT1"}},
        {"x", "t"});
    model.set_initializer("t", Tensor::from_floats({4, 1}, {1, 2, 3, -1}));
    auto files = generate(model);
    // Word f holds channels 2f (low byte) and 2f+1; -1 as 0xff.
    EXPECT_EQ(file_of(files, "Thresholding_hls_0_thresholds.dat"), "0201\nff03\n");
    const std::string wrapper = file_of(files, "Thresholding_hls_0.sv");
    EXPECT_NE(wrapper.find(".THRESH_FILE(\"Thresholding_hls_0_thresholds.dat\")"),
              std::string::npos);
    EXPECT_NE(wrapper.find(".CHANNELS(4)"), std::string::npos);
    expect_lint_clean(files);

    // Without its thresholds the node cannot have hardware: one line naming it.
    Model bare = one_node(
        "Thresholding_hls", domains::kFpgaDataflowHls,
        {{"NumChannels", {4}}, {"PE", {2}}, {"numSteps", {1}}},
        {{"inputDataType", "INT8"}, {"weightDataType", "INT8"}, {"outputDataType", "UINT1"}});
    try {
        generate(bare);
        ADD_FAILURE() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("Thresholding_hls_0"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("no threshold initializer at input 1"),
                  std::string::npos)
            << e.what();
    }
}

TEST(HardwareGeneration, MvauWeightsAndMemMode) {
    // MW 4, MH 2, PE 2, SIMD 2, INT4 weights W[i][j] = i - 2j (ONNX layout MW x MH).
    Model model =
        one_node("MVAU_hls", domains::kFpgaDataflowHls,
                 {{"MW", {4}}, {"MH", {2}}, {"PE", {2}}, {"SIMD", {2}}, {"noActivation", {1}}},
                 {{"inputDataType", "INT4"},
                  {"weightDataType", "INT4"},
                  {"outputDataType", "INT16"},
                  {"accDataType", "INT16"},
                  {"mem_mode", "internal_embedded"}},
                 {"x", "w"});
    model.set_initializer("w", Tensor::from_floats({4, 2}, {0, -2, 1, -1, 2, 0, 3, 1}));
    auto files = generate(model);
    // Word sf holds W[sf*2 + s][p] at bits [(p*2 + s)*4, +4): p0 = (W[2sf][0], W[2sf+1][0]),
    // p1 = (W[2sf][1], W[2sf+1][1]). sf 0: 0, 1, -2 (e), -1 (f) -> "fe10"; sf 1: 2, 3, 0, 1.
    EXPECT_EQ(file_of(files, "MVAU_hls_0_weights.dat"), "fe10\n1032\n");
    std::string wrapper = file_of(files, "MVAU_hls_0.sv");
    EXPECT_NE(wrapper.find(".MEM_MODE(\"internal_embedded\")"), std::string::npos) << wrapper;
    EXPECT_NE(wrapper.find(".NO_ACTIVATION(1)"), std::string::npos);
    expect_lint_clean(files);
    // Other modes are passed on to the module's MEM_MODE.
    model.node(0).set_attr_string("mem_mode", "internal_decoupled");
    wrapper = file_of(generate(model), "MVAU_hls_0.sv");
    EXPECT_NE(wrapper.find(".MEM_MODE(\"internal_decoupled\")"), std::string::npos) << wrapper;
}

} // namespace
} // namespace finn
