// The window layers' hardware slots end to end: a padded convolution's input chain (FMPadding,
// then ConvolutionInputGenerator) gets its node folders (generate_hardware and the node wrapper),
// each folder passes `verilator --lint-only -Wall` and builds its rtlsim executable as
// step_hw_ipgen builds it, and the nodes' rtlsim (run_node_rtlsim: the node's tensors packed,
// streamed through the executable, unpacked) equals the reference execution and cppsim. Skipped
// without Verilator and make.
#include "finn/core/error.h"
#include "finn/exec/executor.h"
#include "finn/hw/layer_definition.h"
#include "finn/hw/registry.h"
#include "finn/hw/rtlsim.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/hwgen/verilator.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/ir/tensor_proto.h"
#include "finn/util/file_io.h"
#include "test_support.h"

#include <cstdlib>
#include <gtest/gtest.h>
#include <random>

namespace finn {
namespace {

namespace fs = std::filesystem;
using domains::kFpgaDataflowRtl;

// x (1, 5, 4, 4) INT3 -> FMPadding [1, 0, 0, 2], SIMD 2 -> (1, 6, 6, 4) -> SWG kernel 3x2,
// stride 2x1, dilation 1x2, SIMD 2 -> (1, 2, 4, 24).
Model conv_input_chain(const std::string& exec_mode) {
    Model model = testing::dataflow_model(kFpgaDataflowRtl, {1, 5, 4, 4});
    model.graph().set_name("conv_input");
    Node pad =
        model.add_node("FMPadding_rtl", {"x"}, {"padded"}, "FMPadding_rtl_0", kFpgaDataflowRtl);
    pad.set_attr_ints("ImgDim", {5, 4});
    pad.set_attr_ints("Padding", {1, 0, 0, 2});
    pad.set_attr_int("NumChannels", 4);
    pad.set_attr_int("SIMD", 2);
    pad.set_attr_string("inputDataType", "INT3");
    Node swg = model.add_node("ConvolutionInputGenerator_rtl", {"padded"}, {"y"},
                              "ConvolutionInputGenerator_rtl_0", kFpgaDataflowRtl);
    swg.set_attr_ints("IFMDim", {6, 6});
    swg.set_attr_ints("OFMDim", {2, 4});
    swg.set_attr_ints("ConvKernelDim", {3, 2});
    swg.set_attr_ints("Stride", {2, 1});
    swg.set_attr_ints("Dilation", {1, 2});
    swg.set_attr_int("IFMChannels", 4);
    swg.set_attr_int("SIMD", 2);
    swg.set_attr_string("inputDataType", "INT3");
    swg.set_attr_string("outputDataType", "INT3");
    swg.set_attr_string("ram_style", "block");
    for (Node node : model.nodes()) {
        node.set_attr_string("backend", "fpgadataflow");
        if (!exec_mode.empty()) node.set_attr_string("exec_mode", exec_mode);
    }
    return model;
}

TEST(WindowHardware, ConvInputChainWrappersAndParameters) {
    Model model = conv_input_chain("");
    const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
        {"fmpadding #(",
         {".IMG_H(5)", ".IMG_W(4)", ".PAD_TOP(1)", ".PAD_LEFT(0)", ".PAD_BOTTOM(0)",
          ".PAD_RIGHT(2)", ".CHANNELS(4)", ".SIMD(2)", ".BITS(3)"}},
        {"convolution_input_generator #(",
         {".IFM_H(6)", ".IFM_W(6)", ".KERNEL_H(3)", ".KERNEL_W(2)", ".STRIDE_H(2)", ".STRIDE_W(1)",
          ".DILATION_H(1)", ".DILATION_W(2)", ".CHANNELS(4)", ".SIMD(2)", ".BITS(3)",
          ".PARALLEL_WINDOW(0)", ".RAM_STYLE(\"block\")"}}};
    for (int i = 0; i < 2; ++i) {
        Node node = model.node(i);
        auto layer = hw::require_layer(model, node);
        const auto files =
            hwgen::generate_node_files(*layer, *hw::find_definition_of_op_type(node.op_type()));
        std::string wrapper;
        for (const auto& [path, bytes] : files.files)
            if (path == node.name() + ".sv") wrapper = bytes;
        EXPECT_NE(wrapper.find(expected[i].first), std::string::npos) << wrapper;
        for (const std::string& parameter : expected[i].second)
            EXPECT_NE(wrapper.find(parameter), std::string::npos) << parameter << "\n" << wrapper;
        // 6-bit words travel in 8-bit tdata.
        EXPECT_NE(wrapper.find("input  logic [7:0] in0_V_TDATA"), std::string::npos) << wrapper;
    }
}

// A node the hardware cannot serve fails in hw_codegen, naming the node.
TEST(WindowHardware, UnservableNodesFailInCodegen) {
    Model model = conv_input_chain("");
    Node swg = model.node(1);
    swg.set_attr_int("parallel_window", 1); // needs SIMD = IFMChannels
    auto layer = hw::require_layer(model, swg);
    try {
        hwgen::generate_node_files(*layer, *hw::find_definition_of_op_type(swg.op_type()));
        FAIL() << "expected an error";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("ConvolutionInputGenerator_rtl_0"), std::string::npos) << message;
        EXPECT_NE(message.find("parallel_window needs SIMD = IFMChannels"), std::string::npos)
            << message;
    }
}

