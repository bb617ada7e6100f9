// Pool: max or average pooling over the windows of a depthwise SWG, spec/finn-ops.md §3.14.
#include "estimate_util.h"
#include "finn/hw/layers.h"

namespace finn::hw {

using namespace detail;

std::vector<AttrDecl> Pool::attributes(Impl) {
    return {int_attr("Channels", kRequired),
            int_attr("PE", 1),
            ints_attr("KernelSize", kRequired),
            string_attr("Function", kRequired, {"MaxPool", "QuantAvgPool"}),
            ints_attr("OutImgDims", kRequired),
            string_attr("InputDataType", kRequired),
            string_attr("OutputDataType", kRequired),
            int_attr("AccumBits", 0),
            int_attr("Size", 1),
            int_attr("BatchSize", 1)};
}

std::vector<FoldingAttribute> Pool::folding_attributes() const {
    return {{"PE", divisors(get_int("Channels"))}};
}

DataType Pool::input_datatype(int) const {
    return get_datatype("InputDataType");
}

DataType Pool::output_datatype(int) const {
    return get_datatype("OutputDataType");
}

Shape Pool::normal_input_shape(int) const {
    const auto out = get_ints("OutImgDims");
    return {get_int("BatchSize"), out[0], out[1],
            product(get_ints("KernelSize")) * get_int("Channels")};
}

Shape Pool::normal_output_shape(int) const {
    const auto out = get_ints("OutImgDims");
    return {get_int("BatchSize"), out[0], out[1], get_int("Channels")};
}

Shape Pool::folded_input_shape(int) const {
    Shape s = normal_input_shape(0);
    const std::int64_t pe = get_int("PE");
    s.back() /= pe;
    s.push_back(pe);
    return s;
}

Shape Pool::folded_output_shape(int) const {
    Shape s = normal_output_shape(0);
    const std::int64_t pe = get_int("PE");
    s.back() /= pe;
    s.push_back(pe);
    return s;
}

std::int64_t Pool::exp_cycles() const {
    const auto out = get_ints("OutImgDims");
    return get_int("Channels") * product(get_ints("KernelSize")) / get_int("PE") * out[0] * out[1] *
           get_int("BatchSize");
}

} // namespace finn::hw
