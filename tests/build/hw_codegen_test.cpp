// step_hw_codegen, step_hw_ipgen and per-node rtlsim through `finn build_dataflow`:
// - the zoo's tfc_w1a1 (random weights) up to step_hw_codegen: every node gets a self-contained
//   folder hw/<node>/ whose files hold no absolute path, code_gen_dir_ipgen is that folder relative
//   to the output folder, a rebuild rewrites nothing; without Verilator step_hw_ipgen fails with
//   one line saying how to install it;
// - the zoo residual net: every node gets hardware; an abstract node gives one line naming it;
// - FINN's trained TFC-w1a1 (../shared, Verilator) through step_hw_ipgen with node_by_node_rtlsim:
//   SUCCESS, and changing one layer's PE regenerates and recompiles only that node;
// - the zoo's tfc_w1a1 through step_hw_ipgen (Verilator): without node_by_node_rtlsim every node is
//   linted and packaged but gets no rtlsim executable (exec_mode rtlsim says so in one line);
//   requesting it later compiles them (lint is not repeated) and verifies SUCCESS; refolding
//   without it deletes the executables of the nodes that changed.
#include "build_test_support.h"
#include "finn/core/npy.h"
#include "finn/ir/model.h"

#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;

CommandResult build(const fs::path& dir, const std::string& env = "") {
    return run_command(env + shell_quote(finn_cli()) + " build_dataflow " +
                       shell_quote(dir.string()));
}

// Every file hw_codegen wrote (the Verilator build folder sim_build/ is hw_ipgen's).
std::map<std::string, fs::file_time_type> generated_files(const fs::path& hw) {
    std::map<std::string, fs::file_time_type> files;
    for (const auto& entry : fs::recursive_directory_iterator(hw)) {
        const std::string relative = entry.path().lexically_relative(hw).generic_string();
        if (entry.is_regular_file() && relative.find("/sim_build/") == std::string::npos)
            files[relative] = entry.last_write_time();
    }
    return files;
}

void expect_no_absolute_paths(const fs::path& out, const fs::path& scratch) {
    for (const auto& [relative, time] : generated_files(out / "hw")) {
        const std::string text = read_bytes(out / "hw" / relative);
        EXPECT_EQ(text.find(scratch.string()), std::string::npos) << relative;
        EXPECT_EQ(text.find(FINN_SOURCE_DIR), std::string::npos) << relative;
        EXPECT_EQ(text.find(FINN_BUILD_TREE_DIR), std::string::npos) << relative;
    }
}

