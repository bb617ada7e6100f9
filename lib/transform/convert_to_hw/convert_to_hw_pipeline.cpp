#include "convert_to_hw_util.h"
#include "finn/transform/convert_to_hw.h"
#include "finn/transform/tidy_up.h"

#include <memory>

namespace finn {

namespace {

// step_convert_to_hw runs the convolution conversions only when the graph has an Im2Col, decided
// once before the first of them (which removes the Im2Cols). The first wrapper decides, the others
// read the shared decision; each keeps its transformation's name for the build log.
class IfGraphHasIm2Col : public Transformation {
public:
    IfGraphHasIm2Col(std::unique_ptr<Transformation> inner, std::shared_ptr<bool> decision,
                     bool decides)
        : inner_(std::move(inner)), decision_(std::move(decision)), decides_(decides) {}
    std::string_view name() const override { return inner_->name(); }
    bool run(Model& model) override {
        if (decides_) {
            *decision_ = false;
            for (Node node : model.nodes())
                *decision_ = *decision_ || node.is_general_op("Im2Col");
        }
        inner_->set_diagnostics(forward_warnings());
        return *decision_ && inner_->run(model);
    }

private:
    std::unique_ptr<Transformation> inner_;
    std::shared_ptr<bool> decision_;
    bool decides_;
};

} // namespace

Pipeline convert_to_hw_step_pipeline(bool standalone_thresholds) {
    Pipeline pipeline;
    if (standalone_thresholds) pipeline.add(std::make_unique<InferThresholdingLayer>());
    pipeline.add(std::make_unique<InferBinaryMatrixVectorActivation>())
        .add(std::make_unique<InferQuantizedMatrixVectorActivation>())
        .add(std::make_unique<InferVectorVectorActivation>())
        .add(std::make_unique<InferLabelSelectLayer>())
        .add(std::make_unique<InferThresholdingLayer>())
        .add(std::make_unique<InferAddStreamsLayer>())
        .add(std::make_unique<InferChannelwiseLinearLayer>())
        .add(std::make_unique<InferGlobalAccPoolLayer>())
        .add(std::make_unique<InferPool>());
    auto has_im2col = std::make_shared<bool>(false);
    pipeline
        .add(std::make_unique<IfGraphHasIm2Col>(std::make_unique<InferConvInpGen>(), has_im2col,
                                                true))
        .add(std::make_unique<IfGraphHasIm2Col>(std::make_unique<InferStreamingMaxPool>(),
                                                has_im2col, false))
        .add(std::make_unique<IfGraphHasIm2Col>(std::make_unique<RemoveCNVtoFCFlatten>(),
                                                has_im2col, false));
    pipeline.add(std::make_unique<AbsorbConsecutiveTransposes>())
        .add(std::make_unique<InferDuplicateStreamsLayer>())
        .add(std::make_unique<GiveUniqueNodeNames>())
        .add(std::make_unique<InferDataLayouts>())
        .add(std::make_unique<CheckAllNodesConvertible>());
    return pipeline;
}

} // namespace finn
