// apply_patterns_greedily: the worklist rewrite driver (MLIR's greedy pattern driver).
//
// Finn's results (node order, node and tensor names) depend on the order of the rewrites, and the
// order FINN's passes have is "the first node in graph order that any pattern matches, again after
// every rewrite" — what restarting at node 0 after each rewrite gives. Restarting retries every
// earlier node, which on a graph of n nodes is O(n) match attempts per rewrite (quadratic), and
// matches decode weights. This driver gives the same order without the retries:
//
// - A node on which every pattern failed is "settled": no pattern matches it until the graph
//   around it changes. After a rewrite the scan starts again at node 0 but skips settled nodes,
//   so the next rewrite is still at the first matching node in graph order.
// - A rewrite unsettles the nodes it may have made matchable: those within kReach node hops of a
//   tensor that a new, changed or removed node reads or writes (or the matched node did). A
//   pattern looks at its node and neighbours a hop or two away (a Transpose, its MultiThreshold
//   and that one's consumer), so a failed match can only turn into a match when something that
//   close changed. Changed nodes are found by comparing each node's bytes with a snapshot taken
//   after the previous rewrite, so patterns need not report what they touched.
#include "finn/core/error.h"
#include "finn/transform/transformation.h"

#include <onnx/onnx_pb.h>
#include <unordered_map>
#include <unordered_set>

namespace finn {

namespace {

// How far (in node hops through tensors) a rewrite can change whether a pattern matches: one
// more than the farthest any pattern looks.
constexpr int kReach = 3;

using NodeId = const void*;

NodeId id_of(const Node& node) {
    return &node.proto();
}

// Every node's bytes by identity, as the graph is between two rewrites.
using Snapshot = std::unordered_map<NodeId, std::string>;

Snapshot take_snapshot(Model& model) {
    Snapshot snapshot;
    snapshot.reserve(model.node_count());
    for (const Node& node : model.nodes())
        snapshot.emplace(id_of(node), node.serialize());
    return snapshot;
}

void add_tensors(const Node& node, std::unordered_set<std::string>& tensors) {
    for (const auto& name : node.inputs())
        if (!name.empty()) tensors.insert(name);
    for (const auto& name : node.outputs())
        if (!name.empty()) tensors.insert(name);
}

void add_tensors_of_bytes(const std::string& bytes, std::unordered_set<std::string>& tensors) {
    onnx::NodeProto old;
    old.ParseFromString(bytes);
    add_tensors(Node(&old), tensors);
}

class RewriteDriver {
public:
    RewriteDriver(Model& model, const std::vector<std::unique_ptr<RewritePattern>>& patterns,
                  int max_rewrites)
        : model_(model), patterns_(patterns), max_rewrites_(max_rewrites) {}

    bool run() {
        snapshot_ = take_snapshot(model_);
        int rewrites = 0;
        for (int i = 0; i < model_.node_count();) {
            Node node = model_.node(i);
            const NodeId id = id_of(node);
            if (settled_.count(id) || !rewrite(node)) {
                settled_.insert(id);
                ++i;
                continue;
            }
            if (++rewrites > max_rewrites_) throw did_not_settle();
            unsettle_neighbourhood(id);
            i = 0;
        }
        return rewrites > 0;
    }

private:
    bool rewrite(Node node) {
        for (const auto& pattern : patterns_)
            if (pattern->match_and_rewrite(model_, node)) return true;
        return false;
    }

    // After a rewrite at the node `matched` (which may be gone): unsettles every node within
    // kReach hops of the tensors the rewrite touched, and takes the next snapshot.
    void unsettle_neighbourhood(NodeId matched) {
        std::unordered_set<std::string> touched;
        Snapshot now = take_snapshot(model_);
        for (const Node& node : model_.nodes()) {
            auto before = snapshot_.find(id_of(node));
            if (before != snapshot_.end() && before->second == now.at(id_of(node))) continue;
            add_tensors(node, touched);
            if (before != snapshot_.end()) add_tensors_of_bytes(before->second, touched);
        }
        for (const auto& [id, bytes] : snapshot_) {
            // A removed node's identity may come back as another node: forget it was settled.
            if (!now.count(id)) settled_.erase(id);
            if (!now.count(id) || id == matched) add_tensors_of_bytes(bytes, touched);
        }
        snapshot_ = std::move(now);

        std::unordered_map<std::string, std::vector<Node>> nodes_of_tensor;
        for (const Node& node : model_.nodes()) {
            for (const auto& name : node.inputs())
                nodes_of_tensor[name].push_back(node);
            for (const auto& name : node.outputs())
                nodes_of_tensor[name].push_back(node);
        }
        std::unordered_set<NodeId> reached;
        std::unordered_set<std::string> frontier = std::move(touched);
        std::unordered_set<std::string> seen_tensors = frontier;
        for (int hop = 0; hop < kReach && !frontier.empty(); ++hop) {
            std::unordered_set<std::string> next;
            for (const auto& tensor : frontier) {
                auto it = nodes_of_tensor.find(tensor);
                if (it == nodes_of_tensor.end()) continue;
                for (const Node& node : it->second) {
                    if (!reached.insert(id_of(node)).second) continue;
                    settled_.erase(id_of(node));
                    for (const auto& name : node.inputs())
                        if (!name.empty() && seen_tensors.insert(name).second) next.insert(name);
                    for (const auto& name : node.outputs())
                        if (!name.empty() && seen_tensors.insert(name).second) next.insert(name);
                }
            }
            frontier = std::move(next);
        }
    }

    Error did_not_settle() const {
        std::string names;
        for (const auto& p : patterns_)
            names += (names.empty() ? "" : ", ") + std::string(p->name());
        return Error("rewrite patterns (" + names + ") did not settle after " +
                     std::to_string(max_rewrites_) + " rewrites");
    }

    Model& model_;
    const std::vector<std::unique_ptr<RewritePattern>>& patterns_;
    int max_rewrites_;
    Snapshot snapshot_;
    std::unordered_set<NodeId> settled_;
};

} // namespace

bool apply_patterns_greedily(Model& model,
                             const std::vector<std::unique_ptr<RewritePattern>>& patterns,
                             int max_rewrites) {
    return RewriteDriver(model, patterns, max_rewrites).run();
}

} // namespace finn
