// hls/rtl/add_streams/add_streams.sv: both inputs are taken together when both offer a word, the
// sum goes straight into the output skid buffer (out one cycle later).
#include "module_models.h"
#include "transfer_log.h"

namespace finn::hls::transfers {

Transfers add_streams_transfers(const TransferRun& run) {
    return lockstep_pipeline("add_streams", run, 2, 1, 1);
}

} // namespace finn::hls::transfers
