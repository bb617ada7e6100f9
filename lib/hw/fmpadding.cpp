// FMPadding: zero padding of an NHWC feature map, spec/finn-ops.md §3.5.
#include "estimate_util.h"
#include "finn/hw/layers.h"

namespace finn::hw {

using namespace detail;

std::vector<AttrDecl> FMPadding::attributes(Impl) {
    return {ints_attr("ImgDim", kRequired),          ints_attr("Padding", kRequired),
            int_attr("NumChannels", kRequired),      int_attr("SIMD", 1),
            string_attr("inputDataType", kRequired), int_attr("numInputVectors", 1)};
}

std::vector<FoldingAttribute> FMPadding::folding_attributes() const {
    return {{"SIMD", divisors(get_int("NumChannels"))}};
}

DataType FMPadding::output_datatype(int) const {
    return input_datatype(0);
}

namespace {
// Padding as [top, left, bottom, right] (a 2-value form means symmetric).
std::vector<std::int64_t> padding(const HwLayer& l) {
    auto p = l.get_ints("Padding");
    if (p.size() == 2) p = {p[0], p[1], p[0], p[1]};
    return p;
}
} // namespace

Shape FMPadding::normal_input_shape(int) const {
    const auto dim = get_ints("ImgDim");
    return {1, dim[0], dim[1], get_int("NumChannels")};
}

Shape FMPadding::normal_output_shape(int) const {
    const auto dim = get_ints("ImgDim");
    const auto p = padding(*this);
    return {1, dim[0] + p[0] + p[2], dim[1] + p[1] + p[3], get_int("NumChannels")};
}

Shape FMPadding::folded_input_shape(int) const {
    Shape s = normal_input_shape(0);
    const std::int64_t simd = get_int("SIMD");
    s.back() /= simd;
    s.push_back(simd);
    return s;
}

Shape FMPadding::folded_output_shape(int) const {
    Shape s = normal_output_shape(0);
    const std::int64_t simd = get_int("SIMD");
    s.back() /= simd;
    s.push_back(simd);
    return s;
}

std::int64_t FMPadding::exp_cycles() const {
    const Shape out = normal_output_shape(0);
    return (get_int("NumChannels") / get_int("SIMD")) * get_int("numInputVectors") * out[1] *
           out[2];
}

} // namespace finn::hw
