// FINN's InsertFIFO (spec/finn-ops.md §6.3): StreamingFIFOs between hardware layers and at the
// graph's input and output, as deep as the layers' inFIFODepths/outFIFODepths ask.
#include "finn/core/error.h"
#include "finn/core/strings.h"
#include "finn/transform/stream_insertion.h"
#include "stream_insertion_util.h"

namespace finn {

using namespace stream_insertion;

namespace {

constexpr std::string_view kPass = "InsertFIFO";
constexpr const char* kFifo = "StreamingFIFO";

bool takes_part(const Node& node) {
    return is_hw_node(node) && !is_op(node, kFifo);
}

// A FIFO passes words through unchanged: both sides must stream the same words.
bool same_stream(const Shape& a, const Shape& b) {
    return !a.empty() && !b.empty() && a.back() == b.back() && hw::product(a) == hw::product(b);
}

// What every inserted FIFO carries, in the stream it buffers.
struct FifoStream {
    Shape folded, normal;
    DataType type;
    std::int64_t depth;
};

std::map<std::string, hw_convert::AttrValue>
fifo_attrs(const FifoStream& s, const std::string& impl_style, const std::string& ram_style) {
    return {{"depth", s.depth},          {"folded_shape", s.folded}, {"normal_shape", s.normal},
            {"dataType", s.type.name()}, {"impl_style", impl_style}, {"ram_style", ram_style}};
}

// Whether the node at a graph input or output gets a FIFO beside it: not when it is a FIFO or
// an IODMA already; a node that is no hardware node at all is an error (not a dataflow partition).
bool io_node(const Node& node, const std::string& tensor) {
    if (!is_hw_node(node))
        throw Error(std::string(kPass) + ": graph input/output '" + tensor + "' is connected to " +
                    node.describe() +
                    ", not a hardware node; run InsertFIFO on the dataflow partition");
    return !is_op(node, kFifo) && !is_op(node, "IODMA");
}

// The graph's ends are checked before anything changes, so that an error leaves the model as
// it was.
void check_io_nodes(Model& model) {
    for (const std::string& input : model.input_names()) {
        std::vector<Node> readers = model.consumers(input);
        if (!readers.empty()) io_node(readers[0], input);
    }
    for (const std::string& output : model.output_names())
        if (auto writer = model.producer(output)) io_node(*writer, output);
}

} // namespace

bool InsertFIFO::run(Model& model) {
    clear_warnings();
    check_io_nodes(model);
    if (insert_edge_fifos(model)) {
        insert_io_fifos(model);
        return true;
    }
    return insert_io_fifos(model);
}

bool InsertFIFO::insert_edge_fifos(Model& model) {
    bool changed = false;
    // By index: inserting invalidates node handles; a new FIFO sits right behind its producer
    // (FINN's order) and does not take part itself.
    for (int i = 0; i < model.node_count(); ++i) {
        if (!takes_part(model.node(i))) continue;
        const int outputs = model.node(i).output_count();
        for (int out = 0; out < outputs; ++out) {
            Node producer = model.node(i);
            const std::string tensor = producer.output(out);
            std::vector<Node> readers = model.consumers(tensor);
            if (readers.empty()) continue;
            if (readers.size() > 1)
                warn(producer.name() + ": HLS node with fan-out higher than 1 cannot be stitched");
            Node reader = readers[0];
            if (!takes_part(reader)) continue;
            auto from = layer_of(model, producer, kPass);
            auto to = layer_of(model, reader, kPass);
            const int in = input_index(reader, tensor);
            const FifoStream s{
                from->folded_output_shape(out),
                stream_shape(model, tensor, from->normal_output_shape(out), producer, kPass),
                from->output_datatype(out),
                std::max(fifo_depth_entry(*from, "outFIFODepths", out, kPass),
                         fifo_depth_entry(*to, "inFIFODepths", in, kPass))};
            const Shape wanted = to->folded_input_shape(in);
            if (!same_stream(s.folded, wanted))
                throw Error(std::string(kPass) + ": the folded output shape " +
                            shape_to_string(s.folded) + " of node " + producer.describe() +
                            " does not match the folded input shape " + shape_to_string(wanted) +
                            " of node " + reader.describe() +
                            "; a FIFO cannot connect them (insert width converters first)");
            if (s.depth <= 2 && !create_shallow_fifos_) continue;
            const bool qsrl = !max_qsrl_depth_ || s.depth <= *max_qsrl_depth_;
            const std::string name = model.fresh_node_name(kFifo);
            const std::string buffered = new_tensor(model, name + "_out", tensor, s.normal, s.type);
            for (int k = 0; k < reader.input_count(); ++k)
                if (reader.input(k) == tensor) reader.set_input(k, buffered);
            insert_hw_node(model, i + 1, kFifo, name, {tensor}, {buffered},
                           fifo_attrs(s, qsrl ? "rtl" : "vivado", vivado_ram_style_));
            changed = true;
        }
    }
    return changed;
}

bool InsertFIFO::insert_io_fifos(Model& model) {
    // Top-level FIFOs are always rtl (FINN: the Vivado FIFO misbehaves there in simulation).
    auto worth_it = [&](const FifoStream& s, const std::string& side, const std::string& tensor) {
        if (s.depth > 2 || create_shallow_fifos_) return true;
        warn(side + " FIFO for " + tensor + " has depth " + std::to_string(s.depth) +
             " and won't be created. This may cause RTL simulation issues.");
        return false;
    };
    bool changed = false;
    for (const std::string& input : model.input_names()) {
        std::vector<Node> readers = model.consumers(input);
        if (readers.empty() || !io_node(readers[0], input)) continue;
        Node reader = readers[0];
        auto layer = layer_of(model, reader, kPass);
        const int in = input_index(reader, input);
        const FifoStream s{layer->folded_input_shape(in),
                           stream_shape(model, input, layer->normal_input_shape(in), reader, kPass),
                           layer->input_datatype(in),
                           fifo_depth_entry(*layer, "inFIFODepths", in, kPass)};
        if (!worth_it(s, "Input", input)) continue;
        const std::string name = model.fresh_node_name(kFifo);
        const std::string buffered = new_tensor(model, name + "_out", input, s.normal, s.type);
        reader.set_input(in, buffered);
        insert_hw_node(model, 0, kFifo, name, {input}, {buffered},
                       fifo_attrs(s, "rtl", vivado_ram_style_));
        changed = true;
    }
    for (const std::string& output : model.output_names()) {
        auto writer = model.producer(output);
        if (!writer || !io_node(*writer, output)) continue;
        auto layer = layer_of(model, *writer, kPass);
        int out = 0;
        while (writer->output(out) != output)
            ++out;
        const FifoStream s{
            layer->folded_output_shape(out),
            stream_shape(model, output, layer->normal_output_shape(out), *writer, kPass),
            layer->output_datatype(out), fifo_depth_entry(*layer, "outFIFODepths", out, kPass)};
        if (!worth_it(s, "Output", output)) continue;
        const std::string name = model.fresh_node_name(kFifo);
        const std::string unbuffered = new_tensor(model, name + "_in", output, s.normal, s.type);
        writer->set_output(out, unbuffered);
        insert_hw_node(model, model.node_count(), kFifo, name, {unbuffered}, {output},
                       fifo_attrs(s, "rtl", vivado_ram_style_));
        changed = true;
    }
    return changed;
}

} // namespace finn
