#include "finn/transform/qonnx_to_finn.h"

#include <memory>

namespace finn {

namespace {

// Runs `inner` only if the model had QONNX quantizers when the first gate of the pipeline looked
// (the decision is shared, so a later transformation does not re-decide on a changed model).
class QuantizerGate : public Transformation {
public:
    QuantizerGate(std::unique_ptr<Transformation> inner, std::shared_ptr<int> decision, bool first)
        : inner_(std::move(inner)), decision_(std::move(decision)), first_(first) {}
    std::string_view name() const override { return inner_->name(); }
    bool run(Model& model) override {
        if (first_) *decision_ = has_qonnx_quantizers(model) ? 1 : 0;
        if (*decision_ == 0) return false;
        inner_->set_diagnostics(forward_warnings());
        return inner_->run(model);
    }

private:
    std::unique_ptr<Transformation> inner_;
    std::shared_ptr<int> decision_;
    bool first_;
};

} // namespace

bool has_qonnx_quantizers(const Model& model) {
    for (const auto& node : model.graph().node()) {
        const std::string& op = node.op_type();
        if (op == "Quant" || op == "Trunc" || op == "BinaryQuant" || op == "BipolarQuant")
            return true;
    }
    return false;
}

Pipeline qonnx_to_finn_step_pipeline(int max_multithreshold_bit_width, DiagnosticSink warn) {
    auto decision = std::make_shared<int>(0);
    Pipeline pipeline(std::move(warn));
    pipeline.add(std::make_unique<QuantizerGate>(std::make_unique<CleanupModel>(), decision, true));
    pipeline.add(
        std::make_unique<QuantizerGate>(std::make_unique<ConvertQONNXtoFINN>(
                                            default_quant_act_filter(max_multithreshold_bit_width)),
                                        decision, false));
    return pipeline;
}

} // namespace finn
