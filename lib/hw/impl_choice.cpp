#include "impl_choice.h"

#include "datatype_rules.h"

namespace finn::hw {

bool weights_and_inputs_at_least_4_bits(const Node& node) {
    return datatype_of_attr(node, "inputDataType").bitwidth() >= 4 &&
           datatype_of_attr(node, "weightDataType").bitwidth() >= 4;
}

std::string choose_weight_layer_impl(const ImplRequest& request,
                                     const std::function<bool()>& default_rtl,
                                     const std::function<bool()>& rtl_possible,
                                     const std::string& note) {
    if (request.preferred.empty()) return default_rtl() ? "rtl" : "hls";
    if (request.preferred != "rtl") return generic_impl_style(request);
    if (rtl_possible()) return "rtl";
    request.warn("There is no RTL variant for " + request.label +
                 ". The node will automatically be set to HLS variant. Please check the "
                 "bit-widths to be <= 8 and ensure the thresholds are implemented as standalone "
                 "layer" +
                 note);
    return "hls";
}

} // namespace finn::hw
