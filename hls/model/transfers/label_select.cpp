// hls/rtl/label_select/label_select.sv: takes one input word per cycle into the working top-K
// list, except that a vector's last word waits until the result buffer is free (no index left,
// or its last one leaving); that word loads the K indices into the buffer, which offers one per
// cycle to the output skid buffer while the next vector is collected. With the output always
// ready a word offered in cycle t leaves in cycle t+1. The timing does not depend on the input
// values: they only decide which indices the list holds, never when words move, so the
// characterization's zero words give the same cycles as any data.
#include "module_models.h"
#include "transfer_log.h"

namespace finn::hls::transfers {

Transfers label_select_transfers(const TransferRun& run) {
    const ParameterReader p("label_select", run.parameters);
    const std::int64_t words = p.integer("LABELS") / p.integer("PE");
    const std::int64_t k = p.integer("K");
    TransferLog log("label_select", run, 1, 1);
    std::int64_t word = 0, remaining = 0;
    for (std::size_t t = 0; t < log.period(); ++t) {
        const bool emit = remaining != 0;
        const bool load = remaining <= 1;
        const bool last_word = word == words - 1;
        const bool take = (!last_word || load) && log.offers(0);
        if (emit) log.emit(0, t + 1);
        if (take) {
            log.take(0, t);
            word = last_word ? 0 : word + 1;
        }
        if (take && last_word)
            remaining = k;
        else if (emit)
            --remaining;
    }
    return std::move(log).result();
}

} // namespace finn::hls::transfers
