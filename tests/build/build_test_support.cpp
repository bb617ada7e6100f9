#include "build_test_support.h"

#include <fstream>
#include <sstream>

namespace finn::testing {
namespace fs = std::filesystem;

void CmakeProject::write(const std::string& relative, const std::string& text) const {
    fs::path file = dir_.path() / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

void CmakeProject::write_cmakelists(const std::string& body) const {
    write("CMakeLists.txt", "cmake_minimum_required(VERSION 3.20)\n"
                            "project(build_graph_test NONE)\n"
                            "find_package(Finn REQUIRED COMPONENTS tools)\n" +
                                body);
}

void CmakeProject::zoo_model(const std::string& name, const std::string& relative) const {
    CommandResult r = run_command(shell_quote(finn_cli()) + " zoo " + name + " -o " +
                                  shell_quote((dir_.path() / relative).string()));
    if (r.exit_code != 0) throw std::runtime_error("finn zoo failed: " + r.err);
}

CommandResult CmakeProject::configure() const {
    return run_command("cmake -S " + shell_quote(path().string()) + " -B " +
                       shell_quote(build_dir().string()) +
                       " -G Ninja -DFinn_DIR=" + shell_quote(FINN_BUILD_TREE_DIR));
}

CommandResult CmakeProject::build(const std::string& target, const std::string& ninja_args) const {
    return run_command("ninja -C " + shell_quote(build_dir().string()) + " " + ninja_args + " " +
                       target);
}

std::vector<std::string> steps_run(const CommandResult& result) {
    std::vector<std::string> steps;
    std::istringstream lines(result.out);
    const std::string marker = "Running step: ";
    for (std::string line; std::getline(lines, line);) {
        std::size_t at = line.find(marker);
        if (at == std::string::npos) continue;
        std::string rest = line.substr(at + marker.size());
        steps.push_back(rest.substr(0, rest.find(' ')));
    }
    return steps;
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_json(const fs::path& path, const nlohmann::ordered_json& json) {
    std::ofstream(path) << json.dump(2);
}

nlohmann::ordered_json read_json(const fs::path& path) {
    return nlohmann::ordered_json::parse(read_bytes(path));
}

std::string unwrapped(const std::string& text) {
    std::string out;
    for (char c : text) {
        bool space = c == '\n' || c == ' ';
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : c;
    }
    return out;
}

std::string finn_cli() {
    return FINN_CLI_PATH;
}

} // namespace finn::testing
