// The stitched design (lib/hwgen/stitched_design.cpp, stitched_build.cpp, fifo_occupancy.cpp and
// lib/hw/stitched_rtlsim.cpp): FINN's top-level interfaces, a movable folder, one-line errors for
// graphs that cannot be stitched, and, with Verilator, the simulation carrying words through,
// reporting the depth monitors and rebuilding only on change.
#include "build/build_test_support.h"
#include "finn/core/error.h"
#include "finn/exec/executor.h"
#include "finn/hw/rtlsim.h"
#include "finn/hwgen/fifo_occupancy.h"
#include "finn/hwgen/stitched_build.h"
#include "finn/hwgen/stitched_design.h"
#include "finn/ir/custom_op_schemas.h"
#include "test_support.h"
#include "transform/hw_test_models.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace finn {
namespace {

namespace fs = std::filesystem;
using hw_test::error_of;
using hw_test::Ints;

Node add_fifo(Model& model, const std::string& name, const std::string& in, const std::string& out,
              std::int64_t depth, const Ints& folded) {
    Node n = model.add_node("StreamingFIFO_rtl", {in}, {out}, name, domains::kFpgaDataflowRtl);
    n.set_attr_int("depth", depth);
    n.set_attr_ints("folded_shape", folded);
    n.set_attr_ints("normal_shape", {1, folded[1] * folded[2]});
    n.set_attr_string("dataType", "UINT4");
    return n;
}

// x -> FIFO (2 values per word) -> width converter (to 1 per word) -> monitored FIFO -> y.
Model fifo_chain() {
    Model model = hw_test::empty_model();
    hw_test::add_input(model, "x", {1, 8}, DataType::parse("UINT4"));
    hw_test::add_output(model, "y", {1, 8});
    model.set_datatype("y", DataType::parse("UINT4"));
    add_fifo(model, "StreamingFIFO_rtl_0", "x", "a", 4, {1, 4, 2});
    Node dwc = model.add_node("StreamingDataWidthConverter_rtl", {"a"}, {"b"},
                              "StreamingDataWidthConverter_rtl_0", domains::kFpgaDataflowRtl);
    dwc.set_attr_ints("shape", {1, 8});
    dwc.set_attr_int("inWidth", 8);
    dwc.set_attr_int("outWidth", 4);
    dwc.set_attr_string("dataType", "UINT4");
    add_fifo(model, "StreamingFIFO_rtl_1", "b", "y", 16, {1, 8, 1})
        .set_attr_int("depth_monitor", 1);
    return model;
}

std::string file_of(const hwgen::StitchedDesign& design, const std::string& path) {
    for (const auto& [name, bytes] : design.files)
        if (name == path) return bytes;
    ADD_FAILURE() << path << " not in the design";
    return {};
}

TEST(StitchedDesign, TopHasFinnsInterfacesAndTheFolderIsMovable) {
    Model model = fifo_chain();
    const hwgen::StitchedDesign design = hwgen::stitch_design(model, "xc7z020clg400-1", 10.0);
    const std::string top = file_of(design, "ip/hdl/finn_design_wrapper.sv");
    EXPECT_NE(top.find("module finn_design_wrapper ("), std::string::npos) << top;
    for (const char* port :
         {"input  logic ap_clk", "input  logic ap_rst_n", "input  logic [7:0] s_axis_0_tdata",
          "output logic s_axis_0_tready", "output logic [7:0] m_axis_0_tdata",
          "input  logic m_axis_0_tready", "output logic [4:0] maxcount"})
        EXPECT_NE(top.find(port), std::string::npos) << port << "\n" << top;
    EXPECT_EQ(design.monitored_fifos, std::vector<std::string>{"StreamingFIFO_rtl_1"});
    ASSERT_EQ(design.inputs.size(), 1u);
    EXPECT_EQ(design.inputs[0].node, "StreamingFIFO_rtl_0");
    ASSERT_EQ(design.outputs.size(), 1u);
    EXPECT_EQ(design.outputs[0].tensor, "y");

    const std::string xml = file_of(design, "ip/component.xml");
    EXPECT_NE(xml.find("<spirit:vendor>xilinx_finn</spirit:vendor>"), std::string::npos);
    EXPECT_NE(xml.find("<spirit:name>s_axis_0_tdata</spirit:name>"), std::string::npos);
    EXPECT_NE(xml.find("<spirit:name>hdl/finn_design_wrapper.sv</spirit:name>"), std::string::npos);
    const std::string sources = file_of(design, "all_verilog_srcs.txt");
    EXPECT_TRUE(sources.ends_with("ip/hdl/finn_design_wrapper.sv\n")) << sources;
    // Every library source once, relative paths only.
    EXPECT_EQ(std::count(design.rtl_sources.begin(), design.rtl_sources.end(),
                         "ip/hdl/rtl/common/streaming_fifo.sv"),
              1);
    for (const auto& [path, bytes] : design.files) {
        EXPECT_FALSE(fs::path(path).is_absolute()) << path;
        EXPECT_EQ(bytes.find(FINN_SOURCE_DIR), std::string::npos) << path;
    }
    EXPECT_NE(file_of(design, "make_project.tcl")
                  .find("create_project finn_vivado_stitch_proj . -part xc7z020clg400-1"),
              std::string::npos);
}

TEST(StitchedDesign, GraphsThatCannotBeStitchedAreOneLineErrors) {
    Model mismatch = hw_test::empty_model();
    hw_test::add_input(mismatch, "x", {1, 8}, DataType::parse("UINT4"));
    hw_test::add_output(mismatch, "y", {1, 8});
    add_fifo(mismatch, "StreamingFIFO_rtl_0", "x", "a", 4, {1, 4, 2});
    add_fifo(mismatch, "StreamingFIFO_rtl_1", "a", "y", 4, {1, 2, 4});
    const std::string width = error_of([&] { hwgen::stitch_design(mismatch, "", 10.0); });
    EXPECT_NE(width.find("width converter is missing"), std::string::npos) << width;
    EXPECT_NE(width.find("StreamingFIFO_rtl_1"), std::string::npos) << width;

    Model fan_out = hw_test::empty_model();
    hw_test::add_input(fan_out, "x", {1, 8}, DataType::parse("UINT4"));
    hw_test::add_output(fan_out, "y", {1, 8});
    add_fifo(fan_out, "StreamingFIFO_rtl_0", "x", "a", 4, {1, 4, 2});
    add_fifo(fan_out, "StreamingFIFO_rtl_1", "a", "y", 4, {1, 4, 2});
    add_fifo(fan_out, "StreamingFIFO_rtl_2", "a", "z", 4, {1, 4, 2});
    const std::string two = error_of([&] { hwgen::stitch_design(fan_out, "", 10.0); });
    EXPECT_NE(two.find("feeds several streams"), std::string::npos) << two;

    Model dangling = hw_test::empty_model();
    hw_test::add_input(dangling, "x", {1, 8}, DataType::parse("UINT4"));
    hw_test::add_output(dangling, "y", {1, 8});
    add_fifo(dangling, "StreamingFIFO_rtl_0", "x", "y", 4, {1, 4, 2});
    add_fifo(dangling, "StreamingFIFO_rtl_1", "y", "z", 4, {1, 4, 2});
    const std::string out = error_of([&] { hwgen::stitch_design(dangling, "", 10.0); });
    EXPECT_NE(out.find("also read by a node"), std::string::npos) << out;
}

TEST(StitchedDesign, ModelMetadataExecModeWithoutARunnerIsAnError) {
    Model model = fifo_chain();
    model.set_metadata("exec_mode", "gatesim");
    const std::string e = error_of([&] { Executor executor(model); });
    EXPECT_NE(e.find("exec_mode is gatesim"), std::string::npos) << e;
}

TEST(StitchedDesign, SimulationCarriesTheWordsAndReportsTheDepthMonitor) {
    if (!testing::verilator_available()) GTEST_SKIP() << "Verilator not installed";
    Model model = fifo_chain();
    const hwgen::StitchedDesign design = hwgen::stitch_design(model, "", 10.0);
    testing::ScratchDir dir;
    const hwgen::StitchedBuild first =
        hwgen::write_and_build_stitched(design, dir.path(), false, dir / "runtime", "the test");
    EXPECT_TRUE(first.rebuilt);
    EXPECT_FALSE(
        hwgen::write_and_build_stitched(design, dir.path(), false, dir / "runtime", "the test")
            .rebuilt)
        << "unchanged sources are not rebuilt";

    model.set_metadata(hw::kStitchedProjectMetadata, dir.path().string());
    std::vector<double> values;
    for (int i = 0; i < 24; ++i)
        values.push_back(i % 16);
    const Tensor x = Tensor::from_doubles(ElementType::Float32, {3, 8}, values);
    const hw::StitchedRun run = hw::run_stitched_rtlsim(model, {{"x", x}});
    EXPECT_EQ(run.frames, 3);
    EXPECT_EQ(run.input_words, 12);
    EXPECT_EQ(run.output_words, 24);
    EXPECT_EQ(run.outputs.at("y").to_doubles(), values);
    ASSERT_EQ(run.maxcounts.size(), 1u);
    EXPECT_EQ(run.maxcounts[0].first, "StreamingFIFO_rtl_1");
    EXPECT_GE(run.maxcounts[0].second, 1);
    EXPECT_GT(run.latency_cycles, 0u);
    EXPECT_LT(run.latency_cycles, run.cycles);

    // exec_mode rtlsim of the whole model runs the same simulation.
    model.set_metadata("exec_mode", "rtlsim");
    EXPECT_EQ(Executor(model).run_batched({{"x", x}}).at("y").to_doubles(), values);

    // FIFO sizing builds the same design for a short run (-O1, another stamp): once, then it is
    // reused.
    EXPECT_TRUE(
        hwgen::simulate_fifo_occupancy(fifo_chain(), dir.path(), dir / "runtime", "", 10).rebuilt);
    const hwgen::FifoOccupancy occupancy =
        hwgen::simulate_fifo_occupancy(fifo_chain(), dir.path(), dir / "runtime", "", 10);
    EXPECT_FALSE(occupancy.rebuilt);
    EXPECT_GE(occupancy.frames, 2);
    EXPECT_EQ(occupancy.peak.count("StreamingFIFO_rtl_1"), 1u);
}

} // namespace
} // namespace finn
