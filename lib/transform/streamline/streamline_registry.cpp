#include "finn/transform/streamline.h"
#include "finn/transform/streamline_conv.h"

namespace finn {

namespace {

template <class T> void add(TransformationRegistry& registry) {
    registry.add(std::string(T().name()), [] { return std::make_unique<T>(); });
}

} // namespace

void register_streamline_transformations(TransformationRegistry& registry) {
    add<ConvertSubToAdd>(registry);
    add<ConvertDivToMul>(registry);
    add<BatchNormToAffine>(registry);
    add<ConvertSignToThres>(registry);
    add<MoveAddPastMul>(registry);
    add<MoveScalarMulPastMatMul>(registry);
    add<MoveScalarAddPastMatMul>(registry);
    add<MoveAddPastConv>(registry);
    add<MoveScalarMulPastConv>(registry);
    add<MoveMulPastMaxPool>(registry);
    add<MoveScalarLinearPastInvariants>(registry);
    add<MoveLinearPastFork>(registry);
    add<MoveLinearPastEltwiseAdd>(registry);
    add<CollapseRepeatedAdd>(registry);
    add<CollapseRepeatedMul>(registry);
    add<AbsorbSignBiasIntoMultiThreshold>(registry);
    add<AbsorbAddIntoMultiThreshold>(registry);
    add<AbsorbMulIntoMultiThreshold>(registry);
    add<FactorOutMulSignMagnitude>(registry);
    add<Absorb1BitMulIntoMatMul>(registry);
    add<Absorb1BitMulIntoConv>(registry);
    add<AbsorbScalarMulAddIntoTopK>(registry);
    add<RoundAndClipThresholds>(registry);
    add<ConvertBipolarMatMulToXnorPopcount>(registry);
    add<Streamline>(registry);
    add<LowerConvsToMatMul>(registry);
    add<MakeMaxPoolNHWC>(registry);
    add<AbsorbTransposeIntoMultiThreshold>(registry);
}

} // namespace finn
