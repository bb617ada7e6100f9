// FINN's RemoveShallowFIFOs (spec/finn-ops.md §6.4): FIFOs too shallow to be worth a node are
// bypassed; the layers' own stream buffers do their work.
#include "finn/core/error.h"
#include "finn/transform/fifo_sizing.h"
#include "stream_insertion_util.h"

#include <optional>

namespace finn {

using namespace stream_insertion;

bool RemoveShallowFIFOs::run(Model& model) {
    bool changed = false;
    // By index: removing a node invalidates handles; the loop stays at the index it removed.
    for (int i = 0; i < model.node_count();) {
        Node fifo = model.node(i);
        const bool first = fifo.input_count() == 0 || !model.producer(fifo.input(0));
        if (!is_op(fifo, "StreamingFIFO") || first ||
            fifo.attr_int("depth", 0) > shallow_threshold_) {
            ++i;
            continue;
        }
        const std::string in = fifo.input(0), out = fifo.output(0);
        std::vector<Node> readers = model.consumers(out);
        if (readers.size() > 1)
            throw Error("RemoveShallowFIFOs: the output '" + out + "' of " + fifo.describe() +
                        " is read by " + std::to_string(readers.size()) +
                        " nodes; a FIFO feeds one node");
        model.remove_node(i);
        if (readers.empty()) {
            // The FIFO wrote a graph output: its producer writes it now.
            std::optional<Node> producer = model.producer(in);
            for (int k = 0; k < producer->output_count(); ++k)
                if (producer->output(k) == in) producer->set_output(k, out);
            model.remove_tensor_if_unused(in);
        } else {
            for (int k = 0; k < readers[0].input_count(); ++k)
                if (readers[0].input(k) == out) readers[0].set_input(k, in);
            model.remove_tensor_if_unused(out);
        }
        changed = true;
    }
    return changed;
}

} // namespace finn
