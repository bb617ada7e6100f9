// FINN's InsertAndSetFIFODepths (spec/finn-ops.md §6.4, strategy largefifo_rtlsim) without its
// middle: FIFOs as deep as the streams they buffer, monitored, are put in; the stitched design is
// simulated elsewhere (finn/hwgen/fifo_occupancy.h); each FIFO is then sized from the peak
// occupancy it saw.
#include "finn/core/error.h"
#include "finn/hw/registry.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/fifo_sizing.h"
#include "finn/transform/stream_insertion.h"
#include "finn/transform/tidy_up.h"
#include "stream_insertion_util.h"

#include <algorithm>
#include <set>

namespace finn {

using namespace stream_insertion;

namespace {

constexpr const char* kFifo = "StreamingFIFO";

bool weight_layer(const Node& node) {
    return is_op(node, "MVAU") || is_op(node, "VVAU");
}

std::int64_t stream_words(const Shape& folded) {
    std::int64_t words = 1;
    for (std::size_t k = 0; k + 1 < folded.size(); ++k)
        words *= folded[k];
    return words;
}

// Depth of the FIFO producing `tensor` (0 when none does).
std::int64_t fifo_depth_before(Model& model, const std::string& tensor) {
    auto producer = model.producer(tensor);
    return producer && is_op(*producer, kFifo) ? producer->attr_int("depth") : 0;
}

std::int64_t fifo_depth_after(Model& model, const std::string& tensor) {
    for (Node reader : model.consumers(tensor))
        if (is_op(reader, kFifo)) return reader.attr_int("depth");
    return 0;
}

} // namespace

FifoMonitoring insert_monitored_fifos(Model& model, const std::string& fpga_part,
                                      DiagnosticSink warn) {
    FifoMonitoring monitoring;
    for (Node node : model.nodes()) {
        if (!is_hw_node(node))
            throw Error("FIFO sizing: node " + node.describe() +
                        " is not a hardware node; FIFOs are sized on the dataflow partition");
        if (is_op(node, kFifo))
            throw Error("FIFO sizing: the model has a FIFO already (" + node.describe() +
                        "); FIFOs are sized on a partition without them");
    }
    for (Node node : model.nodes()) {
        auto layer = layer_of(model, node, "FIFO sizing");
        // Deep enough for a whole frame of each stream, so nothing stalls on a FIFO.
        std::vector<std::int64_t> in = layer->get_ints("inFIFODepths");
        std::vector<std::int64_t> out = layer->get_ints("outFIFODepths");
        for (std::size_t k = 0; k < in.size(); ++k)
            in[k] = stream_words(layer->folded_input_shape(static_cast<int>(k)));
        for (std::size_t k = 0; k < out.size(); ++k)
            out[k] = stream_words(layer->folded_output_shape(static_cast<int>(k)));
        node.set_attr_ints("inFIFODepths", in);
        node.set_attr_ints("outFIFODepths", out);
        if (weight_layer(node) && layer->get_string("mem_mode") == "external") {
            // One data input per layer in the simulated design.
            node.set_attr_string("mem_mode", "internal_decoupled");
            monitoring.decoupled_nodes.push_back(node.name());
            if (warn)
                warn("Changed mem_mode from external to internal_decoupled for " + node.name());
        }
    }
    InsertDWC().run(model);
    InsertFIFO(true).run(model);
    SpecializeLayers(fpga_part, warn).run(model);
    GiveUniqueNodeNames().run(model);
    GiveReadableTensorNames().run(model);
    for (Node node : model.nodes()) {
        if (!is_op(node, kFifo)) continue;
        node.set_attr_int("depth_monitor", 1);
        node.set_attr_string("impl_style", "rtl");
    }
    return monitoring;
}

void set_fifo_depths_from_occupancy(Model& model,
                                    const std::map<std::string, std::int64_t>& occupancy,
                                    const FifoMonitoring& monitoring,
                                    const FifoDepthOptions& options) {
    std::set<std::string> sized;
    std::set<std::string> decoupled(monitoring.decoupled_nodes.begin(),
                                    monitoring.decoupled_nodes.end());
    const std::vector<std::string> inputs = model.input_names();
    for (Node node : model.nodes()) {
        if (!is_op(node, kFifo)) {
            if (decoupled.erase(node.name())) node.set_attr_string("mem_mode", "external");
            continue;
        }
        auto it = occupancy.find(node.name());
        if (it == occupancy.end())
            throw Error("FIFO sizing: no occupancy was observed for FIFO " + node.name());
        sized.insert(node.name());
        const std::int64_t depth = optimize_fifo_depth(it->second);
        node.set_attr_int("depth", depth);
        node.set_attr_int("depth_monitor", 0);
        // FINN: a Vivado FIFO at the design's ports misbehaves in simulation.
        const bool top_level =
            std::find(inputs.begin(), inputs.end(), node.input(0)) != inputs.end() ||
            model.is_graph_output(node.output(0));
        if (depth > options.max_qsrl_depth && !top_level) {
            node.set_attr_string("impl_style", "vivado");
            node.set_attr_string("ram_style", options.vivado_ram_style);
        } else {
            node.set_attr_string("impl_style", "rtl");
        }
    }
    for (const auto& [name, value] : occupancy)
        if (!sized.count(name))
            throw Error("FIFO sizing: an occupancy was observed for '" + name +
                        "', which is no FIFO of the model");
    if (!decoupled.empty())
        throw Error("FIFO sizing: node " + *decoupled.begin() +
                    " switched to internal_decoupled is no longer in the model");
    if (options.swg_exception) CapConvolutionFIFODepths(options.max_qsrl_depth).run(model);
    RemoveShallowFIFOs().run(model);
    // The layers' FIFO attributes now say what surrounds them (FINN: so that no later InsertFIFO
    // adds more).
    for (Node node : model.nodes()) {
        if (is_op(node, kFifo)) continue;
        std::vector<std::int64_t> in, out;
        for (const std::string& tensor : node.inputs()) {
            if (model.producer(tensor))
                in.push_back(fifo_depth_before(model, tensor));
            else if (std::find(inputs.begin(), inputs.end(), tensor) != inputs.end())
                in.push_back(0); // a graph input without FIFO
            // else: a parameter, no stream
        }
        for (const std::string& tensor : node.outputs())
            out.push_back(fifo_depth_after(model, tensor));
        node.set_attr_ints("inFIFODepths", in);
        node.set_attr_ints("outFIFODepths", out);
    }
}

} // namespace finn
