// hls/rtl/streaming_maxpool/streaming_maxpool.sv: while not emitting, takes one input word per
// cycle and counts fold, column (kx, ox) and row (ky, oy); the last word of an image row that
// ends a row of windows (ky = KH-1, or the image's last row, while oy < OH) starts the emit
// phase, which offers the OW*CHANNELS/PE buffered maxima to the output skid buffer one per cycle
// while the input waits. With the output always ready the skid buffer never fills: a word offered
// in cycle t leaves in cycle t+1.
#include "module_models.h"
#include "transfer_log.h"

namespace finn::hls::transfers {

Transfers streaming_maxpool_transfers(const TransferRun& run) {
    const ParameterReader p("streaming_maxpool", run.parameters);
    const std::int64_t height = p.integer("HEIGHT"), width = p.integer("WIDTH");
    const std::int64_t kh = p.integer("KH"), kw = p.integer("KW");
    const bool ceil_mode = p.flag("CEIL_MODE");
    const std::int64_t folds = p.integer("CHANNELS") / p.integer("PE");
    const std::int64_t oh = ceil_mode ? (height + kh - 1) / kh : height / kh;
    const std::int64_t ow = ceil_mode ? (width + kw - 1) / kw : width / kw;
    const std::int64_t entries = ow * folds;
    TransferLog log("streaming_maxpool", run, 1, 1);
    // The module's counters; kx and ox only select the buffer entry, so they do not steer timing.
    std::int64_t fold = 0, col = 0, row = 0, ky = 0, oy = 0, emit_address = 0;
    bool emitting = false;
    for (std::size_t t = 0; t < log.period(); ++t) {
        if (emitting) {
            log.emit(0, t + 1);
            emitting = emit_address != entries - 1;
            emit_address = emitting ? emit_address + 1 : 0;
            continue;
        }
        if (!log.offers(0)) continue;
        log.take(0, t);
        const bool last_fold = fold == folds - 1;
        fold = last_fold ? 0 : fold + 1;
        if (!last_fold) continue;
        const bool last_col = col == width - 1;
        col = last_col ? 0 : col + 1;
        if (!last_col) continue;
        const bool last_row = row == height - 1;
        if (oy < oh && (ky == kh - 1 || last_row)) emitting = true;
        if (last_row) {
            row = ky = oy = 0;
        } else {
            ++row;
            if (ky == kh - 1) {
                ky = 0;
                ++oy;
            } else {
                ++ky;
            }
        }
    }
    return std::move(log).result();
}

} // namespace finn::hls::transfers