TEST(HwCodegen, NodeFoldersAreSelfContainedRelativeAndNotRewritten) {
    ScratchDir scratch;
    const fs::path dir = scratch / "tfc";
    fs::create_directories(dir);
    auto zoo = run_command("cd " + shell_quote(dir.string()) + " && " + shell_quote(finn_cli()) +
                           " zoo tfc_w1a1 -o model.onnx");
    ASSERT_EQ(zoo.exit_code, 0) << zoo.err;
    write_json(dir / "dataflow_build_config.json", {{"output_dir", "out"},
                                                    {"fpga_part", "xc7z020clg400-1"},
                                                    {"synth_clk_period_ns", 10.0},
                                                    {"target_fps", 100000},
                                                    {"generate_outputs", {"estimate_reports"}},
                                                    {"stop_step", "step_hw_codegen"}});
    auto first = build(dir);
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    const fs::path out = dir / "out";

    Model model = Model::load(out / "intermediate_models/step_hw_codegen.onnx");
    int nodes = 0;
    for (Node node : model.nodes()) {
        ++nodes;
        const std::string folder = node.attr_string("code_gen_dir_ipgen", "");
        EXPECT_EQ(folder, "hw/" + node.name());
        const fs::path node_dir = out / folder;
        EXPECT_TRUE(fs::is_regular_file(node_dir / (node.name() + ".sv"))) << node.name();
        // Every source the wrapper needs is in the folder.
        std::ifstream sources(node_dir / "sources.txt");
        std::string line;
        int count = 0;
        while (std::getline(sources, line)) {
            ++count;
            EXPECT_TRUE(fs::is_regular_file(node_dir / line)) << node.name() << ": " << line;
        }
        EXPECT_GE(count, 2) << node.name();
        const std::string wrapper = read_bytes(node_dir / (node.name() + ".sv"));
        EXPECT_NE(wrapper.find("module " + node.name() + " ("), std::string::npos);
        for (const char* port : {"ap_clk", "ap_rst_n", "in0_V_TDATA", "in0_V_TVALID",
                                 "in0_V_TREADY", "out_V_TDATA", "out_V_TVALID", "out_V_TREADY"})
            EXPECT_NE(wrapper.find(port), std::string::npos) << node.name() << ": " << port;
        // A weight layer's memory images are referenced by relative name and present.
        if (node.op_type().rfind("MVAU", 0) == 0) {
            const std::string weights = node.name() + "_weights.dat";
            EXPECT_NE(wrapper.find(".WEIGHT_FILE(\"" + weights + "\")"), std::string::npos);
            const std::int64_t words = node.attr_int("MW") * node.attr_int("MH") /
                                       (node.attr_int("PE") * node.attr_int("SIMD"));
            const std::string image = read_bytes(node_dir / weights);
            EXPECT_EQ(std::count(image.begin(), image.end(), '\n'), words) << node.name();
        }
    }
    EXPECT_GE(nodes, 5);
    EXPECT_TRUE(fs::is_regular_file(out / "hw/codegen_manifest.txt"));
    expect_no_absolute_paths(out, scratch.path());

    // The same inputs again (the step forced to run): identical files keep their time stamps,
    // and the folder of a node the model no longer has is deleted.
    const auto before = generated_files(out / "hw");
    fs::create_directories(out / "hw/MVAU_hls_9/sim");
    std::ofstream(out / "hw/MVAU_hls_9/MVAU_hls_9.sv") << "module MVAU_hls_9;\nendmodule\n";
    fs::remove(out / "intermediate_models/step_hw_codegen.onnx");
    auto second = build(dir);
    ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
    EXPECT_EQ(steps_run(second), std::vector<std::string>{"step_hw_codegen"});
    EXPECT_EQ(generated_files(out / "hw"), before);
    EXPECT_FALSE(fs::exists(out / "hw/MVAU_hls_9"));
    EXPECT_NE(read_bytes(out / "build_dataflow.log")
                  .find("hw_codegen: removed hw/MVAU_hls_9 (no such node any more)"),
              std::string::npos);

    // step_hw_ipgen without Verilator: one line saying how to install it.
    nlohmann::ordered_json config =
        nlohmann::ordered_json::parse(read_bytes(dir / "dataflow_build_config.json"));
    config["stop_step"] = "step_hw_ipgen";
    write_json(dir / "dataflow_build_config.json", config);
    auto ipgen = build(dir, "VERILATOR_BIN=/nonexistent/verilator ");
    EXPECT_NE(ipgen.exit_code, 0);
    EXPECT_NE((ipgen.out + ipgen.err)
                  .find("step_hw_ipgen: step_hw_ipgen needs Verilator, which was not found "
                        "in PATH (install it: apt-get install verilator"),
              std::string::npos)
        << ipgen.out << ipgen.err;
}

