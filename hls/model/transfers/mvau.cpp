// hls/rtl/mvau/mvau_core.sv (the MVAU, and the VVAU as its depthwise form, vvau.sv): one tile
// (nf, sf) issues per cycle. A tile takes an input word on the first neuron fold (depthwise: on
// every tile) and needs its weight word: always there from a ROM (internal_embedded), from the
// cycle after reset out of the memory streamer (internal_decoupled). The last SIMD fold of a
// neuron fold gives an output word three cycles later (accumulate, activation, skid buffer).
#include "module_models.h"
#include "transfer_log.h"

namespace finn::hls::transfers {

namespace {

struct MvauShape {
    std::int64_t sf = 1, nf = 1; // SIMD folds per neuron fold, neuron folds per vector
    bool depthwise = false;
    bool decoupled = false;
};

Transfers run_mvau(const std::string& module, const MvauShape& shape, const TransferRun& run) {
    // in1_V exists in every mode but only moves with external weights: a caller may leave it out.
    TransferLog log(module, run, run.input_words.size() == 2 ? 2 : 1, 1);
    const std::size_t output_latency = 3;
    std::int64_t sf = 0, nf = 0;
    for (std::size_t t = 0; t < log.period(); ++t) {
        const bool weight_valid = !shape.decoupled || t > 0;
        const bool first_pass = shape.depthwise || nf == 0;
        if (!weight_valid || (first_pass && !log.offers(0))) continue;
        if (first_pass) log.take(0, t);
        if (sf == shape.sf - 1) log.emit(0, t + output_latency);
        if (shape.depthwise) {
            // sf outer, nf inner: the input's (k, C) order.
            if (++nf == shape.nf) {
                nf = 0;
                sf = sf + 1 == shape.sf ? 0 : sf + 1;
            }
        } else if (++sf == shape.sf) {
            sf = 0;
            nf = nf + 1 == shape.nf ? 0 : nf + 1;
        }
    }
    return std::move(log).result();
}

bool decoupled(const ParameterReader& p) {
    return p.text("MEM_MODE") == "internal_decoupled";
}

} // namespace

bool mvau_modelled(const ModuleParameters& parameters) {
    return ParameterReader("mvau", parameters).text("MEM_MODE") != "external";
}

Transfers mvau_transfers(const TransferRun& run) {
    const ParameterReader p("mvau", run.parameters);
    MvauShape shape;
    shape.sf = p.integer("MW") / p.integer("SIMD");
    shape.nf = p.integer("MH") / p.integer("PE");
    shape.depthwise = false;
    shape.decoupled = decoupled(p);
    return run_mvau("mvau", shape, run);
}

Transfers vvau_transfers(const TransferRun& run) {
    const ParameterReader p("vvau", run.parameters);
    MvauShape shape;
    shape.sf = p.integer("KERNEL") / p.integer("SIMD");
    shape.nf = p.integer("CHANNELS") / p.integer("PE");
    shape.depthwise = true;
    shape.decoupled = decoupled(p);
    return run_mvau("vvau", shape, run);
}

} // namespace finn::hls::transfers
