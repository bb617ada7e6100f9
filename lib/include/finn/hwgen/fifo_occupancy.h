// The simulation step_set_fifo_depths sizes FIFOs with (auto_fifo_strategy largefifo_rtlsim):
// the stitched design of a dataflow partition whose FIFOs record their peak occupancy
// (depth_monitor = 1, from insert_monitored_fifos in finn/transform/fifo_sizing.h), fed input
// frames until its output has streamed (spec/finn-ops.md §6.4 step 3).
#pragma once

#include "finn/ir/model.h"

#include <cstdint>
#include <map>
#include <string>

namespace finn {

class StepContext; // finn/step/step_tool.h (the step's output folder, log and configuration)

// Peak occupancy of every StreamingFIFO of `model_with_monitored_fifos`, by node name. Throws
// finn::Error (one line) when the design cannot be simulated.
std::map<std::string, std::int64_t>
simulate_fifo_occupancy(StepContext& ctx, const Model& model_with_monitored_fifos);

} // namespace finn
