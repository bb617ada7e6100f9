// FINN's DeriveFIFOSizes (spec/finn-ops.md §6.4, strategy characterize): FIFO depths from the
// layers' transfer characteristics. A FIFO between two layers must hold what the producer has
// sent and the consumer not yet taken, with the consumer started as early as the producer's
// output allows.
#include "finn/core/error.h"
#include "finn/transform/fifo_sizing.h"
#include "stream_insertion_util.h"

#include <algorithm>
#include <optional>

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
        const auto& outputs = characteristic_of(characteristics, node, true).outputs;
        std::vector<std::int64_t> depths;
        for (int j = 0; j < node.output_count(); ++j) {
            const std::string& tensor = node.output(j);
            std::vector<Node> readers = model.consumers(tensor);
            if (readers.empty()) {
                depths.push_back(io_fifo_depth); // the graph output
                continue;
            }
            // The stream's own characteristics: output j of the producer (DuplicateStreams has
            // several), the reader's input that reads it (AddStreams has two).
            const auto& produced = outputs[std::min<std::size_t>(j, outputs.size() - 1)];
            const auto& inputs_of_reader =
                characteristic_of(characteristics, readers[0], false).inputs;
            std::size_t k = 0;
            while (k + 1 < inputs_of_reader.size() &&
                   readers[0].input(static_cast<int>(k)) != tensor)
                ++k;
            depths.push_back(fifo_depth_between(produced, inputs_of_reader[k], period));
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
    size_fork_bypasses(model);
}

namespace {

// The compute nodes on the way from `tensor` to the node joining it with another stream (width
// converters and FIFOs do not count), following single readers; nothing when it never joins.
std::optional<int> compute_nodes_to_join(Model& model, std::string tensor) {
    int count = 0;
    for (;;) {
        std::vector<Node> readers = model.consumers(tensor);
        if (readers.size() != 1) return std::nullopt;
        Node reader = readers[0];
        if (is_op(reader, "AddStreams")) return count;
        if (!is_op(reader, "StreamingFIFO") && !is_op(reader, "StreamingDataWidthConverter"))
            ++count;
        if (reader.output_count() != 1) return std::nullopt;
        tensor = reader.output(0);
    }
}

} // namespace

void size_fork_bypasses(Model& model) {
    for (Node node : model.nodes()) {
        if (!is_op(node, "DuplicateStreams")) continue;
        std::vector<std::optional<int>> lengths;
        int longest = -1;
        for (const std::string& tensor : node.outputs()) {
            lengths.push_back(compute_nodes_to_join(model, tensor));
            if (lengths.back()) longest = std::max(longest, *lengths.back());
        }
        auto layer = layer_of(model, node, "FIFO sizing");
        std::vector<std::int64_t> depths = layer->get_ints("outFIFODepths");
        depths.resize(static_cast<std::size_t>(node.output_count()), 2);
        for (std::size_t j = 0; j < lengths.size(); ++j) {
            if (!lengths[j] || *lengths[j] >= longest) continue;
            const Shape folded = layer->folded_output_shape(static_cast<int>(j));
            const std::int64_t frame_words = hw::product(folded) / folded.back();
            depths[j] = std::max(depths[j], frame_words);
        }
        node.set_attr_ints("outFIFODepths", depths);
    }
}

} // namespace finn
