#include "finn/transform/dataflow.h"

namespace finn {

// The parameterless forms: the default partition dir, and no FPGA part (SpecializeLayers then
// fails only where FINN needs the part: an MVAU that could be RTL).
void register_dataflow_transformations(TransformationRegistry& registry) {
    registry.add("CreateDataflowPartition",
                 [] { return std::make_unique<CreateDataflowPartition>(); });
    registry.add("SpecializeLayers", [] { return std::make_unique<SpecializeLayers>(""); });
}

} // namespace finn
