// Internal to the QONNX -> FINN transformations: reading quantizer parameters and small graph
// edits they share.
#pragma once

#include "finn/core/datatype.h"
#include "finn/core/tensor.h"
#include "finn/ir/model.h"

#include <optional>
#include <string>
#include <vector>

namespace finn::qonnx {

// Quant (IntQuant) or BipolarQuant, the quantizers FINN converts.
bool is_quantizer(const Node& node);
// Every input is an initializer: a quantized constant (qonnx's is_quant_init).
bool has_only_constant_inputs(const Model& model, const Node& node);

std::optional<Tensor> constant(const Model& model, const std::string& tensor);
// The initializer `node` reads as input `index`; throws finn::Error naming the node and `what`.
Tensor require_constant(const Model& model, const Node& node, int index, const std::string& what);

// The bit width of a quantizer: its constant bit_width input (Quant), 1 (BipolarQuant).
double quant_bit_width(const Model& model, const Node& node);
// qonnx's get_integer_datatype: BIPOLAR/BINARY for 1 bit, else INTb/UINTb (narrow is ignored).
DataType quant_integer_datatype(const Model& model, const Node& node);
// The integer range of a Quant: [min_int, max_int] for its signed/narrow attributes.
struct IntRange {
    double min;
    double max;
};
IntRange quant_int_range(const Model& model, const Node& node);
// Throws unless the Quant's zero point is a constant 0.
void require_zero_zero_point(const Model& model, const Node& node);

// Runs a node whose inputs are all initializers with the executor's kernel.
std::vector<Tensor> evaluate_constant_node(const Model& model, const Node& node);

// The nodes reading any output of `node`, each once, in graph order.
std::vector<Node> successors(Model& model, const Node& node);

// Sets an initializer and drops a stale value_info of another shape.
void replace_initializer(Model& model, const std::string& name, const Tensor& value);
// Gives input `index` of `node` the value `value`: in place if nothing else reads the initializer,
// else as a new initializer, so that other readers keep theirs.
void set_node_constant(Model& model, Node node, int index, const Tensor& value);
// A new float32 constant named after `hint`.
std::string add_constant(Model& model, const std::string& hint, const Tensor& value);
// A new tensor name derived from `hint`, with `shape` recorded when known.
std::string add_tensor(Model& model, const std::string& hint, const std::optional<Shape>& shape);

// Removes what no node uses any more among `names` (qonnx's cleanup after every transformation).
void remove_unused(Model& model, const std::vector<std::string>& names);
void sort_if_needed(Model& model);

// numpy's transpose (perm empty: reverse the axes).
Tensor transpose(const Tensor& value, std::vector<std::int64_t> perm);
// Float32 copy of `value`.
Tensor as_float(const Tensor& value);

} // namespace finn::qonnx
