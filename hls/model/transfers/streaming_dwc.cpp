// hls/rtl/common/axis_width_converter.sv: a buffer of G-bit slots (G = gcd of the widths) that
// takes an input word while it has room for one after the last insert slot and gives an output
// word whenever it holds one.
#include "module_models.h"
#include "transfer_log.h"

#include <numeric>

namespace finn::hls::transfers {

Transfers streaming_dwc_transfers(const TransferRun& run) {
    const ParameterReader p("streaming_dwc", run.parameters);
    const std::int64_t in_width = p.integer("IN_WIDTH"), out_width = p.integer("OUT_WIDTH");
    const std::int64_t g = std::gcd(in_width, out_width);
    const std::int64_t slots = (in_width + out_width + std::min(in_width, out_width) - g) / g;
    const std::int64_t in_slots = in_width / g, out_slots = out_width / g;
    TransferLog log("streaming_dwc", run, 1, 1);
    std::int64_t fill = 0;
    for (std::size_t t = 0; t < log.period(); ++t) {
        const bool push = fill <= slots - in_slots && log.offers(0);
        const bool pop = fill >= out_slots;
        if (push) log.take(0, t);
        if (pop) log.emit(0, t);
        fill += (push ? in_slots : 0) - (pop ? out_slots : 0);
    }
    return std::move(log).result();
}

} // namespace finn::hls::transfers