// The zoo's residual net (every kind of layer convert_to_hw makes for it has hardware) gets a
// folder per node; a node without hardware (here one left abstract, as before specialize_layers)
// stops step_hw_codegen with one line naming the op types, and writes nothing.
TEST(HwCodegen, EveryResidualNodeGetsHardwareAndMissingHardwareIsOneLine) {
    ScratchDir scratch;
    const fs::path dir = scratch / "residual";
    fs::create_directories(dir);
    auto zoo = run_command("cd " + shell_quote(dir.string()) + " && " + shell_quote(finn_cli()) +
                           " zoo residual_w4a4 -o model.onnx");
    ASSERT_EQ(zoo.exit_code, 0) << zoo.err;
    write_json(dir / "dataflow_build_config.json", {{"output_dir", "out"},
                                                    {"fpga_part", "xc7z020clg400-1"},
                                                    {"synth_clk_period_ns", 10.0},
                                                    {"target_fps", 1000},
                                                    {"generate_outputs", {"estimate_reports"}},
                                                    {"stop_step", "step_hw_codegen"}});
    auto result = build(dir);
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    Model model = Model::load(dir / "out/intermediate_models/step_generate_estimate_reports.onnx");
    std::set<std::string> ops;
    for (Node node : model.nodes()) {
        ops.insert(node.op_type());
        EXPECT_TRUE(fs::is_regular_file(dir / "out/hw" / node.name() / (node.name() + ".sv")))
            << node.name();
    }
    for (const char* op : {"DuplicateStreams_hls", "AddStreams_hls"})
        EXPECT_TRUE(ops.count(op)) << op;

    // One node made abstract again: no hardware for it.
    Node first = model.nodes()[0];
    const std::string abstract = first.op_type().substr(0, first.op_type().rfind('_'));
    first.set_op_type(abstract);
    first.set_domain("finn.custom_op.fpgadataflow");
    ASSERT_TRUE(model.save(dir / "abstract.onnx"));
    const CommandResult tool =
        run_command(shell_quote(step_tool("hw-codegen")) + " --in " +
                    shell_quote((dir / "abstract.onnx").string()) + " --out " +
                    shell_quote((dir / "abstract_out.onnx").string()) + " --output-dir " +
                    shell_quote((dir / "out2").string()) + " --config " +
                    shell_quote((dir / "dataflow_build_config.json").string()));
    EXPECT_EQ(tool.exit_code, 1);
    const std::string message = tool.out + tool.err;
    std::string line;
    std::istringstream lines(message);
    while (std::getline(lines, line))
        if (line.find("no hardware generation yet for ") != std::string::npos) break;
    EXPECT_NE(line.find("no hardware generation yet for " + abstract + " (1 node)"),
              std::string::npos)
        << message;
    const std::string with_hardware =
        line.substr(std::min(line.find("layers with hardware: "), line.size()));
    for (const char* layer :
         {"MVAU", "VVAU", "Thresholding", "ConvolutionInputGenerator", "FMPadding",
          "StreamingMaxPool", "Pool", "DownSampler", "GlobalAccPool", "DuplicateStreams",
          "AddStreams", "ChannelwiseOp", "LabelSelect"})
        EXPECT_NE(with_hardware.find(layer), std::string::npos) << layer << ": " << line;
    EXPECT_FALSE(fs::exists(dir / "abstract_out.onnx"));
    EXPECT_TRUE(!fs::exists(dir / "out2/hw") || fs::is_empty(dir / "out2/hw"));
}

