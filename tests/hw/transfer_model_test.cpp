// The exact transaction models (finn/hls/transfer_model.h) against the RTL, cycle for cycle: the
// hardware nodes of zoo nets (MLP, CNV, residual, depthwise-separable, LeNet, strided), folded
// for a frame rate and given width converters and FIFOs of several depths (shift register, RAM),
// are placed side by side in one stitched design, each node with its own top-level streams, and so
// are hand-built nodes the nets lack or do not reach: the pooling layers (Pool, GlobalAccPool,
// DownSampler, LabelSelect, 1D StreamingMaxPool) and window nodes (sliding windows, FMPadding) in
// several shapes and foldings. One Verilator build and one characterization run record every
// node's transfers (as step_set_fifo_depths' strategy characterize defines the run); each must
// equal its model's. Skips without Verilator or make.
#include "build/build_test_support.h"
#include "finn/hw/layer_definition.h"
#include "finn/hw/registry.h"
#include "finn/hwgen/node_characteristic.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/hwgen/stitched_build.h"
#include "finn/hwgen/stitched_design.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/stream_insertion.h"
#include "finn/transform/tidy_up.h"

#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <set>

namespace finn {
namespace {

namespace fs = std::filesystem;
using namespace testing;

const std::string kPart = "xc7z020clg400-1";

// The zoo model `name` through step_minimize_bit_width at `target_fps`: its dataflow partition.
Model folded_partition(const fs::path& root, const std::string& name, int target_fps) {
    const fs::path dir = root / name;
    fs::create_directories(dir);
    const CommandResult zoo =
        run_command("cd " + shell_quote(dir.string()) + " && " + shell_quote(finn_cli()) + " zoo " +
                    name + " -o model.onnx");
    EXPECT_EQ(zoo.exit_code, 0) << zoo.out << zoo.err;
    write_json(dir / "dataflow_build_config.json",
               {{"output_dir", "out"},
                {"fpga_part", kPart},
                {"synth_clk_period_ns", 10.0},
                {"target_fps", target_fps},
                {"generate_outputs", nlohmann::ordered_json::array()},
                {"stop_step", "step_minimize_bit_width"}});
    const CommandResult build =
        run_command(shell_quote(finn_cli()) + " build_dataflow " + shell_quote(dir.string()));
    EXPECT_EQ(build.exit_code, 0) << build.out << build.err;
    return Model::load(dir / "out/intermediate_models/step_minimize_bit_width.onnx");
}

// Width converters and FIFOs as step_set_fifo_depths inserts them, the FIFOs' depths taking turns
// through 1, 2, 7 (shift registers) and 40 (a RAM with an output register).
void insert_streams(Model& model) {
    InsertDWC().run(model);
    SpecializeLayers(kPart).run(model);
    GiveUniqueNodeNames().run(model);
    const std::int64_t depths[] = {1, 2, 7, 40};
    std::size_t k = 0;
    for (Node node : model.nodes()) {
        const std::size_t streams = hw::find_definition_of_op_type(node.op_type())->stream_inputs;
        node.set_attr_ints("inFIFODepths", std::vector<std::int64_t>(streams, depths[k++ % 4]));
    }
    InsertFIFO(true, 256).run(model);
    SpecializeLayers(kPart).run(model);
    GiveUniqueNodeNames().run(model);
}

// Window nodes with parameters the zoo nets do not reach, each on streams of its own: sliding
// windows with dilation, 1-D along either axis, non-square maps and kernels, strides beyond the
// kernel, a kernel as large as the map, parallel windows with stride and dilation; padding on
// one side only, none at all, and folded over the channels (FMPadding_rtl keeps SIMD = channels
// in the zoo nets, as in FINN).
Model window_nodes() {
    Model part;
    part.proto().add_opset_import()->set_version(13);
    const DataType type = DataType::parse("INT4");
    const auto stream = [&](const std::string& name, const Shape& shape, bool input) {
        (input ? part.graph().add_input() : part.graph().add_output())->set_name(name);
        part.set_shape(name, shape);
        part.set_datatype(name, type);
    };
    std::size_t k = 0;
    const auto node = [&](const std::string& op, const Shape& in, const Shape& out) {
        const std::string name = op + "_x" + std::to_string(k++);
        stream(name + "_x", in, true);
        stream(name + "_y", out, false);
        Node n = part.add_node(op, {name + "_x"}, {name + "_y"}, name, domains::kFpgaDataflowRtl);
        n.set_attr_string("backend", "fpgadataflow");
        n.set_attr_string("inputDataType", type.name());
        return n;
    };
    struct Swg {
        std::int64_t ih, iw, kh, kw, sh, sw, dh, dw, c, simd, parallel, depthwise;
    };
    const Swg swgs[] = {
        {7, 9, 3, 2, 2, 1, 1, 2, 4, 2, 0, 0},  // non-square, dilated along W
        {1, 20, 1, 4, 1, 3, 1, 1, 6, 3, 0, 0}, // 1-D along W
        {12, 1, 3, 1, 2, 1, 2, 1, 2, 1, 0, 1}, // 1-D along H, dilated, depthwise
        {9, 9, 2, 2, 3, 3, 1, 1, 2, 2, 0, 0},  // stride beyond the kernel
        {6, 6, 1, 1, 2, 2, 1, 1, 4, 1, 0, 0},  // 1x1 kernel, stride 2
        {4, 5, 4, 5, 1, 1, 1, 1, 2, 1, 0, 0},  // the kernel covers the map
        {8, 7, 3, 3, 2, 1, 1, 1, 8, 2, 0, 1},  // depthwise, stride 2 along H
        {8, 10, 3, 3, 2, 3, 2, 1, 3, 3, 1, 0}, // parallel window, strides and dilation
        {1, 16, 1, 3, 1, 2, 1, 3, 4, 4, 1, 0}, // parallel window, 1-D, dilated
        {5, 5, 2, 2, 3, 3, 1, 1, 2, 2, 1, 1}}; // parallel window, stride beyond the kernel
    for (const Swg& w : swgs) {
        const std::int64_t oh = (w.ih - w.dh * (w.kh - 1) - 1) / w.sh + 1;
        const std::int64_t ow = (w.iw - w.dw * (w.kw - 1) - 1) / w.sw + 1;
        Node n = node("ConvolutionInputGenerator_rtl", {1, w.ih, w.iw, w.c},
                      {1, oh, ow, w.kh * w.kw * w.c});
        n.set_attr_ints("IFMDim", {w.ih, w.iw});
        n.set_attr_ints("OFMDim", {oh, ow});
        n.set_attr_ints("ConvKernelDim", {w.kh, w.kw});
        n.set_attr_ints("Stride", {w.sh, w.sw});
        n.set_attr_ints("Dilation", {w.dh, w.dw});
        n.set_attr_int("IFMChannels", w.c);
        n.set_attr_int("SIMD", w.simd);
        n.set_attr_int("parallel_window", w.parallel);
        n.set_attr_int("depthwise", w.depthwise);
        n.set_attr_int("is1D", w.ih == 1 || w.iw == 1 ? 1 : 0);
        n.set_attr_string("outputDataType", type.name());
    }
    struct Pad {
        std::int64_t h, w, top, left, bottom, right, c, simd;
    };
    const Pad pads[] = {{5, 4, 1, 0, 0, 2, 4, 2},
                        {3, 6, 0, 3, 2, 0, 6, 1},
                        {1, 8, 0, 2, 0, 1, 3, 3},
                        {4, 4, 0, 0, 0, 0, 2, 1},
                        {4, 5, 0, 0, 3, 1, 8, 4}};
    for (const Pad& p : pads) {
        Node n = node("FMPadding_rtl", {1, p.h, p.w, p.c},
                      {1, p.h + p.top + p.bottom, p.w + p.left + p.right, p.c});
        n.set_attr_ints("ImgDim", {p.h, p.w});
        n.set_attr_ints("Padding", {p.top, p.left, p.bottom, p.right});
        n.set_attr_int("NumChannels", p.c);
        n.set_attr_int("SIMD", p.simd);
    }
    return part;
}

// Appends every node of `part` to `all` with streams of its own: input k becomes the graph input
// <prefix><node>_in<k>, output k the graph output <prefix><node>_out<k>, with the tensors' shapes
// and datatypes; initializers come along as <prefix><name>, node names get `prefix`.
void add_side_by_side(Model& all, Model& part, const std::string& prefix) {
    const auto annotate = [&](const std::string& from, const std::string& to) {
        if (auto shape = part.shape(from)) all.set_shape(to, *shape, part.elem_type(from));
        if (part.has_datatype(from)) all.set_datatype(to, part.datatype(from));
    };
    for (Node node : part.nodes()) {
        std::vector<std::string> inputs, outputs;
        for (const std::string& x : node.inputs()) {
            if (part.has_initializer(x)) {
                inputs.push_back(prefix + x);
                if (!all.has_initializer(prefix + x))
                    all.set_initializer(prefix + x, part.initializer(x));
            } else {
                inputs.push_back(prefix + node.name() + "_in" + std::to_string(inputs.size()));
                all.graph().add_input()->set_name(inputs.back());
            }
            annotate(x, inputs.back());
        }
        for (const std::string& y : node.outputs()) {
            outputs.push_back(prefix + node.name() + "_out" + std::to_string(outputs.size()));
            all.graph().add_output()->set_name(outputs.back());
            annotate(y, outputs.back());
        }
        Node copy =
            all.add_node(node.op_type(), inputs, outputs, prefix + node.name(), node.domain());
        for (const auto& attribute : node.proto().attribute())
            *copy.proto().add_attribute() = attribute;
    }
}

// One node of `op` (a specialized _hls op) reading graph input "x" of `shape` and `datatype`, its
// attributes set by `attributes`, shapes and datatypes inferred.
Model one_node(const std::string& op, const Shape& shape, const std::string& datatype,
               const std::function<void(Node&)>& attributes) {
    Model model = dataflow_model(domains::kFpgaDataflowHls, shape);
    model.set_datatype("x", DataType::parse(datatype));
    Node n = model.add_node(op, {"x"}, {"y"}, op + "_0", domains::kFpgaDataflowHls);
    n.set_attr_string("backend", "fpgadataflow");
    attributes(n);
    InferShapes().run(model);
    InferDataTypes().run(model);
    return model;
}

// Nodes of the pooling and subsampling layers and ChannelwiseOp, which the zoo nets do not have
// (or only in 2D), each in a few shapes and foldings, several frames back to back where the node
// takes a batch. Appended to `all` as p<k>_<node>.
void add_pooling_nodes(Model& all) {
    const struct {
        const char* op;
        Shape shape;
        const char* datatype;
        std::function<void(Node&)> attributes;
    } nodes[] = {
        // Pool: max and average, PE folding, kernels 3x3, 2x2, 1x2 and 1x1, two frames.
        {"Pool_hls",
         {1, 2, 2, 9 * 4},
         "INT4",
         [](Node& n) {
             n.set_attr_int("Channels", 4);
             n.set_attr_int("PE", 2);
             n.set_attr_ints("KernelSize", {3, 3});
             n.set_attr_string("Function", "MaxPool");
             n.set_attr_ints("OutImgDims", {2, 2});
             n.set_attr_string("InputDataType", "INT4");
             n.set_attr_string("OutputDataType", "INT4");
         }},
        {"Pool_hls",
         {2, 3, 3, 4 * 6},
         "UINT4",
         [](Node& n) {
             n.set_attr_int("Channels", 6);
             n.set_attr_int("PE", 6);
             n.set_attr_ints("KernelSize", {2, 2});
             n.set_attr_string("Function", "QuantAvgPool");
             n.set_attr_ints("OutImgDims", {3, 3});
             n.set_attr_string("InputDataType", "UINT4");
             n.set_attr_string("OutputDataType", "UINT4");
             n.set_attr_int("BatchSize", 2);
         }},
        {"Pool_hls",
         {1, 1, 4, 2 * 3},
         "UINT2",
         [](Node& n) {
             n.set_attr_int("Channels", 3);
             n.set_attr_int("PE", 1);
             n.set_attr_ints("KernelSize", {1, 2});
             n.set_attr_string("Function", "MaxPool");
             n.set_attr_ints("OutImgDims", {1, 4});
             n.set_attr_string("InputDataType", "UINT2");
             n.set_attr_string("OutputDataType", "UINT2");
         }},
        {"Pool_hls",
         {1, 2, 2, 4},
         "INT3",
         [](Node& n) {
             n.set_attr_int("Channels", 4);
             n.set_attr_int("PE", 2);
             n.set_attr_ints("KernelSize", {1, 1});
             n.set_attr_string("Function", "QuantAvgPool");
             n.set_attr_ints("OutImgDims", {2, 2});
             n.set_attr_string("InputDataType", "INT3");
             n.set_attr_string("OutputDataType", "INT4");
         }},
        // GlobalAccPool: PE folding, two frames, a single pixel.
        {"GlobalAccPool_hls",
         {1, 3, 2, 4},
         "INT4",
         [](Node& n) {
             n.set_attr_int("NumChannels", 4);
             n.set_attr_int("PE", 2);
             n.set_attr_string("inputDataType", "INT4");
             n.set_attr_ints("numInputVectors", {1, 3, 2});
         }},
        {"GlobalAccPool_hls",
         {2, 2, 2, 6},
         "UINT3",
         [](Node& n) {
             n.set_attr_int("NumChannels", 6);
             n.set_attr_int("PE", 6);
             n.set_attr_string("inputDataType", "UINT3");
             n.set_attr_ints("numInputVectors", {2, 2, 2});
         }},
        {"GlobalAccPool_hls",
         {1, 1, 1, 3},
         "UINT2",
         [](Node& n) {
             n.set_attr_int("NumChannels", 3);
             n.set_attr_int("PE", 1);
             n.set_attr_string("inputDataType", "UINT2");
             n.set_attr_ints("numInputVectors", {1, 1, 1});
         }},
        // DownSampler: strides 2, 3 and 1, SIMD folding, 2D, a column and a row, two frames.
        {"DownSampler_hls",
         {1, 5, 5, 6},
         "UINT3",
         [](Node& n) {
             n.set_attr_int("ImgDim", 5);
             n.set_attr_int("NumChannels", 6);
             n.set_attr_int("SIMD", 3);
             n.set_attr_int("Stride", 2);
             n.set_attr_string("inputDataType", "UINT3");
         }},
        {"DownSampler_hls",
         {2, 7, 7, 4},
         "INT2",
         [](Node& n) {
             n.set_attr_int("ImgDim", 7);
             n.set_attr_int("NumChannels", 4);
             n.set_attr_int("SIMD", 1);
             n.set_attr_int("Stride", 3);
             n.set_attr_int("numInputVectors", 2);
             n.set_attr_string("inputDataType", "INT2");
         }},
        {"DownSampler_hls",
         {1, 7, 1, 2},
         "UINT4",
         [](Node& n) {
             n.set_attr_int("ImgDim", 7);
             n.set_attr_int("NumChannels", 2);
             n.set_attr_int("SIMD", 2);
             n.set_attr_int("Stride", 2);
             n.set_attr_int("is1D", 1);
             n.set_attr_int("is1D_unitx", 1);
             n.set_attr_string("inputDataType", "UINT4");
         }},
        {"DownSampler_hls",
         {1, 1, 4, 3},
         "UINT2",
         [](Node& n) {
             n.set_attr_int("ImgDim", 4);
             n.set_attr_int("NumChannels", 3);
             n.set_attr_int("SIMD", 1);
             n.set_attr_int("Stride", 1);
             n.set_attr_int("is1D", 1);
             n.set_attr_int("is1D_unitx", 0);
             n.set_attr_string("inputDataType", "UINT2");
         }},
        // LabelSelect: K below, equal to and above the words per vector (the last waits for the
        // result buffer), several vectors back to back.
        {"LabelSelect_hls",
         {1, 10},
         "INT8",
         [](Node& n) {
             n.set_attr_int("Labels", 10);
             n.set_attr_int("PE", 1);
             n.set_attr_int("K", 1);
             n.set_attr_string("inputDataType", "INT8");
             n.set_attr_string("outputDataType", "UINT8");
         }},
        {"LabelSelect_hls",
         {3, 12},
         "UINT4",
         [](Node& n) {
             n.set_attr_int("Labels", 12);
             n.set_attr_int("PE", 4);
             n.set_attr_int("K", 5);
             n.set_attr_ints("numInputVectors", {3});
             n.set_attr_string("inputDataType", "UINT4");
             n.set_attr_string("outputDataType", "UINT4");
         }},
        {"LabelSelect_hls",
         {2, 8},
         "INT4",
         [](Node& n) {
             n.set_attr_int("Labels", 8);
             n.set_attr_int("PE", 2);
             n.set_attr_int("K", 4);
             n.set_attr_ints("numInputVectors", {2});
             n.set_attr_string("inputDataType", "INT4");
             n.set_attr_string("outputDataType", "UINT3");
         }},
        {"LabelSelect_hls",
         {4, 6},
         "UINT3",
         [](Node& n) {
             n.set_attr_int("Labels", 6);
             n.set_attr_int("PE", 6);
             n.set_attr_int("K", 6);
             n.set_attr_ints("numInputVectors", {4});
             n.set_attr_string("inputDataType", "UINT3");
             n.set_attr_string("outputDataType", "UINT3");
         }},
        // StreamingMaxPool in 1D (the nets have 2D only): PE folding, CeilMode, a kernel that
        // does not divide the image; and a 2D image whose trailing row and column are dropped.
        {"StreamingMaxPool_hls",
         {1, 1, 9, 4},
         "INT4",
         [](Node& n) {
             n.set_attr_ints("ImgDim", {1, 9});
             n.set_attr_ints("PoolDim", {1, 2});
             n.set_attr_int("NumChannels", 4);
             n.set_attr_int("PE", 2);
             n.set_attr_int("CeilMode", 1);
             n.set_attr_string("dataType", "INT4");
         }},
        {"StreamingMaxPool_hls",
         {1, 8, 1, 3},
         "UINT4",
         [](Node& n) {
             n.set_attr_ints("ImgDim", {8, 1});
             n.set_attr_ints("PoolDim", {3, 1});
             n.set_attr_int("NumChannels", 3);
             n.set_attr_int("PE", 1);
             n.set_attr_string("dataType", "UINT4");
         }},
        {"StreamingMaxPool_hls",
         {1, 5, 5, 2},
         "UINT2",
         [](Node& n) {
             n.set_attr_ints("ImgDim", {5, 5});
             n.set_attr_ints("PoolDim", {2, 2});
             n.set_attr_int("NumChannels", 2);
             n.set_attr_string("dataType", "UINT2");
         }},
    };
    std::size_t k = 0;
    for (const auto& node : nodes) {
        Model part = one_node(node.op, node.shape, node.datatype, node.attributes);
        add_side_by_side(all, part, "p" + std::to_string(k++) + "_");
    }
    // ChannelwiseOp (the nets have none): PE folding, per-channel and shared parameters.
    const struct {
        std::int64_t channels, pe, parameters, vectors;
    } channelwise[] = {{8, 2, 8, 3}, {6, 6, 1, 2}, {5, 1, 5, 4}};
    for (const auto& c : channelwise) {
        Model part = dataflow_model(domains::kFpgaDataflowHls, {1, c.vectors, c.channels});
        part.set_datatype("x", DataType::parse("INT4"));
        part.set_initializer(
            "p", Tensor::from_floats({c.parameters}, std::vector<float>(c.parameters, 3.0f)));
        part.set_datatype("p", DataType::parse("INT4"));
        Node n = part.add_node("ChannelwiseOp_hls", {"x", "p"}, {"y"}, "ChannelwiseOp_hls_0",
                               domains::kFpgaDataflowHls);
        n.set_attr_string("backend", "fpgadataflow");
        n.set_attr_string("Func", "add");
        n.set_attr_int("NumChannels", c.channels);
        n.set_attr_int("PE", c.pe);
        n.set_attr_string("inputDataType", "INT4");
        n.set_attr_string("paramDataType", "INT4");
        n.set_attr_string("outputDataType", "INT5");
        n.set_attr_ints("numInputVectors", {1, c.vectors});
        InferShapes().run(part);
        InferDataTypes().run(part);
        add_side_by_side(all, part, "p" + std::to_string(k++) + "_");
    }
}

std::string first_difference(const std::vector<std::int64_t>& rtl,
                             const std::vector<std::int64_t>& model) {
    for (std::size_t t = 0; t < rtl.size() && t < model.size(); ++t)
        if (rtl[t] != model[t])
            return "first differs in cycle " + std::to_string(t) + ": RTL " +
                   std::to_string(rtl[t]) + ", model " + std::to_string(model[t]);
    return rtl.size() == model.size() ? "" : "lengths differ";
}

TEST(TransferModel, EveryZooNodeMovesWordsInTheCyclesItsRtlDoes) {
    if (!verilator_available()) GTEST_SKIP() << "Verilator or make not installed";
    ScratchDir scratch;
    const struct {
        const char* zoo;
        int target_fps;
    } nets[] = {{"tfc_w1a1", 100000}, {"cnv_w1a1", 2000},      {"residual_w4a4", 5000},
                {"dwsep_w4a4", 3000}, {"lenet_w4a4", 20000},   {"strided_w4a4", 8000},
                {"tfc_w2a2", 1000},   {"dwsepfc_w4a4", 100000}};
    Model all;
    all.proto().add_opset_import()->set_version(13);
    all.graph().set_name("side_by_side");
    for (std::size_t k = 0; k < std::size(nets); ++k) {
        Model part = folded_partition(scratch.path(), nets[k].zoo, nets[k].target_fps);
        insert_streams(part);
        add_side_by_side(all, part, "m" + std::to_string(k) + "_");
    }
    add_pooling_nodes(all);
    Model windows = window_nodes();
    add_side_by_side(all, windows, "w_");

    std::int64_t period = 0;
    std::set<std::string> unmodelled;
    std::map<std::string, hwgen::NodeTransfers> expected;
    for (Node node : all.nodes()) {
        auto layer = hw::require_layer(all, node);
        period = std::max(period, layer->exp_cycles() + 10);
    }
    for (Node node : all.nodes()) {
        auto layer = hw::require_layer(all, node);
        const auto moved = hwgen::model_node_transfers(
            *layer, *hw::find_definition_of_op_type(node.op_type()), period);
        if (moved)
            expected.emplace(node.name(), *moved);
        else
            unmodelled.insert(node.op_type());
    }
    std::string missing;
    for (const std::string& op : unmodelled)
        missing += " " + op;
    EXPECT_EQ(missing, "") << "op types without a transaction model";

    const hwgen::StitchedDesign design = hwgen::stitch_design(all, kPart, 10.0);
    const fs::path dir = scratch / "stitched";
    hwgen::write_and_build_stitched(design, dir, false, scratch / "runtime", "the test",
                                    hwgen::SimulationLength::Short);
    std::vector<std::size_t> words;
    std::vector<std::int64_t> widths;
    for (const hwgen::StitchedStream& s : design.inputs) {
        Node node = *all.node_by_name(s.node);
        auto layer = hw::require_layer(all, node);
        words.push_back(hwgen::frame_input_words(
            *layer, *hw::find_definition_of_op_type(node.op_type()))[s.stream]);
        widths.push_back(s.width);
    }
    const hls::Transfers rtl =
        hwgen::measure_stitched_transfers(dir, words, widths, design.outputs.size(), period);

    std::size_t compared = 0;
    std::map<std::string, std::size_t> nodes_compared; // by op type
    const auto compare = [&](const hwgen::StitchedStream& s, const std::vector<std::int64_t>& moved,
                             bool input) {
        auto it = expected.find(s.node);
        if (it == expected.end()) return;
        const auto& lines = input ? it->second.inputs : it->second.outputs;
        ASSERT_LT(static_cast<std::size_t>(s.stream), lines.size()) << s.node;
        EXPECT_EQ(first_difference(moved, lines[s.stream]), "")
            << s.node << " (" << all.node_by_name(s.node)->op_type() << ") "
            << (input ? "input " : "output ") << s.stream;
        ++compared;
        if (input && s.stream == 0) ++nodes_compared[all.node_by_name(s.node)->op_type()];
    };
    for (std::size_t i = 0; i < design.inputs.size(); ++i)
        compare(design.inputs[i], rtl.inputs[i], true);
    for (std::size_t j = 0; j < design.outputs.size(); ++j)
        compare(design.outputs[j], rtl.outputs[j], false);
    std::cout << "compared " << compared << " streams of " << expected.size() << " nodes over "
              << period << " cycles\n";
    for (const auto& [op, count] : nodes_compared)
        std::cout << "  " << op << ": " << count << " nodes\n";
    EXPECT_GT(compared, 100u);
}

} // namespace
} // namespace finn
