// StreamingDataWidthConverter: repacks a stream into words of another width, spec §3.10.
#include "estimate_util.h"
#include "finn/hw/layers.h"

#include <cmath>
#include <numeric>

namespace finn::hw {

using namespace detail;

std::vector<AttrDecl> StreamingDataWidthConverter::attributes(Impl) {
    return {ints_attr("shape", kRequired), int_attr("inWidth", kRequired),
            int_attr("outWidth", kRequired), string_attr("dataType", kRequired)};
}

DataType StreamingDataWidthConverter::input_datatype(int) const {
    return get_datatype("dataType");
}

DataType StreamingDataWidthConverter::output_datatype(int) const {
    return get_datatype("dataType");
}

Shape StreamingDataWidthConverter::normal_input_shape(int) const {
    return get_ints("shape");
}

Shape StreamingDataWidthConverter::normal_output_shape(int) const {
    return get_ints("shape");
}

namespace {
Shape fold_by_width(Shape s, std::int64_t width, std::int64_t bits) {
    const std::int64_t elems = width / bits;
    s.back() /= elems;
    s.push_back(elems);
    return s;
}
} // namespace

Shape StreamingDataWidthConverter::folded_input_shape(int) const {
    return fold_by_width(get_ints("shape"), get_int("inWidth"), input_datatype(0).bitwidth());
}

Shape StreamingDataWidthConverter::folded_output_shape(int) const {
    return fold_by_width(get_ints("shape"), get_int("outWidth"), input_datatype(0).bitwidth());
}

Resources StreamingDataWidthConverter::resources(const std::string&) const {
    // Counters and word registers around the intermediate width lcm(in, out).
    const std::int64_t in = get_int("inWidth"), out = get_int("outWidth");
    const std::int64_t l = std::lcm(in, out);
    auto log_ratio = [](double a, double b) {
        return static_cast<std::int64_t>(std::abs(std::ceil(std::log2(a / b))));
    };
    const std::int64_t cnt =
        (in != l ? log_ratio(static_cast<double>(in), static_cast<double>(l)) : 0) +
        (l != out ? log_ratio(static_cast<double>(l), static_cast<double>(out)) : 0);
    const std::int64_t cset = (in != l ? l : 0) + (l != out ? out : 0);
    Resources r;
    r.lut = cnt + cset;
    return r;
}

} // namespace finn::hw
