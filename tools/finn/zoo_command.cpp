// `finn zoo <name> [--seed N] -o model.onnx [--input-npy x.npy]` and `finn zoo --list`: writes a
// model of the zoo (FINN's example networks as Brevitas exports them, with seeded random weights)
// and optionally a seeded input for it.
#include "commands.h"
#include "finn/core/error.h"
#include "finn/core/npy.h"
#include "finn/zoo/zoo.h"

#include <cstdint>
#include <iostream>
#include <limits>
#include <optional>

namespace finn::cli {
namespace {

const char* kUsage =
    "usage: finn zoo <name> [--seed N] [--width W] -o model.onnx [--input-npy x.npy]\n"
    "       finn zoo --list\n"
    "  Writes a QONNX model the way Brevitas exports it, with random weights drawn from --seed\n"
    "  (default 0) instead of trained ones: BNN-PYNQ's tfc, sfc, lfc and cnv at w1a1, w1a2 and\n"
    "  w2a2, a residual block (residual_w4a4) and a depthwise-separable block (dwsep_w4a4),\n"
    "  and convnets flattening a map larger than 1x1 into a fully connected layer: lenet_w4a4,\n"
    "  strided_w4a4 (padded, strided convs), dwsepfc_w4a4 and residualfc_w4a4 (the blocks\n"
    "  followed by a classifier).\n"
    "  --input-npy also writes a seeded input (batch 1) suited to the model's first quantizer.\n"
    "  --width W (1..16) multiplies the hidden neurons and channels of tfc/sfc/lfc and cnv\n"
    "  (about W^2 times the parameters; for scaling benchmarks).\n"
    "  The same name, seed and width always give the same bytes. --list prints the names.\n";

std::uint32_t parse_seed(const std::string& text) {
    std::size_t used = 0;
    unsigned long long value = 0;
    try {
        if (!text.empty() && text[0] != '-') value = std::stoull(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || value > std::numeric_limits<std::uint32_t>::max())
        throw UsageError("--seed '" + text + "' is not an integer in [0, 4294967295]");
    return static_cast<std::uint32_t>(value);
}

} // namespace

int zoo_command(const std::vector<std::string>& args) {
    std::optional<std::string> name, output, input_npy;
    std::uint32_t seed = 0;
    int width = 1;
    bool list = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size()) throw UsageError("option " + arg + " needs a value");
            return args[++i];
        };
        if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            return 0;
        } else if (arg == "--list") {
            list = true;
        } else if (arg == "--seed") {
            seed = parse_seed(value());
        } else if (arg == "--width") {
            const std::string text = value();
            if (text.empty() || text.size() > 2 ||
                text.find_first_not_of("0123456789") != std::string::npos)
                throw UsageError("--width '" + text + "' is not an integer in 1..16");
            width = std::stoi(text);
        } else if (arg == "-o" || arg == "--output") {
            output = value();
        } else if (arg == "--input-npy") {
            input_npy = value();
        } else if (!arg.empty() && arg[0] == '-') {
            throw UsageError("unknown option '" + arg +
                             "'; expected --seed, --width, -o, --input-npy, --list or --help");
        } else if (name) {
            throw UsageError("more than one model name given ('" + *name + "', '" + arg + "')");
        } else {
            name = arg;
        }
    }
    if (list) {
        for (const auto& known : zoo_model_names())
            std::cout << known << "\n";
        return 0;
    }
    if (!name) throw UsageError("missing model name; run 'finn zoo --list' for the names");
    if (!output) throw UsageError("missing -o model.onnx");

    // Build everything before writing anything, so that an error leaves no partial output.
    Model model = make_zoo_model(*name, seed, width);
    std::optional<Tensor> input;
    if (input_npy) input = make_zoo_input(model, seed);
    model.save(*output);
    if (input) write_npy(*input_npy, *input);
    std::cout << "wrote " << *output << " (" << *name << ", seed " << seed << ", "
              << model.node_count() << " nodes)";
    if (input_npy) std::cout << " and " << *input_npy;
    std::cout << "\n";
    return 0;
}

} // namespace finn::cli
