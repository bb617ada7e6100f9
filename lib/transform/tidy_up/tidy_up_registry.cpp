#include "finn/transform/tidy_up.h"

namespace finn {

namespace {

template <class T> void add(TransformationRegistry& registry) {
    registry.add(std::string(T().name()), [] { return std::make_unique<T>(); });
}

} // namespace

void register_tidy_up_transformations(TransformationRegistry& registry) {
    add<InferShapes>(registry);
    add<FoldConstants>(registry);
    add<GiveUniqueNodeNames>(registry);
    add<GiveReadableTensorNames>(registry);
    add<GiveUniqueParameterTensors>(registry);
    add<RemoveUnusedTensors>(registry);
    add<RemoveStaticGraphInputs>(registry);
    add<RemoveIdentityOps>(registry);
    add<InferDataTypes>(registry);
    add<InferDataLayouts>(registry);
}

} // namespace finn
