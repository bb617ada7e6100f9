#include "test_support.h"

#include "finn/initialize.h"

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/stat.h>

namespace finn::testing {
namespace fs = std::filesystem;

namespace {
// The test binary's start-up point, as every Finn program has one (finn/initialize.h). It runs
// when the tests start, not during static initialization, whose order across files is unknown.
class InitializeFinn : public ::testing::Environment {
public:
    void SetUp() override { finn::initialize(); }
};
[[maybe_unused]] ::testing::Environment* const initialize_finn =
    ::testing::AddGlobalTestEnvironment(new InitializeFinn);
} // namespace

std::optional<fs::path> shared_dir() {
    // The environment wins; the configured default also serves test discovery, which runs
    // without the test's environment (the conformance cases are one test each).
    const char* dir = std::getenv("FINN_SHARED_DIR");
    if (!dir || !*dir) dir = FINN_DEFAULT_SHARED_DIR;
    if (!*dir) return std::nullopt;
    std::error_code ec;
    if (!fs::is_directory(fs::path(dir) / "models", ec)) return std::nullopt;
    return fs::path(dir);
}

ScratchDir::ScratchDir() {
    std::random_device random;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string stem = info ? std::string(info->test_suite_name()) + "." + info->name() : "finn";
    for (char& c : stem)
        if (c == '/') c = '_';
    path_ = fs::temp_directory_path() / ("finn-test-" + stem + "-" + std::to_string(random()));
    fs::create_directories(path_);
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

CommandResult run_command(const std::string& command_line) {
    ScratchDir capture;
    fs::path out = capture / "stdout", err = capture / "stderr";
    std::string full =
        command_line + " >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string());
    int status = std::system(full.c_str());
    auto slurp = [](const fs::path& p) {
        std::ifstream in(p);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    };
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return {code, slurp(out), slurp(err)};
}

std::string step_tool(const std::string& name) {
    return (fs::path(FINN_STEP_DIR) / ("finn-step-" + name)).string();
}

bool verilator_available() {
    return run_command("verilator --version").exit_code == 0 &&
           run_command("make --version").exit_code == 0;
}

Model dataflow_model(const std::string& domain, const Shape& shape) {
    Model model;
    model.proto().add_opset_import()->set_version(13);
    auto* custom = model.proto().add_opset_import();
    custom->set_domain(domain);
    custom->set_version(1);
    model.graph().add_input()->set_name("x");
    model.set_shape("x", shape);
    model.graph().add_output()->set_name("y");
    return model;
}

long long mtime_ns(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return -1;
    return static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}

} // namespace finn::testing
