// exec_mode "rtlsim" of a whole model (FINN's rtlsim_exec): the stitched design's executable on
// the graph inputs. Packing follows the layer at each end of the design: a graph input is packed
// as its consuming node's stream expects (folded input shape, input datatype), a graph output
// unpacked as its producing node writes it.
#include "cppsim_streams.h"
#include "finn/core/error.h"
#include "finn/hls/element_packing.h"
#include "finn/hw/registry.h"
#include "finn/hw/rtlsim.h"
#include "finn/ir/tensor_proto.h"
#include "finn/util/file_io.h"
#include "finn/util/process.h"
#include "rtlsim_scratch.h"

#include <cmath>
#include <sstream>

namespace finn::hw {

namespace fs = std::filesystem;

namespace {

constexpr const char* kExecutable = "sim_build/rtlsim";
constexpr const char* kHdlFolder = "ip/hdl"; // where the memory files are (hwgen)

// A stream end of the design: the node and its input or output index for a graph tensor.
struct StreamEnd {
    Node node;
    int index;
};

StreamEnd consumer_of(Model& model, const std::string& tensor) {
    for (Node node : model.nodes())
        for (int i = 0; i < node.input_count(); ++i)
            if (node.input(i) == tensor) return {node, i};
    throw Error("stitched rtlsim: graph input '" + tensor + "' is read by no node");
}

StreamEnd producer_of(Model& model, const std::string& tensor) {
    for (Node node : model.nodes())
        for (int j = 0; j < node.output_count(); ++j)
            if (node.output(j) == tensor) return {node, j};
    throw Error("stitched rtlsim: graph output '" + tensor + "' is written by no node");
}

std::uint64_t number_after(const std::string& text, const std::string& key) {
    const std::size_t at = text.find(key);
    if (at == std::string::npos)
        throw Error("stitched rtlsim: the executable did not report '" + key + "'", text);
    return std::stoull(text.substr(at + key.size()));
}

} // namespace

StitchedRun run_stitched_rtlsim(const Model& const_model, const TensorMap& inputs,
                                const StitchedRunOptions& options) {
    Model& model = const_cast<Model&>(const_model); // layers read attributes only
    const auto folder = model.metadata(kStitchedProjectMetadata);
    if (!folder || folder->empty())
        throw Error("stitched rtlsim: the model has no metadata_prop vivado_stitch_proj: run "
                    "step_create_stitched_ip first");
    const fs::path dir =
        fs::path(*folder).is_absolute() ? fs::path(*folder) : generated_hardware_root() / *folder;
    const fs::path exe = dir / kExecutable;
    if (!fs::exists(exe))
        throw Error("stitched rtlsim: executable " + exe.string() +
                    " not found: run step_create_stitched_ip first");

    StitchedRun run;
    ScratchDir scratch;
    std::vector<std::string> args{fs::absolute(exe).string()};
    std::int64_t all_words = 0, cycles_per_frame = 0;
    for (Node node : model.nodes())
        if (auto layer = make_layer(model, node))
            cycles_per_frame += std::max<std::int64_t>(layer->exp_cycles(), 0);

    const auto input_names = model.input_names();
    for (std::size_t k = 0; k < input_names.size(); ++k) {
        const std::string& name = input_names[k];
        auto given = inputs.find(name);
        if (given == inputs.end())
            throw Error("stitched rtlsim: missing graph input '" + name + "'");
        const StreamEnd end = consumer_of(model, name);
        auto layer = require_layer(model, end.node);
        const std::string what = "stitched rtlsim: graph input '" + name + "'";
        const hls::ElementType type =
            cppsim::stream_element_type(layer->input_datatype(end.index), what);
        const Shape folded = layer->folded_input_shape(end.index);
        const std::int64_t per_word = folded.back();
        const std::int64_t words_per_frame = product(folded) / per_word;
        const Tensor& tensor = given->second;
        const std::int64_t frame_values = product(folded);
        if (frame_values <= 0 || static_cast<std::int64_t>(tensor.size()) % frame_values)
            throw Error(what + " of shape " + shape_to_string(tensor.shape()) +
                        " is not whole frames of " + std::to_string(frame_values) + " values");
        const std::int64_t frames = static_cast<std::int64_t>(tensor.size()) / frame_values;
        if (k == 0) run.frames = frames;
        if (frames != run.frames)
            throw Error("stitched rtlsim: the graph inputs hold different numbers of frames");
        const hls::WordStream words = hls::pack_elements(
            cppsim::stream_integers(tensor, type, what), type, static_cast<unsigned>(per_word));
        if (k == 0) run.input_words = static_cast<std::int64_t>(words.size());
        all_words += frames * words_per_frame;
        const fs::path file = scratch.path / ("in" + std::to_string(k) + ".txt");
        write_file_if_changed(file, words_text(words));
        args.insert(args.end(), {"--in", file.string()});
    }

    struct OutputPlan {
        std::string name;
        hls::ElementType type;
        std::int64_t per_word;
        Shape shape;
        unsigned width;
        ElementType container;
    };
    std::vector<OutputPlan> plans;
    const auto output_names = model.output_names();
    for (std::size_t j = 0; j < output_names.size(); ++j) {
        const std::string& name = output_names[j];
        const StreamEnd end = producer_of(model, name);
        auto layer = require_layer(model, end.node);
        const Shape folded = layer->folded_output_shape(end.index);
        Shape shape = layer->normal_output_shape(end.index);
        shape[0] *= run.frames;
        const std::int64_t words = run.frames * (product(folded) / folded.back());
        const unsigned width =
            hls::padded_width(static_cast<unsigned>(layer->outstream_width(end.index)));
        const int declared = model.elem_type(name);
        plans.push_back(
            {name,
             cppsim::stream_element_type(layer->output_datatype(end.index),
                                         "stitched rtlsim: graph output '" + name + "'"),
             folded.back(), shape, width,
             declared ? element_type_from_onnx(declared, name) : ElementType::Float32});
        if (j == 0) run.output_words = words;
        all_words += words;
        args.insert(args.end(),
                    {"--out", (scratch.path / ("out" + std::to_string(j) + ".txt")).string(),
                     "--out-words", std::to_string(words), "--out-width", std::to_string(width)});
    }
    // Generous: every layer's cycles in sequence for each frame, four times over, plus the words.
    const std::int64_t max_cycles = run.frames * 4 * cycles_per_frame + 64 * all_words + 10000;
    args.insert(args.end(), {"--frames", std::to_string(run.frames), "--max-cycles",
                             std::to_string(max_cycles)});
    if (options.input_interval > 1)
        args.insert(args.end(), {"--input-interval", std::to_string(options.input_interval)});
    if (!options.trace.empty())
        args.insert(args.end(), {"--trace", fs::absolute(options.trace).string()});
    const ProcessResult r = run_process(args, dir / kHdlFolder);
    if (r.status != 0) {
        std::string first = r.output.substr(0, r.output.find('\n'));
        // A design that stops moving words: usually FIFOs too shallow for a fork that joins
        // again (a residual bypass must hold what the other branch holds back).
        if (first.find("timeout after") != std::string::npos)
            first += " (the design stalled: with FIFOs too shallow for a branch that joins again, "
                     "e.g. a residual bypass, it deadlocks; size them with auto_fifo_depths)";
        throw Error("stitched rtlsim failed: " + first, r.output);
    }
    run.cycles = number_after(r.output, "cycles: ");
    run.latency_cycles = number_after(r.output, "latency_cycles: ");
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind("maxcount ", 0) == 0) {
            const std::size_t colon = line.find(": ");
            run.maxcounts.emplace_back(line.substr(9, colon - 9),
                                       std::stoll(line.substr(colon + 2)));
        }
    for (std::size_t j = 0; j < plans.size(); ++j) {
        const OutputPlan& plan = plans[j];
        const auto words =
            parse_words(read_file(scratch.path / ("out" + std::to_string(j) + ".txt")), plan.width);
        const auto values =
            hls::unpack_elements(words, plan.type, static_cast<unsigned>(plan.per_word));
        if (static_cast<std::int64_t>(values.size()) != product(plan.shape))
            throw Error("stitched rtlsim: graph output '" + plan.name + "' got " +
                        std::to_string(values.size()) + " values, expected " +
                        std::to_string(product(plan.shape)));
        run.outputs.emplace(
            plan.name, Tensor::from_doubles(plan.container, plan.shape,
                                            std::vector<double>(values.begin(), values.end())));
    }
    return run;
}

