#include "finn/step/build_log.h"

#include "finn/core/error.h"
#include "finn/util/file_io.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace finn {
namespace fs = std::filesystem;

std::string log_timestamp() {
    auto now = std::chrono::system_clock::now();
    std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm local{};
    localtime_r(&seconds, &local);
    char buffer[40];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &local);
    char result[48];
    std::snprintf(result, sizeof result, "%s,%03d", buffer, static_cast<int>(millis));
    return result;
}

void BuildLog::write(std::string_view message) const {
    std::string text;
    std::size_t start = 0;
    while (start <= message.size()) {
        std::size_t end = message.find('\n', start);
        if (end == std::string_view::npos) end = message.size();
        std::string_view line = message.substr(start, end - start);
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
            line.remove_suffix(1);
        if (!line.empty()) {
            // Appended piece by piece: `"[" + std::string` trips GCC 12's -Wrestrict false
            // positive.
            text += '[';
            text += log_timestamp();
            text += "] ";
            text += line;
            text += '\n';
        }
        start = end + 1;
    }
    if (text.empty()) return;
    std::error_code ec;
    if (file_.has_parent_path()) fs::create_directories(file_.parent_path(), ec);
    int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(file_.string() + ": cannot open build log for appending");
    ssize_t written = ::write(fd, text.data(), text.size());
    ::close(fd);
    if (written != static_cast<ssize_t>(text.size()))
        throw Error(file_.string() + ": cannot append to build log");
}

fs::path step_time_record_path(const fs::path& output_dir, const std::string& step_name) {
    return output_dir / ".finn" / "step_times" / (step_name + ".json");
}

void write_step_time_record(const fs::path& output_dir, const std::string& step_name,
                            double seconds) {
    nlohmann::ordered_json record;
    record["step"] = step_name;
    record["seconds"] = seconds;
    write_file_if_changed(step_time_record_path(output_dir, step_name), record.dump(2) + "\n");
}

bool assemble_time_per_step(const fs::path& output_dir, const std::vector<std::string>& steps) {
    nlohmann::ordered_json times = nlohmann::ordered_json::object();
    for (const auto& step : steps) {
        fs::path record_path = step_time_record_path(output_dir, step);
        std::error_code ec;
        if (!fs::exists(record_path, ec))
            throw Error(record_path.string() + ": no time record for step '" + step +
                        "' (has the step run?)");
        nlohmann::json record;
        try {
            record = nlohmann::json::parse(read_file(record_path));
            times[step] = record.at("seconds").get<double>();
        } catch (const nlohmann::json::exception& e) {
            throw Error(record_path.string() + ": malformed time record (" + e.what() + ")");
        }
    }
    return write_file_if_changed(output_dir / "time_per_step.json", times.dump(2));
}

} // namespace finn
