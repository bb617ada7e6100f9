// The subcommands of the `finn` command. Each takes the arguments after its name and returns the
// process exit code; bad input throws finn::Error, which main() prints as one line (exit code 1).
#pragma once

#include <string>
#include <vector>

namespace finn::cli {

int inspect_command(const std::vector<std::string>& args);
int exec_command(const std::vector<std::string>& args);
int config_command(const std::vector<std::string>& args);
int zoo_command(const std::vector<std::string>& args);
int build_dataflow_command(const std::vector<std::string>& args);
int build_custom_command(const std::vector<std::string>& args);
int plan_command(const std::vector<std::string>& args);
int time_per_step_command(const std::vector<std::string>& args);

} // namespace finn::cli
