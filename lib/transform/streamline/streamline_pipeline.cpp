// What FINN's step_streamline runs on a network without convolutions.
#include "finn/transform/streamline.h"
#include "finn/transform/tidy_up.h"

namespace finn {

Pipeline streamline_step_pipeline() {
    Pipeline pipeline;
    pipeline.add(std::make_unique<AbsorbSignBiasIntoMultiThreshold>())
        .add(std::make_unique<Streamline>())
        .add(std::make_unique<ConvertBipolarMatMulToXnorPopcount>())
        .add(std::make_unique<Streamline>())
        // The scale and shift of the last layer do not change which class wins.
        .add(std::make_unique<AbsorbScalarMulAddIntoTopK>())
        .add(std::make_unique<InferDataLayouts>())
        .add(std::make_unique<RemoveUnusedTensors>());
    return pipeline;
}

} // namespace finn
