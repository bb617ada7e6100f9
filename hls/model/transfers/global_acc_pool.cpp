// hls/rtl/global_acc_pool/global_acc_pool.sv: while not emitting, takes one input word per cycle,
// counting fold and pixel; the frame's last word (pixel PIXELS-1, last fold) starts the emit
// phase, in which `fold` walks the CHANNELS/PE sums once more, offering one per cycle to the
// output skid buffer while the input waits. With the output always ready a word offered in cycle
// t leaves in cycle t+1.
#include "module_models.h"
#include "transfer_log.h"

namespace finn::hls::transfers {

Transfers global_acc_pool_transfers(const TransferRun& run) {
    const ParameterReader p("global_acc_pool", run.parameters);
    const std::int64_t pixels = p.integer("PIXELS");
    const std::int64_t folds = p.integer("CHANNELS") / p.integer("PE");
    TransferLog log("global_acc_pool", run, 1, 1);
    std::int64_t fold = 0, pixel = 0;
    bool emitting = false;
    for (std::size_t t = 0; t < log.period(); ++t) {
        const bool last_fold = fold == folds - 1;
        if (emitting) {
            log.emit(0, t + 1);
            if (last_fold) emitting = false;
        } else if (log.offers(0)) {
            log.take(0, t);
            if (last_fold) {
                if (pixel == pixels - 1) emitting = true;
                pixel = pixel == pixels - 1 ? 0 : pixel + 1;
            }
        } else {
            continue;
        }
        fold = last_fold ? 0 : fold + 1;
    }
    return std::move(log).result();
}

} // namespace finn::hls::transfers
