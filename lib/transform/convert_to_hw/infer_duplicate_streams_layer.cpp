#include "convert_to_hw_util.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/convert_to_hw.h"

namespace finn {

using namespace hw_convert;

namespace {

// How many node inputs read `tensor` (a node reading it twice counts twice, as FINN's
// find_consumers lists it twice).
int reads_of(Model& model, const std::string& tensor) {
    int reads = 0;
    for (Node n : model.nodes())
        for (const auto& t : n.inputs())
            reads += t == tensor ? 1 : 0;
    return reads;
}

} // namespace

std::string InferDuplicateStreamsLayer::unsupported_reason(Model& model, const Node& producer) {
    if (producer.output_count() < 1 || producer.output(0).empty()) return "no output";
    const std::string& tensor = producer.output(0);
    if (reads_of(model, tensor) < 2) return "its output '" + tensor + "' has fewer than 2 readers";
    const DataType dt = model.datatype(tensor);
    if (!dt.is_integer())
        return "its output '" + tensor + "' has datatype " + dt.name() + ", not an integer type";
    auto shape = model.shape(tensor);
    if (!shape || shape->empty()) return "its output '" + tensor + "' has no known shape";
    // A stream fork inside the dataflow partition or at its input; forks in software need no
    // hardware.
    for (Node reader : model.consumers(tensor))
        if (!is_dataflow_node(reader))
            return "its output '" + tensor + "' is also read by " + reader.describe() +
                   ", which is not a hardware layer";
    if (model.is_graph_output(tensor)) return "its output '" + tensor + "' is also a graph output";
    return "";
}

namespace {

bool convert(Model& model, Node node) {
    if (node.op_type().starts_with("DuplicateStreams")) return false;
    if (!InferDuplicateStreamsLayer::unsupported_reason(model, node).empty()) return false;
    const std::string tensor = node.output(0);
    const Shape shape = *model.shape(tensor);
    const DataType dt = model.datatype(tensor);
    const int outputs = reads_of(model, tensor);

    // One copy per read, handed out in graph order (FINN's order of successors).
    std::vector<std::string> copies;
    for (Node reader : model.nodes())
        for (int i = 0; i < reader.input_count(); ++i)
            if (reader.input(i) == tensor) {
                const std::string copy = model.fresh_name(tensor + "_dup");
                model.set_shape(copy, shape);
                model.set_datatype(copy, dt);
                reader.set_input(i, copy);
                copies.push_back(copy);
            }
    Node dup = model.insert_node(model.index_of(node) + 1, "DuplicateStreams", {tensor}, copies,
                                 "DuplicateStreams_" + node.name(), domains::kFpgaDataflow);
    set_attrs(dup, {{"NumChannels", shape.back()},
                    {"PE", 1},
                    {"inputDataType", dt.name()},
                    {"numInputVectors", leading_dims(shape)},
                    {"NumOutputStreams", static_cast<std::int64_t>(outputs)},
                    {"outFIFODepths", std::vector<std::int64_t>(copies.size(), 2)},
                    {"backend", std::string("fpgadataflow")}});
    return true;
}

} // namespace

bool InferDuplicateStreamsLayer::run(Model& model) {
    return convert_all(model, std::string(name()), convert);
}

} // namespace finn
