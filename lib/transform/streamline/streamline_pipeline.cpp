// What FINN's step_streamline runs; with convolutions they are lowered to MatMul in NHWC after
// the first Streamline. Beyond FINN's default step, linear nodes are first moved past forks and
// element-wise Adds (residual blocks), as FINN's ResNet example flow does in its own step, and
// per-channel scales past depthwise convolutions, as FINN's MobileNet-v1 flow does.
#include "finn/transform/convert_to_hw.h"
#include "finn/transform/streamline.h"
#include "finn/transform/streamline_conv.h"
#include "finn/transform/tidy_up.h"

namespace finn {

namespace {

// FINN decides on the model after the first Streamline; a Pipeline has fixed entries, so the
// branch is one transformation that checks for a Conv when it runs.
class LowerConvsIfAny : public Transformation {
public:
    std::string_view name() const override { return "LowerConvsIfAny"; }
    bool run(Model& model) override {
        bool has_conv = false;
        for (const Node& node : model.nodes())
            has_conv = has_conv || (node.is_standard_op("Conv"));
        if (!has_conv) return false;
        Pipeline branch;
        branch.add(std::make_unique<LowerConvsToMatMul>())
            .add(std::make_unique<MakeMaxPoolNHWC>())
            .add(std::make_unique<AbsorbTransposeIntoMultiThreshold>())
            .add(std::make_unique<MakeMaxPoolNHWC>())
            .add(std::make_unique<AbsorbConsecutiveTransposes>());
        return branch.run(model);
    }
};

// Residual blocks: scales at forks and on both operands of an element-wise Add stop Streamline.
// As finn-examples' ResNet-50 build does, they are moved past forks and joins and Streamline runs
// again, a few rounds; a graph without forks or joins of linear nodes is left untouched.
class StreamlineAcrossBranches : public Transformation {
public:
    std::string_view name() const override { return "StreamlineAcrossBranches"; }
    bool run(Model& model) override {
        bool changed = false;
        for (int round = 0; round < 4; ++round) {
            bool moved = MoveLinearPastEltwiseAdd().run(model);
            moved = MoveLinearPastFork().run(model) || moved;
            if (!moved) break;
            Streamline().run(model);
            changed = true;
        }
        return changed;
    }
};

// Depthwise-separable blocks: the per-channel scale of the activation in front of a depthwise
// Conv stops Streamline. As FINN's MobileNet-v1 build does in its own step, it is moved past the
// Conv and Streamline runs again to absorb it; a graph without one is left untouched.
class StreamlineDepthwiseScales : public Transformation {
public:
    std::string_view name() const override { return "StreamlineDepthwiseScales"; }
    bool run(Model& model) override {
        if (!MoveMulPastDWConv().run(model)) return false;
        Streamline().run(model);
        return true;
    }
};

} // namespace

Pipeline streamline_step_pipeline() {
    Pipeline pipeline;
    pipeline.add(std::make_unique<AbsorbSignBiasIntoMultiThreshold>())
        .add(std::make_unique<Streamline>())
        .add(std::make_unique<StreamlineAcrossBranches>())
        .add(std::make_unique<StreamlineDepthwiseScales>())
        .add(std::make_unique<LowerConvsIfAny>())
        .add(std::make_unique<ConvertBipolarMatMulToXnorPopcount>())
        .add(std::make_unique<Streamline>())
        // The scale and shift of the last layer do not change which class wins.
        .add(std::make_unique<AbsorbScalarMulAddIntoTopK>())
        .add(std::make_unique<InferDataLayouts>())
        .add(std::make_unique<RemoveUnusedTensors>());
    return pipeline;
}

} // namespace finn
