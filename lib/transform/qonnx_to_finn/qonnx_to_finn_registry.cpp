#include "finn/transform/qonnx_to_finn.h"

namespace finn {

namespace {

template <class T> void add(TransformationRegistry& registry) {
    registry.add(std::string(T().name()), [] { return std::make_unique<T>(); });
}

} // namespace

void register_qonnx_to_finn_transformations(TransformationRegistry& registry) {
    add<CleanupModel>(registry);
    add<FoldTransposeIntoQuantInit>(registry);
    add<ExtractBiasFromConv>(registry);
    add<GemmToMatMul>(registry);
    add<FoldQuantWeights>(registry);
    add<ConvertQuantActToMultiThreshold>(registry);
    add<AvgPoolAndTruncToQuantAvgPool>(registry);
    add<ConvertQONNXtoFINN>(registry);
}

} // namespace finn