TensorMap constant_frames(const Model& model, std::int64_t frames) {
    TensorMap inputs;
    for (const std::string& name : model.input_names()) {
        auto shape = model.shape(name);
        if (!shape || shape->empty())
            throw Error("stitched rtlsim: graph input '" + name + "' has no known shape");
        Shape batch = *shape;
        batch[0] = frames;
        const int elem = model.elem_type(name);
        const ElementType type =
            elem ? element_type_from_onnx(elem, "input '" + name + "'") : ElementType::Float32;
        inputs.emplace(
            name, Tensor::from_doubles(type, batch,
                                       std::vector<double>(static_cast<std::size_t>(product(batch)),
                                                           model.datatype(name).min())));
    }
    return inputs;
}

void register_stitched_rtlsim(KernelRegistry& registry) {
    registry.add_model_runner("rtlsim", [](const Model& model, const fs::path&,
                                           const TensorMap& inputs) {
        const auto trace = model.metadata(kRtlsimTraceMetadata);
        std::string path;
        if (trace && !trace->empty())
            path = fs::path(*trace).is_absolute() ? *trace
                                                  : (generated_hardware_root() / *trace).string();
        return run_stitched_rtlsim(model, inputs, {.trace = path, .input_interval = 1}).outputs;
    });
}

} // namespace finn::hw
