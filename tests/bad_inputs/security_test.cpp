// Crafted inputs must never make Finn write outside the output folder or run anything: node names
// and config values that look like paths or shell/CMake code, and symbolic links placed in the
// output folder.
#include "../build/build_test_support.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <onnx/onnx_pb.h>
#include <set>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;

std::set<std::string> entries(const fs::path& dir) {
    std::set<std::string> names;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        names.insert(fs::relative(e.path(), dir).string());
    return names;
}

CommandResult step(const std::string& name, const fs::path& in, const fs::path& out,
                   const fs::path& od, const std::string& extra = "") {
    return run_command(shell_quote(step_tool(name)) + " --in " + shell_quote(in.string()) +
                       " --out " + shell_quote(out.string()) + " --output-dir " +
                       shell_quote(od.string()) + " " + extra);
}

TEST(Security, ASymlinkInTheOutputFolderCannotRedirectStepOutputs) {
    ScratchDir dir;
    fs::create_directories(dir / "outside");
    ASSERT_EQ(run_command(shell_quote(finn_cli()) + " zoo tfc_w1a1 -o " +
                          shell_quote((dir / "m0.onnx").string()))
                  .exit_code,
              0);
    fs::path prev = dir / "m0.onnx";
    int i = 1;
    for (const char* name : {"qonnx-to-finn", "tidy-up", "streamline", "convert-to-hw"}) {
        fs::path out = dir / ("m" + std::to_string(i++) + ".onnx");
        ASSERT_EQ(step(name, prev, out, dir / "od").exit_code, 0) << name;
        prev = out;
    }
    // The partition step writes intermediate_models/...; that folder now leads elsewhere.
    fs::create_directory_symlink(dir / "outside", dir / "od" / "intermediate_models");
    CommandResult r = step("create-dataflow-partition", prev, dir / "child.onnx", dir / "od");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("outside the output directory"), std::string::npos) << r.err;
    EXPECT_TRUE(entries(dir / "outside").empty());
    EXPECT_FALSE(fs::exists(dir / "child.onnx"));
}

TEST(Security, PathLikeNodeNamesAndShellLikeConfigValuesStayInert) {
    ScratchDir dir;
    fs::path folder = dir / "build";
    fs::create_directories(folder);
    ASSERT_EQ(run_command(shell_quote(finn_cli()) + " zoo tfc_w1a1 -o " +
                          shell_quote((folder / "model.onnx").string()))
                  .exit_code,
              0);
    // Node names that are paths out of the folder.
    onnx::ModelProto proto;
    {
        std::ifstream in(folder / "model.onnx", std::ios::binary);
        ASSERT_TRUE(proto.ParseFromIstream(&in));
    }
    for (int n = 0; n < proto.graph().node_size(); ++n)
        proto.mutable_graph()->mutable_node(n)->set_name(
            n % 2 ? "../../escaped_" + std::to_string(n)
                  : "/tmp/finn_escaped_" + std::to_string(n));
    {
        std::ofstream out(folder / "model.onnx", std::ios::binary);
        ASSERT_TRUE(proto.SerializeToOstream(&out));
    }
    // An output_dir holding shell and CMake syntax.
    const std::string od_name = "out && touch PWNED `touch PWNED2` {CMAKE_COMMAND} (x) 'q' * ~!";
    nlohmann::json config = {{"output_dir", od_name},
                             {"synth_clk_period_ns", 10.0},
                             {"fpga_part", "xc7z020clg400-1"},
                             {"target_fps", 10000},
                             {"stop_step", "step_generate_estimate_reports"},
                             {"generate_outputs", {"estimate_reports"}}};
    std::ofstream(folder / "dataflow_build_config.json") << config.dump(2);
    const auto outside_before = entries(dir.path());

    CommandResult r =
        run_command(shell_quote(finn_cli()) + " build_dataflow " + shell_quote(folder.string()));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(fs::exists(folder / od_name / "report/estimate_network_performance.json"));
    // Everything new is inside the output folder, and nothing ran.
    for (const auto& name : entries(dir.path())) {
        if (!outside_before.count(name)) {
            EXPECT_EQ(name.rfind("build/" + od_name, 0), 0u) << name;
        }
    }
    for (const char* pwned : {"PWNED", "PWNED2", "PWNED3"}) {
        EXPECT_FALSE(fs::exists(folder / pwned));
        EXPECT_FALSE(fs::exists(folder / od_name / ".finn/project/build" / pwned));
    }
    for (int n = 0; n < proto.graph().node_size(); ++n)
        EXPECT_FALSE(fs::exists("/tmp/finn_escaped_" + std::to_string(n)));

    // A name CMake cannot hold is refused with a clear message, before anything is generated.
    config["output_dir"] = "out $(touch PWNED3) | <x>";
    std::ofstream(folder / "dataflow_build_config.json") << config.dump(2);
    CommandResult quoted =
        run_command(shell_quote(finn_cli()) + " build_dataflow " + shell_quote(folder.string()));
    EXPECT_EQ(quoted.exit_code, 1);
    EXPECT_NE(quoted.err.find("which the CMake build graph cannot hold in a file name"),
              std::string::npos)
        << quoted.err;
    EXPECT_FALSE(fs::exists(folder / "out $(touch PWNED3) | <x>"));
    EXPECT_FALSE(fs::exists(folder / "PWNED3"));
}

TEST(Security, CustomStepOutputsMustStayInsideTheOutputFolder) {
    CmakeProject project;
    project.write("config.json", R"({"output_dir": "out", "synth_clk_period_ns": 10,
                                     "generate_outputs": []})");
    for (const char* output : {"../evil.txt", "/etc/evil.txt", "report/../../evil.txt"}) {
        project.write_cmakelists(std::string("finn_add_step(step_mine COMMAND true OUTPUTS ") +
                                 output + ")\n");
        CommandResult r = project.configure();
        EXPECT_NE(r.exit_code, 0) << output;
        EXPECT_NE(unwrapped(r.err).find("must be a path inside the output directory"),
                  std::string::npos)
            << r.err;
    }
}

} // namespace
} // namespace finn::testing
