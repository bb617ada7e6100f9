// FINN's CapConvolutionFIFODepths and optimize_depth (spec/finn-ops.md §6.4): simulation
// overestimates the FIFO between a sliding-window generator and its MVAU; one generator row is
// enough, since the generator buffers a row itself.
#include "finn/transform/fifo_sizing.h"
#include "stream_insertion_util.h"

namespace finn {

using namespace stream_insertion;

std::int64_t optimize_fifo_depth(std::int64_t occupancy) {
    if (occupancy <= 2) return 2;
    if (occupancy <= 32) return 32;
    return occupancy;
}

bool CapConvolutionFIFODepths::run(Model& model) {
    bool changed = false;
    for (Node fifo : model.nodes()) {
        if (!is_op(fifo, "StreamingFIFO")) continue;
        auto producer = model.producer(fifo.input(0));
        auto readers = model.consumers(fifo.output(0));
        if (!producer || !is_op(*producer, "ConvolutionInputGenerator") || readers.size() != 1 ||
            !is_op(readers[0], "MVAU"))
            continue;
        // [1, H, W, fold, SIMD]: one row is W * fold words.
        const Shape folded = fifo.attr_ints("folded_shape");
        if (folded.size() != 5) continue;
        const std::int64_t depth = fifo.attr_int("depth");
        const std::int64_t capped = std::min(depth, optimize_fifo_depth(folded[2] * folded[3]));
        const bool vivado = capped > max_qsrl_depth_;
        if (capped == depth && fifo.attr_string("impl_style", "rtl") == (vivado ? "vivado" : "rtl"))
            continue;
        fifo.set_attr_int("depth", capped);
        fifo.set_attr_string("impl_style", vivado ? "vivado" : "rtl");
        if (vivado) fifo.set_attr_string("ram_style", "auto");
        changed = true;
    }
    return changed;
}

} // namespace finn
