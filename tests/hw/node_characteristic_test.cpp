// The transfer characteristic of one node (measure_node_transfers: the node's rtlsim executable
// with --characterize), for nodes whose timing is known from what they are: a StreamingFIFO takes
// a word every cycle while it has room and passes every word on; a width converter from 16 to 8
// bits gives two output words per input word, at most one per cycle, never ahead of its input.
// Skips without Verilator or make.
#include "build/build_test_support.h"
#include "finn/hw/layer_definition.h"
#include "finn/hw/registry.h"
#include "finn/hwgen/node_characteristic.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/hwgen/verilator.h"
#include "finn/util/file_io.h"

#include <gtest/gtest.h>
#include <numeric>

namespace finn {
namespace {

namespace fs = std::filesystem;

const std::string kRtl = "finn.custom_op.fpgadataflow.rtl";

Model one_node_model(const std::string& op_type, const Shape& shape) {
    Model model;
    model.proto().add_opset_import()->set_version(13);
    model.graph().add_input()->set_name("x");
    model.set_shape("x", shape, 1);
    model.graph().add_output()->set_name("y");
    model.set_shape("y", shape, 1);
    Node node = model.add_node(op_type, {"x"}, {"y"}, op_type + "_0", kRtl);
    node.set_attr_string("backend", "fpgadataflow");
    return model;
}

hwgen::NodeTransfers characterize(Model& model, const fs::path& root, std::int64_t period) {
    Node node = model.nodes()[0];
    auto layer = hw::require_layer(model, node);
    const hw::LayerDefinition& def = *hw::find_definition_of_op_type(node.op_type());
    const hwgen::NodeFiles files = hwgen::generate_node_files(*layer, def);
    const fs::path dir = root / node.name();
    for (const auto& [path, bytes] : files.files)
        write_file_if_changed(dir / path, bytes);
    hwgen::build_node_rtlsim(hwgen::require_verilator("the test"), dir, files.top,
                             root / "_rtlsim_runtime");
    return hwgen::measure_node_transfers(*layer, def, dir, period);
}

std::int64_t total(const std::vector<std::int64_t>& moved) {
    return std::accumulate(moved.begin(), moved.end(), std::int64_t{0});
}

// One test, so both nodes share one compiled Verilator runtime.
TEST(NodeCharacteristic, FifoAndWidthConverterMoveWordsAsTheyMust) {
    if (!testing::verilator_available()) GTEST_SKIP() << "Verilator or make not installed";
    testing::ScratchDir root;
    const std::int64_t period = 40;
    {
        SCOPED_TRACE("StreamingFIFO depth 4, 8 words");
        Model model = one_node_model("StreamingFIFO_rtl", {1, 8, 2});
        Node fifo = model.nodes()[0];
        fifo.set_attr_int("depth", 4);
        fifo.set_attr_ints("folded_shape", {1, 8, 2});
        fifo.set_attr_ints("normal_shape", {1, 8, 2});
        fifo.set_attr_string("dataType", "INT4");
        const auto moved = characterize(model, root.path(), period);
        ASSERT_EQ(moved.inputs.size(), 1u);
        ASSERT_EQ(moved.outputs.size(), 1u);
        ASSERT_EQ(moved.inputs[0].size(), static_cast<std::size_t>(period));
        // An always-ready reader: the FIFO never fills, so the 8 words go in back to back.
        for (std::int64_t t = 0; t < period; ++t)
            EXPECT_EQ(moved.inputs[0][static_cast<std::size_t>(t)], t < 8 ? 1 : 0) << t;
        EXPECT_EQ(total(moved.outputs[0]), 8);
        // No word leaves before it came in.
        std::int64_t in = 0, out = 0;
        for (std::size_t t = 0; t < moved.inputs[0].size(); ++t) {
            in += moved.inputs[0][t];
            out += moved.outputs[0][t];
            EXPECT_LE(out, in) << t;
        }
    }
    {
        SCOPED_TRACE("StreamingDataWidthConverter 16 -> 8 bits, 8 input words");
        Model model = one_node_model("StreamingDataWidthConverter_rtl", {1, 16});
        Node dwc = model.nodes()[0];
        dwc.set_attr_ints("shape", {1, 16});
        dwc.set_attr_int("inWidth", 16);
        dwc.set_attr_int("outWidth", 8);
        dwc.set_attr_string("dataType", "INT8");
        const auto moved = characterize(model, root.path(), period);
        ASSERT_EQ(moved.inputs.size(), 1u);
        ASSERT_EQ(moved.outputs.size(), 1u);
        EXPECT_EQ(total(moved.inputs[0]), 8);
        EXPECT_EQ(total(moved.outputs[0]), 16);
        std::int64_t in = 0, out = 0, last_out = 0;
        for (std::size_t t = 0; t < moved.inputs[0].size(); ++t) {
            in += moved.inputs[0][t];
            out += moved.outputs[0][t];
            EXPECT_LE(out, 2 * in) << t; // two output words per input word, none early
            if (moved.outputs[0][t]) last_out = static_cast<std::int64_t>(t);
        }
        // One output word per cycle: the 16 words need at least 16 cycles, and an always-ready
        // reader gets them without long stalls.
        EXPECT_GE(last_out, 15);
        EXPECT_LT(last_out, period - 4);
    }
}

} // namespace
} // namespace finn
