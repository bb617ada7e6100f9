// hls/rtl/duplicate_streams/duplicate_streams.sv: an input word goes into every output's skid
// buffer at once; each output gives it one cycle later.
#include "module_models.h"
#include "transfer_log.h"

namespace finn::hls::transfers {

Transfers duplicate_streams_transfers(const TransferRun& run) {
    const ParameterReader p("duplicate_streams", run.parameters);
    return lockstep_pipeline("duplicate_streams", run, 1,
                             static_cast<std::size_t>(p.integer("OUTPUTS")), 1);
}

} // namespace finn::hls::transfers
