// Every reference model in ../shared/models: loads, round-trips byte-identically, gets a shape for
// every node output through shape inference (custom ops included) and passes ONNX's checker.
#include "../test_support.h"
#include "finn/ir/model.h"
#include "finn/util/file_io.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace finn {
namespace {
namespace fs = std::filesystem;

std::vector<fs::path> shared_models(const fs::path& shared) {
    std::vector<fs::path> models;
    for (const auto& entry : fs::recursive_directory_iterator(shared / "models"))
        if (entry.is_regular_file() && entry.path().extension() == ".onnx")
            models.push_back(entry.path());
    std::sort(models.begin(), models.end());
    return models;
}

TEST(SharedModels, LoadRoundTripInferAndCheck) {
    FINN_REQUIRE_SHARED(shared);
    auto models = shared_models(shared);
    ASSERT_GE(models.size(), 8u) << "expected the reference models of ../shared/models";
    for (const auto& path : models) {
        SCOPED_TRACE(path.string());
        std::string original = read_file(path);
        Model model = Model::load(path);
        EXPECT_EQ(model.serialize(), original) << "load/save round trip is not byte-identical";

        model.infer_shapes();
        EXPECT_EQ(model.tensors_without_shape(), std::vector<std::string>{});
        for (const auto& name : model.tensor_names()) {
            auto shape = model.shape(name);
            ASSERT_TRUE(shape) << name;
        }
        EXPECT_NO_THROW(model.check());
    }
}

TEST(SharedModels, KnownShapesAndAnnotations) {
    FINN_REQUIRE_SHARED(shared);
    Model tfc = Model::load(shared / "models/finn/tfc_w1a1/model.onnx");
    tfc.infer_shapes();
    ASSERT_EQ(tfc.input_names().size(), 1u);
    EXPECT_EQ(tfc.shape(tfc.input_names()[0]), (Shape{1, 1, 28, 28}));
    ASSERT_EQ(tfc.output_names().size(), 1u);
    EXPECT_EQ(tfc.shape(tfc.output_names()[0]), (Shape{1, 1}));

    Model residual = Model::load(shared / "models/finn/hw_graphs/residual_hw.onnx");
    // Clear what the file records, so the shapes must come from our schemas.
    residual.graph().clear_value_info();
    residual.infer_shapes();
    EXPECT_EQ(residual.tensors_without_shape(), std::vector<std::string>{});
    auto swg = residual.node_by_name("ConvolutionInputGenerator_0");
    ASSERT_TRUE(swg);
    EXPECT_EQ(residual.shape(swg->output(0)), (Shape{1, 32, 32, 144}));
    auto pad = residual.node_by_name("FMPadding_Batch_0");
    ASSERT_TRUE(pad);
    EXPECT_EQ(residual.shape(pad->output(0)), (Shape{1, 34, 34, 16}));
    EXPECT_EQ(residual.datatype(pad->input(0)), DataType::sint(4));
}

} // namespace
} // namespace finn
