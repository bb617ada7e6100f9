#include "finn/core/error.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/tidy_up.h"

#include <optional>

namespace finn {

namespace {

using Layout = std::vector<std::string>;

const Layout kNCHW = {"N", "C", "H", "W"};
const Layout kNHWC = {"N", "H", "W", "C"};
const Layout kNWC = {"N", "W", "C"};
const Layout kNC = {"N", "C"};
const Layout kUnknown = {};

// Stands for the exceptions qonnx catches to annotate a node's outputs as unknown.
struct CannotInfer {};

std::optional<std::string> layout_annotation(const Model& model, const std::string& tensor) {
    return model.annotation(tensor, "tensor_layout");
}

// qonnx's get_tensor_layout: nothing when unannotated (an annotated [] is a layout, but an empty
// one counts as absent wherever qonnx tests it for truth).
std::optional<Layout> annotated_layout(const Model& model, const std::string& tensor) {
    if (!layout_annotation(model, tensor)) return std::nullopt;
    return model.layout(tensor);
}

std::size_t rank_of(const Model& model, const std::string& tensor) {
    auto shape = model.shape(tensor);
    if (!shape) throw CannotInfer{};
    return shape->size();
}

Layout guess_by_rank(std::size_t rank) {
    if (rank == 4) return kNHWC;
    if (rank == 3) return kNWC;
    if (rank == 2) return kNC;
    return kUnknown;
}

bool is_custom(const Node& node) {
    return is_general_custom_domain(node.domain()) || is_fpgadataflow_domain(node.domain());
}

// qonnx _dims_to_layout: the layout of an output of `rank` dimensions.
Layout layout_for_rank(const Model& model, const Node& node, std::size_t rank) {
    if (rank == 2) return kNC;
    if (node.input_count() == 0) throw CannotInfer{};
    const std::string& in = node.input(0);
    if (is_custom(node)) {
        if (node.op_type() == "MultiThreshold" || node.op_type() == "QuantAvgPool2d") {
            const std::string layout = node.attr_string("data_layout", "NCHW");
            if (layout == "NHWC" && rank == 4) return kNHWC;
            if (layout == "NCHW" && rank == 4) return kNCHW;
            if (layout == "NWC" && rank == 3) return kNWC;
            return kUnknown;
        }
        // Other custom ops propagate their first input's layout when the rank matches.
        if (rank_of(model, in) == rank)
            if (auto layout = annotated_layout(model, in); layout && !layout->empty())
                return *layout;
        return guess_by_rank(rank);
    }
    if (auto layout = annotated_layout(model, in); layout && !layout->empty()) return *layout;
    return guess_by_rank(rank);
}

Layout input_layout(const Model& model, const Node& node) {
    if (node.input_count() == 0) throw CannotInfer{};
    auto layout = annotated_layout(model, node.input(0));
    if (!layout) throw CannotInfer{};
    return *layout;
}

// The layouts of a node's outputs (one per output, in order).
std::vector<Layout> infer_node(const Model& model, const Node& node) {
    const bool standard = !is_custom(node);
    if (standard && node.op_type() == "Transpose") {
        const Layout in = input_layout(model, node);
        std::vector<std::int64_t> perm = node.attr_ints("perm", {});
        if (!node.has_attr("perm")) // ONNX's default reverses the axes
            for (std::int64_t i = static_cast<std::int64_t>(in.size()) - 1; i >= 0; --i)
                perm.push_back(i);
        Layout out;
        for (auto p : perm) {
            if (p < 0 || p >= static_cast<std::int64_t>(in.size())) throw CannotInfer{};
            out.push_back(in[p]);
        }
        return {out};
    }
    if (standard && node.op_type() == "Unsqueeze") {
        Layout out = input_layout(model, node);
        out.push_back("x"); // a dummy axis, whatever the axes say (qonnx)
        return {out};
    }
    if (standard && node.op_type() == "Squeeze") {
        Layout out = input_layout(model, node);
        if (out.empty() || out.back() != "x") throw CannotInfer{};
        out.pop_back();
        return {out};
    }
    std::vector<Layout> layouts;
    for (const auto& out : node.outputs())
        layouts.push_back(out.empty() ? kUnknown
                                      : layout_for_rank(model, node, rank_of(model, out)));
    return layouts;
}

} // namespace

bool InferDataLayouts::run(Model& model) {
    bool changed = false;
    // The first graph input is annotated by guesswork if it has no layout (qonnx).
    const auto inputs = model.graph_input_names();
    if (!inputs.empty() && !layout_annotation(model, inputs[0])) {
        auto shape = model.shape(inputs[0]);
        std::size_t rank = shape ? shape->size() : 0;
        if (rank == 4)
            model.set_layout(inputs[0], kNCHW);
        else if (rank == 3 || rank == 2)
            model.set_layout(inputs[0], guess_by_rank(rank));
        else
            throw Error("InferDataLayouts: graph input '" + inputs[0] + "' has " +
                        (shape ? std::to_string(rank) + " dimensions" : "no known shape") +
                        "; cannot guess its layout (expected 2, 3 or 4 dimensions)");
        changed = true;
    }
    for (Node node : model.nodes()) {
        std::vector<std::optional<std::string>> before;
        for (const auto& out : node.outputs())
            before.push_back(layout_annotation(model, out));
        std::vector<Layout> layouts;
        try {
            layouts = infer_node(model, node);
        } catch (const CannotInfer&) {
            layouts.assign(node.output_count(), kUnknown);
        }
        for (int k = 0; k < node.output_count() && k < static_cast<int>(layouts.size()); ++k)
            if (!node.output(k).empty()) model.set_layout(node.output(k), layouts[k]);
        for (int k = 0; k < node.output_count(); ++k)
            changed |= layout_annotation(model, node.output(k)) != before[k];
    }
    return changed;
}

} // namespace finn
