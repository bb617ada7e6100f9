// hls/rtl/downsampler/downsampler.sv: takes one input word per cycle, counting fold, column and
// row and their phases modulo STRIDE; a kept word (row and column phase 0) waits for room in the
// output skid buffer, which with the output always ready it always has, and leaves one cycle
// after it was taken. Dropped words produce nothing.
#include "module_models.h"
#include "transfer_log.h"

namespace finn::hls::transfers {

Transfers downsampler_transfers(const TransferRun& run) {
    const ParameterReader p("downsampler", run.parameters);
    const std::int64_t height = p.integer("HEIGHT"), width = p.integer("WIDTH");
    const std::int64_t folds = p.integer("CHANNELS") / p.integer("SIMD");
    const std::int64_t stride = p.integer("STRIDE");
    TransferLog log("downsampler", run, 1, 1);
    std::int64_t fold = 0, col = 0, row = 0, col_phase = 0, row_phase = 0;
    for (std::size_t t = 0; t < log.period(); ++t) {
        if (!log.offers(0)) continue;
        log.take(0, t);
        if (row_phase == 0 && col_phase == 0) log.emit(0, t + 1);
        if (fold != folds - 1) {
            ++fold;
            continue;
        }
        fold = 0;
        const bool last_col = col == width - 1;
        col = last_col ? 0 : col + 1;
        col_phase = last_col || col_phase == stride - 1 ? 0 : col_phase + 1;
        if (!last_col) continue;
        const bool last_row = row == height - 1;
        row = last_row ? 0 : row + 1;
        row_phase = last_row || row_phase == stride - 1 ? 0 : row_phase + 1;
    }
    return std::move(log).result();
}

} // namespace finn::hls::transfers
