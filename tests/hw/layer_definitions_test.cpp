// The one definition per hardware layer (finn/hw/layer_definition.h) and what is derived from it:
// schemas, kernels, variants and legacy names all come from the same table.
#include "../test_support.h"
#include "finn/exec/kernel.h"
#include "finn/hw/layer_definition.h"
#include "finn/hw/registry.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/dataflow.h"

#include <gtest/gtest.h>
#include <set>
#include <stdexcept>

namespace finn {
namespace {

using hw::LayerDefinition;

TEST(LayerDefinitions, EveryLayerDeclaresWhatTheFlowNeeds) {
    std::set<std::string> names;
    for (const LayerDefinition& layer : hw::layer_definitions()) {
        SCOPED_TRACE(layer.op);
        EXPECT_TRUE(layer.has_hls || layer.has_rtl) << "a layer without any implementation";
        EXPECT_TRUE(layer.infer_shapes);
        EXPECT_TRUE(layer.attributes);
        EXPECT_TRUE(layer.execute);
        EXPECT_FALSE(layer.doc.empty());
        EXPECT_LE(layer.min_inputs, layer.max_inputs);
        EXPECT_LE(layer.stream_inputs, layer.max_inputs);
        // An op name or legacy name belongs to one layer only.
        EXPECT_TRUE(names.insert(layer.op).second);
        for (const auto& legacy : layer.legacy_names) {
            EXPECT_TRUE(names.insert(legacy).second) << legacy;
            EXPECT_EQ(hw::find_layer_definition(legacy), &layer) << legacy;
        }
        EXPECT_EQ(hw::find_layer_definition(layer.op), &layer);
    }
    EXPECT_EQ(hw::find_layer_definition("NoSuchLayer"), nullptr);
}

TEST(LayerDefinitions, SchemasExistExactlyForTheVariantsALayerHas) {
    for (const LayerDefinition& layer : hw::layer_definitions()) {
        SCOPED_TRACE(layer.op);
        EXPECT_TRUE(find_custom_op(domains::kFpgaDataflow, layer.op));
        EXPECT_EQ(find_custom_op(domains::kFpgaDataflowHls, layer.op + "_hls") != nullptr,
                  layer.has_hls);
        EXPECT_EQ(find_custom_op(domains::kFpgaDataflowRtl, layer.op + "_rtl") != nullptr,
                  layer.has_rtl);
        const KernelRegistry& kernels = default_kernel_registry();
        EXPECT_NE(kernels.find(domains::kFpgaDataflow, layer.op), nullptr);
        EXPECT_EQ(kernels.find(domains::kFpgaDataflowRtl, layer.op + "_rtl") != nullptr,
                  layer.has_rtl);
        for (const auto& legacy : layer.legacy_names) {
            EXPECT_TRUE(find_custom_op(domains::kFpgaDataflow, legacy)) << legacy;
            EXPECT_NE(kernels.find(domains::kFpgaDataflow, legacy), nullptr) << legacy;
        }
    }
    // FINN has no RTL ChannelwiseOp or LabelSelect and no HLS FIFO.
    EXPECT_FALSE(find_custom_op(domains::kFpgaDataflowRtl, "ChannelwiseOp_rtl"));
    EXPECT_FALSE(find_custom_op(domains::kFpgaDataflowRtl, "LabelSelect_rtl"));
    EXPECT_FALSE(find_custom_op(domains::kFpgaDataflowHls, "StreamingFIFO_hls"));
}

TEST(LayerDefinitions, LegacyVvauNameIsKnownEverywhere) {
    // Once known only to SpecializeLayers: now one legacy name gives schema, kernel and layer.
    EXPECT_TRUE(find_custom_op(domains::kFpgaDataflow, "Vector_Vector_Activation_Batch"));
    EXPECT_NE(
        default_kernel_registry().find(domains::kFpgaDataflow, "Vector_Vector_Activation_Batch"),
        nullptr);
    auto kind = hw::layer_kind("Vector_Vector_Activation_Batch", domains::kFpgaDataflow);
    ASSERT_TRUE(kind);
    EXPECT_EQ(kind->abstract_op, "VVAU");
    EXPECT_EQ(canonical_hw_op_type("Vector_Vector_Activation_Batch"), "VVAU");
}

TEST(LayerDefinitions, CommonAttributesFollowTheLayersInputStreams) {
    auto in_fifos = [](const std::string& op) {
        for (const auto& a : hw::hw_common_attributes(*hw::find_layer_definition(op)))
            if (a.name == "inFIFODepths") return a.default_value;
        return nlohmann::json();
    };
    EXPECT_EQ(in_fifos("AddStreams"), nlohmann::json::array({2, 2}));
    EXPECT_EQ(in_fifos("MVAU"), nlohmann::json::array({2}));
}

TEST(LayerDefinitions, RegistriesRefuseLateRegistration) {
    // After the tables were read, a dialect registering ops or kernels is a programming error.
    (void)find_custom_op(domains::kFpgaDataflow, "MVAU");
    (void)default_kernel_registry();
    EXPECT_THROW(register_custom_ops({}), std::logic_error);
    EXPECT_THROW(add_default_kernel_group([](KernelRegistry&) {}), std::logic_error);
}

} // namespace
} // namespace finn
