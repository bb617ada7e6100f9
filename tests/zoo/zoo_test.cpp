// The model zoo: every model builds, checks, has every shape and runs; the export conventions
// (weights through quantizers, qonnx domain, opset); determinism by seed; `finn zoo`.
#include "../test_support.h"
#include "finn/core/error.h"
#include "finn/core/npy.h"
#include "finn/exec/executor.h"
#include "finn/zoo/zoo.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <map>

namespace finn {
namespace {
using testing::run_command;
using testing::shell_quote;

std::string finn_cli(const std::string& args) {
    return std::string(FINN_CLI_PATH) + " " + args;
}

int count_ops(Model& model, const std::string& op_type) {
    int count = 0;
    for (auto& node : model.nodes())
        count += node.op_type() == op_type;
    return count;
}

TEST(Zoo, Names) {
    const std::vector<std::string> expected = {"tfc_w1a1",      "tfc_w1a2",       "tfc_w2a2", //
                                               "sfc_w1a1",      "sfc_w1a2",       "sfc_w2a2", //
                                               "lfc_w1a1",      "lfc_w1a2",       "lfc_w2a2", //
                                               "cnv_w1a1",      "cnv_w1a2",       "cnv_w2a2", //
                                               "residual_w4a4", "dwsep_w4a4",                 //
                                               "lenet_w4a4",    "strided_w4a4",               //
                                               "dwsepfc_w4a4",  "residualfc_w4a4"};
    EXPECT_EQ(zoo_model_names(), expected);
}

TEST(Zoo, UnknownNameListsTheNames) {
    try {
        make_zoo_model("tfc_w9a9", 0);
        FAIL() << "expected finn::Error";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("unknown zoo model 'tfc_w9a9'"), std::string::npos) << message;
        for (const auto& name : zoo_model_names())
            EXPECT_NE(message.find(name), std::string::npos) << message;
    }
}

class EveryZooModel : public ::testing::TestWithParam<std::string> {};

Shape expected_output_shape(const std::string& name) {
    if (name == "residual_w4a4") return {1, 16, 16, 16};
    if (name == "dwsep_w4a4") return {1, 32, 16, 16};
    return {1, 10};
}

TEST_P(EveryZooModel, BuildsChecksHasShapesAndRuns) {
    const std::string name = GetParam();
    Model model = make_zoo_model(name, 1);
    EXPECT_NO_THROW(model.check());
    EXPECT_EQ(model.graph().name(), name);
    EXPECT_TRUE(model.tensors_without_shape().empty());
    for (const auto& tensor : model.tensor_names())
        EXPECT_TRUE(model.shape(tensor).has_value()) << tensor;
    ASSERT_EQ(model.input_names(), std::vector<std::string>{"global_in"});
    ASSERT_EQ(model.output_names(), std::vector<std::string>{"global_out"});
    EXPECT_EQ(model.shape("global_out"), expected_output_shape(name));

    std::map<std::string, std::int64_t> opsets;
    for (const auto& op : model.proto().opset_import())
        opsets[op.domain()] = op.version();
    EXPECT_EQ(opsets[""], 13);
    EXPECT_EQ(opsets["qonnx.custom_op.general"], 1);

    Executor executor(model);
    Tensor x = make_zoo_input(model, 2);
    EXPECT_EQ(x.shape(), *model.shape("global_in"));
    TensorMap out = executor.run({{"global_in", x}});
    const Tensor& y = out.at("global_out");
    EXPECT_EQ(y.shape(), expected_output_shape(name));
    for (double v : y.to_doubles())
        ASSERT_TRUE(std::isfinite(v));
    // Batch-norm statistics fit the data, so another input gives another output.
    TensorMap other = executor.run({{"global_in", make_zoo_input(model, 3)}});
    EXPECT_NE(other.at("global_out"), y);
}

// Brevitas' export: every weight is a float initializer fed through a Quant (2+ bits) or a
// BipolarQuant (1 bit) in the qonnx domain; a Linear's weight (out, in) is transposed for MatMul.
TEST_P(EveryZooModel, WeightsPassQuantizersAsBrevitasExportsThem) {
    Model model = make_zoo_model(GetParam(), 1);
    auto weight_quantizer = [&](const std::string& tensor) {
        auto producer = model.producer(tensor);
        EXPECT_TRUE(producer) << tensor;
        if (!producer) return;
        EXPECT_TRUE(producer->op_type() == "Quant" || producer->op_type() == "BipolarQuant");
        EXPECT_EQ(producer->domain(), "qonnx.custom_op.general");
        for (const auto& in : producer->inputs())
            EXPECT_TRUE(model.has_initializer(in)) << producer->name() << " input " << in;
    };
    for (auto& node : model.nodes()) {
        if (node.op_type() == "Conv") weight_quantizer(node.input(1));
        if (node.op_type() != "MatMul") continue;
        auto transpose = model.producer(node.input(1));
        ASSERT_TRUE(transpose && transpose->op_type() == "Transpose") << node.name();
        EXPECT_EQ(transpose->attr_ints("perm"), (std::vector<std::int64_t>{1, 0}));
        weight_quantizer(transpose->input(0));
    }
}

INSTANTIATE_TEST_SUITE_P(Zoo, EveryZooModel, ::testing::ValuesIn(zoo_model_names()),
                         [](const auto& info) { return info.param; });

TEST(Zoo, TfcTopology) {
    Model model = make_zoo_model("tfc_w1a1", 0);
    EXPECT_EQ(count_ops(model, "MatMul"), 4);
    EXPECT_EQ(count_ops(model, "BatchNormalization"), 3);
    EXPECT_EQ(count_ops(model, "BipolarQuant"), 8); // input, 3 activations, 4 weights
    EXPECT_EQ(count_ops(model, "Quant"), 0);
    EXPECT_EQ(model.shape("global_in"), (Shape{1, 1, 28, 28}));
    EXPECT_EQ(model.datatype("global_in"), DataType::uint(8));
    std::vector<Shape> weights;
    for (auto& node : model.nodes())
        if (node.op_type() == "BipolarQuant" && model.has_initializer(node.input(0)))
            weights.push_back(model.initializer(node.input(0)).shape());
    EXPECT_EQ(weights, (std::vector<Shape>{{64, 784}, {64, 64}, {64, 64}, {10, 64}}));

    Model w2a2 = make_zoo_model("tfc_w2a2", 0);
    EXPECT_EQ(count_ops(w2a2, "BipolarQuant"), 0);
    for (auto& node : w2a2.nodes()) {
        if (node.op_type() != "Quant") continue;
        EXPECT_EQ(w2a2.initializer(node.input(3)).get(0), 2.0) << node.name();
        EXPECT_EQ(node.attr_int("signed"), 1);
        EXPECT_EQ(node.attr_int("narrow"), 1);
        EXPECT_EQ(node.attr_string("rounding_mode"), "ROUND");
    }
}

TEST(Zoo, CnvTopology) {
    Model model = make_zoo_model("cnv_w1a2", 0);
    EXPECT_EQ(count_ops(model, "Conv"), 6);
    EXPECT_EQ(count_ops(model, "MaxPool"), 2);
    EXPECT_EQ(count_ops(model, "MatMul"), 3);
    EXPECT_EQ(count_ops(model, "BatchNormalization"), 8);
    std::vector<std::int64_t> channels;
    for (auto& node : model.nodes()) {
        if (node.op_type() != "Conv") continue;
        EXPECT_EQ(node.attr_ints("pads"), (std::vector<std::int64_t>{0, 0, 0, 0}));
        channels.push_back(model.shape(node.output(0))->at(1));
    }
    EXPECT_EQ(channels, (std::vector<std::int64_t>{64, 64, 128, 128, 256, 256}));
    // The last conv leaves 256 x 1 x 1 for the first fully connected layer.
    auto reshape = model.node_by_name("Reshape_0");
    ASSERT_TRUE(reshape);
    EXPECT_EQ(model.shape(reshape->output(0)), (Shape{1, 256}));
    // The 8-bit input quantizer.
    auto quant = model.node_by_name("Quant_0");
    ASSERT_TRUE(quant);
    EXPECT_EQ(model.initializer(quant->input(3)).get(0), 8.0);
    EXPECT_EQ(model.initializer(quant->input(1)).get(0), 1.0 / 128);
}

TEST(Zoo, ResidualAndDepthwiseTopology) {
    Model residual = make_zoo_model("residual_w4a4", 0);
    auto add = residual.node_by_name("Add_0");
    ASSERT_TRUE(add);
    // The skip comes from the input quantizer, the other operand from the second conv's branch.
    EXPECT_EQ(residual.producer(add->input(1))->name(), "Quant_0");
    EXPECT_EQ(residual.consumers("Quant_0_out0").size(), 2u);
    EXPECT_EQ(count_ops(residual, "Conv"), 2);

    Model dwsep = make_zoo_model("dwsep_w4a4", 0);
    auto depthwise = dwsep.node_by_name("Conv_0");
    auto pointwise = dwsep.node_by_name("Conv_1");
    ASSERT_TRUE(depthwise && pointwise);
    EXPECT_EQ(depthwise->attr_int("group"), 16);
    EXPECT_EQ(dwsep.shape(depthwise->input(1)), (Shape{16, 1, 3, 3}));
    EXPECT_EQ(pointwise->attr_ints("kernel_shape"), (std::vector<std::int64_t>{1, 1}));
}

// The conv -> FC nets flatten a map larger than 1x1 (Reshape as x.view exports it, or Flatten as
// torch.flatten does), after the layers their names promise.
TEST(Zoo, ConvToFcTopology) {
    struct Expected {
        const char* name;
        const char* flatten_op;
        Shape flattened; // the map the flatten reads
        int convs;
    };
    for (const Expected& e : {Expected{"lenet_w4a4", "Reshape", {1, 16, 3, 3}, 2},
                              Expected{"strided_w4a4", "Reshape", {1, 16, 4, 4}, 2},
                              Expected{"dwsepfc_w4a4", "Flatten", {1, 16, 6, 6}, 2},
                              Expected{"residualfc_w4a4", "Reshape", {1, 8, 6, 6}, 2}}) {
        Model model = make_zoo_model(e.name, 0);
        EXPECT_EQ(count_ops(model, "Conv"), e.convs) << e.name;
        EXPECT_EQ(count_ops(model, e.flatten_op), 1) << e.name;
        for (auto& node : model.nodes()) {
            if (node.op_type() != e.flatten_op) continue;
            EXPECT_EQ(model.shape(node.input(0)), e.flattened) << e.name;
            const std::int64_t features = shape_size(e.flattened);
            EXPECT_EQ(model.shape(node.output(0)), (Shape{1, features})) << e.name;
            EXPECT_EQ(model.consumers(node.output(0)).at(0).op_type(), "MatMul") << e.name;
        }
    }
    Model lenet = make_zoo_model("lenet_w4a4", 0);
    EXPECT_EQ(count_ops(lenet, "MaxPool"), 1);
    EXPECT_EQ(count_ops(lenet, "MatMul"), 2);
    Model strided = make_zoo_model("strided_w4a4", 0);
    for (auto& node : strided.nodes()) {
        if (node.op_type() != "Conv") continue;
        EXPECT_EQ(node.attr_ints("strides"), (std::vector<std::int64_t>{2, 2}));
        EXPECT_EQ(node.attr_ints("pads"), (std::vector<std::int64_t>{1, 1, 1, 1}));
    }
    Model residual = make_zoo_model("residualfc_w4a4", 0);
    EXPECT_EQ(count_ops(residual, "Add"), 1);
    Model dwsep = make_zoo_model("dwsepfc_w4a4", 0);
    EXPECT_EQ(dwsep.node_by_name("Conv_0")->attr_int("group"), 8);
}

TEST(Zoo, InputsSuitTheFirstQuantizer) {
    // UINT8 images: integers in [0, 255].
    Model tfc = make_zoo_model("tfc_w1a1", 0);
    for (double v : make_zoo_input(tfc, 4).to_doubles())
        ASSERT_TRUE(v == std::floor(v) && v >= 0 && v <= 255) << v;
    // A 4-bit signed quantizer with scale 0.25 reading the input: its grid [-2, 1.75].
    Model dwsep = make_zoo_model("dwsep_w4a4", 0);
    auto values = make_zoo_input(dwsep, 4).to_doubles();
    for (double v : values)
        ASSERT_TRUE(v * 4 == std::floor(v * 4) && v >= -2 && v <= 1.75) << v;
    EXPECT_EQ(*std::min_element(values.begin(), values.end()), -2.0);
    EXPECT_EQ(*std::max_element(values.begin(), values.end()), 1.75);
}

TEST(Zoo, DeterministicBySeed) {
    for (const char* name : {"tfc_w1a1", "cnv_w2a2", "residual_w4a4"}) {
        const std::string a = make_zoo_model(name, 7).serialize();
        EXPECT_EQ(a, make_zoo_model(name, 7).serialize()) << name;
        EXPECT_NE(a, make_zoo_model(name, 8).serialize()) << name;
    }
    Model model = make_zoo_model("sfc_w1a2", 7);
    EXPECT_EQ(make_zoo_input(model, 1), make_zoo_input(model, 1));
    EXPECT_NE(make_zoo_input(model, 1), make_zoo_input(model, 2));
    // Another seed changes the weights themselves, not just some metadata.
    Model other = make_zoo_model("sfc_w1a2", 8);
    auto weight = [](Model& m) {
        return m.initializer(m.node_by_name("BipolarQuant_0")->input(0));
    };
    EXPECT_NE(weight(model), weight(other));
}

TEST(ZooCli, ListPrintsEveryName) {
    auto r = run_command(finn_cli("zoo --list"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string expected;
    for (const auto& name : zoo_model_names())
        expected += name + "\n";
    EXPECT_EQ(r.out, expected);
    auto help = run_command(finn_cli("--help"));
    EXPECT_NE(help.out.find("zoo"), std::string::npos);
}

TEST(ZooCli, WritesModelAndInput) {
    testing::ScratchDir dir;
    const auto model_path = dir / "tfc.onnx";
    const auto input_path = dir / "x.npy";
    auto r = run_command(finn_cli("zoo tfc_w1a2 --seed 3 -o " + shell_quote(model_path.string()) +
                                  " --input-npy " + shell_quote(input_path.string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Model expected = make_zoo_model("tfc_w1a2", 3);
    EXPECT_EQ(Model::load(model_path).serialize(), expected.serialize());
    EXPECT_EQ(read_npy(input_path), make_zoo_input(expected, 3));
}

TEST(ZooCli, BadNameAndArguments) {
    testing::ScratchDir dir;
    const auto model_path = dir / "m.onnx";
    auto r = run_command(finn_cli("zoo resnet50 -o " + shell_quote(model_path.string())));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("unknown zoo model 'resnet50'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("cnv_w2a2"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(model_path));

    auto seed =
        run_command(finn_cli("zoo tfc_w1a1 --seed -1 -o " + shell_quote(model_path.string())));
    EXPECT_EQ(seed.exit_code, 2); // usage errors exit with 2
    EXPECT_NE(seed.err.find("--seed"), std::string::npos) << seed.err;
    auto no_output = run_command(finn_cli("zoo tfc_w1a1"));
    EXPECT_EQ(no_output.exit_code, 2);
    EXPECT_NE(no_output.err.find("-o"), std::string::npos) << no_output.err;
    EXPECT_FALSE(std::filesystem::exists(model_path));
}

} // namespace
} // namespace finn

namespace finn {
namespace {

std::int64_t parameter_count(const Model& model) {
    std::int64_t count = 0;
    for (const auto& name : model.initializer_names())
        count += model.initializer(name).size();
    return count;
}

TEST(ZooWidth, ScalesParametersAboutWidthSquared) {
    const auto base = parameter_count(make_zoo_model("cnv_w1a1", 0));
    const auto twice = parameter_count(make_zoo_model("cnv_w1a1", 0, 2));
    EXPECT_NEAR(static_cast<double>(twice) / base, 4.0, 0.1);
    Model wide_tfc = make_zoo_model("tfc_w1a1", 0, 2);
    EXPECT_GT(parameter_count(wide_tfc), 2 * parameter_count(make_zoo_model("tfc_w1a1", 0)));
    EXPECT_THROW(make_zoo_model("residual_w4a4", 0, 2), Error);
    EXPECT_THROW(make_zoo_model("cnv_w1a1", 0, 17), Error);
    // Width 1 is the original topology, byte for byte.
    EXPECT_EQ(make_zoo_model("tfc_w1a1", 3, 1).serialize(),
              make_zoo_model("tfc_w1a1", 3).serialize());
}

} // namespace
} // namespace finn
