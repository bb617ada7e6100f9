// hls/rtl/pool/pool.sv: takes one input word per cycle (only a window's last element waits for
// room downstream, and with the output always ready its skid buffer always has room), counting
// fold and window element; the words of the window's last element (element K-1) are combined and
// offered to the output skid buffer in the cycle they are taken, so each leaves one cycle later.
#include "module_models.h"
#include "transfer_log.h"

namespace finn::hls::transfers {

Transfers pool_transfers(const TransferRun& run) {
    const ParameterReader p("pool", run.parameters);
    const std::int64_t folds = p.integer("CHANNELS") / p.integer("PE");
    const std::int64_t kernel = p.integer("K");
    TransferLog log("pool", run, 1, 1);
    std::int64_t fold = 0, element = 0;
    for (std::size_t t = 0; t < log.period(); ++t) {
        if (!log.offers(0)) continue;
        log.take(0, t);
        const bool last = element == kernel - 1;
        if (last) log.emit(0, t + 1);
        if (fold == folds - 1) {
            fold = 0;
            element = last ? 0 : element + 1;
        } else {
            ++fold;
        }
    }
    return std::move(log).result();
}

} // namespace finn::hls::transfers
