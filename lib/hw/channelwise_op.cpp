// ChannelwiseOp: per-channel add, multiply or compare with a parameter, spec §3.12.
#include "estimate_util.h"
#include "finn/hw/layers.h"

namespace finn::hw {

using namespace detail;

std::vector<AttrDecl> ChannelwiseOp::attributes(Impl) {
    return {string_attr("Func", "cmp_le", {"cmp_le", "cmp_ge", "add", "mul"}),
            int_attr("PE", kRequired),
            int_attr("NumChannels", kRequired),
            string_attr("ram_style", "distributed", {"distributed", "block"}),
            string_attr("inputDataType", kRequired),
            string_attr("paramDataType", kRequired),
            string_attr("outputDataType", kRequired),
            ints_attr("numInputVectors", nlohmann::json::array({1}))};
}

Resources ChannelwiseOp::resources(const std::string&) const {
    // FINN estimates it like Thresholding_hls: parameter memories per PE.
    const std::int64_t P = get_int("PE"), A = input_datatype(0).bitwidth();
    const std::int64_t tmem = get_int("NumChannels") / P;
    const std::string style = get_string("ram_style");
    Resources r;
    if (style == "block" && tmem > 1) r.bram_18k = ceil_div(A * P, 16) * ceil_div(tmem, 1024);
    r.lut = A * P + (style == "distributed" && tmem > 1 ? P * A * ceil_div(tmem, 64) : 0);
    return r;
}

} // namespace finn::hw
