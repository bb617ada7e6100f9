// What the layers' hardware slots (generate_hardware, cppsim) share: parameter values in the form
// hw_codegen writes them, the hls models' element types of FINN datatypes, and a node's integer
// initializers.
#pragma once

#include "finn/core/error.h"
#include "finn/exec/kernel.h"
#include "finn/hls/element_packing.h"
#include "finn/hls/threshold_table.h"
#include "finn/hw/hw_layer.h"
#include "finn/hw/layer_definition.h"

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace finn::hw::detail {

// Builds HardwareModule::parameters: integers as decimal, strings as they are (the writer quotes
// every value that is not a number).
class ParameterList {
public:
    ParameterList& add(std::string name, std::int64_t value) {
        list_.emplace_back(std::move(name), std::to_string(value));
        return *this;
    }
    ParameterList& add(std::string name, std::string value) {
        list_.emplace_back(std::move(name), std::move(value));
        return *this;
    }
    ParameterList& add(std::string name, const char* value) {
        return add(name, std::string(value));
    }
    std::vector<std::pair<std::string, std::string>> take() { return std::move(list_); }

private:
    std::vector<std::pair<std::string, std::string>> list_;
};

// The stream element type of a FINN integer datatype; a clear error naming node and attribute
// for a type the hardware cannot carry (floats, fixed point).
hls::ElementType element_type(const HwLayer& layer, const std::string& attribute);
hls::ElementType element_type_of(const HwLayer& layer, const DataType& type,
                                 const std::string& what);

// A node's parameter tensors (weights, thresholds) by input index: the model's initializers for
// hw_codegen, the executor's inputs for cppsim. `what` names the tensor in errors.
using ParameterInputs = std::function<Tensor(int index, const char* what)>;
ParameterInputs initializers_of(const HwLayer& layer);
ParameterInputs kernel_inputs_of(const KernelContext& ctx);

// The integer values of input `index` (weights), C order; an error naming the node when it holds a
// non-integer.
std::vector<std::int64_t> integer_values(const HwLayer& layer, const ParameterInputs& inputs,
                                         int index, const char* what);

// The thresholds of input `index`: one row shared by all channels or one per channel; fractional
// thresholds rounded up (x >= t is x >= ceil(t) for integer x).
hls::ThresholdTable threshold_table(const HwLayer& layer, const ParameterInputs& inputs, int index,
                                    std::int64_t channels, hls::ElementType type);

// Runs an hls model call, turning its std::invalid_argument into a finn::Error naming the node.
template <class F> auto with_node_context(const HwLayer& layer, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const std::invalid_argument& e) {
        throw Error("node " + layer.node().describe() + ": " + e.what());
    }
}

} // namespace finn::hw::detail

namespace finn::hw::detail {

// A memory file's name: the node's name and its purpose ("<node>_weights.dat"), so that the files
// of every node can share one folder (the stitched IP).
inline std::string memory_file_name(const HwLayer& layer, const char* purpose) {
    return layer.node().name() + "_" + purpose + ".dat";
}

} // namespace finn::hw::detail
