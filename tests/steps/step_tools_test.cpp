// The step tools run by hand on FINN's TFC folder, as a user would: each writes a model that
// still computes expected_output.npy exactly, opens in Python's onnx and passes its checker.
#include "../test_support.h"
#include "finn/core/npy.h"
#include "finn/exec/executor.h"
#include "finn/ir/model.h"
#include "finn/util/file_io.h"

#include <fstream>
#include <gtest/gtest.h>

namespace finn {
namespace {
namespace fs = std::filesystem;
using testing::run_command;
using testing::shell_quote;
using testing::step_tool;

// Runs the model on the TFC folder's input; expects exactly its expected output.
void expect_tfc_output(const fs::path& model_path, const fs::path& tfc) {
    Model model = Model::load(model_path);
    Tensor input = read_npy(tfc / "input.npy");
    Tensor expected = read_npy(tfc / "expected_output.npy");
    Tensor produced =
        Executor(model).run_batched({{model.input_names()[0], input}}).at(model.output_names()[0]);
    EXPECT_EQ(produced.to_int64s(), expected.to_int64s()) << model_path;
}

// Python's onnx.load + onnx.checker.check_model, when Debian's python3-onnx is installed.
void expect_python_onnx_accepts(const fs::path& model_path) {
    auto probe = run_command("/usr/bin/python3 -c 'import onnx'");
    if (probe.exit_code != 0) {
        std::cout << "python3-onnx not available; skipping the Python checker\n";
        return;
    }
    auto r = run_command(
        "/usr/bin/python3 -c 'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]))' " +
        shell_quote(model_path.string()));
    EXPECT_EQ(r.exit_code, 0) << model_path << ": " << r.err;
}

TEST(StepTools, TidyUpOnTfc) {
    FINN_REQUIRE_SHARED(shared);
    testing::ScratchDir dir;
    fs::path tfc = shared / "models/finn/tfc_w1a1";
    fs::copy_file(tfc / "input.npy", dir / "input.npy");
    fs::copy_file(tfc / "expected_output.npy", dir / "expected_output.npy");
    std::ofstream(dir / "step.json") << R"({"verify_steps": ["initial_python"]})";
    std::string cd = "cd " + shell_quote(dir.path().string()) + " && ";
    auto r = run_command(cd + step_tool("tidy-up") + " --in " +
                         shell_quote((tfc / "model.onnx").string()) +
                         " --out intermediate_models/step_tidy_up.onnx --output-dir . --config "
                         "step.json --index 2/19");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "Running step: step_tidy_up [2/19]\n");
    fs::path out = dir / "intermediate_models/step_tidy_up.onnx";
    expect_tfc_output(out, tfc);
    expect_python_onnx_accepts(out);
    for (int b = 0; b < 4; ++b)
        EXPECT_TRUE(fs::exists(dir / ("verification_output/verify_initial_python_" +
                                      std::to_string(b) + "_SUCCESS.npy")));
    std::string log = read_file(dir / "build_dataflow.log");
    EXPECT_NE(log.find("Verification for initial_python : SUCCESS"), std::string::npos) << log;

    // Tidy-up is idempotent: a second run over its own output changes nothing.
    auto again = run_command(cd + step_tool("tidy-up") +
                             " --in intermediate_models/step_tidy_up.onnx --out again.onnx");
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(read_file(dir / "again.onnx"), read_file(out));
    // No absolute or temporary paths in the model.
    EXPECT_EQ(read_file(out).find(dir.path().string()), std::string::npos);
}

TEST(StepTools, TidyUpThenStreamlineOnTfc) {
    FINN_REQUIRE_SHARED(shared);
    testing::ScratchDir dir;
    fs::path tfc = shared / "models/finn/tfc_w1a1";
    fs::copy_file(tfc / "input.npy", dir / "input.npy");
    fs::copy_file(tfc / "expected_output.npy", dir / "expected_output.npy");
    std::ofstream(dir / "step.json") << R"({"verify_steps": ["streamlined_python"]})";
    std::string cd = "cd " + shell_quote(dir.path().string()) + " && ";
    ASSERT_EQ(run_command(cd + step_tool("tidy-up") + " --in " +
                          shell_quote((tfc / "model.onnx").string()) + " --out tidy.onnx")
                  .exit_code,
              0);
    auto r = run_command(
        cd + step_tool("streamline") +
        " --in tidy.onnx --out streamlined.onnx --output-dir . --config step.json --index 3/19");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "Running step: step_streamline [3/19]\n");
    expect_tfc_output(dir / "streamlined.onnx", tfc);
    expect_python_onnx_accepts(dir / "streamlined.onnx");
    EXPECT_NE(
        read_file(dir / "build_dataflow.log").find("Verification for streamlined_python : SUCCESS"),
        std::string::npos);
    // FINN's streamlined TFC: sign thresholds and XNOR-popcount layers, TopK at the end.
    Model model = Model::load(dir / "streamlined.onnx");
    std::vector<std::string> ops;
    for (auto& node : model.nodes())
        ops.push_back(node.op_type());
    EXPECT_EQ(ops, (std::vector<std::string>{"Reshape", "MultiThreshold", "XnorPopcountMatMul",
                                             "MultiThreshold", "XnorPopcountMatMul",
                                             "MultiThreshold", "XnorPopcountMatMul",
                                             "MultiThreshold", "XnorPopcountMatMul", "TopK"}));
}

