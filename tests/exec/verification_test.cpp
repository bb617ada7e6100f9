#include "../test_support.h"
#include "finn/core/error.h"
#include "finn/core/npy.h"
#include "finn/exec/verification.h"
#include "finn/step/build_log.h"
#include "finn/util/file_io.h"

#include <gtest/gtest.h>

namespace finn {
namespace {
namespace fs = std::filesystem;

TEST(Verification, CompareTensorsToleranceAndShapes) {
    Tensor a = Tensor::from_floats({1, 3}, {1.0f, 2.0f, 3.0f});
    Tensor b = Tensor::from_floats({3}, {1.0f, 2.0005f, 3.0f});
    EXPECT_TRUE(compare_tensors(a, b, 1e-3, 1e-5).equal);
    Comparison exact = compare_tensors(a, b, 0, 0);
    EXPECT_FALSE(exact.equal);
    EXPECT_EQ(exact.mismatches, 1);
    EXPECT_NEAR(exact.max_abs_difference, 0.0005, 1e-6);
    EXPECT_FALSE(compare_tensors(a, Tensor::from_floats({2}, {1, 2}), 1, 1).equal);
    Tensor ints = Tensor::from_int64s({3}, {1, 2, 3});
    EXPECT_TRUE(compare_tensors(ints, a, 0, 0).equal) << "values compare, not containers";
}

// y = MultiThreshold(x, T=[[0]]) as a sign: +1 if x >= 0 else -1... expressed with Relu-free ops
// so that only the qonnx kernels are needed.
Model sign_model() {
    Model model;
    model.graph().set_name("sign");
    model.proto().add_opset_import()->set_version(13);
    model.graph().add_input()->set_name("x");
    model.set_shape("x", {1, 4});
    model.graph().add_output()->set_name("y");
    model.set_initializer("T", Tensor::from_floats({1, 1}, {0.f}));
    Node mt = model.add_node("MultiThreshold", {"x", "T"}, {"y"}, "MultiThreshold_0",
                             "qonnx.custom_op.general");
    mt.set_attr_string("out_dtype", "BIPOLAR");
    mt.set_attr_float("out_scale", 2.f);
    mt.set_attr_float("out_bias", -1.f);
    model.set_datatype("y", DataType::bipolar());
    return model;
}

TEST(Verification, WritesFinnFilesAndLogLine) {
    testing::ScratchDir dir;
    Model model = sign_model();
    // Two samples, given flat (2, 4): each is reshaped to the model's (1, 4).
    Tensor input = Tensor::from_floats({2, 4}, {-1, 0, 2, -3, 5, 5, -5, 0});
    Tensor expected = Tensor::from_floats({2, 4}, {-1, 1, 1, -1, 1, 1, -1, -1}); // last one wrong
    BuildLog log(dir / "build_dataflow.log");
    EXPECT_FALSE(verify_model(model, input, expected, "initial_python", dir.path(),
                              [&](const std::string& line) { log.write(line); }));
    EXPECT_TRUE(fs::exists(dir / "verification_output/verify_initial_python_0_SUCCESS.npy"));
    EXPECT_TRUE(fs::exists(dir / "verification_output/verify_initial_python_1_FAIL.npy"));
    Tensor saved = read_npy(dir / "verification_output/verify_initial_python_1_FAIL.npy");
    EXPECT_EQ(saved.to_doubles(), (std::vector<double>{1, 1, -1, 1}));
    std::string text = read_file(dir / "build_dataflow.log");
    EXPECT_NE(text.find("] Running verification for initial_python\n"), std::string::npos) << text;
    EXPECT_NE(text.find("] Verification for initial_python : FAIL\n"), std::string::npos) << text;

    Tensor right = Tensor::from_floats({2, 4}, {-1, 1, 1, -1, 1, 1, -1, 1});
    EXPECT_TRUE(verify_model(model, input, right, "streamlined_python", dir.path(),
                             [&](const std::string& line) { log.write(line); }));
    EXPECT_NE(
        read_file(dir / "build_dataflow.log").find("Verification for streamlined_python : SUCCESS"),
        std::string::npos);
}

TEST(Verification, IntegerOutputsAreExact) {
    testing::ScratchDir dir;
    Model model = sign_model();
    Tensor input = Tensor::from_floats({1, 4}, {1, 1, 1, 1});
    // Off by 1e-4: within FINN's float tolerance, but the output is BIPOLAR, so exact applies.
    Tensor expected = Tensor::from_floats({1, 4}, {1, 1, 1, 1.0001f});
    EXPECT_FALSE(verify_model(model, input, expected, "t", dir.path()));
    model.clear_datatype("y");
    EXPECT_TRUE(verify_model(model, input, expected, "t", dir.path()));
}

TEST(Verification, BatchMismatchIsAnError) {
    testing::ScratchDir dir;
    EXPECT_THROW(verify_model(sign_model(), Tensor::from_floats({2, 4}, std::vector<float>(8)),
                              Tensor::from_floats({3, 4}, std::vector<float>(12)), "t", dir.path()),
                 Error);
}

TEST(Verification, ReadsTestDataSets) {
    FINN_REQUIRE_SHARED(shared);
    TestDataSet set = read_test_data_set(shared / "models/qonnx/mnist-conv/test_data_set_0");
    EXPECT_EQ(set.inputs.size(), 1u);
    EXPECT_EQ(set.outputs.size(), 1u);
    EXPECT_THROW(read_test_data_set(shared / "models"), Error);
}

} // namespace
} // namespace finn