// FINN's 1-D RTL estimate OW*kw*CF + 2 leaves out the wait for a dilated first window; Finn's adds
// (kw-1)*(dw-1)*CF and keeps FINN's value without dilation.
TEST(WindowHardware, DilatedOneDimensionalEstimateCountsTheFirstWindow) {
    auto cycles = [](std::int64_t dilation, std::int64_t depthwise) {
        Model model;
        Node n =
            model.add_node("ConvolutionInputGenerator_rtl", {"x"}, {"y"}, "swg", kFpgaDataflowRtl);
        const std::int64_t ow = (16 - dilation * 2 - 1) / 2 + 1;
        n.set_attr_ints("IFMDim", {1, 16});
        n.set_attr_ints("OFMDim", {1, ow});
        n.set_attr_ints("ConvKernelDim", {1, 3});
        n.set_attr_ints("Stride", {1, 2});
        n.set_attr_ints("Dilation", {1, dilation});
        n.set_attr_int("IFMChannels", 4);
        n.set_attr_int("SIMD", 2);
        n.set_attr_int("depthwise", depthwise);
        n.set_attr_int("is1D", 1);
        n.set_attr_string("inputDataType", "INT4");
        n.set_attr_string("outputDataType", "INT4");
        return hw::require_layer(model, n)->exp_cycles();
    };
    // OW = 7 without dilation, 6 with dilation 2; CF = 2.
    EXPECT_EQ(cycles(1, 0), 7 * 3 * 2 + 2);
    EXPECT_EQ(cycles(2, 0), 6 * 3 * 2 + 2 + 2 * 1 * 2);
    // Depthwise: FINN's stride term CF*(kw-1)*(sw-1) - (kw-1) too.
    EXPECT_EQ(cycles(1, 1), 7 * 3 * 2 + 2 * 2 * 1 - 2 + 2);
    EXPECT_EQ(cycles(2, 1), 6 * 3 * 2 + 2 * 2 * 1 - 2 + 2 + 2 * 1 * 2);
}

TEST(WindowHardware, ConvInputChainNodeRtlsimEqualsReferenceAndCppsim) {
    FINN_REQUIRE_VERILATOR();
    // As step_hw_ipgen: Verilator's makefiles use ccache when there is one.
    if (!std::getenv("OBJCACHE") && testing::run_command("ccache --version").exit_code == 0)
        ::setenv("OBJCACHE", "ccache", 0);
    std::mt19937_64 rng(2020);
    std::vector<float> values(5 * 4 * 4 * 2);
    for (auto& v : values)
        v = static_cast<float>(static_cast<int>(rng() % 8) - 4);
    const Tensor x = Tensor::from_floats({2, 5, 4, 4}, values); // two frames

    Model reference_model = conv_input_chain("");
    const TensorMap reference = Executor(reference_model).run_batched({{"x", x}});
    Model cppsim_model = conv_input_chain("cppsim");
    const TensorMap cppsim = Executor(cppsim_model).run_batched({{"x", x}});
    EXPECT_EQ(cppsim.at("y").to_doubles(), reference.at("y").to_doubles());

    testing::ScratchDir scratch;
    Model model = conv_input_chain("rtlsim");
    const std::string verilator = hwgen::require_verilator("this test");
    Tensor stream = x;
    for (Node node : model.nodes()) {
        auto layer = hw::require_layer(model, node);
        const auto files =
            hwgen::generate_node_files(*layer, *hw::find_definition_of_op_type(node.op_type()));
        const fs::path dir = scratch.path() / node.name();
        for (const auto& [path, bytes] : files.files)
            write_file_if_changed(dir / path, bytes);
        hwgen::lint_node(verilator, dir, files.top);
        hwgen::build_node_rtlsim(verilator, dir, files.top, scratch.path() / "rtlsim_runtime");
        node.set_attr_string("ipgen_path", dir.string());
        KernelContext ctx{node, {&stream}, 1, &model, {}};
        stream = hw::run_node_rtlsim(ctx).at(0);
    }
    EXPECT_EQ(stream.shape(), reference.at("y").shape());
    EXPECT_EQ(stream.to_doubles(), reference.at("y").to_doubles());
}

} // namespace
} // namespace finn
