// hls/rtl/channelwise_op/channelwise_op.sv: a word taken in cycle t meets its parameters in t+1
// and leaves the output skid buffer in t+2; with the output ready it never stalls.
#include "module_models.h"
#include "transfer_log.h"

namespace finn::hls::transfers {

Transfers channelwise_op_transfers(const TransferRun& run) {
    return lockstep_pipeline("channelwise_op", run, 1, 1, 2);
}

} // namespace finn::hls::transfers
