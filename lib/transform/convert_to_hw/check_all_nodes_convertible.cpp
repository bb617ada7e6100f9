#include "convert_to_hw_util.h"
#include "finn/core/error.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/convert_to_hw.h"

#include <algorithm>
#include <map>
#include <set>

namespace finn {

using namespace hw_convert;

namespace {

const std::set<std::string> kLayoutGlue = {"Reshape", "Flatten",   "Transpose",
                                           "Squeeze", "Unsqueeze", "Identity"};
const std::set<std::string> kOutputScaling = {"Add", "Sub", "Mul", "Div"};

bool is_standard_in(const Node& node, const std::set<std::string>& op_types) {
    return is_standard_domain(node.domain()) && op_types.count(node.op_type());
}

// Why a node was not converted: the converting transformation's own reason where there is one.
std::string why_not_converted(Model& model, const Node& node, bool between, bool tail) {
    std::string reason;
    try {
        if (node.is_standard_op("MatMul"))
            reason = model.sparsity(node.input(1))
                         ? InferVectorVectorActivation::unsupported_reason(model, node)
                         : InferQuantizedMatrixVectorActivation::unsupported_reason(model, node);
        else if (node.is_general_op("XnorPopcountMatMul"))
            reason = InferBinaryMatrixVectorActivation::unsupported_reason(model, node);
        else if (node.is_general_op("MultiThreshold"))
            reason = InferThresholdingLayer::unsupported_reason(model, node);
        else if (node.is_standard_op("TopK"))
            reason = InferLabelSelectLayer::unsupported_reason(model, node);
        else if (node.is_general_op("Im2Col"))
            reason = InferConvInpGen::unsupported_reason(model, node);
        else if (node.is_general_op("MaxPoolNHWC")) {
            reason = InferStreamingMaxPool::unsupported_reason(model, node);
            if (!reason.empty())
                reason = "not a StreamingMaxPool: " + reason +
                         "; not a Pool: " + InferPool::unsupported_reason(model, node);
        } else if (node.is_standard_op("MaxPool") || node.is_general_op("QuantAvgPool2d"))
            reason = InferPool::unsupported_reason(model, node);
        else if (node.is_standard_op("GlobalAveragePool"))
            reason = InferGlobalAccPoolLayer::unsupported_reason(model, node);
        else if (node.is_standard_op("Add") && !tail && !model.has_initializer(node.input(0)) &&
                 !model.has_initializer(node.input(1)))
            reason = InferAddStreamsLayer::unsupported_reason(model, node);
        else if ((node.is_standard_op("Add") || node.is_standard_op("Mul")) && !tail)
            reason = InferChannelwiseLinearLayer::unsupported_reason(model, node);
        else if (node.is_standard_op("Conv"))
            return "convolutions must first be lowered to Im2Col + MatMul (LowerConvsToMatMul "
                   "in step_streamline)";
        else if (is_standard_in(node, kLayoutGlue))
            return between ? "layout changes between hardware layers are only removed as a "
                             "flatten before an MVAU (RemoveCNVtoFCFlatten) or as inverse "
                             "Transpose pairs (AbsorbConsecutiveTransposes)"
                           : "";
        else if (is_standard_in(node, kOutputScaling))
            return "a scale or bias left by streamlining that no hardware layer computes";
        else if (is_fpgadataflow_domain(node.domain()))
            return "its backend attribute is not \"fpgadataflow\"";
        else
            return "step_convert_to_hw has no hardware layer for " + node.op_type();
    } catch (const Error& e) {
        return e.what();
    }
    if (reason.empty())
        reason = "convertible, but its conversion did not run (InferConvInpGen and "
                 "InferStreamingMaxPool only run when the graph has an Im2Col)";
    return reason;
}

struct Problem {
    std::string node_name;
    std::string description; // the node, where it stands, and why it was not converted
};

std::string count_of(std::size_t nodes) {
    return std::to_string(nodes) + (nodes == 1 ? " node" : " nodes");
}

// A big net can have dozens of problems, each a long sentence: the message stays one readable
// line (the first problem whole, then a few names), every problem is in the details.
constexpr std::size_t kNamesInMessage = 5;

Error problems_error(std::string message, const std::vector<Problem>& problems) {
    if (problems.empty()) return Error(message);
    message += ": " + problems[0].description;
    if (problems.size() > 1) {
        message += "; also ";
        const std::size_t named = std::min(problems.size() - 1, kNamesInMessage);
        for (std::size_t i = 1; i <= named; ++i)
            message += (i > 1 ? ", " : "") + problems[i].node_name;
        if (problems.size() - 1 > named)
            message += " and " + std::to_string(problems.size() - 1 - named) + " more";
    }
    std::string details;
    for (const Problem& p : problems)
        details += p.description + "\n";
    return Error(message, details);
}

} // namespace

bool CheckAllNodesConvertible::run(Model& model) {
    const std::vector<int> order = model.topological_order();
    const int n = model.node_count();
    std::vector<bool> hw(n), after_hw(n), before_hw(n);
    std::map<std::string, int> producer;
    std::map<std::string, std::vector<int>> readers;
    for (int i = 0; i < n; ++i) {
        Node node = model.node(i);
        hw[i] = is_dataflow_node(node);
        for (const auto& t : node.outputs())
            if (!t.empty()) producer[t] = i;
        for (const auto& t : node.inputs())
            if (!t.empty()) readers[t].push_back(i);
    }
    // Downstream of a hardware layer, in topological order.
    for (int i : order)
        for (const auto& t : model.node(i).inputs())
            if (auto p = producer.find(t); p != producer.end())
                if (hw[p->second] || after_hw[p->second]) after_hw[i] = true;
    // Upstream of a hardware layer, in reverse topological order.
    for (auto it = order.rbegin(); it != order.rend(); ++it)
        for (const auto& t : model.node(*it).outputs())
            for (int r : readers[t])
                if (hw[r] || before_hw[r]) before_hw[*it] = true;

    std::vector<Problem> problems;
    bool any_hw = false;
    for (int i = 0; i < n; ++i) {
        any_hw = any_hw || hw[i];
        if (hw[i]) continue;
        Node node = model.node(i);
        const bool between = after_hw[i] && before_hw[i];
        const bool tail = after_hw[i] && !before_hw[i];
        if (!between && is_standard_in(node, kLayoutGlue)) continue;
        // The quantizer of a float input runs on the host, in FINN's parent model.
        const bool head = before_hw[i] && !after_hw[i];
        if (head && node.is_general_op("MultiThreshold") &&
            !model.datatype(node.input(0)).is_integer())
            continue;
        if (tail && is_standard_in(node, kOutputScaling)) continue;
        const std::string position = between
                                         ? " between hardware layers (FINN's dataflow partition "
                                           "must be contiguous)"
                                     : tail         ? " after the last hardware layer"
                                     : before_hw[i] ? " before the first hardware layer"
                                                    : "";
        problems.push_back({node.name(), node.describe() + position + ": " +
                                             why_not_converted(model, node, between, tail)});
    }
    if (!any_hw)
        throw problems_error("CheckAllNodesConvertible: no node became a hardware layer", problems);
    if (!problems.empty())
        throw problems_error("CheckAllNodesConvertible: " + count_of(problems.size()) +
                                 " stand in the way of FINN's single dataflow partition",
                             problems);
    return false;
}

} // namespace finn
