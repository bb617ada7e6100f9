// The stitched design's simulation is not part of Finn yet: largefifo_rtlsim stops here with
// what to do instead.
#include "finn/hwgen/fifo_occupancy.h"

#include "finn/core/error.h"

namespace finn {

std::map<std::string, std::int64_t> simulate_fifo_occupancy(StepContext&, const Model&) {
    throw Error("step_set_fifo_depths: auto_fifo_strategy largefifo_rtlsim needs the "
                "stitched-design simulation, not available yet; set auto_fifo_depths false or "
                "auto_fifo_strategy characterize");
}

} // namespace finn
