// GlobalAccPool: sum over all pixels of an NHWC map, spec/finn-ops.md §3.13.
#include "estimate_util.h"
#include "finn/hw/layers.h"

namespace finn::hw {

using namespace detail;

std::vector<AttrDecl> GlobalAccPool::attributes(Impl) {
    return {int_attr("NumChannels", kRequired), int_attr("PE", kRequired),
            string_attr("inputDataType", kRequired),
            ints_attr("numInputVectors", nlohmann::json::array({1}))};
}

DataType GlobalAccPool::output_datatype(int) const {
    // The sum of all pixels of a channel: the smallest type holding pixels * the input extreme.
    const DataType idt = input_datatype(0);
    const double pixels = static_cast<double>(product(get_ints("numInputVectors")));
    return DataType::smallest_possible(pixels * (idt.is_signed() ? idt.min() : idt.max()));
}

std::vector<FoldingAttribute> GlobalAccPool::folding_attributes() const {
    return {{"PE", divisors(get_int("NumChannels"))}};
}

Shape GlobalAccPool::normal_input_shape(int) const {
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("NumChannels"));
    return s;
}

Shape GlobalAccPool::normal_output_shape(int) const {
    Shape s = normal_input_shape(0);
    for (std::size_t i = 1; i + 1 < s.size(); ++i)
        s[i] = 1;
    return s;
}

Shape GlobalAccPool::folded_input_shape(int) const {
    const std::int64_t pe = get_int("PE");
    Shape s = normal_input_shape(0);
    s.back() /= pe;
    s.push_back(pe);
    return s;
}

Shape GlobalAccPool::folded_output_shape(int) const {
    const std::int64_t pe = get_int("PE");
    Shape s = normal_output_shape(0);
    s.back() /= pe;
    s.push_back(pe);
    return s;
}

std::int64_t GlobalAccPool::exp_cycles() const {
    Shape s = folded_input_shape(0);
    s.pop_back();
    return product(s) + get_int("NumChannels") / get_int("PE");
}

} // namespace finn::hw
