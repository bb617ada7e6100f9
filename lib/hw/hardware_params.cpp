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
        throw Error("node " + layer.node().describe() + ": " + what + " " + type.name() +
                    " is not an integer type the hardware carries (BINARY, BIPOLAR, TERNARY, "
                    "UINTn, INTn)");
    }
}

hls::ElementType element_type(const HwLayer& layer, const std::string& attribute) {
    return element_type_of(layer, layer.get_datatype(attribute), attribute);
}

ParameterInputs initializers_of(const HwLayer& layer) {
    return [&layer](int index, const char* what) {
        const Node& node = layer.node();
        if (node.input_count() <= index || !layer.model().has_initializer(node.input(index)))
            throw Error("node " + node.describe() + " has no " + what + " initializer at input " +
                        std::to_string(index) + " (the hardware embeds them)");
        return layer.model().initializer(node.input(index));
    };
}

ParameterInputs kernel_inputs_of(const KernelContext& ctx) {
    return [&ctx](int index, const char*) { return ctx.input(index); };
}

std::vector<std::int64_t> integer_values(const HwLayer& layer, const ParameterInputs& inputs,
                                         int index, const char* what) {
    std::vector<std::int64_t> values;
    for (double v : inputs(index, what).to_doubles()) {
        if (v != std::floor(v) || std::abs(v) > 9.0e15)
            throw Error("node " + layer.node().describe() + ": " + what + " value " +
                        std::to_string(v) + " is not an integer");
        values.push_back(static_cast<std::int64_t>(v));
    }
    return values;
}

hls::ThresholdTable threshold_table(const HwLayer& layer, const ParameterInputs& inputs, int index,
                                    std::int64_t channels, hls::ElementType type) {
    const Tensor thresholds = inputs(index, "threshold");
    hls::ThresholdTable table;
    table.type = type;
    // For integer inputs x >= t is x >= ceil(t): fractional thresholds are rounded up.
    for (double t : thresholds.to_doubles()) {
        const double up = std::ceil(t);
        if (!std::isfinite(up) || std::abs(up) > 9.0e15)
            throw Error("node " + layer.node().describe() + ": threshold " + std::to_string(t) +
                        " is not a " + type.name() + " value");
        table.values.push_back(static_cast<std::int64_t>(up));
    }
    const Shape shape = thresholds.shape();
    if (shape.size() != 2 || (shape[0] != 1 && shape[0] != channels))
        throw Error("node " + layer.node().describe() + ": thresholds of shape " +
                    shape_to_string(shape) + ", expected (1 or " + std::to_string(channels) +
                    ", steps)");
    table.rows = static_cast<unsigned>(shape[0]);
    table.steps = static_cast<unsigned>(shape[1]);
    return table;
}

} // namespace finn::hw::detail
