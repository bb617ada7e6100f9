// `finn`: the command-line entry of Finn.
#include "commands.h"
#include "finn/core/error.h"
#include "finn/initialize.h"

#include <iostream>
#include <new>
#include <string>
#include <vector>

namespace {

struct Command {
    const char* name;
    const char* summary;
    int (*run)(const std::vector<std::string>&);
};

const Command kCommands[] = {
    {"build_dataflow", "build a FINN folder (model.onnx + dataflow_build_config.json)",
     finn::cli::build_dataflow_command},
    {"build_custom", "configure and build a CMake project using finn_add_accelerator",
     finn::cli::build_custom_command},
    {"inspect", "print a model's nodes, tensors, shapes, datatypes and initializers",
     finn::cli::inspect_command},
    {"exec", "run a model on .npy inputs with the reference executor", finn::cli::exec_command},
    {"config", "validate a dataflow_build_config.json/.yaml and print its effective values",
     finn::cli::config_command},
    {"zoo", "write an example network (TFC, CNV, ...) with seeded random weights",
     finn::cli::zoo_command},
    {"plan", "resolve a build flow and write per-step config slices (for CMake)",
     finn::cli::plan_command},
    {"time-per-step", "assemble time_per_step.json from the steps' time records",
     finn::cli::time_per_step_command},
};

void print_help(std::ostream& os) {
    os << "usage: finn <command> [arguments]\n"
          "       finn --version | --help\n\n"
          "Finn runs FINN's dataflow build flow (quantized ONNX to FPGA dataflow accelerator).\n\n"
          "commands:\n";
    for (const auto& command : kCommands)
        os << "  " << command.name << std::string(16 - std::string(command.name).size(), ' ')
           << command.summary << "\n";
    os << "\nRun 'finn <command> --help' for a command's arguments.\n";
}

} // namespace

int main(int argc, char** argv) {
    finn::initialize();
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        print_help(std::cerr);
        return 2;
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        print_help(std::cout);
        return 0;
    }
    if (args[0] == "--version") {
        std::cout << "finn " << FINN_VERSION << "\n";
        return 0;
    }
    for (const auto& command : kCommands) {
        if (args[0] != command.name) continue;
        try {
            return command.run({args.begin() + 1, args.end()});
        } catch (const finn::UsageError& e) {
            std::cerr << "finn " << command.name << ": " << e.what() << std::endl;
            return 2;
        } catch (const std::bad_alloc&) {
            std::cerr << "finn " << command.name << ": out of memory" << std::endl;
            return 1;
        } catch (const std::exception& e) {
            std::cerr << "finn " << command.name << ": " << e.what() << std::endl;
            return 1;
        }
    }
    std::cerr << "finn: unknown command '" << args[0] << "'; run 'finn --help' for the list"
              << std::endl;
    return 2;
}
