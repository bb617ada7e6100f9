// DuplicateStreams: copies one stream to NumOutputStreams outputs, spec/finn-ops.md §3.8.
#include "estimate_util.h"
#include "finn/hw/layers.h"

namespace finn::hw {

using namespace detail;

std::vector<AttrDecl> DuplicateStreams::attributes(Impl) {
    return {int_attr("NumChannels", kRequired), int_attr("PE", kRequired),
            int_attr("NumOutputStreams", kRequired), string_attr("inputDataType", kRequired),
            ints_attr("numInputVectors", nlohmann::json::array({1}))};
}

} // namespace finn::hw
