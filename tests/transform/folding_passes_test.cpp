// The folding passes on zoo nets (through the front-end pipelines, partition and
// specialization). SetFolding for several targets: every layer meets the target or is at maximum
// parallelism, no layer is more parallel than needed (checked by an independent search), and the
// output does not change. Bit-width minimization: narrower types, same output.
#include "../hw/folding_checks.h"
#include "finn/exec/executor.h"
#include "finn/exec/verification.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/convert_to_hw.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/folding.h"
#include "finn/transform/qonnx_to_finn.h"
#include "finn/transform/streamline.h"
#include "finn/transform/tidy_up.h"
#include "finn/zoo/zoo.h"

#include <gtest/gtest.h>

namespace finn {
namespace {

Tensor run(const Model& model, const Tensor& input) {
    return Executor(model).run({{model.input_names()[0], input}}).at(model.output_names()[0]);
}

// The specialized dataflow child of a zoo model, and a seeded input for it.
struct Child {
    Model model;
    Tensor input;
};

Child specialized(const std::string& name) {
    Model model = make_zoo_model(name, 1);
    qonnx_to_finn_step_pipeline().run(model);
    tidy_up_step_pipeline().run(model);
    streamline_step_pipeline().run(model);
    convert_to_hw_step_pipeline(false).run(model);
    DataflowPartition p = create_dataflow_partition(model);
    Model child = std::move(p.child);
    SpecializeLayers("xc7z020clg400-1").run(child);
    // The child's input: the parent's input through the nodes before the partition.
    Tensor input = make_zoo_input(child, 2);
    return {std::move(child), std::move(input)};
}

Child specialized_cnv() {
    return specialized("cnv_w1a1");
}

// CNV, and padded conv nets (FMPadding) whose flatten meets a map larger than 1x1.
TEST(SetFolding, ZooNetsMeetTargetsWithMinimalParallelism) {
    for (const char* name : {"cnv_w1a1", "strided_w4a4", "residualfc_w4a4"}) {
        Child net = specialized(name);
        const Tensor reference = run(net.model, net.input);
        for (std::int64_t target : {500000, 50000, 5000, 500}) {
            SCOPED_TRACE(std::string(name) + " target " + std::to_string(target));
            Model model = net.model;
            SetFolding(target, 36, true).run(model);
            testing::expect_minimal_folding(model, target, 36);
            Comparison c = compare_tensors(reference, run(model, net.input), 0, 0);
            EXPECT_TRUE(c.equal) << c.summary;
        }
    }
}

TEST(SetFolding, WithoutRelaxationTheFirstPassStands) {
    Child cnv = specialized_cnv();
    Model model = cnv.model;
    SetFolding(10, 36, false).run(model);
    // Unreachable target: every folded layer is at its maximum parallelism.
    for (auto& n : model.nodes()) {
        if (n.op_type() == "MVAU_hls") {
            EXPECT_EQ(n.attr_int("PE"), n.attr_int("MH")) << n.name();
        }
        if (n.op_type() == "ConvolutionInputGenerator_rtl") {
            EXPECT_EQ(n.attr_int("SIMD"), n.attr_int("IFMChannels")) << n.name();
            EXPECT_EQ(n.attr_int("parallel_window"), 1) << n.name();
        }
    }
}

// FMPadding as FINN folds it (set_folding.py): its simd_ops list names FMPadding_hls, which gets
// optimize(SIMD, NumChannels) -- the smallest divisor d of C whose cycles (C/d) * H' * W' are below
// the target, else C -- but not FMPadding_rtl (SpecializeLayers' default), which SetFolding does
// not know and leaves at InferConvInpGen's SIMD = C. The zoo's strided_w4a4 pads 3 channels to
// 18x18 (324 pixels) and 8 channels to 10x10 (100 pixels); one pass (no relaxation):
//   target   FMPadding_hls SIMD / cycles      FMPadding_rtl SIMD / cycles
//   10000    1 / 972     1 / 800              3 / 324     8 / 100
//     500    3 / 324     2 / 400              3 / 324     8 / 100
//     300    3 / 324     4 / 200              3 / 324     8 / 100
//     150    3 / 324     8 / 100              3 / 324     8 / 100
TEST(SetFolding, FMPaddingHlsFoldsAndFMPaddingRtlKeepsItsSimd) {
    struct Row {
        std::int64_t target;
        std::int64_t hls_simd[2], hls_cycles[2];
    };
    const Row table[] = {{10000, {1, 1}, {972, 800}},
                         {500, {3, 2}, {324, 400}},
                         {300, {3, 4}, {324, 200}},
                         {150, {3, 8}, {324, 100}}};
    const std::int64_t rtl_cycles[] = {324, 100};
    for (const std::string style : {"hls", "rtl"}) {
        Model model = make_zoo_model("strided_w4a4", 1);
        qonnx_to_finn_step_pipeline().run(model);
        tidy_up_step_pipeline().run(model);
        streamline_step_pipeline().run(model);
        convert_to_hw_step_pipeline(false).run(model);
        Model child = create_dataflow_partition(model).child;
        for (Node node : child.nodes())
            if (node.op_type() == "FMPadding") node.set_attr_string("preferred_impl_style", style);
        SpecializeLayers("xc7z020clg400-1").run(child);
        for (const Row& row : table) {
            SCOPED_TRACE(style + " target " + std::to_string(row.target));
            Model folded = child;
            SetFolding(row.target, 36, false).run(folded);
            std::vector<Node> paddings;
            for (Node node : folded.nodes())
                if (node.op_type().rfind("FMPadding", 0) == 0) paddings.push_back(node);
            ASSERT_EQ(paddings.size(), 2u);
            for (int i = 0; i < 2; ++i) {
                EXPECT_EQ(paddings[i].op_type(), "FMPadding_" + style);
                const std::int64_t channels = paddings[i].attr_int("NumChannels");
                const std::int64_t simd = style == "hls" ? row.hls_simd[i] : channels;
                const std::int64_t cycles = style == "hls" ? row.hls_cycles[i] : rtl_cycles[i];
                EXPECT_EQ(paddings[i].attr_int("SIMD"), simd) << i;
                EXPECT_EQ(paddings[i].attr_int("cycles_estimate"), cycles) << i;
            }
        }
    }
}

// A depthwise 3x3 convolution: depthwise RTL SWG (8x8 -> 6x6, 16 channels) feeding a VVAU.
Model depthwise_conv() {
    Model model;
    Node swg = model.add_node("ConvolutionInputGenerator_rtl", {"x"}, {"w"}, "swg",
                              domains::kFpgaDataflowRtl);
    swg.set_attr_ints("ConvKernelDim", {3, 3});
    swg.set_attr_int("IFMChannels", 16);
    swg.set_attr_ints("IFMDim", {8, 8});
    swg.set_attr_ints("OFMDim", {6, 6});
    swg.set_attr_int("SIMD", 1);
    swg.set_attr_ints("Stride", {1, 1});
    swg.set_attr_ints("Dilation", {1, 1});
    swg.set_attr_int("depthwise", 1);
    swg.set_attr_string("inputDataType", "UINT4");
    swg.set_attr_string("outputDataType", "UINT4");
    Node vvau =
        model.add_node("VVAU_hls", {"w", "weights"}, {"y"}, "vvau", domains::kFpgaDataflowHls);
    vvau.set_attr_int("PE", 1);
    vvau.set_attr_int("Channels", 16);
    vvau.set_attr_ints("Kernel", {3, 3});
    vvau.set_attr_ints("Dim", {6, 6});
    vvau.set_attr_string("inputDataType", "UINT4");
    vvau.set_attr_string("weightDataType", "INT4");
    vvau.set_attr_string("outputDataType", "INT32");
    vvau.set_attr_int("noActivation", 1);
    return model;
}

TEST(SetFolding, DepthwiseSwgFollowsItsVvau) {
    // Target 1000: PE 8 gives 16*9/8 * 36 = 648 cycles; SIMD stays 1, the SWG streams 8 channels.
    Model model = depthwise_conv();
    SetFolding(1000).run(model);
    Node vvau = model.node(1), swg = model.node(0);
    EXPECT_EQ(vvau.attr_int("PE"), 8);
    EXPECT_EQ(vvau.attr_int("SIMD"), 1);
    EXPECT_EQ(swg.attr_int("SIMD"), 8);
    EXPECT_EQ(swg.attr_int("parallel_window"), 0);
    EXPECT_EQ(vvau.attr_int("cycles_estimate"), 648);
    // Target 100: all 16 channels give 324 cycles, then SIMD 9 (36 cycles) over the window,
    // which needs the SWG's parallel window.
    model = depthwise_conv();
    SetFolding(100).run(model);
    vvau = model.node(1);
    swg = model.node(0);
    EXPECT_EQ(vvau.attr_int("PE"), 16);
    EXPECT_EQ(vvau.attr_int("SIMD"), 9);
    EXPECT_EQ(swg.attr_int("SIMD"), 16);
    EXPECT_EQ(swg.attr_int("parallel_window"), 1);
    EXPECT_EQ(vvau.attr_int("cycles_estimate"), 36);
    EXPECT_EQ(swg.attr_int("cycles_estimate"), 8 * 8 + 2); // one input word per cycle
}

TEST(SetFolding, DownSamplerRaisesSimdOverItsChannels) {
    // 16 channels of an 8x8 image: 16/SIMD * 64 cycles.
    Model base;
    Node ds = base.add_node("DownSampler_hls", {"x"}, {"y"}, "ds", domains::kFpgaDataflowHls);
    ds.set_attr_int("ImgDim", 8);
    ds.set_attr_int("NumChannels", 16);
    ds.set_attr_int("Stride", 2);
    ds.set_attr_string("inputDataType", "UINT4");
    for (std::int64_t target : {5000, 300, 100, 10}) {
        SCOPED_TRACE(target);
        Model model = base;
        SetFolding(target, 36, true).run(model);
        testing::expect_minimal_folding(model, target, 36);
    }
    // SIMD 4 is the first to go below 300 cycles (256; SIMD 2 takes 512).
    Model model = base;
    SetFolding(300, 36, true).run(model);
    EXPECT_EQ(model.node(0).attr_int("SIMD"), 4);
    EXPECT_EQ(model.node(0).attr_int("cycles_estimate"), 256);
}

TEST(MinimizeBitWidth, CnvKeepsItsOutputWithNarrowerTypes) {
    Child cnv = specialized_cnv();
    const Tensor reference = run(cnv.model, cnv.input);
    Model model = cnv.model;
    SetFolding(5000, 36, true).run(model);
    EXPECT_TRUE(MinimizeWeightBitWidth().run(model) | MinimizeAccumulatorWidth().run(model));
    InferDataTypes().run(model);
    Comparison c = compare_tensors(reference, run(model, cnv.input), 0, 0);
    EXPECT_TRUE(c.equal) << c.summary;
    int mvaus = 0;
    for (auto& n : model.nodes()) {
        if (n.op_type() != "MVAU_hls") continue;
        ++mvaus;
        const DataType acc = DataType::parse(n.attr_string("accDataType"));
        // XNOR popcounts over MW inputs: at most MW, in ceil(log2(MW + 1)) unsigned bits.
        if (n.attr_int("binaryXnorMode", 0)) {
            std::int64_t bits = 0;
            while ((std::int64_t{1} << bits) < n.attr_int("MW") + 1)
                ++bits;
            // A graph output (no-activation layer without consumer) is rounded to whole bytes.
            if (n.attr_int("noActivation", 0) && model.consumers(n.output(0)).empty())
                bits = (bits + 7) / 8 * 8;
            EXPECT_EQ(acc, DataType::uint(static_cast<int>(bits))) << n.name();
        }
        EXPECT_LT(acc.bitwidth(), 32) << n.name();
    }
    EXPECT_EQ(mvaus, 9);
    // Running it again changes nothing.
    EXPECT_FALSE(MinimizeWeightBitWidth().run(model));
    EXPECT_FALSE(MinimizeAccumulatorWidth().run(model));
}

} // namespace
} // namespace finn
