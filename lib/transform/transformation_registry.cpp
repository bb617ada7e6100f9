// The one list of Finn's transformations by name (MLIR's pass registry): a new transformation
// adds one line here, and every pipeline and user's step tool can then name it.
#include "finn/core/error.h"
#include "finn/core/strings.h"
#include "finn/transform/convert_to_hw.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/fifo_sizing.h"
#include "finn/transform/folding.h"
#include "finn/transform/qonnx_to_finn.h"
#include "finn/transform/stream_insertion.h"
#include "finn/transform/streamline.h"
#include "finn/transform/streamline_conv.h"
#include "finn/transform/tidy_up.h"

namespace finn {

void TransformationRegistry::add(const std::string& name, Factory factory) {
    factories_[name] = std::move(factory);
}

std::unique_ptr<Transformation> TransformationRegistry::create(const std::string& name) const {
    auto it = factories_.find(name);
    if (it == factories_.end())
        throw Error("unknown transformation '" + name + "'; known: " + join(names()));
    return it->second();
}

std::vector<std::string> TransformationRegistry::names() const {
    std::vector<std::string> result;
    for (const auto& [n, f] : factories_)
        result.push_back(n);
    return result;
}

namespace {

// Registers T under the name its instances report, constructed with `args` each time.
template <class T, class... Args> void add(TransformationRegistry& registry, Args... args) {
    TransformationRegistry::Factory factory = [=] { return std::make_unique<T>(args...); };
    registry.add(std::string(factory()->name()), factory);
}

TransformationRegistry every_transformation() {
    TransformationRegistry r;
    // tidy_up.h
    add<InferShapes>(r);
    add<FoldConstants>(r);
    add<GiveUniqueNodeNames>(r);
    add<GiveReadableTensorNames>(r);
    add<GiveUniqueParameterTensors>(r);
    add<RemoveUnusedTensors>(r);
    add<RemoveStaticGraphInputs>(r);
    add<RemoveIdentityOps>(r);
    add<InferDataTypes>(r);
    add<InferDataLayouts>(r);
    // qonnx_to_finn.h
    add<CleanupModel>(r);
    add<FoldTransposeIntoQuantInit>(r);
    add<ExtractBiasFromConv>(r);
    add<GemmToMatMul>(r);
    add<FoldQuantWeights>(r);
    add<ConvertQuantActToMultiThreshold>(r);
    add<AvgPoolAndTruncToQuantAvgPool>(r);
    add<ConvertQONNXtoFINN>(r);
    // streamline.h, streamline_conv.h
    add<ConvertSubToAdd>(r);
    add<ConvertDivToMul>(r);
    add<BatchNormToAffine>(r);
    add<ConvertSignToThres>(r);
    add<MoveAddPastMul>(r);
    add<MoveScalarMulPastMatMul>(r);
    add<MoveScalarAddPastMatMul>(r);
    add<MoveAddPastConv>(r);
    add<MoveScalarMulPastConv>(r);
    add<MoveMulPastDWConv>(r);
    add<MoveMulPastMaxPool>(r);
    add<MoveScalarLinearPastInvariants>(r);
    add<MoveLinearPastFork>(r);
    add<MoveLinearPastEltwiseAdd>(r);
    add<CollapseRepeatedAdd>(r);
    add<CollapseRepeatedMul>(r);
    add<AbsorbSignBiasIntoMultiThreshold>(r);
    add<AbsorbAddIntoMultiThreshold>(r);
    add<AbsorbMulIntoMultiThreshold>(r);
    add<FactorOutMulSignMagnitude>(r);
    add<Absorb1BitMulIntoMatMul>(r);
    add<Absorb1BitMulIntoConv>(r);
    add<AbsorbScalarMulAddIntoTopK>(r);
    add<RoundAndClipThresholds>(r);
    add<ConvertBipolarMatMulToXnorPopcount>(r);
    add<Streamline>(r);
    add<LowerConvsToMatMul>(r);
    add<MakeMaxPoolNHWC>(r);
    add<AbsorbTransposeIntoMultiThreshold>(r);
    // convert_to_hw.h
    add<InferBinaryMatrixVectorActivation>(r);
    add<InferQuantizedMatrixVectorActivation>(r);
    add<InferVectorVectorActivation>(r);
    add<InferThresholdingLayer>(r);
    add<InferLabelSelectLayer>(r);
    add<InferConvInpGen>(r);
    add<InferStreamingMaxPool>(r);
    add<InferPool>(r);
    add<InferAddStreamsLayer>(r);
    add<InferDuplicateStreamsLayer>(r);
    add<InferChannelwiseLinearLayer>(r);
    add<InferGlobalAccPoolLayer>(r);
    add<RemoveCNVtoFCFlatten>(r);
    add<AbsorbConsecutiveTransposes>(r);
    add<CheckAllNodesConvertible>(r);
    // dataflow.h: the default partition dir; no FPGA part (SpecializeLayers then fails only where
    // FINN needs the part: an MVAU that could be RTL); an empty configuration (ApplyConfig then
    // only reports the nodes it has no entry for).
    add<CreateDataflowPartition>(r);
    add<SpecializeLayers>(r, std::string());
    add<ApplyConfig>(r, AttributeConfig());
    // folding.h, with FINN's defaults (SetFolding: 1000 cycles per frame).
    add<AnnotateCycles>(r);
    add<SetFolding>(r, std::int64_t{1000});
    add<MinimizeWeightBitWidth>(r);
    add<MinimizeAccumulatorWidth>(r);
    // stream_insertion.h, with FINN's defaults (InsertFIFO: no shallow FIFOs, no depth limit
    // for Q_srl FIFOs, ram_style auto).
    add<InsertDWC>(r);
    add<InsertFIFO>(r);
    // fifo_sizing.h, with FINN's defaults (RemoveShallowFIFOs: depth <= 0; SplitLargeFIFOs: rtl
    // up to 256, Vivado FIFOs up to 32768 words).
    add<RemoveShallowFIFOs>(r);
    add<SplitLargeFIFOs>(r);
    add<CapConvolutionFIFODepths>(r);
    return r;
}

} // namespace

const TransformationRegistry& transformation_registry() {
    static const TransformationRegistry registry = every_transformation();
    return registry;
}

} // namespace finn
