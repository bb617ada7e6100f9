// FINN's InsertDWC (spec/finn-ops.md §6.2): a StreamingDataWidthConverter wherever a hardware
// layer's output stream is not as wide as its reader's input stream.
#include "finn/core/error.h"
#include "finn/transform/stream_insertion.h"
#include "stream_insertion_util.h"

namespace finn {

using namespace stream_insertion;

namespace {

constexpr std::string_view kPass = "InsertDWC";
constexpr const char* kDwc = "StreamingDataWidthConverter";

// A DWC never feeds or follows another DWC; IODMA streams are sized by their own rules.
bool takes_part(const Node& node) {
    return is_hw_node(node) && !is_op(node, kDwc) && !is_op(node, "IODMA");
}

// Inserts a converter on output `out` of the node at `index` when its reader needs one.
bool convert_output(Model& model, int index, int out) {
    Node producer = model.node(index);
    const std::string tensor = producer.output(out);
    std::vector<Node> readers = model.consumers(tensor);
    if (readers.empty()) return false;
    if (readers.size() > 1)
        throw Error(std::string(kPass) + ": node " + producer.describe() + " output '" + tensor +
                    "' is read by " + std::to_string(readers.size()) +
                    " nodes; a hardware node with fan-out higher than 1 cannot be stitched");
    Node reader = readers[0];
    if (!takes_part(reader)) return false;
    auto from = layer_of(model, producer, kPass);
    auto to = layer_of(model, reader, kPass);
    const int in = input_index(reader, tensor);
    if (from->folded_output_shape(out).back() == to->folded_input_shape(in).back()) return false;

    const Shape shape =
        stream_shape(model, tensor, from->normal_output_shape(out), producer, kPass);
    const DataType type = from->output_datatype(out);
    const std::int64_t in_width = from->outstream_width(out), out_width = to->instream_width(in);
    const std::string name = model.fresh_node_name(kDwc);
    const std::string converted = new_tensor(model, name + "_out", tensor, shape, type);
    for (int i = 0; i < reader.input_count(); ++i)
        if (reader.input(i) == tensor) reader.set_input(i, converted);
    insert_hw_node(model, index + 1, kDwc, name, {tensor}, {converted},
                   {{"shape", shape},
                    {"inWidth", in_width},
                    {"outWidth", out_width},
                    {"dataType", type.name()}});
    return true;
}

} // namespace

bool InsertDWC::run(Model& model) {
    bool changed = false;
    // By index: inserting a node invalidates node handles. A converter goes right behind its
    // producer (FINN's order) and is skipped when the loop reaches it.
    for (int i = 0; i < model.node_count(); ++i) {
        if (!takes_part(model.node(i))) continue;
        const int outputs = model.node(i).output_count();
        for (int out = 0; out < outputs; ++out)
            changed |= convert_output(model, i, out);
    }
    return changed;
}

} // namespace finn