// FINN's trained TFC-w1a1 with FINN's configuration and folding configuration, the flow ended
// after step_hw_ipgen. FINN's folding file calls the last MVAU "MVA_hls_3", which matches no
// node: it keeps mem_mode internal_decoupled, the others get internal_embedded here, so both
// weight sources run in rtlsim.
TEST(HwIpgen, TfcNodeByNodeRtlsimAndOneLayerRebuild) {
    FINN_REQUIRE_SHARED(shared);
    FINN_REQUIRE_VERILATOR();
    const fs::path tfc = shared / "models/finn/tfc_w1a1";
    ScratchDir scratch;
    const fs::path dir = scratch / "tfc";
    fs::create_directories(dir);
    for (const char* file :
         {"model.onnx", "input.npy", "expected_output.npy", "specialize_layers_config.json"})
        fs::copy_file(tfc / file, dir / file);
    nlohmann::ordered_json config =
        nlohmann::ordered_json::parse(read_bytes(tfc / "dataflow_build_config.json"));
    config["output_dir"] = "out";
    config["generate_outputs"] = {"estimate_reports"};
    config["stop_step"] = "step_hw_ipgen";
    // FINN's own verify_steps (initial_python, streamlined_python, folded_hls_cppsim and
    // stitched_ip_rtlsim, which needs the stitched IP and so does not run before its step) plus
    // the per-node rtlsim.
    config["verify_steps"].push_back("node_by_node_rtlsim");
    config["specialize_layers_config_file"] = "specialize_layers_config.json";
    write_json(dir / "dataflow_build_config.json", config);
    nlohmann::ordered_json folding =
        nlohmann::ordered_json::parse(read_bytes(tfc / "folding_config.json"));
    for (const char* node : {"MVAU_hls_0", "MVAU_hls_1", "MVAU_hls_2"})
        folding[node]["mem_mode"] = "internal_embedded";
    write_json(dir / "folding_config.json", folding);

    auto first = build(dir);
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    const fs::path out = dir / "out";
    std::string log = read_bytes(out / "build_dataflow.log");
    for (const char* verification :
         {"initial_python", "streamlined_python", "folded_hls_cppsim", "node_by_node_rtlsim"})
        EXPECT_NE(log.find(std::string("Verification for ") + verification + " : SUCCESS"),
                  std::string::npos)
            << verification << "\n"
            << log;
    EXPECT_EQ(log.find(": FAIL"), std::string::npos) << log;
    Model model = Model::load(out / "intermediate_models/step_hw_ipgen.onnx");
    for (Node node : model.nodes()) {
        EXPECT_EQ(node.attr_string("ipgen_path", ""), "hw/" + node.name());
        EXPECT_EQ(node.attr_string("ip_vlnv", ""), "finn:hw:" + node.name() + ":1.0");
        EXPECT_TRUE(fs::is_regular_file(out / "hw" / node.name() / "component.xml"));
        EXPECT_TRUE(fs::is_regular_file(out / "hw" / node.name() / "sim_build/rtlsim"));
        // Verilator's runtime is compiled once for all nodes, not per node.
        EXPECT_FALSE(fs::exists(out / "hw" / node.name() / "sim_build/verilated.o"));
    }
    EXPECT_TRUE(fs::is_regular_file(out / "hw/_rtlsim_runtime/librtlsim_runtime.a"));
    expect_no_absolute_paths(out, scratch.path());

    // `finn exec`, run from elsewhere, finds the executables of a model in the build's
    // intermediate_models/ folder (ipgen_path is relative to the output folder), and rtlsim
    // computes what the reference does.
    for (Node node : model.nodes())
        node.set_attr_string("exec_mode", "rtlsim");
    model.save(out / "intermediate_models/rtlsim_child.onnx");
    std::vector<float> bits(784);
    for (std::size_t i = 0; i < bits.size(); ++i)
        bits[i] = static_cast<float>((i * 7 + i / 5) % 3 == 0);
    ASSERT_TRUE(write_npy(dir / "x.npy", Tensor::from_floats({1, 784}, bits)));
    const auto exec = [&](const std::string& model_file, const std::string& output) {
        return run_command("cd / && " + shell_quote(finn_cli()) + " exec " +
                           shell_quote((out / "intermediate_models" / model_file).string()) +
                           " --input " + shell_quote((dir / "x.npy").string()) + " --output " +
                           shell_quote((dir / output).string()));
    };
    const CommandResult rtlsim = exec("rtlsim_child.onnx", "rtlsim.npy");
    ASSERT_EQ(rtlsim.exit_code, 0) << rtlsim.out << rtlsim.err;
    ASSERT_EQ(exec("step_hw_ipgen.onnx", "reference.npy").exit_code, 0);
    EXPECT_EQ(read_bytes(dir / "rtlsim.npy"), read_bytes(dir / "reference.npy"));
    fs::remove(out / "intermediate_models/rtlsim_child.onnx");

    // One layer's PE changes: only its folder changes and only it is recompiled.
    const auto before = generated_files(out / "hw");
    const std::string old_wrapper = read_bytes(out / "hw/MVAU_hls_1/MVAU_hls_1.sv");
    folding["MVAU_hls_1"]["PE"] = 4;
    write_json(dir / "folding_config.json", folding);
    auto second = build(dir);
    ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
    log = read_bytes(out / "build_dataflow.log");
    const std::string rerun = log.substr(log.rfind("Running step: step_hw_ipgen"));
    EXPECT_NE(rerun.find("hw_ipgen: MVAU_hls_1: linted and compiled"), std::string::npos) << rerun;
    for (const char* node :
         {"Thresholding_rtl_0", "MVAU_hls_0", "MVAU_hls_2", "MVAU_hls_3", "LabelSelect_hls_0"})
        EXPECT_NE(rerun.find(std::string("hw_ipgen: ") + node + ": unchanged, not rebuilt"),
                  std::string::npos)
            << rerun;
    EXPECT_NE(rerun.find("Verification for node_by_node_rtlsim : SUCCESS"), std::string::npos);
    EXPECT_NE(read_bytes(out / "hw/MVAU_hls_1/MVAU_hls_1.sv"), old_wrapper);
    for (const auto& [file, time] : generated_files(out / "hw")) {
        if (file.rfind("MVAU_hls_1/", 0) == 0 || file.find("manifest") != std::string::npos)
            continue;
        ASSERT_TRUE(before.count(file)) << file;
        EXPECT_EQ(time, before.at(file)) << file << " was rewritten";
    }
}

