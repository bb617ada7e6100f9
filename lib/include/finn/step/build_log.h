// build_dataflow.log and the per-step time records, written the way FINN's runner writes them.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace finn {

// Appends lines "[YYYY-MM-DD HH:MM:SS,mmm] message" to a log file. Each line is one write() on a
// file opened with O_APPEND, so step tools running in parallel never interleave inside a line.
class BuildLog {
public:
    explicit BuildLog(std::filesystem::path file) : file_(std::move(file)) {}
    // Logs each line of `message` separately, trailing whitespace stripped, empty lines dropped
    // (as FINN's stdout-to-log writer does).
    void write(std::string_view message) const;
    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
};

// The local time as FINN's log prints it: "2024-05-29 17:14:09,123".
std::string log_timestamp();

// Where a step tool records its wall-clock time: <output_dir>/.finn/step_times/<step>.json.
std::filesystem::path step_time_record_path(const std::filesystem::path& output_dir,
                                            const std::string& step_name);
void write_step_time_record(const std::filesystem::path& output_dir, const std::string& step_name,
                            double seconds);
// Builds time_per_step.json ({"<step>": seconds, ...} in the given order, 2-space indent) from the
// records of the listed steps; throws finn::Error naming a step whose record is missing.
// Returns true if the file was (re)written.
bool assemble_time_per_step(const std::filesystem::path& output_dir,
                            const std::vector<std::string>& steps);

} // namespace finn
