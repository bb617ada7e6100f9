#include "finn/core/error.h"
#include "finn/core/strings.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/tidy_up.h"

#include <algorithm>
#include <map>
#include <set>

namespace finn {

bool is_dataflow_node(const Node& node) {
    if (node.op_type() == kPartitionOp || node.op_type() == "GenericPartition") return false;
    if (node.has_attr("backend")) return node.attr_string("backend") == "fpgadataflow";
    return is_fpgadataflow_domain(node.domain());
}

namespace {

std::string describe_all(Model& model, const std::vector<int>& indices) {
    std::vector<std::string> labels;
    for (int i : indices)
        labels.push_back(model.node(i).describe());
    return join(labels);
}

// Node indices reachable from `start` along tensors, forwards (consumers) or backwards
// (producers); `start` itself is included.
std::set<int> reachable(Model& model, const std::vector<int>& start, bool forward) {
    std::map<std::string, int> producer;
    std::map<std::string, std::vector<int>> consumers;
    for (int i = 0; i < model.node_count(); ++i) {
        Node n = model.node(i);
        for (const auto& t : n.outputs())
            producer[t] = i;
        for (const auto& t : n.inputs())
            consumers[t].push_back(i);
    }
    std::set<int> seen(start.begin(), start.end());
    std::vector<int> todo = start;
    while (!todo.empty()) {
        Node n = model.node(todo.back());
        todo.pop_back();
        std::vector<int> next;
        if (forward) {
            for (const auto& t : n.outputs())
                for (int c : consumers[t])
                    next.push_back(c);
        } else {
            for (const auto& t : n.inputs())
                if (auto it = producer.find(t); it != producer.end()) next.push_back(it->second);
        }
        for (int i : next)
            if (seen.insert(i).second) todo.push_back(i);
    }
    return seen;
}

// The hardware nodes of the single partition; throws the step's assertion otherwise.
std::vector<int> partition_nodes(Model& model) {
    std::map<std::int64_t, std::vector<int>> by_id;
    std::vector<int> others;
    for (int i = 0; i < model.node_count(); ++i) {
        Node n = model.node(i);
        if (is_dataflow_node(n))
            by_id[n.attr_int("partition_id", 0)].push_back(i);
        else
            others.push_back(i);
    }
    const std::string single = "Only a single StreamingDataflowPartition supported. ";
    if (by_id.empty())
        throw Error(single + "The model has no fpgadataflow nodes to partition (" +
                    std::to_string(others.size()) + " other nodes); run step_convert_to_hw first.");
    if (by_id.size() > 1) {
        std::string ids;
        for (const auto& [id, nodes] : by_id)
            ids +=
                (ids.empty() ? "" : "; ") + std::to_string(id) + ": " + describe_all(model, nodes);
        throw Error(single + "Hardware nodes carry different partition_id values (" + ids + ").");
    }
    std::vector<int> nodes = by_id.begin()->second;
    // A non-hardware node fed by the partition and feeding it would split it in two (qonnx
    // asserts "cycle-free graph violated: partition depends on itself").
    std::set<int> after = reachable(model, nodes, true), before = reachable(model, nodes, false);
    std::vector<int> between;
    for (int i : others)
        if (after.count(i) && before.count(i)) between.push_back(i);
    if (!between.empty())
        throw Error(single + "Non-hardware nodes between hardware nodes would split it: " +
                    describe_all(model, between) + ".");
    return nodes;
}

// FINN's floorplan checks: one slr per partition, at most one memory port.
void check_floorplan(Model& model, const std::vector<int>& nodes, std::int64_t& slr,
                     std::string& mem_port) {
    Node first = model.node(nodes.front());
    slr = first.attr_int("slr", -1);
    std::vector<std::string> ports;
    for (int i : nodes) {
        Node n = model.node(i);
        if (n.attr_int("slr", -1) != slr)
            throw Error("CreateDataflowPartition: all nodes with same partition_id must have the "
                        "same slr id, but " +
                        first.describe() + " has slr " + std::to_string(slr) + " and " +
                        n.describe() + " has slr " + std::to_string(n.attr_int("slr", -1)));
        std::string port = n.attr_string("mem_port", "");
        if (port.empty()) continue;
        ports.push_back(n.describe() + ": " + port);
        mem_port = port;
    }
    if (ports.size() > 1)
        throw Error("CreateDataflowPartition: Too many memory ports per partition (" + join(ports) +
                    ")");
}

const onnx::ValueInfoProto* find_value_info(const onnx::GraphProto& graph,
                                            const std::string& tensor) {
    for (const auto* list : {&graph.input(), &graph.output(), &graph.value_info()})
        for (const auto& vi : *list)
            if (vi.name() == tensor) return &vi;
    return nullptr;
}

// qonnx's ModelWrapper.cleanup(): RemoveUnusedTensors, RemoveStaticGraphInputs, SortGraph.
void cleanup(Model& model) {
    RemoveUnusedTensors().run(model);
    RemoveStaticGraphInputs().run(model);
    model.sort_topologically();
}

} // namespace

DataflowPartition create_dataflow_partition(const Model& model, const std::string& partition_dir) {
    if (std::filesystem::path(partition_dir).is_absolute())
        throw Error("CreateDataflowPartition: partition dir '" + partition_dir +
                    "' must be relative to the parent model's directory");
    Model parent = model;
    const std::vector<int> nodes = partition_nodes(parent);
    const std::set<int> in_partition(nodes.begin(), nodes.end());
    const std::int64_t id = parent.node(nodes.front()).attr_int("partition_id", 0);
    std::int64_t slr = -1;
    std::string mem_port;
    check_floorplan(parent, nodes, slr, mem_port);

    // Tensors entering the partition (not initializers, not written inside) and leaving it
    // (graph outputs or read outside), each once, in node order.
    std::set<std::string> written_inside;
    for (int i : nodes)
        for (const auto& t : parent.node(i).outputs())
            written_inside.insert(t);
    const std::vector<std::string> graph_outputs = parent.output_names();
    std::vector<std::string> p_in, p_out;
    auto add_once = [](std::vector<std::string>& list, const std::string& t) {
        if (std::find(list.begin(), list.end(), t) == list.end()) list.push_back(t);
    };
    for (int i : nodes) {
        Node n = parent.node(i);
        for (const auto& t : n.inputs())
            if (!t.empty() && !parent.has_initializer(t) && !written_inside.count(t))
                add_once(p_in, t);
        for (const auto& t : n.outputs()) {
            bool leaves =
                std::find(graph_outputs.begin(), graph_outputs.end(), t) != graph_outputs.end();
            for (Node c : parent.consumers(t))
                if (!in_partition.count(parent.index_of(c))) leaves = true;
            if (leaves) add_once(p_out, t);
        }
    }

    // The child: the hardware nodes only, bounded by p_in / p_out.
    Model child = model;
    for (int i = child.node_count() - 1; i >= 0; --i)
        if (!in_partition.count(i)) child.remove_node(i);
    auto boundary = [&](const std::vector<std::string>& tensors) {
        std::vector<onnx::ValueInfoProto> infos;
        for (const auto& t : tensors) {
            const onnx::ValueInfoProto* vi = find_value_info(model.graph(), t);
            if (!vi)
                throw Error("CreateDataflowPartition: tensor '" + t +
                            "' at the partition boundary has no shape; run InferShapes first");
            infos.push_back(*vi);
        }
        return infos;
    };
    const auto ins = boundary(p_in), outs = boundary(p_out);
    onnx::GraphProto& g = child.graph();
    g.clear_input();
    g.clear_output();
    for (const auto& vi : ins)
        *g.add_input() = vi;
    for (const auto& vi : outs)
        *g.add_output() = vi;
    for (const auto* list : {&p_in, &p_out})
        for (const auto& t : *list)
            child.remove_value_info(t);
    cleanup(child);

    DataflowPartition result;
    result.child_path = (partition_dir.empty() ? std::string() : partition_dir + "/") +
                        "partition_" + std::to_string(id) + ".onnx";

    // The parent: the partition node where the first hardware node was (qonnx's position), the
    // hardware nodes gone.
    const int position = nodes.front();
    Node sdp = parent.insert_node(position, kPartitionOp, p_in, p_out,
                                  "GenericPartition_" + std::to_string(id), domains::kFpgaDataflow);
    sdp.set_attr_string("model", result.child_path);
    sdp.set_attr_int("partition_id", 0); // index among the partitions, FINN's partition_ind
    sdp.set_attr_int("slr", slr);
    sdp.set_attr_string("mem_port", mem_port);
    for (auto it = in_partition.rbegin(); it != in_partition.rend(); ++it)
        parent.remove_node(*it >= position ? *it + 1 : *it);
    parent.add_missing_opset_imports();
    cleanup(parent);

    result.parent = std::move(parent);
    result.child = std::move(child);
    return result;
}

Model load_partition_child(const Model& parent, const std::filesystem::path& parent_dir) {
    Model copy = parent;
    std::vector<Node> partitions;
    for (Node n : copy.nodes())
        if (n.op_type() == kPartitionOp) partitions.push_back(n);
    if (partitions.size() != 1)
        throw Error("load_partition_child: expected one StreamingDataflowPartition node, found " +
                    std::to_string(partitions.size()));
    std::filesystem::path path = partitions.front().attr_string("model");
    if (path.is_relative()) path = parent_dir / path;
    return Model::load(path);
}

bool CreateDataflowPartition::run(Model& model) {
    DataflowPartition p = create_dataflow_partition(model, partition_dir_);
    model = std::move(p.parent);
    child_ = std::move(p.child);
    child_path_ = std::move(p.child_path);
    return true;
}

const Model& CreateDataflowPartition::child() const {
    if (!child_) throw Error("CreateDataflowPartition: child() before run()");
    return *child_;
}

} // namespace finn
