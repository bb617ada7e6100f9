// hls/rtl/common/streaming_fifo.sv: a shift-register FIFO up to SHIFT_REGISTER_MAX_DEPTH words
// (or below 3), a RAM FIFO with an output register above.
#include "module_models.h"
#include "transfer_log.h"

namespace finn::hls::transfers {

Transfers streaming_fifo_transfers(const TransferRun& run) {
    const ParameterReader p("streaming_fifo", run.parameters);
    const std::int64_t depth = p.integer("DEPTH");
    const std::int64_t shift_register_max = 32; // the module's SHIFT_REGISTER_MAX_DEPTH default
    TransferLog log("streaming_fifo", run, 1, 1);
    if (depth <= shift_register_max || depth < 3) {
        // axis_fifo_shift_register: tvalid = count != 0; tready = count != DEPTH (DEPTH 1: also
        // when the word leaves in the same cycle).
        std::int64_t count = 0;
        for (std::size_t t = 0; t < log.period(); ++t) {
            const bool pop = count != 0;
            const bool ready = depth == 1 ? true : count != depth;
            const bool push = ready && log.offers(0);
            if (push) log.take(0, t);
            if (pop) log.emit(0, t);
            count += (push ? 1 : 0) - (pop ? 1 : 0);
        }
    } else {
        // axis_fifo_ram: a RAM of DEPTH-1 words read into the output register.
        std::int64_t in_ram = 0;
        bool out_valid = false;
        for (std::size_t t = 0; t < log.period(); ++t) {
            const bool push = in_ram + (out_valid ? 1 : 0) != depth && log.offers(0);
            const bool pop = out_valid;
            const bool read = in_ram != 0;
            if (push) log.take(0, t);
            if (pop) log.emit(0, t);
            in_ram += (push ? 1 : 0) - (read ? 1 : 0);
            out_valid = read || (out_valid && !pop);
        }
    }
    return std::move(log).result();
}

} // namespace finn::hls::transfers
