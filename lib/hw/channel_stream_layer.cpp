// What DuplicateStreams, AddStreams and ChannelwiseOp share: vecs+[C/PE, PE] streams and one
// cycle per output word.
#include "channel_stream_layer.h"

#include "estimate_util.h"
#include "folding_rules.h"

namespace finn::hw {

std::vector<FoldingAttribute> ChannelStreamLayer::folding_attributes() const {
    return {{"PE", divisors(get_int("NumChannels"))}};
}

Shape ChannelStreamLayer::normal_input_shape(int) const {
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("NumChannels"));
    return s;
}

Shape ChannelStreamLayer::folded_input_shape(int) const {
    const std::int64_t pe = get_int("PE");
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("NumChannels") / pe);
    s.push_back(pe);
    return s;
}

bool ChannelStreamLayer::fold(const FoldingGoal& goal) {
    fold_to_target(*this, "PE", get_int("NumChannels"), goal.target_cycles);
    return true;
}

std::int64_t ChannelStreamLayer::exp_cycles() const {
    Shape s = folded_output_shape(0);
    s.pop_back();
    return product(s);
}

} // namespace finn::hw
