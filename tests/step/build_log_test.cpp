#include "../test_support.h"
#include "finn/core/error.h"
#include "finn/step/build_log.h"
#include "finn/util/file_io.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <regex>

namespace finn {
namespace {

TEST(BuildLog, LinesInFinnFormatAppended) {
    testing::ScratchDir dir;
    BuildLog log(dir / "od/build_dataflow.log");
    log.write("first");
    log.write("two\nlines  \n\n   \n");
    log.write("");
    std::string text = read_file(log.file());
    std::regex line(R"(\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] (first|two|lines)\n)");
    auto begin = std::sregex_iterator(text.begin(), text.end(), line);
    EXPECT_EQ(std::distance(begin, std::sregex_iterator()), 3) << text;
    EXPECT_NE(text.find("] lines\n"), std::string::npos) << "trailing whitespace kept: " << text;
}

TEST(BuildLog, TimePerStepAssembledInGivenOrder) {
    testing::ScratchDir dir;
    write_step_time_record(dir.path(), "step_tidy_up", 0.25);
    write_step_time_record(dir.path(), "step_qonnx_to_finn", 1.5);
    EXPECT_TRUE(assemble_time_per_step(dir.path(), {"step_qonnx_to_finn", "step_tidy_up"}));
    std::string text = read_file(dir / "time_per_step.json");
    EXPECT_EQ(text, "{\n  \"step_qonnx_to_finn\": 1.5,\n  \"step_tidy_up\": 0.25\n}");
    EXPECT_FALSE(assemble_time_per_step(dir.path(), {"step_qonnx_to_finn", "step_tidy_up"}));
    try {
        assemble_time_per_step(dir.path(), {"step_streamline"});
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("no time record for step 'step_streamline'"),
                  std::string::npos);
    }
}

} // namespace
} // namespace finn
