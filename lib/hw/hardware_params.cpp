#include "hardware_params.h"

#include "finn/core/error.h"

#include <cmath>
#include <stdexcept>

namespace finn::hw::detail {

hls::ElementType element_type_of(const HwLayer& layer, const DataType& type,
                                 const std::string& what) {
    try {
        return hls::ElementType::parse(type.name());
    } catch (const std::invalid_argument&) {
        throw Error("hw_codegen: node " + layer.node().describe() + ": " + what + " " +
                    type.name() +
                    " is not an integer type the hardware carries (BINARY, BIPOLAR, TERNARY, "
                    "UINTn, INTn)");
    }
}

hls::ElementType element_type(const HwLayer& layer, const std::string& attribute) {
    return element_type_of(layer, layer.get_datatype(attribute), attribute);
}

std::vector<std::int64_t> integer_initializer(const HwLayer& layer, int index, const char* what) {
    const Node& node = layer.node();
    if (node.input_count() <= index || !layer.model().has_initializer(node.input(index)))
        throw Error("hw_codegen: node " + node.describe() + " has no " + what +
                    " initializer at input " + std::to_string(index) +
                    " (the hardware embeds them)");
    std::vector<std::int64_t> values;
    for (double v : layer.model().initializer(node.input(index)).to_doubles()) {
        if (v != std::floor(v) || std::abs(v) > 9.0e15)
            throw Error("hw_codegen: node " + node.describe() + ": " + what + " value " +
                        std::to_string(v) + " is not an integer");
        values.push_back(static_cast<std::int64_t>(v));
    }
    return values;
}

hls::ThresholdTable threshold_table(const HwLayer& layer, int index, std::int64_t channels,
                                    hls::ElementType type) {
    hls::ThresholdTable table;
    table.type = type;
    table.values = integer_initializer(layer, index, "threshold");
    const Shape shape = layer.model().initializer(layer.node().input(index)).shape();
    if (shape.size() != 2 || (shape[0] != 1 && shape[0] != channels))
        throw Error("hw_codegen: node " + layer.node().describe() + ": thresholds of shape " +
                    shape_to_string(shape) + ", expected (1 or " + std::to_string(channels) +
                    ", steps)");
    table.rows = static_cast<unsigned>(shape[0]);
    table.steps = static_cast<unsigned>(shape[1]);
    return table;
}

} // namespace finn::hw::detail
