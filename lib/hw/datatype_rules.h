// The forms FINN's infer_node_datatype takes in most hardware layers (private to lib/hw/): each
// layer's definition names the rule it follows, or writes its own.
#pragma once

#include "finn/core/datatype.h"
#include "finn/ir/model.h"

#include <functional>
#include <string>

namespace finn::hw {

// Records `type` in the node's string attribute `attr`, as FINN does; true if it changed.
bool record_datatype(Node& node, const std::string& attr, const DataType& type);
// The datatype a string attribute names (e.g. outputDataType).
DataType datatype_of_attr(const Node& node, const std::string& attr);
DataType input_datatype_of(const Model& model, const Node& node, int index = 0);

// Records the input's datatype in `record_attr` (none when empty); every output has the input's
// datatype (padding, FIFOs, width converters, stream fan-out, sliding windows).
std::function<bool(Model&, Node&)> outputs_keep_input_datatype(std::string record_attr);
// Records the input's datatype in inputDataType; the output's datatype is the outputDataType
// attribute (MVAU, VVAU, Thresholding, LabelSelect).
bool output_datatype_from_attribute(Model& model, Node& node);

} // namespace finn::hw
