// hls/rtl/convolution_input_generator/convolution_input_generator.sv. Buffered (the default): an
// input word is taken while the frame has words left and it lands within DEPTH words of the
// current window's first one (or all windows have been read); in the same cycle the output
// counter (oy, ox, ky, kx, fold) issues a read when the word it needs has arrived in an earlier
// cycle, and the word leaves the read register and the output skid buffer two cycles later. When
// the frame's last window has been issued and all its words have arrived, the frame ends and the
// next one begins at index 0. Parallel window: every offered word is taken; a word that completes
// a window (both axes at a window position) sends the window through the skid buffer one cycle
// later.
#include "module_models.h"
#include "transfer_log.h"

namespace finn::hls::transfers {

namespace {

struct Window {
    std::int64_t ifm_h = 1, ifm_w = 1, kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
    std::int64_t dilation_h = 1, dilation_w = 1, fold = 1, ofm_h = 1, ofm_w = 1;
};

// $clog2(n): bits for values 0 .. n-1.
std::int64_t clog2(std::int64_t n) {
    std::int64_t bits = 0;
    while ((std::int64_t{1} << bits) < n)
        ++bits;
    return bits;
}

Transfers run_buffered(const Window& w, const TransferRun& run) {
    const std::int64_t span =
        ((w.kernel_h - 1) * w.dilation_h * w.ifm_w + (w.kernel_w - 1) * w.dilation_w + 1) * w.fold;
    const std::int64_t row_jump = w.stride_h * w.ifm_w - (w.ofm_w - 1) * w.stride_w;
    const std::int64_t depth = span + (row_jump + w.stride_w) * w.fold;
    const std::int64_t total_in = w.ifm_h * w.ifm_w * w.fold;
    TransferLog log("convolution_input_generator", run, 1, 1);
    // The RTL's registers; the index registers never exceed TOTAL_IN + DEPTH, which their width
    // holds, so they need no truncation here.
    std::int64_t received = 0;
    bool output_done = false;
    std::int64_t fold = 0, kx = 0, ky = 0, ox = 0, oy = 0;
    std::int64_t row_base = 0, window_base = 0, row_offset = 0, col_offset = 0;
    for (std::size_t t = 0; t < log.period(); ++t) {
        const std::int64_t needed = window_base + row_offset + col_offset + fold;
        const bool ready = received != total_in && (output_done || received < window_base + depth);
        const bool push = ready && log.offers(0);
        // The skid buffer is always ready with the output ready, so a read issues regardless of
        // the read register.
        const bool issue = !output_done && needed < received;
        const bool window_end = fold == w.fold - 1 && kx == w.kernel_w - 1 && ky == w.kernel_h - 1;
        const bool last_issue = issue && window_end && ox == w.ofm_w - 1 && oy == w.ofm_h - 1;
        if (push) log.take(0, t);
        if (issue) log.emit(0, t + 2);

        const bool all_received = received == total_in;
        if (all_received && (output_done || last_issue)) {
            received = 0;
            output_done = false;
        } else if (push) {
            ++received;
        }
        if (!issue) continue;
        if (fold != w.fold - 1) {
            ++fold;
            continue;
        }
        fold = 0;
        if (kx != w.kernel_w - 1) {
            ++kx;
            col_offset += w.dilation_w * w.fold;
            continue;
        }
        kx = 0;
        col_offset = 0;
        if (ky != w.kernel_h - 1) {
            ++ky;
            row_offset += w.dilation_h * w.ifm_w * w.fold;
            continue;
        }
        ky = 0;
        row_offset = 0;
        if (ox != w.ofm_w - 1) {
            ++ox;
            window_base += w.stride_w * w.fold;
        } else if (oy != w.ofm_h - 1) {
            ox = 0;
            ++oy;
            row_base += w.stride_h * w.ifm_w * w.fold;
            window_base = row_base;
        } else {
            ox = oy = 0;
            row_base = window_base = 0;
            if (!all_received) output_done = true;
        }
    }
    return std::move(log).result();
}

Transfers run_parallel(const Window& w, const TransferRun& run) {
    // The phase and window counters are COL_BITS / ROW_BITS wide; the stride reload is truncated.
    const std::int64_t col_mask = (std::int64_t{1} << clog2(w.ifm_w + 1)) - 1;
    const std::int64_t row_mask = (std::int64_t{1} << clog2(w.ifm_h + 1)) - 1;
    const std::int64_t col_start = ((w.kernel_w - 1) * w.dilation_w) & col_mask;
    const std::int64_t row_start = ((w.kernel_h - 1) * w.dilation_h) & row_mask;
    TransferLog log("convolution_input_generator", run, 1, 1);
    std::int64_t col = 0, col_phase = col_start, col_windows = 0;
    std::int64_t row = 0, row_phase = row_start, row_windows = 0;
    for (std::size_t t = 0; t < log.period(); ++t) {
        // Input ready is !hit || slice_ready, and the skid buffer is always ready.
        if (!log.offers(0)) continue;
        const bool hit =
            col_phase == 0 && col_windows < w.ofm_w && row_phase == 0 && row_windows < w.ofm_h;
        log.take(0, t);
        if (hit) log.emit(0, t + 1);
        if (col != w.ifm_w - 1) {
            ++col;
            if (col_phase == 0) {
                col_phase = (w.stride_w - 1) & col_mask;
                col_windows = (col_windows + 1) & col_mask;
            } else {
                --col_phase;
            }
            continue;
        }
        col = 0;
        col_phase = col_start;
        col_windows = 0;
        if (row == w.ifm_h - 1) {
            row = 0;
            row_phase = row_start;
            row_windows = 0;
        } else {
            ++row;
            if (row_phase == 0) {
                row_phase = (w.stride_h - 1) & row_mask;
                row_windows = (row_windows + 1) & row_mask;
            } else {
                --row_phase;
            }
        }
    }
    return std::move(log).result();
}

} // namespace

Transfers convolution_input_generator_transfers(const TransferRun& run) {
    const ParameterReader p("convolution_input_generator", run.parameters);
    Window w;
    w.ifm_h = p.integer("IFM_H");
    w.ifm_w = p.integer("IFM_W");
    w.kernel_h = p.integer("KERNEL_H");
    w.kernel_w = p.integer("KERNEL_W");
    w.stride_h = p.integer("STRIDE_H");
    w.stride_w = p.integer("STRIDE_W");
    w.dilation_h = p.integer("DILATION_H");
    w.dilation_w = p.integer("DILATION_W");
    w.fold = p.integer("CHANNELS") / p.integer("SIMD");
    w.ofm_h = (w.ifm_h - w.dilation_h * (w.kernel_h - 1) - 1) / w.stride_h + 1;
    w.ofm_w = (w.ifm_w - w.dilation_w * (w.kernel_w - 1) - 1) / w.stride_w + 1;
    return p.flag("PARALLEL_WINDOW") ? run_parallel(w, run) : run_buffered(w, run);
}

} // namespace finn::hls::transfers
