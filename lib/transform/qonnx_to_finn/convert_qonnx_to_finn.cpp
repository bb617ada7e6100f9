#include "finn/transform/qonnx_to_finn.h"
#include "finn/transform/tidy_up.h"

namespace finn {

ConvertQONNXtoFINN::ConvertQONNXtoFINN(QuantActFilter filter, WarningSink warn)
    : filter_(std::move(filter)), warn_(std::move(warn)) {}

bool ConvertQONNXtoFINN::run(Model& model) {
    warnings_.clear();
    WarningSink collect = [this](const std::string& message) {
        warnings_.push_back(message);
        if (warn_) warn_(message);
    };
    // FINN's order. qonnx's model.transform() repeats each to its fixpoint; these reach it in one
    // run (their patterns are applied until none matches).
    Pipeline pipeline;
    pipeline.add(std::make_unique<ExtractBiasFromConv>(collect))
        .add(std::make_unique<GemmToMatMul>())
        .add(std::make_unique<FoldTransposeIntoQuantInit>())
        // Weight folding needs the datatypes.
        .add(std::make_unique<InferDataTypes>())
        .add(std::make_unique<FoldQuantWeights>())
        .add(std::make_unique<ConvertQuantActToMultiThreshold>(filter_, collect))
        .add(std::make_unique<InferDataTypes>())
        .add(std::make_unique<AvgPoolAndTruncToQuantAvgPool>())
        // Removes, among others, zero padding.
        .add(std::make_unique<RemoveIdentityOps>());
    return pipeline.run(model);
}

} // namespace finn
