#include "finn/hwgen/node_build.h"

#include "finn/hwgen/node_codegen.h"
#include "finn/hwgen/verilator.h"
#include "finn/util/file_io.h"

#include <algorithm>
#include <vector>

namespace finn::hwgen {

namespace fs = std::filesystem;

namespace {

// component.xml: written by step_hw_ipgen and step_set_fifo_depths after the build, from the
// same node, so it is a product and not a source.
constexpr const char* kComponent = "component.xml";

bool stamp_says(const fs::path& stamp, const std::string& hash) {
    std::error_code ec;
    return fs::is_regular_file(stamp, ec) && read_file(stamp) == hash + "\n";
}

} // namespace

std::string node_folder_hash(const fs::path& node_dir, const std::string& verilator_version) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(node_dir)) {
        if (!entry.is_regular_file()) continue;
        fs::path relative = entry.path().lexically_relative(node_dir);
        const std::string first = relative.begin()->string();
        if (first == "sim_build" || first == kLintStamp || first == kComponent) continue;
        files.push_back(relative);
    }
    std::sort(files.begin(), files.end());
    std::string all = verilator_version;
    for (const fs::path& f : files)
        all += f.generic_string() + "\n" + content_hash(read_file(node_dir / f)) + "\n";
    return content_hash(all);
}

bool node_lint_current(const fs::path& node_dir, const std::string& hash) {
    return stamp_says(node_dir / kLintStamp, hash);
}

bool node_rtlsim_current(const fs::path& node_dir, const std::string& hash) {
    std::error_code ec;
    return fs::is_regular_file(node_dir / kRtlsimExecutable, ec) &&
           stamp_says(node_dir / kRtlsimStamp, hash);
}

bool lint_node_if_stale(const std::string& verilator, const fs::path& node_dir,
                        const std::string& top, const std::string& hash) {
    if (node_lint_current(node_dir, hash)) return false;
    std::error_code ec;
    fs::remove(node_dir / kLintStamp, ec);
    lint_node(verilator, node_dir, top);
    write_file_if_changed(node_dir / kLintStamp, hash + "\n");
    return true;
}

bool build_node_rtlsim_if_stale(const std::string& verilator, const fs::path& node_dir,
                                const std::string& top, const std::string& hash,
                                const std::function<fs::path()>& runtime_library) {
    if (node_rtlsim_current(node_dir, hash)) return false;
    std::error_code ec;
    fs::remove(node_dir / kRtlsimStamp, ec);
    compile_node_rtlsim(verilator, node_dir, top);
    link_node_rtlsim(node_dir, top, runtime_library());
    write_file_if_changed(node_dir / kRtlsimStamp, hash + "\n");
    return true;
}

void remove_stale_node_rtlsim(const fs::path& node_dir, const std::string& hash) {
    std::error_code ec;
    if (!fs::exists(node_dir / kRtlsimExecutable, ec) || node_rtlsim_current(node_dir, hash))
        return;
    fs::remove(node_dir / kRtlsimExecutable, ec);
    fs::remove(node_dir / kRtlsimStamp, ec);
}

} // namespace finn::hwgen
