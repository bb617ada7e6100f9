#include "finn/hwgen/node_characteristic.h"

#include "finn/core/error.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/hwgen/stitched_design.h"
#include "finn/hwgen/verilator.h"
#include "finn/util/file_io.h"
#include "finn/util/process.h"

#include <sstream>
#include <stdexcept>
#include <stdlib.h>

namespace finn::hwgen {

namespace fs = std::filesystem;

namespace {

std::vector<std::int64_t> transfers_of(const std::string& line, std::int64_t period,
                                       const std::string& what) {
    if (static_cast<std::int64_t>(line.size()) != period ||
        line.find_first_not_of("01") != std::string::npos)
        throw Error("characterize: " + what + ": the rtlsim executable wrote a line of " +
                    std::to_string(line.size()) + " characters, expected " +
                    std::to_string(period) + " of 0 and 1");
    std::vector<std::int64_t> moved(line.size());
    for (std::size_t t = 0; t < line.size(); ++t)
        moved[t] = line[t] == '1';
    return moved;
}

// Runs `exe` (in `run_dir`) with --characterize: every input fed its count of zero words of
// its padded width (a multiple of 8 bits: 2 hex digits per byte); `what` names it in errors.
hls::Transfers run_characterization(const fs::path& exe, const fs::path& run_dir,
                                    const std::vector<std::size_t>& input_words,
                                    const std::vector<std::int64_t>& input_widths,
                                    std::size_t output_count, std::int64_t period,
                                    const std::string& what) {
    if (!fs::exists(exe))
        throw Error("characterize: " + what + ": no rtlsim executable " + exe.string());
    std::string pattern = (fs::temp_directory_path() / "finn-characterize-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw Error("characterize: cannot create a temporary folder");
    const fs::path scratch = pattern;
    struct Cleanup {
        fs::path path;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(path, ec);
        }
    } cleanup{scratch};

    std::vector<std::string> args{fs::absolute(exe).string()};
    for (std::size_t i = 0; i < input_words.size(); ++i) {
        const std::string word(static_cast<std::size_t>(input_widths[i] / 4), '0');
        std::string text;
        text.reserve(input_words[i] * (word.size() + 1));
        for (std::size_t w = 0; w < input_words[i]; ++w)
            text += word + "\n";
        const fs::path file = scratch / ("in" + std::to_string(i) + ".txt");
        write_file_if_changed(file, text);
        args.insert(args.end(), {"--in", file.string()});
    }
    const fs::path record = scratch / "transfers.txt";
    args.insert(args.end(),
                {"--characterize", record.string(), "--period", std::to_string(period)});
    const ProcessResult r = run_process(args, run_dir);
    if (r.status != 0)
        throw Error("characterize: rtlsim of " + what +
                        " failed: " + r.output.substr(0, r.output.find('\n')),
                    r.output);
    std::istringstream lines(read_file(record));
    hls::Transfers result;
    std::string line;
    for (std::size_t i = 0; i < input_words.size(); ++i) {
        std::getline(lines, line);
        result.inputs.push_back(transfers_of(line, period, what));
    }
    for (std::size_t j = 0; j < output_count; ++j) {
        std::getline(lines, line);
        result.outputs.push_back(transfers_of(line, period, what));
    }
    return result;
}

} // namespace

std::vector<std::size_t> frame_input_words(const hw::HwLayer& layer,
                                           const hw::LayerDefinition& definition) {
    const NodeStreams streams = node_streams(layer, definition);
    std::vector<std::size_t> words;
    for (std::size_t i = 0; i < streams.input_widths.size(); ++i) {
        const Shape folded = layer.folded_input_shape(static_cast<int>(i));
        std::int64_t n = 1;
        for (std::size_t k = 0; k + 1 < folded.size(); ++k)
            n *= folded[k];
        words.push_back(static_cast<std::size_t>(n));
    }
    return words;
}

std::optional<NodeTransfers> model_node_transfers(const hw::HwLayer& layer,
                                                  const hw::LayerDefinition& definition,
                                                  std::int64_t period) {
    if (!definition.generate_hardware) return std::nullopt;
    const hw::HardwareModule hw = definition.generate_hardware(layer);
    if (!hls::has_transfer_model(hw.module, hw.parameters)) return std::nullopt;
    const hls::TransferRun run{hw.parameters, frame_input_words(layer, definition),
                               static_cast<std::size_t>(period)};
    try {
        NodeTransfers moved = hls::model_transfers(hw.module, run);
        const std::size_t outputs = node_streams(layer, definition).output_widths.size();
        if (moved.outputs.size() != outputs)
            throw std::invalid_argument("the model has " + std::to_string(moved.outputs.size()) +
                                        " output streams, the node " + std::to_string(outputs));
        return moved;
    } catch (const std::invalid_argument& e) {
        throw Error("characterize: node " + layer.node().name() + ": " + e.what());
    }
}

NodeTransfers measure_node_transfers(const hw::HwLayer& layer,
                                     const hw::LayerDefinition& definition,
                                     const fs::path& node_dir, std::int64_t period) {
    const NodeStreams streams = node_streams(layer, definition);
    return run_characterization(
        node_dir / kRtlsimExecutable, node_dir, frame_input_words(layer, definition),
        streams.input_widths, streams.output_widths.size(), period, "node " + layer.node().name());
}

hls::Transfers measure_stitched_transfers(const fs::path& stitched_dir,
                                          const std::vector<std::size_t>& input_words,
                                          const std::vector<std::int64_t>& input_widths,
                                          std::size_t output_count, std::int64_t period) {
    return run_characterization(stitched_dir / kRtlsimExecutable, stitched_dir / kStitchedHdlFolder,
                                input_words, input_widths, output_count, period,
                                "the stitched design");
}

} // namespace finn::hwgen
