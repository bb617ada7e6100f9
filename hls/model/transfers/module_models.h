// The transaction model of each module listed in transfer_models.def.
#pragma once

#include "finn/hls/transfer_model.h"

namespace finn::hls::transfers {

#define FINN_TRANSFER_MODEL(module, modelled) Transfers module##_transfers(const TransferRun& run);
#include "transfer_models.def"
#undef FINN_TRANSFER_MODEL

// Which parameter sets a model covers.
inline bool all_parameters(const ModuleParameters&) {
    return true;
}
// The MVAU and VVAU without a weight stream from outside (mem_mode external).
bool mvau_modelled(const ModuleParameters& parameters);

} // namespace finn::hls::transfers
