#include "cppsim_streams.h"
#include "finn/core/error.h"
#include "finn/hls/element_packing.h"
#include "finn/hw/layer_definition.h"
#include "finn/hw/registry.h"
#include "finn/hw/rtlsim.h"
#include "finn/util/file_io.h"
#include "finn/util/process.h"
#include "rtlsim_scratch.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>

namespace finn::hw {

namespace fs = std::filesystem;

namespace {

// The executable step_hw_ipgen builds, relative to the node folder (finn/hwgen/verilator.h).
constexpr const char* kRtlsimExecutable = "sim_build/rtlsim";

fs::path& root() {
    static fs::path path = ".";
    return path;
}

// The node's output words from its rtlsim executable, for whole frames of input words: the data
// streams as given, the weight stream of mem_mode external from the layer's definition.
std::vector<hls::WordStream> run_executable(const HwLayer& layer, const KernelContext& ctx,
                                            const std::vector<hls::WordStream>& inputs) {
    const std::string folder = ctx.node.attr_string("ipgen_path", "");
    if (folder.empty()) ctx.fail("exec_mode rtlsim needs ipgen_path: run step_hw_ipgen first");
    const fs::path dir = fs::path(folder).is_absolute() ? fs::path(folder) : root() / folder;
    const fs::path exe = dir / kRtlsimExecutable;
    // step_hw_ipgen builds the per-node executables only when they are asked for.
    if (!fs::exists(exe))
        ctx.fail("exec_mode rtlsim: no rtlsim executable " + exe.lexically_normal().string() +
                 ": step_hw_ipgen builds one per node only when verify_steps requests "
                 "node_by_node_rtlsim");

    std::vector<hls::WordStream> streams = inputs;
    if (ctx.node.attr_string("mem_mode", "") == "external") {
        const LayerDefinition* definition = find_definition_of_op_type(ctx.node.op_type());
        if (!definition || !definition->weight_stream)
            ctx.fail("rtlsim: no weight stream for mem_mode external of op type " +
                     ctx.node.op_type());
        streams.push_back(definition->weight_stream(layer, ctx, inputs.at(0).size()));
    }

    const Shape folded_in = layer.folded_input_shape(0);
    const std::int64_t in_words_per_frame = product(folded_in) / folded_in.back();
    const std::size_t in_words = inputs.at(0).size();
    if (in_words_per_frame <= 0 || static_cast<std::int64_t>(in_words) % in_words_per_frame)
        ctx.fail("rtlsim: input of " + std::to_string(in_words) + " words is not whole frames of " +
                 std::to_string(in_words_per_frame));
    const std::int64_t frames = static_cast<std::int64_t>(in_words) / in_words_per_frame;

    ScratchDir scratch;
    std::vector<std::string> args{fs::absolute(exe).string()};
    std::int64_t all_words = 0;
    for (std::size_t i = 0; i < streams.size(); ++i) {
        const fs::path file = scratch.path / ("in" + std::to_string(i) + ".txt");
        write_file_if_changed(file, words_text(streams[i]));
        args.insert(args.end(), {"--in", file.string()});
        all_words += static_cast<std::int64_t>(streams[i].size());
    }
    const int outputs = ctx.node.output_count();
    std::vector<unsigned> out_widths;
    for (int j = 0; j < outputs; ++j) {
        const Shape folded_out = layer.folded_output_shape(j);
        const std::int64_t out_words = frames * (product(folded_out) / folded_out.back());
        all_words += out_words;
        out_widths.push_back(hls::padded_width(static_cast<unsigned>(layer.outstream_width(j))));
        args.insert(args.end(),
                    {"--out", (scratch.path / ("out" + std::to_string(j) + ".txt")).string(),
                     "--out-words", std::to_string(out_words), "--out-width",
                     std::to_string(out_widths.back())});
    }
    // The harness gives up after this many cycles: four times the layer's expected cycles per
    // frame (a layer may take many cycles per word, e.g. an MVAU folded to one PE) plus the
    // words' and the pipeline's own allowance, so only a stuck node times out.
    const std::int64_t max_cycles =
        frames * 4 * std::max<std::int64_t>(layer.exp_cycles(), 0) + 64 * all_words + 10000;
    args.insert(args.end(), {"--max-cycles", std::to_string(max_cycles)});
    const ProcessResult r = run_process(args, dir);
    if (r.status != 0) {
        std::string first = r.output.substr(0, r.output.find('\n'));
        ctx.fail("rtlsim of " + folder + " failed: " + first);
    }
    std::vector<hls::WordStream> results;
    for (int j = 0; j < outputs; ++j)
        results.push_back(parse_words(
            read_file(scratch.path / ("out" + std::to_string(j) + ".txt")), out_widths[j]));
    return results;
}

} // namespace

void set_generated_hardware_root(fs::path path) {
    root() = std::move(path);
}

const fs::path& generated_hardware_root() {
    return root();
}

std::vector<Tensor> run_node_rtlsim(const KernelContext& ctx) {
    // Packing and unpacking are cppsim's; only the words' trip through Verilator differs.
    return cppsim::run_on_streams(ctx, "rtlsim", run_executable);
}

} // namespace finn::hw
