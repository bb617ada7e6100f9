// step_set_fifo_depths (finn-step-set-fifo-depths) on the model step_hw_codegen leaves:
// - FINN's trained TFC-w1a1 (../shared) with auto_fifo_depths false: FIFOs and converters named as
//   FINN's GiveUniqueNodeNames names them, a FIFO depth and a depth 0 taken from the folding
//   config, final_hw_config.json listing every FIFO before shallow ones are removed, a folder and
//   component.xml for every node, the same bytes twice, and split_large_fifos splitting a deep one;
// - the same through `finn build_dataflow` after step_hw_ipgen (Verilator), then with strategy
//   characterize: FIFO depths from the layers' measured transfer characteristics; a layer with
//   external weights (no transaction model) is measured on the rtlsim executable the step builds;
// - the zoo's tfc_w1a1: largefifo_rtlsim, which Finn cannot run yet, fails with one line and
//   writes nothing, and an unknown strategy stops `finn build_dataflow` with one line naming the
//   allowed ones.
#include "build_test_support.h"
#include "finn/ir/model.h"

#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;

CommandResult build(const fs::path& dir) {
    return run_command(shell_quote(finn_cli()) + " build_dataflow " + shell_quote(dir.string()));
}

// finn-step-set-fifo-depths on the build's step_hw_codegen model, with `config`.
CommandResult set_fifo_depths(const fs::path& dir, const nlohmann::ordered_json& config,
                              const std::string& out_model) {
    write_json(dir / "step_config.json", config);
    return run_command(
        shell_quote(step_tool("set-fifo-depths")) + " --in " +
        shell_quote((dir / "out/intermediate_models/step_hw_codegen.onnx").string()) + " --out " +
        shell_quote((dir / out_model).string()) + " --output-dir " +
        shell_quote((dir / "out").string()) + " --config " +
        shell_quote((dir / "step_config.json").string()));
}

// The lines of `text` holding `needle`.
std::vector<std::string> lines_with(const std::string& text, const std::string& needle) {
    std::vector<std::string> found;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        if (line.find(needle) != std::string::npos) found.push_back(line);
    return found;
}

std::size_t fifos_in(Model& model) {
    std::size_t n = 0;
    for (Node node : model.nodes())
        n += node.op_type() == "StreamingFIFO_rtl";
    return n;
}

