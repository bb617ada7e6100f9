// `finn config <dataflow_build_config.json|.yaml>`: checks a build configuration the way a build
// will read it (FINN's keys, types and required fields; unknown keys are errors) and prints every
// field with its effective value, FINN's defaults filled in.
#include "commands.h"
#include "finn/config/build_config.h"
#include "finn/core/error.h"

#include <iostream>

namespace finn::cli {

int config_command(const std::vector<std::string>& args) {
    if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
        std::cout << "usage: finn config <dataflow_build_config.json|.yaml>\n"
                     "  Validates a build configuration and prints all fields as JSON, with\n"
                     "  FINN's defaults for the fields the file leaves out.\n";
        return 0;
    }
    if (args.size() != 1) throw UsageError("expected exactly one configuration file");
    BuildConfig config = BuildConfig::load(args[0]);
    std::cout << config.to_json().dump(2) << "\n";
    return 0;
}

} // namespace finn::cli
