#include "finn/core/error.h"
#include "finn/hls/element_packing.h"
#include "finn/hw/registry.h"
#include "finn/hw/rtlsim.h"
#include "finn/util/file_io.h"
#include "finn/util/process.h"

#include <atomic>
#include <cstdlib>
#include <sstream>
#include <unistd.h>

namespace finn::hw {

namespace fs = std::filesystem;

namespace {

// The executable step_hw_ipgen builds, relative to the node folder (finn/hwgen/verilator.h).
constexpr const char* kRtlsimExecutable = "sim_build/rtlsim";

fs::path& root() {
    static fs::path path = ".";
    return path;
}

hls::ElementType element_type(const KernelContext& ctx, const DataType& type) {
    try {
        return hls::ElementType::parse(type.name());
    } catch (const std::invalid_argument&) {
        ctx.fail("rtlsim: the stream datatype " + type.name() + " is not an integer type");
    }
}

std::string words_text(const hls::WordStream& words) {
    std::string text;
    for (const auto& w : words)
        text += w.to_hex() + "\n";
    return text;
}

hls::WordStream parse_words(const std::string& text, unsigned width) {
    hls::WordStream words;
    std::stringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty()) continue;
        hls::PackedWord word(width);
        for (std::size_t i = 0; i < line.size(); ++i) {
            const unsigned offset = static_cast<unsigned>((line.size() - 1 - i) * 4);
            if (offset >= width) continue;
            const char c = line[i];
            const unsigned digit = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
            word.set_bits(offset, std::min(4u, width - offset), digit);
        }
        words.push_back(std::move(word));
    }
    return words;
}

// A scratch folder for one run's word files, removed afterwards.
struct ScratchDir {
    fs::path path;
    ScratchDir() {
        std::string pattern = (fs::temp_directory_path() / "finn-rtlsim-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw Error("rtlsim: cannot create a temporary folder");
        path = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

} // namespace

void set_generated_hardware_root(fs::path path) {
    root() = std::move(path);
}

const fs::path& generated_hardware_root() {
    return root();
}

std::vector<Tensor> run_node_rtlsim(const KernelContext& ctx) {
    if (!ctx.model) ctx.fail("rtlsim needs the model the node belongs to");
    // HwLayer reads attributes and initializers only here.
    auto layer = make_layer(const_cast<Model&>(*ctx.model), ctx.node);
    if (!layer) ctx.fail("rtlsim: not a hardware layer Finn models");
    const std::string folder = ctx.node.attr_string("ipgen_path", "");
    if (folder.empty()) ctx.fail("exec_mode rtlsim needs ipgen_path: run step_hw_ipgen first");
    const fs::path dir = fs::path(folder).is_absolute() ? fs::path(folder) : root() / folder;
    const fs::path exe = dir / kRtlsimExecutable;
    if (!fs::exists(exe))
        ctx.fail("rtlsim executable " + exe.string() + " not found: run step_hw_ipgen first");

    // The driver feeds in0_V only; weights streamed from outside (in1_V) are not fed yet.
    if (ctx.node.attr_string("mem_mode", "") == "external")
        ctx.fail("rtlsim of a node with mem_mode external (weights on in1_V) is not supported yet");
    const Tensor& x = ctx.input(0);
    const std::int64_t frame = product(layer->normal_input_shape(0));
    if (frame <= 0 || x.size() % frame != 0)
        ctx.fail("rtlsim: input of " + std::to_string(x.size()) +
                 " values is not whole frames of " + std::to_string(frame));
    const std::int64_t frames = x.size() / frame;
    const Shape folded_in = layer->folded_input_shape(0);
    const Shape folded_out = layer->folded_output_shape(0);
    const hls::ElementType in_type = element_type(ctx, layer->input_datatype(0));
    const hls::ElementType out_type = element_type(ctx, layer->output_datatype(0));
    hls::WordStream in_words;
    try {
        in_words =
            hls::pack_elements(x.to_int64s(), in_type, static_cast<unsigned>(folded_in.back()));
    } catch (const std::invalid_argument& e) {
        ctx.fail(std::string("rtlsim: input: ") + e.what());
    }
    const std::int64_t out_per_word = folded_out.back();
    const std::int64_t out_words = frames * (product(folded_out) / out_per_word);
    const unsigned out_width = (static_cast<unsigned>(layer->outstream_width(0)) + 7) / 8 * 8;

    ScratchDir scratch;
    write_file_if_changed(scratch.path / "in0.txt", words_text(in_words));
    const ProcessResult r =
        run_process({fs::absolute(exe).string(), "--in", (scratch.path / "in0.txt").string(),
                     "--out", (scratch.path / "out.txt").string(), "--out-words",
                     std::to_string(out_words), "--out-width", std::to_string(out_width)},
                    dir);
    if (r.status != 0) {
        std::string first = r.output.substr(0, r.output.find('\n'));
        ctx.fail("rtlsim of " + folder + " failed: " + first);
    }
    const auto values =
        hls::unpack_elements(parse_words(read_file(scratch.path / "out.txt"), out_width), out_type,
                             static_cast<unsigned>(out_per_word));
    // The output tensor's declared shape when it holds these values, else the layer's normal
    // output shape per frame.
    Shape shape = layer->normal_output_shape(0);
    shape[0] *= frames;
    if (ctx.node.output_count() > 0)
        if (auto declared = ctx.model->shape(ctx.node.output(0));
            declared && product(*declared) == static_cast<std::int64_t>(values.size()))
            shape = *declared;
    std::vector<double> doubles(values.begin(), values.end());
    ElementType type = ElementType::Float32;
    if (ctx.node.output_count() > 0) {
        const int declared = ctx.model->elem_type(ctx.node.output(0));
        if (declared == 7) type = ElementType::Int64; // TopK's indices (LabelSelect)
    }
    return {Tensor::from_doubles(type, shape, doubles)};
}

} // namespace finn::hw
