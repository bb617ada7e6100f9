// hls/rtl/thresholding/thresholding.sv: with the output always ready the stage never stalls; a
// word taken in cycle t is compared in t+1 and leaves the output skid buffer in t+2.
#include "module_models.h"
#include "transfer_log.h"

namespace finn::hls::transfers {

Transfers thresholding_transfers(const TransferRun& run) {
    return lockstep_pipeline("thresholding", run, 1, 1, 2);
}

} // namespace finn::hls::transfers
