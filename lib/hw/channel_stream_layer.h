// The shared base of DuplicateStreams, AddStreams and ChannelwiseOp (private to lib/hw/).
#pragma once

#include "finn/hw/hw_layer.h"

namespace finn::hw {

// The layers whose streams are vecs+[C/PE, PE] on every side and whose cycles are the number of
// output words: DuplicateStreams, AddStreams, ChannelwiseOp.
class ChannelStreamLayer : public HwLayer {
public:
    using HwLayer::HwLayer;
    std::vector<FoldingAttribute> folding_attributes() const override;
    bool fold(const FoldingGoal& goal) override;
    Shape normal_input_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
};

} // namespace finn::hw
