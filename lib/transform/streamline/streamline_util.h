// Helpers shared by the streamlining rewrites: matching linear nodes and their constants, writing
// parameters without touching other readers, float32 arithmetic as numpy does it, and keeping
// shapes and graph order consistent after rewiring.
#pragma once

#include "finn/core/datatype.h"
#include "finn/exec/broadcast.h"
#include "finn/transform/transformation.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace finn::streamline {

// Applies one rewrite pattern until it no longer matches anywhere.
bool apply_pattern(Model& model, std::unique_ptr<RewritePattern> pattern);

// --- matching ---------------------------------------------------------------------------------

// The data input and the constant parameter of a two-input node: the parameter is input 1 (an
// initializer, with input 0 not one); for the commutative Add and Mul also input 0.
struct Operands {
    std::string data;
    std::string param;
};
std::optional<Operands> constant_operand(const Model& model, const Node& node);

// Rewires a two-input node to read (data, param) in that order.
void set_operands(Node& node, const std::string& data, const std::string& param);

// The node computing `tensor`, when `tensor` is its only output, is read by exactly one node and
// is not a graph output.
std::optional<Node> exclusive_producer(Model& model, const std::string& tensor);

// qonnx's is_join_node: more than one input that is not a constant.
bool is_join(const Model& model, const Node& node);

// Every dimension is 1 (also a 0-d tensor): the constant acts as a scalar.
bool is_scalar(const Tensor& t);
// The only axis longer than 1; empty when there is none or several.
std::optional<int> varying_axis(const Tensor& t);
// Scalar, or varying along one axis that is `axis` of a rank-`rank` tensor it broadcasts with
// (numpy aligns shapes to the right).
bool is_scalar_or_along(const Tensor& t, int rank, int axis);

// The channel axis of a MultiThreshold input of rank `rank` (last for a layout ending in C, else
// 1; a 2D input has its channels on axis 1 either way).
int channel_axis(const Node& multithreshold, int rank);

// Every value is allowed by `type`.
bool all_allowed(const DataType& type, const Tensor& values);

// --- rewriting --------------------------------------------------------------------------------

// Stores `value` as the initializer `node` reads at `input`. When another node (or the graph
// interface) also uses that initializer, the value goes to a fresh copy (with the same datatype
// annotation) that only `node` reads. Returns the name written.
std::string write_param(Model& model, Node& node, int input, const Tensor& value);

// A new initializer "<prefix><k>".
std::string add_param(Model& model, const std::string& prefix, const Tensor& value);

// Swaps a chain `first` -> `second`, where `second` reads `first`'s output at input
// `second_data`: afterwards `second` reads `first`'s old input `first_data`, writes `first`'s
// old output (the middle tensor keeps its name, with another meaning), and `first` turns that
// into `second`'s old output. Node handles stay valid; call keep_sorted when done.
void swap_chain(Node& first, int first_data, Node& second, int second_data);

// Records `shape` for a rewired tensor, or drops its stale value_info when the shape is unknown.
void record_shape(Model& model, const std::string& tensor, const std::optional<Shape>& shape);

// The broadcast of a known shape with a constant's shape; empty when unknown or incompatible.
std::optional<Shape> broadcast(const std::optional<Shape>& shape, const Shape& constant);

// Removes initializers, value_info and annotations of the tensors nothing uses any more.
void remove_if_unused(Model& model, const std::vector<std::string>& tensors);

// Restores a topological order after rewiring (stable: a chain keeps its order).
void keep_sorted(Model& model);

// Moves `linear` (Add/Mul with a constant, operands re-set as data then param) behind `consumer`,
// the node it alone feeds: the consumer now reads the linear node's input, and the tensor between
// them takes the consumer's output shape. Keeps the graph sorted.
void move_linear_behind(Model& model, Node& linear, const Operands& operands, Node& consumer);

// --- arithmetic -------------------------------------------------------------------------------

// numpy's result type for two constants: float64 if either is, else float32.
ElementType float_result_type(const Tensor& a, const Tensor& b);

// Element-wise with broadcasting, each result rounded to the working float type (what numpy
// computes on float32 arrays, bit for bit).
template <class F> Tensor elementwise(const Tensor& a, const Tensor& b, F f) {
    return broadcast_binary(a, b, float_result_type(a, b), f);
}

// The tensor as a float type (float64 stays, everything else becomes float32).
Tensor as_float(const Tensor& t);

} // namespace finn::streamline