// The six front-end step tools in sequence on FINN's TFC folder, with its specialize config.
TEST(StepTools, SixFrontEndStepsOnTfc) {
    FINN_REQUIRE_SHARED(shared);
    testing::ScratchDir dir;
    fs::path tfc = shared / "models/finn/tfc_w1a1";
    for (const char* f : {"input.npy", "expected_output.npy", "specialize_layers_config.json"})
        fs::copy_file(tfc / f, dir / f);
    std::ofstream(dir / "step.json") << R"({"fpga_part": "xc7z020clg400-1",
        "specialize_layers_config_file": "specialize_layers_config.json",
        "verify_steps": ["finn_onnx_python", "initial_python", "streamlined_python"]})";
    fs::copy_file(tfc / "model.onnx", dir / "model.onnx");
    std::string cd = "cd " + shell_quote(dir.path().string()) + " && ";
    const std::vector<std::pair<std::string, std::string>> steps = {
        {"qonnx-to-finn", "step_qonnx_to_finn"},
        {"tidy-up", "step_tidy_up"},
        {"streamline", "step_streamline"},
        {"convert-to-hw", "step_convert_to_hw"},
        {"create-dataflow-partition", "step_create_dataflow_partition"},
        {"specialize-layers", "step_specialize_layers"}};
    std::string prev = "model.onnx";
    for (std::size_t i = 0; i < steps.size(); ++i) {
        std::string out = "intermediate_models/" + steps[i].second + ".onnx";
        auto r = run_command(cd + step_tool(steps[i].first) + " --in " + prev + " --out " + out +
                             " --output-dir . --config step.json --index " + std::to_string(i + 1) +
                             "/6");
        ASSERT_EQ(r.exit_code, 0) << steps[i].first << ": " << r.err;
        expect_python_onnx_accepts(dir / out);
        EXPECT_EQ(read_file(dir / out).find(dir.path().string()), std::string::npos)
            << "absolute path in " << out;
        if (i < 4) expect_tfc_output(dir / out, tfc); // later ones are the dataflow child (below)
        prev = out;
    }
    std::string log = read_file(dir / "build_dataflow.log");
    EXPECT_NE(log.find("Verification for initial_python : SUCCESS"), std::string::npos) << log;
    EXPECT_NE(log.find("Verification for streamlined_python : SUCCESS"), std::string::npos) << log;
    EXPECT_TRUE(fs::exists(dir / "intermediate_models/dataflow_parent.onnx"));
    EXPECT_TRUE(fs::exists(dir / "intermediate_models/supported_op_partitions/partition_0.onnx"));
    EXPECT_TRUE(fs::exists(dir / "template_specialize_layers_config.json"));

    // The parent: Reshape, then the partition. The child: FINN's specialized TFC, with node
    // names that FINN's folding config for this folder uses (its misspelt MVA_hls_3 matches none).
    Model parent = Model::load(dir / "intermediate_models/dataflow_parent.onnx");
    ASSERT_EQ(parent.node_count(), 2);
    EXPECT_EQ(parent.node(0).op_type(), "Reshape");
    EXPECT_EQ(parent.node(1).op_type(), "StreamingDataflowPartition");
    Model child = Model::load(dir / "intermediate_models/step_specialize_layers.onnx");
    std::vector<std::string> names;
    for (auto& node : child.nodes())
        names.push_back(node.name());
    EXPECT_EQ(names, (std::vector<std::string>{"Thresholding_rtl_0", "MVAU_hls_0", "MVAU_hls_1",
                                               "MVAU_hls_2", "MVAU_hls_3", "LabelSelect_hls_0"}));
    EXPECT_EQ(child.node(0).domain(), "finn.custom_op.fpgadataflow.rtl");
    EXPECT_EQ(child.node(1).domain(), "finn.custom_op.fpgadataflow.hls");

    // The child computes the expected output from the flattened input.
    Tensor input = read_npy(tfc / "input.npy");
    Tensor expected = read_npy(tfc / "expected_output.npy");
    Tensor produced = Executor(child)
                          .run_batched({{child.input_names()[0], input.reshaped({4, 784})}})
                          .at(child.output_names()[0]);
    EXPECT_EQ(produced.to_int64s(), expected.to_int64s());
}

} // namespace
} // namespace finn
