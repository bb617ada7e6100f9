// hls/rtl/fmpadding/fmpadding.sv: a counter (row, column, channel fold) walks the padded map and
// advances by one output word per cycle; inside the image it advances only when an input word is
// there and takes it, outside it sends a zero word once the frame has started (its first word was
// offered, or a word of it already moved). The word leaves the output skid buffer one cycle later.
#include "module_models.h"
#include "transfer_log.h"

namespace finn::hls::transfers {

Transfers fmpadding_transfers(const TransferRun& run) {
    const ParameterReader p("fmpadding", run.parameters);
    const std::int64_t img_h = p.integer("IMG_H"), img_w = p.integer("IMG_W");
    const std::int64_t top = p.integer("PAD_TOP"), left = p.integer("PAD_LEFT");
    const std::int64_t out_h = img_h + top + p.integer("PAD_BOTTOM");
    const std::int64_t out_w = img_w + left + p.integer("PAD_RIGHT");
    const std::int64_t fold_count = p.integer("CHANNELS") / p.integer("SIMD");
    TransferLog log("fmpadding", run, 1, 1);
    std::int64_t fold = 0, row = 0, col = 0;
    bool started = false; // cleared after the frame's last word
    for (std::size_t t = 0; t < log.period(); ++t) {
        const bool in_image = row >= top && row < top + img_h && col >= left && col < left + img_w;
        const bool offered = log.offers(0);
        // The skid buffer is always ready: its skid register never fills with the output ready.
        const bool advance = in_image ? offered : started || offered;
        if (!advance) continue;
        if (in_image) log.take(0, t);
        log.emit(0, t + 1);
        started = !(fold == fold_count - 1 && col == out_w - 1 && row == out_h - 1);
        if (++fold == fold_count) {
            fold = 0;
            if (++col == out_w) {
                col = 0;
                row = row + 1 == out_h ? 0 : row + 1;
            }
        }
    }
    return std::move(log).result();
}

} // namespace finn::hls::transfers