// step_hw_ipgen builds the per-node rtlsim executables only for node_by_node_rtlsim, as FINN
// prepares per-node rtlsim only then; lint and IP-XACT are done for every node either way.
TEST(HwIpgen, NodeExecutablesOnlyWhenNodeByNodeRtlsimIsRequested) {
    FINN_REQUIRE_VERILATOR();
    ScratchDir scratch;
    const fs::path dir = scratch / "tfc";
    fs::create_directories(dir);
    const std::string cd = "cd " + shell_quote(dir.string()) + " && " + shell_quote(finn_cli());
    auto zoo = run_command(cd + " zoo tfc_w1a1 -o model.onnx --input-npy input.npy");
    ASSERT_EQ(zoo.exit_code, 0) << zoo.err;
    auto reference =
        run_command(cd + " exec model.onnx --input input.npy --output expected_output.npy");
    ASSERT_EQ(reference.exit_code, 0) << reference.err;
    nlohmann::ordered_json config = {{"output_dir", "out"},
                                     {"fpga_part", "xc7z020clg400-1"},
                                     {"synth_clk_period_ns", 10.0},
                                     {"target_fps", 100000},
                                     {"generate_outputs", {"estimate_reports"}},
                                     {"stop_step", "step_hw_ipgen"},
                                     {"verify_input_npy", "input.npy"},
                                     {"verify_expected_output_npy", "expected_output.npy"},
                                     {"verify_steps", nlohmann::ordered_json::array()}};
    write_json(dir / "dataflow_build_config.json", config);
    auto first = build(dir);
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    const fs::path out = dir / "out";
    Model model = Model::load(out / "intermediate_models/step_hw_ipgen.onnx");
    ASSERT_FALSE(model.nodes().empty());
    std::string log = read_bytes(out / "build_dataflow.log");
    log = log.substr(log.rfind("Running step: step_hw_ipgen"));
    for (Node node : model.nodes()) {
        const fs::path folder = out / "hw" / node.name();
        EXPECT_TRUE(fs::is_regular_file(folder / "component.xml")) << node.name();
        EXPECT_TRUE(fs::is_regular_file(folder / "ipgen.stamp")) << node.name();
        EXPECT_FALSE(fs::exists(folder / "sim_build/rtlsim")) << node.name();
        EXPECT_NE(log.find("hw_ipgen: " + node.name() + ": linted in "), std::string::npos) << log;
    }
    EXPECT_EQ(log.find("compiled"), std::string::npos) << log;
    // The runtime every later simulation links (FIFO sizing, the stitched design) is ready.
    EXPECT_TRUE(fs::is_regular_file(out / "hw/_rtlsim_runtime/librtlsim_runtime.a"));

    // exec_mode rtlsim without the executables: one line naming the node and what to request.
    Model rtlsim = Model::load(out / "intermediate_models/step_hw_ipgen.onnx");
    for (Node node : rtlsim.nodes())
        node.set_attr_string("exec_mode", "rtlsim");
    rtlsim.save(out / "intermediate_models/rtlsim_child.onnx");
    ASSERT_TRUE(write_npy(dir / "x.npy", Tensor::from_floats({1, 784}, std::vector<float>(784))));
    auto exec = run_command("cd / && " + shell_quote(finn_cli()) + " exec " +
                            shell_quote((out / "intermediate_models/rtlsim_child.onnx").string()) +
                            " --input " + shell_quote((dir / "x.npy").string()) + " --output " +
                            shell_quote((dir / "rtlsim.npy").string()));
    EXPECT_NE(exec.exit_code, 0);
    const std::string first_node = model.nodes().front().name();
    EXPECT_NE(exec.err.find(first_node), std::string::npos) << exec.err;
    EXPECT_NE(exec.err.find("node_by_node_rtlsim"), std::string::npos) << exec.err;
    EXPECT_LE(std::count(exec.err.begin(), exec.err.end(), '\n'), 1) << exec.err;
    fs::remove(out / "intermediate_models/rtlsim_child.onnx");

    // Requesting node_by_node_rtlsim reruns step_hw_ipgen alone, which compiles every node (its
    // lint is current) and verifies; the same configuration again runs nothing.
    config["verify_steps"] = {"node_by_node_rtlsim"};
    write_json(dir / "dataflow_build_config.json", config);
    auto second = build(dir);
    ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
    EXPECT_EQ(steps_run(second), std::vector<std::string>{"step_hw_ipgen"}) << second.out;
    log = read_bytes(out / "build_dataflow.log");
    const std::string rerun = log.substr(log.rfind("Running step: step_hw_ipgen"));
    EXPECT_NE(rerun.find("Verification for node_by_node_rtlsim : SUCCESS"), std::string::npos)
        << rerun;
    for (Node node : model.nodes()) {
        EXPECT_TRUE(fs::is_regular_file(out / "hw" / node.name() / "sim_build/rtlsim"))
            << node.name();
        EXPECT_NE(rerun.find("hw_ipgen: " + node.name() + ": compiled (lint unchanged) in "),
                  std::string::npos)
            << rerun;
    }
    auto again = build(dir);
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_TRUE(steps_run(again).empty()) << again.out;

    // Refolded without node_by_node_rtlsim: a node whose hardware changed is linted again and
    // loses its executable (exec_mode rtlsim must not run its earlier hardware); an unchanged one
    // keeps it.
    config["verify_steps"] = nlohmann::ordered_json::array();
    config["target_fps"] = 20000;
    write_json(dir / "dataflow_build_config.json", config);
    auto refolded = build(dir);
    ASSERT_EQ(refolded.exit_code, 0) << refolded.out << refolded.err;
    log = read_bytes(out / "build_dataflow.log");
    const std::string third = log.substr(log.rfind("Running step: step_hw_ipgen"));
    int changed = 0;
    Model refolded_model = Model::load(out / "intermediate_models/step_hw_ipgen.onnx");
    for (Node node : refolded_model.nodes()) {
        const bool executable = fs::exists(out / "hw" / node.name() / "sim_build/rtlsim");
        if (third.find("hw_ipgen: " + node.name() + ": linted in ") != std::string::npos) {
            ++changed;
            EXPECT_FALSE(executable) << node.name();
        } else {
            EXPECT_NE(third.find("hw_ipgen: " + node.name() + ": unchanged, not rebuilt"),
                      std::string::npos)
                << third;
            EXPECT_TRUE(executable) << node.name();
        }
    }
    EXPECT_GT(changed, 0) << third;
}

} // namespace
} // namespace finn::testing
