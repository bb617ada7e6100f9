// The hardware-layer classes: attribute declarations (one source for schema, validation and
// configs), folding constraints, folded shapes, stream widths and cycles of a small MVAU.
#include "finn/core/error.h"
#include "finn/hw/registry.h"
#include "finn/ir/custom_op_schemas.h"

#include <gtest/gtest.h>
#include <onnx/defs/schema.h>
#include <set>

namespace finn {
namespace {

const AttrDecl* attr_of(const std::string& domain, const std::string& op, const std::string& name) {
    const CustomOpDecl* decl = find_custom_op(domain, op);
    if (!decl) return nullptr;
    for (const auto& a : decl->attributes)
        if (a.name == name) return &a;
    return nullptr;
}

TEST(HwLayerAttributes, MvauDeclaresFinnsAttributes) {
    // FINN declares PE and SIMD as required ints (its placeholder default 0 is never used).
    const AttrDecl* pe = attr_of(domains::kFpgaDataflowHls, "MVAU_hls", "PE");
    ASSERT_NE(pe, nullptr);
    EXPECT_EQ(pe->type, AttrType::Int);
    EXPECT_TRUE(pe->default_value.is_null());
    const AttrDecl* ram = attr_of(domains::kFpgaDataflowHls, "MVAU_hls", "ram_style");
    ASSERT_NE(ram, nullptr);
    EXPECT_EQ(ram->default_value, "auto");
    EXPECT_EQ(ram->allowed, (std::vector<nlohmann::json>{"auto", "block", "distributed", "ultra"}));
    const AttrDecl* mem = attr_of(domains::kFpgaDataflowRtl, "MVAU_rtl", "mem_mode");
    ASSERT_NE(mem, nullptr);
    EXPECT_EQ(mem->default_value, "internal_decoupled");
    EXPECT_NE(std::find(mem->allowed.begin(), mem->allowed.end(), "const"), mem->allowed.end());
    EXPECT_EQ(attr_of(domains::kFpgaDataflowHls, "MVAU_hls", "accDataType")->default_value,
              "INT32");
    EXPECT_EQ(attr_of(domains::kFpgaDataflowHls, "MVAU_hls", "numInputVectors")->default_value,
              nlohmann::json::array({1}));
    // Legacy names and the common attributes are declared too.
    EXPECT_NE(attr_of(domains::kFpgaDataflow, "MatrixVectorActivation", "SIMD"), nullptr);
    EXPECT_NE(attr_of(domains::kFpgaDataflowHls, "MVAU_hls", "cycles_estimate"), nullptr);
}

TEST(HwLayerAttributes, ImplementationSpecificAttributes) {
    EXPECT_NE(attr_of(domains::kFpgaDataflowRtl, "Thresholding_rtl", "depth_trigger_bram"),
              nullptr);
    EXPECT_EQ(attr_of(domains::kFpgaDataflowHls, "Thresholding_hls", "depth_trigger_bram"),
              nullptr);
    EXPECT_EQ(attr_of(domains::kFpgaDataflowHls, "Thresholding_hls", "ram_style")->default_value,
              "distributed");
    EXPECT_NE(attr_of(domains::kFpgaDataflowRtl, "ConvolutionInputGenerator_rtl", "M"), nullptr);
    EXPECT_EQ(attr_of(domains::kFpgaDataflowHls, "AddStreams_hls", "inFIFODepths")->default_value,
              nlohmann::json::array({2, 2}));
    EXPECT_EQ(attr_of(domains::kFpgaDataflowRtl, "StreamingFIFO_rtl", "impl_style")->default_value,
              "rtl");
    for (const auto& name : hw::layer_names())
        EXPECT_FALSE(hw::layer_attributes(name, hw::Impl::Hls).empty()) << name;
}

TEST(HwLayerAttributes, EachAttributeDeclaredOncePerOp) {
    for (const auto& op : custom_op_declarations()) {
        std::set<std::string> seen;
        for (const auto& a : op.attributes)
            EXPECT_TRUE(seen.insert(a.name).second)
                << op.op_type << " declares " << a.name << " twice";
    }
}

TEST(HwLayerAttributes, OnnxSchemaCarriesTheDeclaration) {
    register_custom_op_schemas({domains::kFpgaDataflowHls});
    const auto* schema = onnx::OpSchemaRegistry::Schema("MVAU_hls", 1, domains::kFpgaDataflowHls);
    ASSERT_NE(schema, nullptr);
    EXPECT_TRUE(schema->attributes().count("PE"));
    EXPECT_TRUE(schema->attributes().count("ram_style_thresholds"));
}

TEST(HwLayerRegistry, KindsOfOpTypes) {
    auto k = hw::layer_kind("MVAU_hls", domains::kFpgaDataflowHls);
    ASSERT_TRUE(k);
    EXPECT_EQ(k->abstract_op, "MVAU");
    EXPECT_EQ(k->impl, hw::Impl::Hls);
    k = hw::layer_kind("StreamingFCLayer_Batch", domains::kFpgaDataflow);
    ASSERT_TRUE(k);
    EXPECT_EQ(k->abstract_op, "MVAU");
    EXPECT_FALSE(hw::layer_kind("MVAU_hls", domains::kFpgaDataflowRtl));
    EXPECT_FALSE(hw::layer_kind("IODMA_hls", domains::kFpgaDataflowHls));
}

// A conv-like MVAU: 3x3 output pixels of 8 inputs each, 4 outputs, INT4 x INT4.
Model small_mvau(std::int64_t simd, std::int64_t pe) {
    Model model;
    Node n = model.add_node("MVAU_hls", {"x", "w"}, {"y"}, "MVAU_hls_0", domains::kFpgaDataflowHls);
    n.set_attr_int("MW", 8);
    n.set_attr_int("MH", 4);
    n.set_attr_int("SIMD", simd);
    n.set_attr_int("PE", pe);
    n.set_attr_string("inputDataType", "INT4");
    n.set_attr_string("weightDataType", "INT4");
    n.set_attr_string("outputDataType", "INT32");
    n.set_attr_int("noActivation", 1);
    n.set_attr_ints("numInputVectors", {1, 3, 3});
    return model;
}

TEST(HwLayerMvau, FoldedShapesWidthsAndCycles) {
    Model model = small_mvau(4, 2);
    auto layer = hw::require_layer(model, model.node(0));
    EXPECT_EQ(layer->folded_input_shape(0), (Shape{1, 3, 3, 2, 4}));
    EXPECT_EQ(layer->folded_output_shape(0), (Shape{1, 3, 3, 2, 2}));
    EXPECT_EQ(layer->instream_width(0), 16);
    EXPECT_EQ(layer->instream_width(1), 32); // PE * SIMD * 4 weight bits, decoupled by default
    EXPECT_EQ(layer->outstream_width(0), 64);
    EXPECT_EQ(layer->exp_cycles(), (4 / 2) * (8 / 4) * 9);
    auto folding = layer->folding_attributes();
    ASSERT_EQ(folding.size(), 2u);
    EXPECT_EQ(folding[0].attr, "SIMD");
    EXPECT_EQ(folding[0].legal_values, (std::vector<std::int64_t>{1, 2, 4, 8}));
    EXPECT_EQ(folding[1].legal_values, (std::vector<std::int64_t>{1, 2, 4}));
    EXPECT_NO_THROW(layer->check_folding());
    auto counts = layer->op_and_param_counts();
    EXPECT_EQ(counts.at("op_mac_4bx4b").get<int>(), 8 * 4 * 9);
    EXPECT_EQ(counts.at("param_weight_4b").get<int>(), 32);
    EXPECT_FALSE(counts.contains("param_threshold_32b"));
}

TEST(HwLayerMvau, IllegalFoldingNamesNodeAttributeAndLegalValues) {
    Model model = small_mvau(4, 3);
    auto layer = hw::require_layer(model, model.node(0));
    try {
        layer->check_folding();
        FAIL() << "PE = 3 does not divide MH = 4";
    } catch (const Error& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("MVAU_hls_0"), std::string::npos) << m;
        EXPECT_NE(m.find("'PE' = 3"), std::string::npos) << m;
        EXPECT_NE(m.find("legal values: 1, 2, 4"), std::string::npos) << m;
    }
}

TEST(HwLayerMvau, ResourcesFollowFinnsFormulas) {
    // 784x64 binary layer at PE 16, SIMD 49, weights in BRAM: 22 RAMB18 of 784-bit words.
    Model model;
    Node n = model.add_node("MVAU_hls", {"x", "w", "t"}, {"y"}, "m", domains::kFpgaDataflowHls);
    for (auto [k, v] : std::vector<std::pair<const char*, int>>{
             {"MW", 784}, {"MH", 64}, {"SIMD", 49}, {"PE", 16}, {"binaryXnorMode", 1}})
        n.set_attr_int(k, v);
    n.set_attr_string("inputDataType", "BINARY");
    n.set_attr_string("weightDataType", "BINARY");
    n.set_attr_string("outputDataType", "BINARY");
    n.set_attr_string("accDataType", "UINT10");
    n.set_attr_string("ram_style", "block");
    auto layer = hw::require_layer(model, model.node(0));
    hw::Resources r = layer->resources("xc7z020clg400-1");
    EXPECT_EQ(r.bram_18k, 22);
    // 300 + 1.1 * PE * (mult + adder + acc) with mult = 49*1*2, adder = 2*97, acc = 10.
    EXPECT_EQ(r.lut, static_cast<std::int64_t>(300 + 1.1 * 16 * (98 + 194 + 10)));
    EXPECT_EQ(r.dsp, 0);
    EXPECT_DOUBLE_EQ(r.bram_efficiency.get<double>(), 784.0 * 64 / (22 * 36 * 512));
    auto alternatives = layer->resource_alternatives("xc7z020clg400-1");
    ASSERT_EQ(alternatives.size(), 2u);
    EXPECT_EQ(alternatives[0].dsp, 16 * 49 * 1);     // resType dsp: ceil((1+1)/48) per MAC
    EXPECT_FALSE(model.node(0).has_attr("resType")); // restored
}

// A single-node model of a specialized layer with integer attributes and string attributes.
Model one_node(const std::string& op, const std::string& domain,
               const std::vector<std::pair<std::string, std::vector<std::int64_t>>>& ints,
               const std::vector<std::pair<std::string, std::string>>& strings) {
    Model model;
    Node n = model.add_node(op, {"x"}, {"y"}, op + "_0", domain);
    for (const auto& [k, v] : ints) {
        if (v.size() == 1 && k != "numInputVectors" && k != "folded_shape" && k != "shape")
            n.set_attr_int(k, v[0]);
        else
            n.set_attr_ints(k, v);
    }
    for (const auto& [k, v] : strings)
        n.set_attr_string(k, v);
    return model;
}

TEST(HwLayerThresholding, RtlMemoriesPerStage) {
    // 64 channels at PE 4 (16 per PE), 2 output bits: stages of 16 and 32 8-bit thresholds,
    // each fitting best into 8 LUTRAM columns (1x64).
    auto make = [](std::int64_t trigger_bram, std::int64_t trigger_uram) {
        return one_node(
            "Thresholding_rtl", domains::kFpgaDataflowRtl,
            {{"NumChannels", {64}},
             {"PE", {4}},
             {"numSteps", {3}},
             {"depth_trigger_bram", {trigger_bram}},
             {"depth_trigger_uram", {trigger_uram}}},
            {{"inputDataType", "INT8"}, {"weightDataType", "INT8"}, {"outputDataType", "UINT2"}});
    };
    Model model = make(0, 0);
    auto layer = hw::require_layer(model, model.node(0));
    hw::Resources r = layer->resources("xc7z020clg400-1");
    EXPECT_EQ(r.lut, (8 + 8) * 4);
    EXPECT_EQ(r.bram_18k, 0);
    EXPECT_EQ(layer->exp_cycles(), 16);
    // Depth triggers: between the BRAM and URAM triggers only BRAM (one RAMB18 per stage).
    model = make(1, 1000);
    EXPECT_EQ(hw::require_layer(model, model.node(0))->resources("").bram_18k, 2 * 4);
    // FINN's quirk: a BRAM trigger alone sends the memory to URAM (the URAM trigger 0 is met).
    model = make(1, 0);
    EXPECT_EQ(hw::require_layer(model, model.node(0))->resources("").uram, 2 * 4);
}

TEST(HwLayerThresholding, HlsMemories) {
    // 16 thresholds per PE of 8-bit inputs: LUT = A*P + P*A*ceil(16/64); BRAM when asked for.
    Model model = one_node(
        "Thresholding_hls", domains::kFpgaDataflowHls,
        {{"NumChannels", {64}}, {"PE", {4}}, {"numSteps", {3}}},
        {{"inputDataType", "INT8"}, {"weightDataType", "INT8"}, {"outputDataType", "UINT2"}});
    auto layer = hw::require_layer(model, model.node(0));
    EXPECT_EQ(layer->resources("").lut, 8 * 4 + 4 * 8 * 1);
    EXPECT_EQ(layer->resources("").bram_18k, 0);
    layer->set_string("ram_style", "block");
    EXPECT_EQ(layer->resources("").bram_18k, 2); // ceil(8*4/16) * ceil(16/1024)
    EXPECT_EQ(layer->resources("").lut, 8 * 4);
    EXPECT_EQ(layer->op_and_param_counts().at("param_threshold_8b").get<int>(), 64 * 3);
}

Model swg(const std::string& op, const std::string& domain, std::int64_t parallel_window) {
    return one_node(op, domain,
                    {{"ConvKernelDim", {3, 3}},
                     {"IFMChannels", {4}},
                     {"IFMDim", {8, 8}},
                     {"OFMDim", {6, 6}},
                     {"SIMD", {2}},
                     {"Stride", {1, 1}},
                     {"Dilation", {1, 1}},
                     {"parallel_window", {parallel_window}}},
                    {{"inputDataType", "UINT4"}, {"outputDataType", "UINT4"}});
}

TEST(HwLayerSwg, CyclesOfTheVariants) {
    // Channel fold 2; RTL default: buffer ((3-1)*8 + 2 + 1) * 2 = 38, then 6 rows of
    // max(6*9*2, 8*2) = 108 cycles.
    Model rtl = swg("ConvolutionInputGenerator_rtl", domains::kFpgaDataflowRtl, 0);
    auto layer = hw::require_layer(rtl, rtl.node(0));
    EXPECT_EQ(layer->exp_cycles(), 38 + 6 * 108);
    EXPECT_EQ(layer->folded_output_shape(0), (Shape{1, 6, 6, 18, 2}));
    Model parallel = swg("ConvolutionInputGenerator_rtl", domains::kFpgaDataflowRtl, 1);
    auto p = hw::require_layer(parallel, parallel.node(0));
    EXPECT_EQ(p->exp_cycles(), 8 * 8 * 2 + 2);
    EXPECT_EQ(p->folded_output_shape(0), (Shape{1, 6, 6, 2, 18}));
    EXPECT_EQ(p->outstream_width(0), 18 * 4);
    // HLS 2D: IW*kh*(C/SIMD) + OH * max(OW*kw*kh*(C/SIMD), IW*(C/SIMD)).
    Model hls = swg("ConvolutionInputGenerator_hls", domains::kFpgaDataflowHls, 0);
    EXPECT_EQ(hw::require_layer(hls, hls.node(0))->exp_cycles(), 8 * 3 * 2 + 6 * 108);
    // The abstract op is not estimated.
    Model abstract = swg("ConvolutionInputGenerator", domains::kFpgaDataflow, 0);
    EXPECT_EQ(hw::require_layer(abstract, abstract.node(0))->exp_cycles(), 0);
    EXPECT_EQ(layer->resource_alternatives("xc7z020clg400-1").size(), 3u);
}

TEST(HwLayerOthers, MaxPoolLabelSelectFifoAndWidthConverter) {
    Model pool = one_node("StreamingMaxPool_hls", domains::kFpgaDataflowHls,
                          {{"ImgDim", {4, 4}}, {"PoolDim", {2, 2}}, {"NumChannels", {8}}},
                          {{"dataType", "UINT4"}});
    auto p = hw::require_layer(pool, pool.node(0));
    EXPECT_EQ(p->exp_cycles(), 20); // 4*4*(1 + 1/4)
    EXPECT_EQ(p->folded_output_shape(0), (Shape{1, 2, 2, 1, 8}));

    Model ls = one_node("LabelSelect_hls", domains::kFpgaDataflowHls,
                        {{"Labels", {10}}, {"PE", {5}}, {"K", {1}}},
                        {{"inputDataType", "UINT8"}, {"outputDataType", "UINT8"}});
    auto l = hw::require_layer(ls, ls.node(0));
    EXPECT_EQ(l->exp_cycles(), 2);
    EXPECT_EQ(l->folded_input_shape(0), (Shape{1, 2, 5}));
    EXPECT_EQ(l->folded_output_shape(0), (Shape{1, 1, 1}));
    EXPECT_EQ(l->instream_width(0), 40);

    // GlobalAccPool over 4x4 pixels of UINT4: sums up to 16*15 = 240, one word per PE group.
    Model gap = one_node("GlobalAccPool_hls", domains::kFpgaDataflowHls,
                         {{"NumChannels", {8}}, {"PE", {2}}, {"numInputVectors", {1, 4, 4}}},
                         {{"inputDataType", "UINT4"}});
    auto g = hw::require_layer(gap, gap.node(0));
    EXPECT_EQ(g->output_datatype(0), DataType::uint(8));
    EXPECT_EQ(g->folded_output_shape(0), (Shape{1, 1, 1, 4, 2}));
    EXPECT_EQ(g->exp_cycles(), 16 * 4 + 4);

    // FIFO of 100 words of 16 bits: LUT = 2*ceil(log2 100) + ceil(100/32)*ceil(16/2).
    Model fifo =
        one_node("StreamingFIFO_rtl", domains::kFpgaDataflowRtl,
                 {{"depth", {100}}, {"folded_shape", {1, 16, 4}}, {"normal_shape", {1, 64}}},
                 {{"dataType", "UINT4"}});
    auto f = hw::require_layer(fifo, fifo.node(0));
    EXPECT_EQ(f->resources("").lut, 14 + 4 * 8);
    f->set_string("impl_style", "vivado");
    f->set_string("ram_style", "block");
    EXPECT_EQ(f->resources("").bram_18k, 1); // depth rounded up to 128
    EXPECT_EQ(f->resources("").lut, 14);

    // DWC 12 -> 8 bits through lcm 24: counters 1 + 2, registers 24 + 8.
    Model dwc = one_node("StreamingDataWidthConverter_hls", domains::kFpgaDataflowHls,
                         {{"shape", {1, 24}}, {"inWidth", {12}}, {"outWidth", {8}}},
                         {{"dataType", "UINT4"}});
    auto d = hw::require_layer(dwc, dwc.node(0));
    EXPECT_EQ(d->resources("").lut, 3 + 32);
    EXPECT_EQ(d->folded_input_shape(0), (Shape{1, 8, 3}));
    EXPECT_EQ(d->folded_output_shape(0), (Shape{1, 12, 2}));
    EXPECT_EQ(d->exp_cycles(), 0);
}

TEST(HwLayerDownSampler, DeclaresFinnsAttributesAndOnlyAnHlsVariant) {
    const std::string hls = domains::kFpgaDataflowHls;
    ASSERT_NE(find_custom_op(hls, "DownSampler_hls"), nullptr);
    EXPECT_EQ(attr_of(hls, "DownSampler_hls", "ImgDim")->type, AttrType::Int);
    EXPECT_TRUE(attr_of(hls, "DownSampler_hls", "ImgDim")->default_value.is_null());
    EXPECT_TRUE(attr_of(hls, "DownSampler_hls", "Stride")->default_value.is_null());
    EXPECT_EQ(attr_of(hls, "DownSampler_hls", "SIMD")->default_value, 1);
    EXPECT_EQ(attr_of(hls, "DownSampler_hls", "numInputVectors")->default_value, 1);
    EXPECT_EQ(attr_of(hls, "DownSampler_hls", "is1D")->default_value, 0);
    EXPECT_EQ(attr_of(hls, "DownSampler_hls", "is1D_unitx")->default_value, 1);
    EXPECT_NE(attr_of(domains::kFpgaDataflow, "DownSampler", "inputDataType"), nullptr);
    EXPECT_EQ(find_custom_op(domains::kFpgaDataflowRtl, "DownSampler_rtl"), nullptr);
}

Model downsampler(std::int64_t dim, std::int64_t stride, std::int64_t simd, std::int64_t is_1d,
                  std::int64_t unitx, std::int64_t batch = 1) {
    Model model = one_node("DownSampler_hls", domains::kFpgaDataflowHls,
                           {{"ImgDim", {dim}},
                            {"NumChannels", {6}},
                            {"SIMD", {simd}},
                            {"Stride", {stride}},
                            {"is1D", {is_1d}},
                            {"is1D_unitx", {unitx}}},
                           {{"inputDataType", "INT4"}});
    model.node(0).set_attr_int("numInputVectors", batch); // an int here, unlike MVAU's
    return model;
}

TEST(HwLayerDownSampler, ShapesWidthsCyclesAndEstimates) {
    // 8x8 at stride 3 keeps pixels 0, 3 and 6 of each axis; FINN's batch axis is numInputVectors.
    Model square = downsampler(8, 3, 3, 0, 0, 2);
    auto d = hw::require_layer(square, square.node(0));
    EXPECT_EQ(d->normal_input_shape(0), (Shape{2, 8, 8, 6}));
    EXPECT_EQ(d->normal_output_shape(0), (Shape{2, 3, 3, 6}));
    EXPECT_EQ(d->folded_input_shape(0), (Shape{2, 8, 8, 2, 3}));
    EXPECT_EQ(d->folded_output_shape(0), (Shape{2, 3, 3, 2, 3}));
    EXPECT_EQ(d->instream_width(0), 12);
    EXPECT_EQ(d->outstream_width(0), 12);
    EXPECT_EQ(d->output_datatype(0), DataType::sint(4));
    // Every input pixel costs C/SIMD cycles: 6/3 * 2 * 8*8.
    EXPECT_EQ(d->exp_cycles(), 256);
    auto folding = d->folding_attributes();
    ASSERT_EQ(folding.size(), 1u);
    EXPECT_EQ(folding[0].attr, "SIMD");
    EXPECT_EQ(folding[0].legal_values, (std::vector<std::int64_t>{1, 2, 3, 6}));
    // FINN estimates no resources and counts no operations for it.
    EXPECT_EQ(d->resources("xc7z020clg400-1").to_json(), hw::Resources{}.to_json());
    EXPECT_TRUE(d->op_and_param_counts().empty());
    d->set_int("SIMD", 4);
    EXPECT_THROW(d->check_folding(), Error);

    // 1D: a column (D, 1) with is1D_unitx, else a row (1, D); only D pixels to read.
    Model column = downsampler(7, 2, 1, 1, 1);
    auto c = hw::require_layer(column, column.node(0));
    EXPECT_EQ(c->normal_input_shape(0), (Shape{1, 7, 1, 6}));
    EXPECT_EQ(c->normal_output_shape(0), (Shape{1, 4, 1, 6}));
    EXPECT_EQ(c->exp_cycles(), 6 * 7);
    Model row = downsampler(7, 2, 2, 1, 0);
    auto r = hw::require_layer(row, row.node(0));
    EXPECT_EQ(r->normal_input_shape(0), (Shape{1, 1, 7, 6}));
    EXPECT_EQ(r->folded_output_shape(0), (Shape{1, 1, 4, 3, 2}));
    EXPECT_EQ(r->exp_cycles(), 3 * 7);
}

} // namespace
} // namespace finn
