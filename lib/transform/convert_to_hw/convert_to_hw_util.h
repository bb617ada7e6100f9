// Helpers shared by the convert_to_hw transformations: recognising nodes, placing new nodes where
// FINN inserts them, writing attributes the way onnx.helper.make_node does, and the rewrite-then-
// reinfer loop every Infer* transformation runs.
#pragma once

#include "finn/core/datatype.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/transformation.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace finn::hw_convert {

// --- recognising nodes ------------------------------------------------------------------------

// Node::is_standard_op / is_general_op, Model::single_consumer and is_dataflow_node (dataflow.h)
// recognise nodes. (Model::single_consumer, unlike FINN's find_consumer, which returns the first
// reader, never rewires a fork.)

// The channel axis MultiThreshold uses for an input of rank `rank`: last when data_layout ends
// in C or the input is 2D, else 1.
int multithreshold_channel_axis(const Node& multithreshold, int rank);

// The MultiThreshold an MVAU (or VVAU) can absorb: the only reader of `product` (rank `rank`,
// `channels` = MH columns), with constant thresholds that apply along the last axis. Thresholds
// with neither 1 nor `channels` rows are an error (FINN asserts); `layer` names the absorbing
// layer in that message.
std::optional<Node> absorbable_thresholds(Model& model, const std::string& product,
                                          std::int64_t channels, int rank,
                                          const std::string& layer = "an MVAU");

// The ActVal of an absorbing MVAU/VVAU for MultiThreshold `mt`, checked as FINN asserts: out_bias
// integral, out_scale 1 (or 2 with out_bias -1 for a BIPOLAR output, ActVal 0), and a signed
// output needs out_bias < 0. `layer` ("an MVAU", "a VVAU") is for the messages.
std::int64_t absorbed_act_val(const Model& model, const Node& mt, const std::string& layer);

// Whether `tensor` is annotated as a 4D NCHW tensor (FINN's DataLayout.NCHW test).
bool is_nchw(const Model& model, const std::string& tensor);

// FINN's nchw_to_nhwc: a Transpose inserted at `index` between the 4D NCHW tensor `nchw` and a new
// NHWC tensor (returned), reading `nchw` when `to_nhwc`, else writing it. The new tensor gets its
// shape, `type` and the NHWC layout.
std::string add_nhwc_transpose(Model& model, int index, const std::string& nchw, bool to_nhwc,
                               const DataType& type);

// The NHWC version of the 4D NCHW tensor `nchw` for a node about to be placed at `index`: the
// output of a Transpose (perm 0,2,3,1) of `nchw` that an earlier node already computes, so that
// one tensor read twice stays one fork; else a new Transpose inserted at `index`, which then
// advances.
std::string nhwc_input(Model& model, int& index, const std::string& nchw, const DataType& type);

// --- building nodes ---------------------------------------------------------------------------

using AttrValue = std::variant<std::int64_t, std::string, std::vector<std::int64_t>>;
// Sets the attributes in name order, as onnx.helper.make_node writes keyword arguments.
void set_attrs(Node& node, const std::map<std::string, AttrValue>& attrs);

// Replaces the node at `index` by a hardware op of finn.custom_op.fpgadataflow at the same
// position, with `backend` added to `attrs`; returns the new node.
Node replace_with_hw_node(Model& model, int index, const std::string& op_type,
                          const std::vector<std::string>& inputs,
                          const std::vector<std::string>& outputs, const std::string& name,
                          std::map<std::string, AttrValue> attrs);

// Shape without its last dimension (FINN's numInputVectors).
std::vector<std::int64_t> leading_dims(const Shape& shape);

// The MatMul an MVAU replaces: its tensors, matrix size and the datatypes it streams.
struct MvauSource {
    std::string input, weights, product, name;
    std::int64_t mw, mh;
    Shape in_shape;
};
// MVAU attributes every inference sets: MW, MH, PE = SIMD = 1, datatypes, binaryXnorMode and
// numInputVectors; the activation attributes are added by the caller or by replace_with_mvau.
std::map<std::string, AttrValue> mvau_attributes(const MvauSource& source,
                                                 const std::string& input_datatype,
                                                 const std::string& weight_datatype, bool xnor);
// Replaces the MatMul at `index` by an MVAU. With `thresholds` (the absorbed MultiThreshold, whose
// activation attributes the caller has put into `attrs`), the MVAU reads `threshold_tensor` and
// writes the MultiThreshold's output, and the MultiThreshold goes; without, the MVAU has
// noActivation=1 and writes the MatMul's output.
void replace_with_mvau(Model& model, int index, const MvauSource& source,
                       std::map<std::string, AttrValue> attrs,
                       const std::optional<Node>& thresholds, const std::string& threshold_tensor);

// --- running ----------------------------------------------------------------------------------

// Applies `rewrite` to nodes in graph order, restarting after each rewrite, until it rewrites
// nothing; when anything changed and `reinfer`, re-infers shapes and datatypes (what most of
// FINN's Infer* do last).
bool convert_all(Model& model, const std::string& pattern_name,
                 const std::function<bool(Model&, Node)>& rewrite, bool reinfer = true);

// A float attribute for messages: "0.5", "-2".
std::string format_number(double v);

// "node x (MatMul, ...)" — how errors about a node start.
std::string where(const Node& node);

} // namespace finn::hw_convert