TEST(SetFifoDepths, TfcDepthsFromFoldingConfig) {
    FINN_REQUIRE_SHARED(shared);
    const fs::path tfc = shared / "models/finn/tfc_w1a1";
    ScratchDir scratch;
    const fs::path dir = scratch / "tfc";
    fs::create_directories(dir);
    for (const char* file : {"model.onnx", "specialize_layers_config.json"})
        fs::copy_file(tfc / file, dir / file);
    nlohmann::ordered_json config =
        nlohmann::ordered_json::parse(read_bytes(tfc / "dataflow_build_config.json"));
    config["output_dir"] = "out";
    config["generate_outputs"] = {"estimate_reports"};
    config["verify_steps"] = nlohmann::ordered_json::array();
    config["stop_step"] = "step_hw_codegen";
    config["specialize_layers_config_file"] = "specialize_layers_config.json";
    write_json(dir / "dataflow_build_config.json", config);
    nlohmann::ordered_json folding =
        nlohmann::ordered_json::parse(read_bytes(tfc / "folding_config.json"));
    write_json(dir / "folding_config.json", folding);
    auto built = build(dir);
    ASSERT_EQ(built.exit_code, 0) << built.out << built.err;

    config["auto_fifo_depths"] = false;
    auto first = set_fifo_depths(dir, config, "first.onnx");
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    Model model = Model::load(dir / "first.onnx");
    // FINN's names: <op type>_<k>, k counting each op type in graph order.
    std::map<std::string, int> count;
    std::vector<std::string> fifos;
    for (Node node : model.nodes()) {
        EXPECT_EQ(node.name(), node.op_type() + "_" + std::to_string(count[node.op_type()]++));
        if (node.op_type() == "StreamingFIFO_rtl") fifos.push_back(node.name());
    }
    // InsertFIFO(create_shallow_fifos): a FIFO on every stream (5 edges, the graph's two ends,
    // and one behind every converter).
    ASSERT_GE(fifos.size(), 7u);
    EXPECT_EQ(count["StreamingFIFO_rtl"], 7 + count["StreamingDataWidthConverter_rtl"] +
                                              count["StreamingDataWidthConverter_hls"]);
    EXPECT_EQ(model.nodes()[0].name(), "StreamingFIFO_rtl_0");
    for (Node node : model.nodes()) {
        SCOPED_TRACE(node.name());
        const std::string folder = "hw/" + node.name();
        EXPECT_EQ(node.attr_string("code_gen_dir_ipgen", ""), folder);
        EXPECT_EQ(node.attr_string("ipgen_path", ""), folder);
        EXPECT_EQ(node.attr_string("ip_path", ""), folder);
        EXPECT_EQ(node.attr_string("ip_vlnv", ""), "finn:hw:" + node.name() + ":1.0");
        EXPECT_TRUE(fs::is_regular_file(dir / "out" / folder / (node.name() + ".sv")));
        EXPECT_TRUE(fs::is_regular_file(dir / "out" / folder / "sources.txt"));
        EXPECT_TRUE(fs::is_regular_file(dir / "out" / folder / "component.xml"));
    }
    EXPECT_TRUE(fs::is_regular_file(dir / "out/hw/fifo_depths_manifest.txt"));
    const auto hw_config =
        nlohmann::ordered_json::parse(read_bytes(dir / "out/final_hw_config.json"));
    for (const auto& fifo : fifos)
        EXPECT_EQ(hw_config.at(fifo).at("depth"), model.node_by_name(fifo)->attr_int("depth"));

    // The folding config sizes one FIFO in the middle and sets another to 0 (removed afterwards,
    // but still in final_hw_config.json, whose names must stay those the folding config uses).
    const std::string deep = fifos[2], gone = fifos[3];
    folding[deep] = {{"depth", 300}, {"impl_style", "vivado"}, {"ram_style", "block"}};
    folding[gone] = {{"depth", 0}};
    write_json(dir / "folding_config.json", folding);
    auto second = set_fifo_depths(dir, config, "second.onnx");
    ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
    model = Model::load(dir / "second.onnx");
    Node sized = *model.node_by_name(deep);
    EXPECT_EQ(sized.attr_int("depth"), 300);
    EXPECT_EQ(sized.attr_string("impl_style"), "vivado");
    EXPECT_EQ(sized.attr_string("ram_style"), "block");
    EXPECT_FALSE(model.node_by_name(gone));
    // One component.xml per node in the manifest.
    EXPECT_EQ(
        lines_with(read_bytes(dir / "out/hw/fifo_depths_manifest.txt"), "/component.xml").size(),
        model.nodes().size());
    const auto sized_config =
        nlohmann::ordered_json::parse(read_bytes(dir / "out/final_hw_config.json"));
    EXPECT_EQ(sized_config.at(deep).at("depth"), 300);
    EXPECT_EQ(sized_config.at(gone).at("depth"), 0);
    // The FIFO's hardware is as deep as configured (a Vivado FIFO: the next power of two).
    const std::string wrapper = read_bytes(dir / "out/hw" / deep / (deep + ".sv"));
    EXPECT_NE(wrapper.find(".DEPTH(512)"), std::string::npos) << wrapper;
    EXPECT_FALSE(fs::exists(dir / "out/hw" / gone)); // the folder of the first run is gone

    // The same inputs give the same bytes.
    const std::string config_bytes = read_bytes(dir / "out/final_hw_config.json");
    auto again = set_fifo_depths(dir, config, "again.onnx");
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_EQ(read_bytes(dir / "again.onnx"), read_bytes(dir / "second.onnx"));
    EXPECT_EQ(read_bytes(dir / "out/final_hw_config.json"), config_bytes);
    // final_hw_config.json fed back as the folding config gives the same model.
    fs::copy_file(dir / "out/final_hw_config.json", dir / "fed_back.json");
    config["folding_config_file"] = "fed_back.json";
    auto fed_back = set_fifo_depths(dir, config, "fed_back.onnx");
    ASSERT_EQ(fed_back.exit_code, 0) << fed_back.out << fed_back.err;
    EXPECT_EQ(read_bytes(dir / "fed_back.onnx"), read_bytes(dir / "second.onnx"));
    config["folding_config_file"] = "folding_config.json";

    // split_large_fifos: a FIFO of 8196 words becomes 8192 (vivado) + 4 (rtl).
    folding[deep] = {{"depth", 8196}};
    write_json(dir / "folding_config.json", folding);
    config["split_large_fifos"] = true;
    auto split = set_fifo_depths(dir, config, "split.onnx");
    ASSERT_EQ(split.exit_code, 0) << split.out << split.err;
    model = Model::load(dir / "split.onnx");
    std::vector<std::pair<std::int64_t, std::string>> depths;
    for (Node node : model.nodes())
        if (node.op_type() == "StreamingFIFO_rtl" && node.attr_int("depth") > 2)
            depths.emplace_back(node.attr_int("depth"), node.attr_string("impl_style"));
    EXPECT_EQ(depths,
              (std::vector<std::pair<std::int64_t, std::string>>{{8192, "vivado"}, {4, "rtl"}}));
    EXPECT_EQ(nlohmann::ordered_json::parse(read_bytes(dir / "out/final_hw_config.json"))
                  .at(deep)
                  .at("depth"),
              8196);
}

