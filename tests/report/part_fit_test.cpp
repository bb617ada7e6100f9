// Does it fit? The estimate report holds the layers' resource sum against the FPGA part's
// capacity (report/index.html) and the build log warns when the estimate exceeds the part.
#include "build/build_test_support.h"
#include "finn/config/boards.h"
#include "finn/config/part_capacity.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;

TEST(PartCapacity, EveryBoardsPartHasItsCapacity) {
    for (const ZynqBoard& board : zynq_boards())
        EXPECT_NE(find_part_capacity(board.part), nullptr) << board.name << " " << board.part;
    for (const AlveoBoard& board : alveo_boards())
        EXPECT_NE(find_part_capacity(board.part), nullptr) << board.name << " " << board.part;
    const PartCapacity* z7020 = find_part_capacity("xc7z020clg400-1");
    ASSERT_NE(z7020, nullptr);
    EXPECT_EQ(z7020->lut, 53200);
    EXPECT_EQ(z7020->bram_18k, 280); // 140 blocks of 36 Kb
    EXPECT_EQ(z7020->dsp, 220);
    // A device name is matched whole: xcu50 is not a prefix match for another device.
    EXPECT_EQ(find_part_capacity("xcu500-something"), nullptr);
    EXPECT_EQ(find_part_capacity("xc7z020"), nullptr); // no package: not a full part name
    EXPECT_EQ(find_part_capacity("xcvc1902-vsva2197-2MP-e-S"), nullptr);
}

struct Build {
    ScratchDir scratch;
    fs::path dir = scratch / "net";
    CommandResult result;

    Build(const std::string& zoo_name, double target_fps) {
        fs::create_directories(dir);
        auto zoo = run_command("cd " + shell_quote(dir.string()) + " && " +
                               shell_quote(finn_cli()) + " zoo " + zoo_name + " -o model.onnx");
        EXPECT_EQ(zoo.exit_code, 0) << zoo.err;
        nlohmann::ordered_json config = {{"output_dir", "out"},
                                         {"synth_clk_period_ns", 10.0},
                                         {"board", "Pynq-Z1"},
                                         {"shell_flow_type", "vivado_zynq"},
                                         {"target_fps", target_fps},
                                         {"generate_outputs", {"estimate_reports"}},
                                         {"stop_step", "step_generate_estimate_reports"}};
        std::ofstream(dir / "dataflow_build_config.json") << config.dump(2);
        result =
            run_command(shell_quote(finn_cli()) + " build_dataflow " + shell_quote(dir.string()));
    }
    std::string file(const std::string& relative) const {
        return read_bytes(dir / "out" / relative);
    }
};

// The sum of one resource over the layers of estimate_layer_resources.json ("total" excluded).
std::int64_t layer_sum(const nlohmann::json& resources, const std::string& key) {
    std::int64_t sum = 0;
    for (const auto& [layer, r] : resources.items())
        if (layer != "total") sum += r.at(key).get<std::int64_t>();
    return sum;
}

std::string share_text(std::int64_t used, std::int64_t available) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %%", 100.0 * double(used) / double(available));
    return buf;
}

TEST(PartFit, ReportHoldsTheLayerSumsAgainstThePartAndWarnsWhenOver) {
    // CNV-w2a2 at 100000 frames/s needs far more than a Pynq-Z1's xc7z020 has.
    Build over("cnv_w2a2", 100000);
    ASSERT_EQ(over.result.exit_code, 0) << over.result.err;
    const auto resources = nlohmann::json::parse(over.file("report/estimate_layer_resources.json"));
    const std::string html = over.file("report/index.html");
    const PartCapacity& cap = *find_part_capacity("xc7z020clg400-1");
    ASSERT_NE(html.find("<h2>Fit on xc7z020clg400-1</h2>"), std::string::npos) << html;
    const std::vector<std::pair<std::string, std::int64_t>> capacities = {
        {"LUT", cap.lut}, {"BRAM_18K", cap.bram_18k}, {"URAM", cap.uram}, {"DSP", cap.dsp}};
    bool any_over = false;
    for (const auto& [key, available] : capacities) {
        const std::int64_t used = layer_sum(resources, key);
        const std::string row = "<td>" + key + "</td><td>" + std::to_string(used) + "</td><td>" +
                                std::to_string(available) + "</td><td>" +
                                (available > 0 ? share_text(used, available) : "-") + "</td>";
        EXPECT_NE(html.find(row), std::string::npos) << key << ": " << row << "\n" << html;
        if (used > available) {
            any_over = true;
            EXPECT_NE(html.find("<tr class=\"over\">" + row), std::string::npos) << key;
        }
    }
    ASSERT_TRUE(any_over) << "the test net should exceed the part";
    const std::string warning =
        "Warning: the resource estimate exceeds the FPGA part xc7z020clg400-1: ";
    EXPECT_NE(over.file("build_dataflow.log").find(warning), std::string::npos);
    EXPECT_NE((over.result.out + over.result.err).find(warning), std::string::npos)
        << over.result.out << over.result.err;

    // A design that fits: the table without red rows, no warning.
    Build fits("tfc_w1a1", 1000);
    ASSERT_EQ(fits.result.exit_code, 0) << fits.result.err;
    EXPECT_NE(fits.file("report/index.html").find("<h2>Fit on xc7z020clg400-1</h2>"),
              std::string::npos);
    EXPECT_EQ(fits.file("report/index.html").find("class=\"over\""), std::string::npos);
    EXPECT_EQ(fits.file("build_dataflow.log").find("exceeds the FPGA part"), std::string::npos);
}

} // namespace
} // namespace finn::testing
