#include "finn/config/config_file.h"
#include "finn/core/error.h"

#include <gtest/gtest.h>

namespace finn {
namespace {

TEST(ConfigFile, YamlScalarsAreTypedLikeJson) {
    auto doc = parse_config_document("a: 10\nb: 10.5\nc: true\nd: ~\ne: text\nf: \"10\"\ng: 017\n"
                                     "h: !!str 12\ni: [1, two]\nj: {k: False}\n",
                                     true, "t.yaml");
    EXPECT_EQ(doc["a"], 10);
    EXPECT_TRUE(doc["a"].is_number_integer());
    EXPECT_DOUBLE_EQ(doc["b"].get<double>(), 10.5);
    EXPECT_EQ(doc["c"], true);
    EXPECT_TRUE(doc["d"].is_null());
    EXPECT_EQ(doc["e"], "text");
    EXPECT_EQ(doc["f"], "10");
    EXPECT_EQ(doc["g"], 17);
    EXPECT_EQ(doc["h"], "12");
    EXPECT_EQ(doc["i"], nlohmann::ordered_json::parse(R"([1, "two"])"));
    EXPECT_EQ(doc["j"]["k"], false);
    // Keys keep their order, as in the file.
    EXPECT_EQ(doc.begin().key(), "a");
}

TEST(ConfigFile, SyntaxErrorsNameFileLineAndColumn) {
    try {
        parse_config_document("{\n  \"a\": 1,\n  \"b\": }\n", false, "cfg.json");
        FAIL();
    } catch (const Error& e) {
        std::string m = e.what();
        EXPECT_EQ(m.rfind("cfg.json: invalid JSON at line 3, column", 0), 0u) << m;
        EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    }
    try {
        parse_config_document("a: [1, 2\nb: 3\n", true, "cfg.yaml");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("cfg.yaml: invalid YAML at line", 0), 0u) << e.what();
    }
}

// Found by fuzz/config_fuzzer and fuzz/attribute_config_fuzzer (minimized): yaml-cpp let bytes that
// are not UTF-8 into strings, and nlohmann's dump() later threw its own type_error (no file, no
// line; not a finn::Error). They are now a finn::Error naming file and line, as JSON already did.
TEST(ConfigFile, YamlTextThatIsNotUtf8IsAnError) {
    for (std::string text : {std::string("{\"output_dir\":\x8d}"), std::string("U: {\xc5}"),
                             std::string("a: 1\nb: [ok, \"x\xed\xa0\x80\"]\n")}) {
        try {
            parse_config_document(text, true, "cfg.yaml");
            FAIL() << text;
        } catch (const Error& e) {
            std::string m = e.what();
            EXPECT_EQ(m.rfind("cfg.yaml: line ", 0), 0u) << m;
            EXPECT_NE(m.find("is not UTF-8 text"), std::string::npos) << m;
        }
        EXPECT_THROW(parse_config_document(text, false, "cfg.json"), Error);
    }
    // Well-formed multi-byte text stays accepted and serializes.
    auto doc = parse_config_document("name: \"\xc3\xbc \xe2\x82\xac \xf0\x9f\x98\x80\"\n"
                                     "\xc3\xa4: 1\n",
                                     true, "ok.yaml");
    EXPECT_EQ(doc["name"], "\xc3\xbc \xe2\x82\xac \xf0\x9f\x98\x80");
    EXPECT_NO_THROW((void)doc.dump());
}

// Found by fuzz/config_fuzzer (minimized): a JSON number beyond double's range escaped as
// nlohmann's out_of_range instead of a finn::Error.
TEST(ConfigFile, JsonNumberOverflowIsAnError) {
    for (std::string text :
         {std::string("1e800"), std::string("{\"synth_clk_period_ns\": -2e400}")}) {
        try {
            parse_config_document(text, false, "cfg.json");
            FAIL() << text;
        } catch (const Error& e) {
            std::string m = e.what();
            EXPECT_EQ(m.rfind("cfg.json: invalid JSON: number overflow", 0), 0u) << m;
        }
    }
}

TEST(ConfigFile, ExtensionChoosesTheParser) {
    EXPECT_TRUE(is_yaml_path("x/build.yaml"));
    EXPECT_TRUE(is_yaml_path("build.yml"));
    EXPECT_FALSE(is_yaml_path("build.json"));
    EXPECT_THROW(read_config_document("/nonexistent/finn.json"), Error);
}

} // namespace
} // namespace finn
