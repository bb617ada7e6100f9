// Every ONNX conformance case in ../shared/onnx-conformance and the reference models with test
// data, through the reference executor with all kernels.
#include "../test_support.h"
#include "finn/core/npy.h"
#include "finn/exec/executor.h"
#include "finn/exec/verification.h"
#include "finn/ir/tensor_proto.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>

namespace finn {
namespace {
namespace fs = std::filesystem;

// Runs a model on a test_data_set folder; checks outputs within atol + rtol * |expected|.
void check_test_data_set(const fs::path& model_path, const fs::path& data_dir, double tolerance) {
    Model model = Model::load(model_path);
    TestDataSet data = read_test_data_set(data_dir);
    auto input_names = model.input_names();
    ASSERT_EQ(data.inputs.size(), input_names.size()) << data_dir;
    TensorMap feeds;
    for (std::size_t i = 0; i < data.inputs.size(); ++i)
        feeds.emplace(input_names[i], tensor_from_proto(data.inputs[i]));
    TensorMap results = Executor(model).run(feeds);
    auto output_names = model.output_names();
    ASSERT_EQ(data.outputs.size(), output_names.size()) << data_dir;
    for (std::size_t i = 0; i < data.outputs.size(); ++i) {
        Tensor expected = tensor_from_proto(data.outputs[i]);
        const Tensor& produced = results.at(output_names[i]);
        EXPECT_EQ(produced.shape(), expected.shape()) << output_names[i];
        Comparison c = compare_tensors(expected, produced, tolerance, tolerance);
        EXPECT_TRUE(c.equal) << model_path << " output " << output_names[i] << ": " << c.summary;
    }
}

std::vector<std::string> conformance_cases() {
    std::vector<std::string> names;
    auto shared = testing::shared_dir();
    if (!shared) return names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(*shared / "onnx-conformance", ec))
        if (fs::exists(entry.path() / "model.onnx"))
            names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

class Conformance : public ::testing::TestWithParam<std::string> {};

TEST_P(Conformance, MatchesWithin1e5) {
    FINN_REQUIRE_SHARED(shared);
    fs::path dir = shared / "onnx-conformance" / GetParam();
    check_test_data_set(dir / "model.onnx", dir / "test_data_set_0", 1e-5);
}

INSTANTIATE_TEST_SUITE_P(OnnxCases, Conformance, ::testing::ValuesIn(conformance_cases()),
                         [](const auto& info) { return info.param; });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Conformance);

TEST(ReferenceModels, TfcW1A1GivesExactlyTheExpectedOutput) {
    FINN_REQUIRE_SHARED(shared);
    fs::path dir = shared / "models/finn/tfc_w1a1";
    Model model = Model::load(dir / "model.onnx");
    Tensor input = read_npy(dir / "input.npy");
    Tensor expected = read_npy(dir / "expected_output.npy");
    TensorMap out = Executor(model).run_batched({{model.input_names()[0], input}});
    Tensor produced = out.at(model.output_names()[0]);
    ASSERT_EQ(produced.size(), expected.size());
    EXPECT_EQ(produced.to_int64s(), expected.to_int64s());
}

TEST(ReferenceModels, MnistConvTestDataSet) {
    FINN_REQUIRE_SHARED(shared);
    fs::path dir = shared / "models/qonnx/mnist-conv";
    check_test_data_set(dir / "model.onnx", dir / "test_data_set_0", 1e-5);
}

} // namespace
} // namespace finn
