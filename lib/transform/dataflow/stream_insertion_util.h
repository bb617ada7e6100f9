// What InsertDWC and InsertFIFO share: which nodes take part (FINN's is_fpgadataflow_node), where
// a tensor enters its reader, and how a new hardware node and its output tensor are made.
#pragma once

#include "../convert_to_hw/convert_to_hw_util.h"
#include "finn/core/datatype.h"
#include "finn/hw/hw_layer.h"
#include "finn/ir/model.h"

#include <memory>
#include <string>
#include <string_view>

namespace finn::stream_insertion {

// FINN's is_fpgadataflow_node: a node of an fpgadataflow domain with backend "fpgadataflow".
bool is_hw_node(const Node& node);
// The abstract op or one of its variants: "StreamingFIFO", "StreamingFIFO_rtl".
bool is_op(const Node& node, std::string_view abstract_op);
// The layer object of a hardware node; a node Finn does not model is an error naming the pass.
std::unique_ptr<hw::HwLayer> layer_of(Model& model, const Node& node, std::string_view pass);
// The first input of `reader` that is `tensor` (the reader must read it).
int input_index(const Node& reader, const std::string& tensor);
// The entry `index` of a node's inFIFODepths/outFIFODepths; a list too short is an error.
std::int64_t fifo_depth_entry(const hw::HwLayer& layer, const std::string& attr, int index,
                              std::string_view pass);
// The normal shape of the stream on `tensor`: FINN takes the layer's normal shape (`layer_shape`);
// where Finn's graph records the tensor with another rank but the same elements (the 4D 1x1 map
// RemoveCNVtoFCFlatten leaves in front of and behind an FC MVAU whose numInputVectors is [1]),
// the recorded shape, which is what the executor passes along. Different element counts are an
// error naming the node.
Shape stream_shape(const Model& model, const std::string& tensor, const Shape& layer_shape,
                   const Node& node, std::string_view pass);
// A fresh tensor name "<prefix><k>" for a copy of the stream on `like`: its shape and datatype
// recorded, with the ONNX element type of `like` (an INT64 label output stays INT64).
std::string new_tensor(Model& model, const std::string& prefix, const std::string& like,
                       const Shape& shape, const DataType& type);
// Inserts an abstract hardware node (finn.custom_op.fpgadataflow, backend fpgadataflow) named
// like GiveUniqueNodeNames names nodes, at position `index`.
Node insert_hw_node(Model& model, int index, const std::string& op_type, const std::string& name,
                    const std::vector<std::string>& inputs, const std::vector<std::string>& outputs,
                    std::map<std::string, hw_convert::AttrValue> attrs);

} // namespace finn::stream_insertion
