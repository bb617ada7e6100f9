// Every zoo model through the front-end pipelines that step tools run (qonnx_to_finn, tidy_up,
// streamline, convert_to_hw) and on into create_dataflow_partition and specialize_layers: after
// each one the model still computes what the original QONNX model computes on a seeded input
// (the partitioned model executed as FINN's parent, its child model read from a folder).
#include "../test_support.h"
#include "finn/core/error.h"
#include "finn/exec/executor.h"
#include "finn/exec/verification.h"
#include "finn/transform/convert_to_hw.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/qonnx_to_finn.h"
#include "finn/transform/streamline.h"
#include "finn/transform/tidy_up.h"
#include "finn/zoo/zoo.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <map>

namespace finn {
namespace {

Tensor run(const Model& model, const Tensor& input) {
    return Executor(model).run({{model.input_names()[0], input}}).at(model.output_names()[0]);
}

void expect_same(const Tensor& expected, const Tensor& produced, const std::string& what) {
    // Float logits after a float tensor-norm: FINN's float tolerance; everything else exact.
    Comparison c = compare_tensors(expected, produced, 1e-5, 1e-5);
    EXPECT_TRUE(c.equal) << what << ": " << c.summary;
}

class FrontEndZoo : public ::testing::TestWithParam<std::string> {};

TEST_P(FrontEndZoo, OutputUnchangedAfterEveryStep) {
    const std::string name = GetParam();
    Model model = make_zoo_model(name, 1);
    Tensor input = make_zoo_input(model, 2);
    Tensor reference = run(model, input);

    qonnx_to_finn_step_pipeline().run(model);
    expect_same(reference, run(model, input), name + " after qonnx_to_finn");
    tidy_up_step_pipeline().run(model);
    expect_same(reference, run(model, input), name + " after tidy_up");
    streamline_step_pipeline().run(model);
    expect_same(reference, run(model, input), name + " after streamline");

    convert_to_hw_step_pipeline(false).run(model);
    expect_same(reference, run(model, input), name + " after convert_to_hw");

    // The parent runs its software nodes and the child (through the partition node) from disk.
    testing::ScratchDir dir;
    DataflowPartition partition = create_dataflow_partition(model);
    partition.parent.save(dir / "parent.onnx");
    std::filesystem::create_directories((dir.path() / partition.child_path).parent_path());
    partition.child.save(dir.path() / partition.child_path);
    Model parent = Model::load(dir / "parent.onnx");
    auto run_parent = [&] {
        return Executor(parent, dir.path())
            .run({{parent.input_names()[0], input}})
            .at(parent.output_names()[0]);
    };
    expect_same(reference, run_parent(), name + " after create_dataflow_partition");

    // A 7-series part: every layer becomes its HLS or RTL variant.
    SpecializeLayers("xc7z020clg400-1").run(partition.child);
    for (Node node : partition.child.nodes())
        EXPECT_TRUE(node.domain() == "finn.custom_op.fpgadataflow.hls" ||
                    node.domain() == "finn.custom_op.fpgadataflow.rtl")
            << name << ": " << node.describe();
    partition.child.save(dir.path() / partition.child_path);
    expect_same(reference, run_parent(), name + " after specialize_layers");
}

// The front end, partitioned; the parent and the specialized child.
DataflowPartition specialized(const std::string& name) {
    Model model = make_zoo_model(name, 1);
    qonnx_to_finn_step_pipeline().run(model);
    tidy_up_step_pipeline().run(model);
    streamline_step_pipeline().run(model);
    convert_to_hw_step_pipeline(false).run(model);
    DataflowPartition partition = create_dataflow_partition(model);
    SpecializeLayers("xc7z020clg400-1").run(partition.child);
    return partition;
}

std::vector<std::string> op_types(Model model) {
    std::vector<std::string> ops;
    for (Node node : model.nodes())
        ops.push_back(node.op_type());
    return ops;
}

// The layers the residual and depthwise-separable blocks need, specialized as FINN does.
TEST(FrontEndZooLayers, ResidualAndDepthwiseBlocksBecomeTheirHardwareLayers) {
    // As FINN's residual test case: the skip path forks in a DuplicateStreams and joins in an
    // AddStreams; every MVAU/VVAU absorbs its thresholds.
    EXPECT_EQ(op_types(specialized("residual_w4a4").child),
              (std::vector<std::string>{"DuplicateStreams_hls", "FMPadding_rtl",
                                        "ConvolutionInputGenerator_rtl", "MVAU_hls",
                                        "FMPadding_rtl", "ConvolutionInputGenerator_rtl",
                                        "MVAU_hls", "AddStreams_hls", "Thresholding_rtl"}));
    EXPECT_EQ(op_types(specialized("dwsep_w4a4").child),
              (std::vector<std::string>{"FMPadding_rtl", "ConvolutionInputGenerator_rtl",
                                        "VVAU_hls", "MVAU_hls"}));
}

// Conv -> flatten -> FC at a map larger than 1x1: RemoveCNVtoFCFlatten absorbs the NHWC -> NCHW
// Transpose into the FC weights, so the whole net from the first conv to the last FC is one
// partition whose first FC layer reads the last map's NHWC stream (its output (1, MH)); the parent
// keeps the float input's quantizer and layout Transpose in front and the output scale behind.
TEST(FrontEndZooLayers, ConvToFcNetsKeepTheFlattenInsideThePartition) {
    const std::map<std::string, std::vector<std::string>> expected = {
        {"lenet_w4a4",
         {"ConvolutionInputGenerator_rtl", "MVAU_hls", "StreamingMaxPool_hls",
          "ConvolutionInputGenerator_rtl", "MVAU_hls", "MVAU_hls", "MVAU_rtl"}},
        {"strided_w4a4",
         {"FMPadding_rtl", "ConvolutionInputGenerator_rtl", "MVAU_hls", "FMPadding_rtl",
          "ConvolutionInputGenerator_rtl", "MVAU_hls", "MVAU_rtl"}},
        {"dwsepfc_w4a4",
         {"FMPadding_rtl", "ConvolutionInputGenerator_rtl", "VVAU_hls", "MVAU_hls", "MVAU_rtl"}},
        {"residualfc_w4a4",
         {"DuplicateStreams_hls", "FMPadding_rtl", "ConvolutionInputGenerator_rtl", "MVAU_hls",
          "FMPadding_rtl", "ConvolutionInputGenerator_rtl", "MVAU_hls", "AddStreams_hls",
          "Thresholding_rtl", "MVAU_rtl"}}};
    for (const auto& [name, layers] : expected) {
        DataflowPartition partition = specialized(name);
        EXPECT_EQ(op_types(partition.parent),
                  (std::vector<std::string>{"MultiThreshold", "Transpose",
                                            "StreamingDataflowPartition", "Mul"}))
            << name;
        Model& child = partition.child;
        EXPECT_EQ(op_types(child), layers) << name;
        // The first FC layer: the MVAU whose input is a 4-D map.
        int fc_reading_a_map = 0;
        for (Node node : child.nodes()) {
            if (node.op_type().rfind("MVAU", 0) != 0) continue;
            const Shape in = *child.shape(node.input(0));
            if (in.size() != 4 || node.attr_ints("numInputVectors") != Shape{1}) continue;
            ++fc_reading_a_map;
            EXPECT_EQ(in[1] * in[2] * in[3], node.attr_int("MW")) << name;
            EXPECT_GT(in[1] * in[2], 1) << name;
            EXPECT_EQ(child.shape(node.output(0)), (Shape{1, node.attr_int("MH")})) << name;
        }
        EXPECT_EQ(fc_reading_a_map, 1) << name;
    }
}

INSTANTIATE_TEST_SUITE_P(Zoo, FrontEndZoo, ::testing::ValuesIn(zoo_model_names()),
                         [](const auto& info) { return info.param; });

} // namespace
} // namespace finn
