#include "finn/config/attribute_config.h"
#include "finn/core/error.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

namespace finn {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Attributes = std::vector<std::pair<std::string, json>>;

constexpr const char* kConfigJson = R"({
  "Defaults": {
    "ram_style": ["distributed", ["MVAU_hls", "Thresholding_rtl"]],
    "mem_mode": ["internal_decoupled", "all"],
    "MVAU_hls_1": [7, "all"]
  },
  "MVAU_hls_1": {"PE": 8, "SIMD": 8, "ram_style": "block"},
  "MVAU_hls_0": {"PE": 16, "inFIFODepths": [2, 4]},
  "StreamingFIFO_rtl_3": {}
})";

std::string error_of(const std::string& text, bool yaml = false) {
    try {
        AttributeConfig::parse(text, yaml, "fold.json");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(AttributeConfig, ParsesInFileOrder) {
    AttributeConfig c = AttributeConfig::parse(kConfigJson, false, "fold.json");
    ASSERT_EQ(c.defaults.size(), 3u);
    EXPECT_EQ(c.defaults[0].first, "ram_style");
    EXPECT_EQ(c.defaults[0].second.value, "distributed");
    EXPECT_FALSE(c.defaults[0].second.all);
    EXPECT_EQ(c.defaults[0].second.op_types,
              (std::vector<std::string>{"MVAU_hls", "Thresholding_rtl"}));
    EXPECT_EQ(c.defaults[1].first, "mem_mode");
    EXPECT_TRUE(c.defaults[1].second.all);
    ASSERT_EQ(c.nodes.size(), 3u);
    EXPECT_EQ(c.nodes[0].first, "MVAU_hls_1");
    EXPECT_EQ(c.nodes[1].first, "MVAU_hls_0");
    EXPECT_EQ(c.nodes[2].first, "StreamingFIFO_rtl_3");
    EXPECT_EQ(c.nodes[0].second.begin().key(), "PE"); // attribute order kept too
    EXPECT_EQ(c.find_node("MVAU_hls_0")->at("PE"), 16);
    EXPECT_EQ(c.find_node("MVAU_hls_9"), nullptr);
}

TEST(AttributeConfig, ToJsonRoundTrip) {
    AttributeConfig c = AttributeConfig::parse(kConfigJson, false, "fold.json");
    EXPECT_EQ(c.to_json(), nlohmann::ordered_json::parse(kConfigJson));
    EXPECT_EQ(AttributeConfig::from_json(c.to_json(), "again"), c);
}

TEST(AttributeConfig, AttributesForNode) {
    AttributeConfig c = AttributeConfig::parse(kConfigJson, false, "fold.json");
    // Node entry overrides the ram_style default; the default named like a node is ignored.
    EXPECT_EQ(
        c.attributes_for("MVAU_hls_1", "MVAU_hls"),
        (Attributes{
            {"mem_mode", "internal_decoupled"}, {"PE", 8}, {"SIMD", 8}, {"ram_style", "block"}}));
    EXPECT_EQ(c.attributes_for("MVAU_hls_0", "MVAU_hls"),
              (Attributes{{"ram_style", "distributed"},
                          {"mem_mode", "internal_decoupled"},
                          {"PE", 16},
                          {"inFIFODepths", json::array({2, 4})}}));
    // A node without an entry only gets the defaults for its op type.
    EXPECT_EQ(c.attributes_for("LabelSelect_hls_0", "LabelSelect_hls"),
              (Attributes{{"mem_mode", "internal_decoupled"}}));
}

TEST(AttributeConfig, MissingDefaultsIsAccepted) {
    AttributeConfig c = AttributeConfig::parse(R"({"MVAU_hls_0": {"PE": 2}})", false, "f.json");
    EXPECT_TRUE(c.defaults.empty());
    EXPECT_EQ(c.to_json().dump(), R"({"Defaults":{},"MVAU_hls_0":{"PE":2}})");
}

TEST(AttributeConfig, Errors) {
    EXPECT_EQ(error_of("[]"),
              "fold.json: attribute config must be an object of node name -> attributes, got "
              "array");
    EXPECT_EQ(error_of(R"({"Defaults": []})"),
              "fold.json: key 'Defaults' must be an object, got array");
    EXPECT_EQ(error_of(R"({"Defaults": {"PE": [1]}})"),
              "fold.json: 'Defaults' entry 'PE' must be [value, \"all\" | [op types]], got [1]");
    EXPECT_NE(error_of(R"({"Defaults": {"PE": [1, "MVAU_hls"]}})").find("'Defaults' entry 'PE'"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"Defaults": {"PE": [1, [3]]}})").find("'Defaults' entry 'PE'"),
              std::string::npos);
    EXPECT_EQ(error_of(R"({"Defaults": {}, "MVAU_hls_0": 4})"),
              "fold.json: node 'MVAU_hls_0' must be an object of attribute -> value, got integer");
    EXPECT_EQ(error_of("{\"Defaults\": {},\n}").rfind("fold.json: invalid JSON at line 2", 0), 0u);
    EXPECT_NE(error_of("Defaults: {\n", true).find("invalid YAML"), std::string::npos);
}

TEST(AttributeConfig, Yaml) {
    AttributeConfig c = AttributeConfig::parse(R"(
Defaults:
  ram_style: [distributed, [MVAU_hls, Thresholding_rtl]]
  mem_mode: [internal_decoupled, all]
  MVAU_hls_1: [7, all]
MVAU_hls_1: {PE: 8, SIMD: 8, ram_style: block}
MVAU_hls_0:
  PE: 16
  inFIFODepths: [2, 4]
StreamingFIFO_rtl_3: {}
)",
                                               true, "fold.yaml");
    EXPECT_EQ(c, AttributeConfig::parse(kConfigJson, false, "fold.json"));
}

TEST(AttributeConfig, RealFinnExamples) {
    const char* shared = std::getenv("FINN_SHARED_DIR");
    if (!shared) GTEST_SKIP() << "FINN_SHARED_DIR not set";
    fs::path dir = fs::path(shared) / "models/finn/tfc_w1a1";
    fs::path folding = dir / "folding_config.json";
    fs::path specialize = dir / "specialize_layers_config.json";
    if (!fs::exists(folding) || !fs::exists(specialize)) GTEST_SKIP() << "example configs missing";

    AttributeConfig f = AttributeConfig::load(folding);
    EXPECT_TRUE(f.defaults.empty());
    ASSERT_EQ(f.nodes.size(), 6u);
    EXPECT_EQ(f.nodes.front().first, "Thresholding_rtl_0");
    EXPECT_EQ(f.attributes_for("MVAU_hls_0", "MVAU_hls"),
              (Attributes{{"PE", 16}, {"SIMD", 49}, {"ram_style", "block"}}));
    EXPECT_EQ(f.to_json(), nlohmann::ordered_json::parse(std::ifstream(folding)));

    AttributeConfig s = AttributeConfig::load(specialize);
    ASSERT_EQ(s.nodes.size(), 6u);
    EXPECT_EQ(s.attributes_for("Thresholding_0", "Thresholding"),
              (Attributes{{"preferred_impl_style", "rtl"}}));
    EXPECT_EQ(s.attributes_for("MVAU_1", "MVAU"), (Attributes{{"preferred_impl_style", ""}}));
}

} // namespace
} // namespace finn
