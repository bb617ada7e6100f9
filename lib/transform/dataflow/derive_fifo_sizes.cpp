// FINN's DeriveFIFOSizes (spec/finn-ops.md §6.4, strategy characterize): FIFO depths from the
// layers' transfer characteristics. A FIFO between two layers must hold what the producer has
// sent and the consumer not yet taken, with the consumer started as early as the producer's
// output allows.
#include "finn/core/error.h"
#include "finn/transform/fifo_sizing.h"
#include "stream_insertion_util.h"

#include <algorithm>

namespace finn {

using namespace stream_insertion;

std::vector<std::int64_t> accumulate_characteristic(const std::vector<std::int64_t>& transfers,
                                                    std::int64_t period) {
    if (period <= 0 || static_cast<std::int64_t>(transfers.size()) > period)
        throw Error("FIFO sizing: a characteristic of " + std::to_string(transfers.size()) +
                    " cycles does not fit the period of " + std::to_string(period) + " cycles");
    std::vector<std::int64_t> accumulated(static_cast<std::size_t>(2 * period));
    std::int64_t sum = 0;
    for (std::int64_t t = 0; t < 2 * period; ++t) {
        const std::size_t k = static_cast<std::size_t>(t % period);
        sum += k < transfers.size() ? transfers[k] : 0;
        accumulated[static_cast<std::size_t>(t)] = sum;
    }
    return accumulated;
}

std::int64_t fifo_depth_between(const std::vector<std::int64_t>& producer,
                                const std::vector<std::int64_t>& consumer, std::int64_t period) {
    const std::size_t p = static_cast<std::size_t>(period);
    if (period <= 0 || producer.size() != 2 * p || consumer.size() != 2 * p)
        throw Error("FIFO sizing: characteristics must have 2 x " + std::to_string(period) +
                    " entries (they have " + std::to_string(producer.size()) + " and " +
                    std::to_string(consumer.size()) + ")");
    std::size_t shift = p - 1;
    for (std::size_t s = 0; s < p; ++s) {
        bool ahead = true;
        for (std::size_t i = 0; i + s < p && ahead; ++i)
            ahead = producer[s + i] >= consumer[i];
        if (ahead) {
            shift = s;
            break;
        }
    }
    std::int64_t depth = producer[shift] - consumer[0];
    for (std::size_t i = 1; i < p; ++i)
        depth = std::max(depth, producer[shift + i] - consumer[i]);
    return depth;
}

namespace {

const IoCharacteristic& characteristic_of(const std::map<std::string, IoCharacteristic>& all,
                                          const Node& node, bool output) {
    auto it = all.find(node.name());
    if (it == all.end() || (output ? it->second.outputs : it->second.inputs).empty())
        throw Error("FIFO sizing: no " + std::string(output ? "output" : "input") +
                    " characteristic for node " + node.describe());
    return it->second;
}

} // namespace

void derive_fifo_sizes(Model& model, const std::map<std::string, IoCharacteristic>& characteristics,
                       std::int64_t period, std::int64_t io_fifo_depth) {
    for (Node node : model.nodes())
        if (is_op(node, "StreamingFIFO"))
            throw Error("FIFO sizing: the model has a FIFO already (" + node.describe() +
                        "); characterize sizes a partition without them");
    const std::vector<std::string> inputs = model.input_names();
    // Depths depend on the characteristics only, so the nodes' order does not matter.
    for (Node node : model.nodes()) {
        if (!is_hw_node(node)) continue;
        auto layer = layer_of(model, node, "FIFO sizing");
        const auto current = layer->get_ints("outFIFODepths");
        if (std::any_of(current.begin(), current.end(), [](std::int64_t d) { return d > 2; }))
            continue; // sized already (FINN leaves its inputs alone too)
        const auto& produced = characteristic_of(characteristics, node, true).outputs[0];
        std::vector<std::int64_t> depths;
        for (const std::string& tensor : node.outputs()) {
            std::vector<Node> readers = model.consumers(tensor);
            if (readers.empty()) {
                depths.push_back(io_fifo_depth); // the graph output
                continue;
            }
            const auto& consumed = characteristic_of(characteristics, readers[0], false).inputs[0];
            depths.push_back(fifo_depth_between(produced, consumed, period));
        }
        node.set_attr_ints("outFIFODepths", depths);
        // A FIFO of at least io_fifo_depth words behind every graph input.
        auto in = layer->get_ints("inFIFODepths");
        for (std::size_t k = 0; k < in.size() && k < static_cast<std::size_t>(node.input_count());
             ++k)
            if (std::find(inputs.begin(), inputs.end(), node.input(static_cast<int>(k))) !=
                inputs.end())
                in[k] = std::max(in[k], io_fifo_depth);
        node.set_attr_ints("inFIFODepths", in);
    }
}

} // namespace finn
