#include "finn/transform/tidy_up.h"

namespace finn {

Pipeline tidy_up_step_pipeline() {
    Pipeline pipeline;
    pipeline.add(std::make_unique<InferShapes>())
        .add(std::make_unique<FoldConstants>())
        .add(std::make_unique<GiveUniqueNodeNames>())
        .add(std::make_unique<GiveReadableTensorNames>())
        .add(std::make_unique<InferDataTypes>())
        .add(std::make_unique<RemoveStaticGraphInputs>());
    return pipeline;
}

} // namespace finn
