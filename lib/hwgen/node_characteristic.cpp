#include "finn/hwgen/node_characteristic.h"

#include "finn/core/error.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/hwgen/verilator.h"
#include "finn/util/file_io.h"
#include "finn/util/process.h"

#include <sstream>
#include <stdlib.h>

namespace finn::hwgen {

namespace fs = std::filesystem;

namespace {

std::vector<std::int64_t> transfers_of(const std::string& line, std::int64_t period,
                                       const std::string& node) {
    if (static_cast<std::int64_t>(line.size()) != period ||
        line.find_first_not_of("01") != std::string::npos)
        throw Error("characterize: node " + node + ": the rtlsim executable wrote a line of " +
                    std::to_string(line.size()) + " characters, expected " +
                    std::to_string(period) + " of 0 and 1");
    std::vector<std::int64_t> moved(line.size());
    for (std::size_t t = 0; t < line.size(); ++t)
        moved[t] = line[t] == '1';
    return moved;
}

} // namespace

NodeTransfers measure_node_transfers(const hw::HwLayer& layer,
                                     const hw::LayerDefinition& definition,
                                     const fs::path& node_dir, std::int64_t period) {
    const std::string node = layer.node().name();
    const fs::path exe = node_dir / kRtlsimExecutable;
    if (!fs::exists(exe))
        throw Error("characterize: node " + node + ": no rtlsim executable " + exe.string());
    const NodeStreams streams = node_streams(layer, definition);
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
    for (std::size_t i = 0; i < streams.input_widths.size(); ++i) {
        const Shape folded = layer.folded_input_shape(static_cast<int>(i));
        std::int64_t words = 1;
        for (std::size_t k = 0; k + 1 < folded.size(); ++k)
            words *= folded[k];
        // Zero words of the padded width (a multiple of 8 bits: 2 hex digits per byte).
        const std::string word(static_cast<std::size_t>(streams.input_widths[i] / 4), '0');
        std::string text;
        for (std::int64_t w = 0; w < words; ++w)
            text += word + "\n";
        const fs::path file = scratch / ("in" + std::to_string(i) + ".txt");
        write_file_if_changed(file, text);
        args.insert(args.end(), {"--in", file.string()});
    }
    const fs::path record = scratch / "transfers.txt";
    args.insert(args.end(),
                {"--characterize", record.string(), "--period", std::to_string(period)});
    const ProcessResult r = run_process(args, node_dir);
    if (r.status != 0)
        throw Error("characterize: rtlsim of node " + node +
                        " failed: " + r.output.substr(0, r.output.find('\n')),
                    r.output);
    std::istringstream lines(read_file(record));
    NodeTransfers result;
    std::string line;
    for (std::size_t i = 0; i < streams.input_widths.size(); ++i) {
        std::getline(lines, line);
        result.inputs.push_back(transfers_of(line, period, node));
    }
    for (std::size_t j = 0; j < streams.output_widths.size(); ++j) {
        std::getline(lines, line);
        result.outputs.push_back(transfers_of(line, period, node));
    }
    return result;
}

} // namespace finn::hwgen
