#include "finn/transform/qonnx_to_finn.h"
#include "finn/transform/tidy_up.h"

namespace finn {

ConvertQONNXtoFINN::ConvertQONNXtoFINN(QuantActFilter filter, DiagnosticSink warn)
    : filter_(std::move(filter)) {
    set_diagnostics(std::move(warn));
}

bool ConvertQONNXtoFINN::run(Model& model) {
    clear_warnings();
    // FINN's order. qonnx's model.transform() repeats each to its fixpoint; these reach it in one
    // run (their patterns are applied until none matches).
    Pipeline pipeline(forward_warnings());
    pipeline.add(std::make_unique<ExtractBiasFromConv>())
        .add(std::make_unique<GemmToMatMul>())
        .add(std::make_unique<FoldTransposeIntoQuantInit>())
        // Weight folding needs the datatypes.
        .add(std::make_unique<InferDataTypes>())
        .add(std::make_unique<FoldQuantWeights>())
        .add(std::make_unique<ConvertQuantActToMultiThreshold>(filter_))
        .add(std::make_unique<InferDataTypes>())
        .add(std::make_unique<AvgPoolAndTruncToQuantAvgPool>())
        // Removes, among others, zero padding.
        .add(std::make_unique<RemoveIdentityOps>());
    return pipeline.run(model);
}

} // namespace finn
