// LabelSelect: indices of the K largest inputs, spec/finn-ops.md §3.7.
#include "estimate_util.h"
#include "finn/hw/layers.h"

namespace finn::hw {

using namespace detail;

std::vector<AttrDecl> LabelSelect::attributes(Impl) {
    return {int_attr("Labels", kRequired),
            int_attr("PE", kRequired),
            int_attr("K", kRequired),
            string_attr("inputDataType", kRequired),
            string_attr("outputDataType", ""),
            ints_attr("numInputVectors", nlohmann::json::array({1}))};
}

std::vector<FoldingAttribute> LabelSelect::folding_attributes() const {
    return {{"PE", divisors(get_int("Labels"))}};
}

Shape LabelSelect::normal_input_shape(int) const {
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("Labels"));
    return s;
}

Shape LabelSelect::normal_output_shape(int) const {
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("K"));
    return s;
}

Shape LabelSelect::folded_input_shape(int) const {
    const std::int64_t pe = get_int("PE");
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("Labels") / pe);
    s.push_back(pe);
    return s;
}

Shape LabelSelect::folded_output_shape(int) const {
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("K"));
    s.push_back(1);
    return s;
}

std::int64_t LabelSelect::exp_cycles() const {
    return get_int("Labels") / get_int("PE");
}

} // namespace finn::hw
