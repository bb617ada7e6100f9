// FINN's SplitLargeFIFOs (spec/finn-ops.md §6.4): a FIFO deeper than one Vivado FIFO can be, or
// not a power of two (which a Vivado FIFO rounds up to), becomes a chain of FIFOs whose depths
// add up to the original one.
#include "finn/transform/fifo_sizing.h"
#include "finn/transform/tidy_up.h"
#include "stream_insertion_util.h"

namespace finn {

using namespace stream_insertion;

namespace {

std::int64_t floor_power_of_two(std::int64_t x) {
    std::int64_t p = 1;
    while (p * 2 <= x)
        p *= 2;
    return p;
}

} // namespace

std::vector<std::pair<std::int64_t, std::string>>
fifo_split_configs(std::int64_t depth, std::int64_t max_qsrl_depth, std::int64_t max_vivado_depth) {
    if (depth <= max_qsrl_depth) return {{depth, "rtl"}};
    std::vector<std::int64_t> chunks;
    for (std::int64_t rest = depth; rest > 0; rest -= std::min(rest, max_vivado_depth))
        chunks.push_back(std::min(rest, max_vivado_depth));
    std::vector<std::pair<std::int64_t, std::string>> pieces;
    auto add = [&](std::int64_t d) {
        pieces.emplace_back(d, d <= max_qsrl_depth ? "rtl" : "vivado");
    };
    for (std::int64_t chunk : chunks) {
        // Powers of two, largest first, until the rest is shallow enough for one rtl FIFO.
        while (chunk > max_qsrl_depth && floor_power_of_two(chunk) != chunk) {
            add(floor_power_of_two(chunk));
            chunk -= floor_power_of_two(chunk);
        }
        add(chunk);
    }
    return pieces;
}

bool SplitLargeFIFOs::run(Model& model) {
    bool changed = false;
    for (int i = 0; i < model.node_count(); ++i) {
        Node fifo = model.node(i);
        if (!is_op(fifo, "StreamingFIFO")) continue;
        const auto pieces =
            fifo_split_configs(fifo.attr_int("depth"), max_qsrl_depth_, max_vivado_depth_);
        if (pieces.size() < 2) continue;
        const onnx::NodeProto original = fifo.proto();
        const std::string name = fifo.name(), in = fifo.input(0), out = fifo.output(0);
        const DataType type = DataType::parse(fifo.attr_string("dataType"));
        const Shape shape = model.shape(in).value_or(fifo.attr_ints("normal_shape"));
        model.remove_node(i);
        std::string from = in;
        for (std::size_t k = 0; k < pieces.size(); ++k) {
            const std::string piece = name + "_" + std::to_string(k);
            std::string to = out;
            if (k + 1 < pieces.size()) to = new_tensor(model, piece + "_out", in, shape, type);
            Node node = model.insert_node(i + static_cast<int>(k), original.op_type(), {from}, {to},
                                          piece, original.domain());
            // Every attribute of the original (stream, ram_style, ...), then the piece's own.
            *node.proto().mutable_attribute() = original.attribute();
            node.set_attr_int("depth", pieces[k].first);
            node.set_attr_string("impl_style", pieces[k].second);
            from = to;
        }
        i += static_cast<int>(pieces.size()) - 1;
        changed = true;
    }
    if (changed) {
        GiveUniqueNodeNames().run(model);
        GiveReadableTensorNames().run(model);
    }
    return changed;
}

} // namespace finn
