#include "convert_to_hw_util.h"
#include "finn/hw/registry.h"
#include "finn/transform/convert_to_hw.h"

#include <algorithm>

namespace finn {

using namespace hw_convert;

namespace {

bool is_mvau(const Node& node) {
    if (!is_dataflow_node(node)) return false;
    auto kind = hw::layer_kind(node.op_type(), node.domain());
    return kind && kind->abstract_op == "MVAU";
}

// Removes `nodes` and the tensors only they read or wrote.
void remove_with_tensors(Model& model, const std::vector<Node>& nodes) {
    std::vector<int> indices;
    std::vector<std::string> tensors;
    for (const Node& node : nodes) {
        indices.push_back(model.index_of(node));
        for (const auto& t : node.inputs())
            tensors.push_back(t);
        for (const auto& t : node.outputs())
            tensors.push_back(t);
    }
    // Highest index first, so that the others stay where they are.
    std::sort(indices.rbegin(), indices.rend());
    for (int index : indices)
        model.remove_node(index);
    for (const auto& t : tensors)
        if (!t.empty()) model.remove_tensor_if_unused(t);
}

// The MVAU after an NHWC -> NCHW Transpose and a Flatten reads the NHWC tensor instead: its weight
// rows, in (c, h, w) order, are reordered to (h, w, c).
bool absorb_transpose(Model& model, Node flatten, Node transpose, Node mvau) {
    if (transpose.attr_ints("perm", {}) != std::vector<std::int64_t>{0, 3, 1, 2}) return false;
    auto hw = model.producer(transpose.input(0));
    if (!hw || !is_dataflow_node(*hw) || !is_mvau(mvau)) return false;
    // The Transpose goes away, so nothing else may read its output.
    auto only = model.single_consumer(transpose.output(0));
    if (!only || !(*only == flatten)) return false;
    auto nhwc = model.shape(transpose.input(0));
    if (!nhwc || nhwc->size() != 4 || !model.has_initializer(mvau.input(1))) return false;
    const std::int64_t h = (*nhwc)[1], w = (*nhwc)[2], c = (*nhwc)[3];
    const Tensor weights = model.initializer(mvau.input(1));
    if (weights.rank() != 2 || weights.shape()[0] != c * h * w) return false;
    const std::int64_t mh = weights.shape()[1];

    const auto old = weights.to_doubles();
    std::vector<double> reordered(old.size());
    for (std::int64_t ch = 0; ch < c; ++ch)
        for (std::int64_t y = 0; y < h; ++y)
            for (std::int64_t x = 0; x < w; ++x)
                for (std::int64_t j = 0; j < mh; ++j)
                    reordered[((y * w + x) * c + ch) * mh + j] =
                        old[((ch * h + y) * w + x) * mh + j];
    std::string name = mvau.input(1);
    if (model.consumers(name).size() > 1) {
        // Another node reads the same weights; give this MVAU its own copy.
        const std::string copy = model.fresh_name(name + "_nhwc");
        if (model.has_datatype(name)) model.set_datatype(copy, model.datatype(name));
        mvau.set_input(1, copy);
        name = copy;
    }
    model.set_initializer(name, Tensor::from_doubles(weights.type(), weights.shape(), reordered));
    mvau.set_input(0, transpose.input(0));
    remove_with_tensors(model, {flatten, transpose});
    return true;
}

bool remove_flatten(Model& model, Node node) {
    if (!node.is_standard_op("Flatten") && !node.is_standard_op("Reshape")) return false;
    auto in = model.shape(node.input(0)), out = model.shape(node.output(0));
    if (!in || !out || in->empty() || out->size() != 2 || (*in)[0] != (*out)[0]) return false;
    auto producer = model.producer(node.input(0));
    auto consumer = model.single_consumer(node.output(0));
    if (!producer || !consumer || consumer->input(0) != node.output(0)) return false;
    if (is_dataflow_node(*producer)) {
        if (!is_dataflow_node(*consumer)) return false;
        // As FINN: the stream is the same, only its declared shape differs.
        consumer->set_input(0, node.input(0));
        remove_with_tensors(model, {node});
        return true;
    }
    if (producer->is_standard_op("Transpose"))
        return absorb_transpose(model, node, *producer, *consumer);
    return false;
}

} // namespace

bool RemoveCNVtoFCFlatten::run(Model& model) {
    // FINN re-infers nothing here (the consumer now reads the unflattened tensor).
    return convert_all(model, std::string(name()), remove_flatten, false);
}

} // namespace finn
