// AddStreams: element-wise sum of two streams, spec/finn-ops.md §3.9.
#include "estimate_util.h"
#include "finn/hw/layers.h"

namespace finn::hw {

using namespace detail;

std::vector<AttrDecl> AddStreams::attributes(Impl) {
    return {int_attr("NumChannels", kRequired), int_attr("PE", kRequired),
            string_attr("inputDataType", kRequired),
            ints_attr("numInputVectors", nlohmann::json::array({1}))};
}

DataType AddStreams::output_datatype(int) const {
    // One bit more than the inputs: the smallest type holding twice their extreme.
    const DataType idt = input_datatype(0);
    return DataType::smallest_possible(2 * (idt.is_signed() ? idt.min() : idt.max()));
}

} // namespace finn::hw
