// Running an external program (Verilator, a node's rtlsim executable) and capturing its output.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace finn {

struct ProcessResult {
    int status = 0;
    std::string output; // stdout and stderr together
};

// Runs argv[0] (searched in PATH) in `cwd`; never throws for a failing program (status 127: it
// could not be started). Safe to call from several threads.
ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd);

// The executable `name` in PATH, or "" when there is none.
std::string find_in_path(const std::string& name);

} // namespace finn