// The whole flow through `finn build_dataflow` (step_hw_ipgen needs Verilator): the step runs
// after step_hw_ipgen in FINN's order, its FIFO is sized from the folding config, the nodes
// step_hw_ipgen built are not changed by it (no "out of date" warning), and a rebuild runs no
// step.
TEST(SetFifoDepths, TfcFlowThroughBuildDataflow) {
    FINN_REQUIRE_SHARED(shared);
    if (!verilator_available()) GTEST_SKIP() << "Verilator or make not installed";
    const fs::path tfc = shared / "models/finn/tfc_w1a1";
    ScratchDir scratch;
    const fs::path dir = scratch / "tfc";
    fs::create_directories(dir);
    for (const char* file : {"model.onnx", "specialize_layers_config.json"})
        fs::copy_file(tfc / file, dir / file);
    nlohmann::ordered_json config =
        nlohmann::ordered_json::parse(read_bytes(tfc / "dataflow_build_config.json"));
    config["output_dir"] = "out";
    config["generate_outputs"] = {"estimate_reports"};
    config["verify_steps"] = nlohmann::ordered_json::array();
    config["stop_step"] = "step_set_fifo_depths";
    config["specialize_layers_config_file"] = "specialize_layers_config.json";
    config["auto_fifo_depths"] = false;
    write_json(dir / "dataflow_build_config.json", config);
    nlohmann::ordered_json folding =
        nlohmann::ordered_json::parse(read_bytes(tfc / "folding_config.json"));
    // StreamingFIFO_rtl_1: the FIFO behind Thresholding_rtl_0 (StreamingFIFO_rtl_0 is the
    // graph input's).
    folding["StreamingFIFO_rtl_1"] = {{"depth", 64}};
    write_json(dir / "folding_config.json", folding);
    auto first = build(dir);
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    const std::vector<std::string> ran = steps_run(first);
    ASSERT_GE(ran.size(), 2u);
    EXPECT_EQ(ran[ran.size() - 2], "step_hw_ipgen");
    EXPECT_EQ(ran.back(), "step_set_fifo_depths");
    const fs::path out = dir / "out";
    Model model = Model::load(out / "intermediate_models/step_set_fifo_depths.onnx");
    Node fifo = *model.node_by_name("StreamingFIFO_rtl_1");
    EXPECT_EQ(model.producer(fifo.input(0))->name(), "Thresholding_rtl_0");
    EXPECT_EQ(fifo.attr_int("depth"), 64);
    EXPECT_NE(read_bytes(out / "hw/StreamingFIFO_rtl_1/StreamingFIFO_rtl_1.sv").find(".DEPTH(64)"),
              std::string::npos);
    EXPECT_TRUE(fs::is_regular_file(out / "final_hw_config.json"));
    EXPECT_EQ(read_bytes(out / "build_dataflow.log").find("is out of date"), std::string::npos);
    // No node has an rtlsim executable: step_hw_ipgen builds them only for node_by_node_rtlsim,
    // and the new nodes get none.
    EXPECT_TRUE(fs::is_regular_file(out / "hw/MVAU_hls_0/component.xml"));
    EXPECT_FALSE(fs::exists(out / "hw/MVAU_hls_0/sim_build/rtlsim"));
    EXPECT_FALSE(fs::exists(out / "hw/StreamingFIFO_rtl_1/sim_build"));

    auto again = build(dir);
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_TRUE(steps_run(again).empty()) << again.out;

    // Strategy characterize: only step_set_fifo_depths reruns; every node is characterized by its
    // hardware's transaction model, so nothing is built (the converters inserted here get no
    // executables).
    config["auto_fifo_depths"] = true;
    config["auto_fifo_strategy"] = "characterize";
    write_json(dir / "dataflow_build_config.json", config);
    auto characterized = build(dir);
    ASSERT_EQ(characterized.exit_code, 0) << characterized.out << characterized.err;
    EXPECT_EQ(steps_run(characterized), std::vector<std::string>{"step_set_fifo_depths"});
    model = Model::load(out / "intermediate_models/step_set_fifo_depths.onnx");
    const std::string log = read_bytes(out / "build_dataflow.log");
    EXPECT_NE(log.find("set_fifo_depths: characterized " +
                       std::to_string(model.nodes().size() - fifos_in(model)) + " nodes"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("cycles from their transaction models in"), std::string::npos) << log;
    EXPECT_EQ(log.find("by rtlsim"), std::string::npos) << log;
    const std::vector<std::string> inputs = model.input_names();
    int fifo_count = 0;
    for (Node node : model.nodes()) {
        if (node.op_type().rfind("StreamingDataWidthConverter", 0) == 0) {
            EXPECT_FALSE(fs::exists(out / "hw" / node.name() / "sim_build")) << node.name();
        }
        if (node.op_type() != "StreamingFIFO_rtl") continue;
        ++fifo_count;
        SCOPED_TRACE(node.name());
        const std::int64_t depth = node.attr_int("depth");
        const auto shape = node.attr_ints("folded_shape");
        std::int64_t frame = 1;
        for (std::size_t k = 0; k + 1 < shape.size(); ++k)
            frame *= shape[k];
        // DeriveFIFOSizes's bounds: at least 32 at the graph's ends, never more than the words
        // of two periods' frames.
        if (node.input(0) == inputs[0] || model.is_graph_output(node.output(0))) {
            EXPECT_GE(depth, 32);
        }
        EXPECT_GE(depth, 0);
        EXPECT_LE(depth, std::max<std::int64_t>(32, 2 * frame));
        EXPECT_EQ(node.attr_string("impl_style"), depth > 256 ? "vivado" : "rtl");
    }
    EXPECT_GE(fifo_count, 7);
    // The same measurement again gives the same model.
    const std::string characterized_model =
        read_bytes(out / "intermediate_models/step_set_fifo_depths.onnx");
    fs::remove(out / "intermediate_models/step_set_fifo_depths.onnx");
    auto remeasured = build(dir);
    ASSERT_EQ(remeasured.exit_code, 0) << remeasured.out << remeasured.err;
    EXPECT_EQ(read_bytes(out / "intermediate_models/step_set_fifo_depths.onnx"),
              characterized_model);

    // An MVAU with external weights has no transaction model: characterize builds its rtlsim
    // executable itself (step_hw_ipgen built none) and measures it; measuring again reuses it.
    folding["MVAU_hls_1"]["mem_mode"] = "external";
    write_json(dir / "folding_config.json", folding);
    auto external = build(dir);
    ASSERT_EQ(external.exit_code, 0) << external.out << external.err;
    std::string rerun = read_bytes(out / "build_dataflow.log");
    rerun = rerun.substr(rerun.rfind("Running step: step_set_fifo_depths"));
    EXPECT_NE(rerun.find("1 without one by rtlsim (MVAU_hls_1)"), std::string::npos) << rerun;
    EXPECT_NE(rerun.find("set_fifo_depths: built the rtlsim executable of MVAU_hls_1"),
              std::string::npos)
        << rerun;
    EXPECT_TRUE(fs::is_regular_file(out / "hw/MVAU_hls_1/sim_build/rtlsim"));
    EXPECT_FALSE(fs::exists(out / "hw/MVAU_hls_0/sim_build/rtlsim"));
    fs::remove(out / "intermediate_models/step_set_fifo_depths.onnx");
    auto external_again = build(dir);
    ASSERT_EQ(external_again.exit_code, 0) << external_again.out << external_again.err;
    EXPECT_EQ(steps_run(external_again), std::vector<std::string>{"step_set_fifo_depths"});
    rerun = read_bytes(out / "build_dataflow.log");
    rerun = rerun.substr(rerun.rfind("Running step: step_set_fifo_depths"));
    EXPECT_NE(rerun.find("1 without one by rtlsim (MVAU_hls_1)"), std::string::npos) << rerun;
    EXPECT_EQ(rerun.find("built the rtlsim executable"), std::string::npos) << rerun;
}

TEST(SetFifoDepths, LargefifoSizesByStitchedSimulationAndUnknownStrategiesAreOneLine) {
    ScratchDir scratch;
    const fs::path dir = scratch / "tfc";
    fs::create_directories(dir);
    auto zoo = run_command("cd " + shell_quote(dir.string()) + " && " + shell_quote(finn_cli()) +
                           " zoo tfc_w1a1 -o model.onnx");
    ASSERT_EQ(zoo.exit_code, 0) << zoo.err;
    nlohmann::ordered_json config = {{"output_dir", "out"},
                                     {"fpga_part", "xc7z020clg400-1"},
                                     {"synth_clk_period_ns", 10.0},
                                     {"target_fps", 100000},
                                     {"generate_outputs", {"estimate_reports"}},
                                     {"stop_step", "step_hw_codegen"}};
    write_json(dir / "dataflow_build_config.json", config);
    auto built = build(dir);
    ASSERT_EQ(built.exit_code, 0) << built.out << built.err;

    // FINN's default strategy simulates the stitched design: with Verilator the FIFOs are sized
    // and their depth monitors are off again; without it one line says what is missing.
    auto largefifo = set_fifo_depths(dir, config, "largefifo.onnx");
    if (verilator_available()) {
        ASSERT_EQ(largefifo.exit_code, 0) << largefifo.out << largefifo.err;
        Model sized = Model::load(dir / "largefifo.onnx");
        EXPECT_GT(fifos_in(sized), 0u);
        for (Node node : sized.nodes())
            if (node.op_type().rfind("StreamingFIFO", 0) == 0) {
                EXPECT_EQ(node.attr_int("depth_monitor", 0), 0) << node.name();
                EXPECT_GE(node.attr_int("depth", 0), 2) << node.name();
            }
        EXPECT_EQ(lines_with(read_bytes(dir / "out/build_dataflow.log"),
                             "set_fifo_depths: largefifo_rtlsim: simulated ")
                      .size(),
                  1u);
        EXPECT_TRUE(fs::exists(dir / "out/final_hw_config.json"));
    } else {
        EXPECT_EQ(largefifo.exit_code, 1);
        EXPECT_EQ(lines_with(largefifo.out + largefifo.err, "needs Verilator").size(), 1u)
            << largefifo.out << largefifo.err;
        for (const char* file :
             {"largefifo.onnx", "out/final_hw_config.json", "out/hw/fifo_depths_manifest.txt"})
            EXPECT_FALSE(fs::exists(dir / file)) << file;
    }

    // FINN silently does nothing for an unknown strategy; Finn refuses the configuration.
    config["auto_fifo_strategy"] = "fastest";
    config.erase("stop_step");
    write_json(dir / "dataflow_build_config.json", config);
    auto unknown = build(dir);
    EXPECT_EQ(unknown.exit_code, 1);
    const auto lines = lines_with(unknown.out + unknown.err, "'fastest'");
    ASSERT_EQ(lines.size(), 1u) << unknown.out << unknown.err;
    EXPECT_NE(lines[0].find("auto_fifo_strategy"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("characterize, largefifo_rtlsim"), std::string::npos) << lines[0];
}

} // namespace
} // namespace finn::testing
