// A node whose hardware takes many cycles per stream word runs through per-node rtlsim: an MVAU
// folded to PE = SIMD = 1 needs MW * MH cycles per vector for MW + MH words (FINN's CNV has such a
// layer), so the harness's give-up point must follow the layer's expected cycles, not its word
// count. Verilator and make needed, else skipped.
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

#include <gtest/gtest.h>
#include <random>

namespace finn {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kMW = 256, kMH = 128; // 32768 cycles for 384 words per vector

Model slow_mvau(std::mt19937_64& rng) {
    Model model = testing::dataflow_model(domains::kFpgaDataflowHls, {1, kMW});
    std::vector<float> weights(kMW * kMH);
    for (float& w : weights)
        w = static_cast<float>(std::uniform_int_distribution<int>(-2, 1)(rng));
    model.set_initializer("w", Tensor::from_floats({kMW, kMH}, weights));
    Node n = model.add_node("MVAU_hls", {"x", "w"}, {"y"}, "MVAU_hls_0", domains::kFpgaDataflowHls);
    n.set_attr_string("backend", "fpgadataflow");
    n.set_attr_int("MW", kMW);
    n.set_attr_int("MH", kMH);
    n.set_attr_int("PE", 1);
    n.set_attr_int("SIMD", 1);
    n.set_attr_string("inputDataType", "INT2");
    n.set_attr_string("weightDataType", "INT2");
    n.set_attr_string("outputDataType", "INT12");
    n.set_attr_string("accDataType", "INT12");
    n.set_attr_int("noActivation", 1);
    n.set_attr_ints("numInputVectors", {1});
    n.set_attr_string("mem_mode", "internal_embedded");
    return model;
}

Tensor run(Model model, const std::string& exec_mode, const Tensor& x) {
    model.node(0).set_attr_string("exec_mode", exec_mode);
    return Executor(model).run({{"x", x}}).at("y");
}

TEST(MvauNodeRtlsim, ManyCyclesPerWordDoNotTimeOut) {
    FINN_REQUIRE_VERILATOR();
    std::mt19937_64 rng(7);
    Model model = slow_mvau(rng);
    testing::ScratchDir dir;
    hw::set_generated_hardware_root(dir.path());
    auto layer = hw::require_layer(model, model.node(0));
    EXPECT_GT(layer->exp_cycles(), 64 * (kMW + kMH)); // beyond a words-only allowance
    const auto files =
        hwgen::generate_node_files(*layer, *hw::find_definition_of_op_type("MVAU_hls"));
    const fs::path node_dir = dir / hwgen::kHardwareFolder / files.top;
    for (const auto& [path, bytes] : files.files)
        write_file_if_changed(node_dir / path, bytes);
    hwgen::build_node_rtlsim(hwgen::require_verilator("the test"), node_dir, files.top,
                             dir / hwgen::kRtlsimRuntimeFolder);
    model.node(0).set_attr_string("ipgen_path",
                                  std::string(hwgen::kHardwareFolder) + "/" + files.top);
    std::vector<float> values(2 * kMW);
    for (float& v : values)
        v = static_cast<float>(std::uniform_int_distribution<int>(-2, 1)(rng));
    const Tensor x = Tensor::from_floats({2, kMW}, values); // two vectors
    model.set_shape("x", {2, kMW}, onnx_elem_type(ElementType::Float32));
    model.node(0).set_attr_ints("numInputVectors", {2});
    EXPECT_EQ(run(model, "rtlsim", x).to_doubles(), run(model, "", x).to_doubles());
    hw::set_generated_hardware_root(".");
}

} // namespace
} // namespace finn
