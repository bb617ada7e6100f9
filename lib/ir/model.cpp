#include "finn/ir/model.h"

#include "finn/core/error.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/ir/tensor_proto.h"
#include "finn/util/file_io.h"
#include "schema_registry.h"

#include <algorithm>
#include <functional>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>
#include <queue>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace finn {

namespace {
// The domains of the model's nodes: the schemas shape inference and the checker need.
std::set<std::string> node_domains(const Model& model) {
    std::set<std::string> domains;
    for (const auto& n : model.graph().node())
        domains.insert(n.domain());
    return domains;
}

const char* const kDatatypeKey = "finn_datatype";
const char* const kLayoutKey = "tensor_layout";
const char* const kSparsityKey = "tensor_sparsity";
} // namespace

Model::Model() {
    proto_.set_ir_version(onnx::IR_VERSION);
    proto_.mutable_graph();
}

Model::Model(onnx::ModelProto proto) : proto_(std::move(proto)) {}

Model Model::parse(std::string_view bytes, std::string_view source) {
    onnx::ModelProto proto;
    // protobuf accepts many byte strings as some message; an ONNX model must at least carry an IR
    // version and a graph.
    if (bytes.empty() || !proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
        proto.ir_version() <= 0 || !proto.has_graph())
        throw Error(std::string(source) +
                    ": not an ONNX model (truncated or not a serialized ModelProto)");
    return Model(std::move(proto));
}

Model Model::load(const std::filesystem::path& path) {
    return parse(read_file(path), path.string());
}

std::string Model::serialize() const {
    // Sized up front: growing the string while serializing costs more than the serialization.
    std::string bytes(proto_.ByteSizeLong(), '\0');
    {
        google::protobuf::io::ArrayOutputStream stream(bytes.data(),
                                                       static_cast<int>(bytes.size()));
        google::protobuf::io::CodedOutputStream coded(&stream);
        coded.SetSerializationDeterministic(true);
        proto_.SerializeWithCachedSizes(&coded);
        if (coded.HadError() || coded.ByteCount() != static_cast<int>(bytes.size()))
            throw Error("cannot serialize the model (over 2 GiB?)");
    }
    return bytes;
}

bool Model::save(const std::filesystem::path& path) const {
    return write_file_if_changed(path, serialize());
}

// --- nodes and graph structure ------------------------------------------------------------------

int Model::node_count() const {
    return graph().node_size();
}

Node Model::node(int index) {
    if (index < 0 || index >= node_count())
        throw Error("node index " + std::to_string(index) + " out of range (graph has " +
                    std::to_string(node_count()) + " nodes)");
    return Node(graph().mutable_node(index));
}

std::vector<Node> Model::nodes() {
    std::vector<Node> result;
    for (auto& n : *graph().mutable_node())
        result.emplace_back(&n);
    return result;
}

std::optional<Node> Model::node_by_name(const std::string& name) {
    for (auto& n : *graph().mutable_node())
        if (n.name() == name) return Node(&n);
    return std::nullopt;
}

int Model::index_of(const Node& node) const {
    for (int i = 0; i < node_count(); ++i)
        if (&graph().node(i) == &node.proto()) return i;
    throw Error("node " + node.describe() + " is not in this model");
}

std::optional<Node> Model::producer(const std::string& tensor) {
    if (tensor.empty()) return std::nullopt;
    for (auto& n : *graph().mutable_node())
        for (const auto& out : n.output())
            if (out == tensor) return Node(&n);
    return std::nullopt;
}

std::vector<Node> Model::consumers(const std::string& tensor) {
    std::vector<Node> result;
    if (tensor.empty()) return result;
    for (auto& n : *graph().mutable_node())
        if (std::find(n.input().begin(), n.input().end(), tensor) != n.input().end())
            result.emplace_back(&n);
    return result;
}

bool Model::is_graph_output(const std::string& tensor) const {
    for (const auto& v : graph().output())
        if (v.name() == tensor) return true;
    return false;
}

std::optional<Node> Model::single_consumer(const std::string& tensor) {
    if (is_graph_output(tensor)) return std::nullopt;
    auto readers = consumers(tensor);
    if (readers.size() != 1) return std::nullopt;
    return readers.front();
}

std::optional<Node> Model::single_consumer(const Node& node) {
    if (node.output_count() != 1) return std::nullopt;
    return single_consumer(node.output(0));
}

std::vector<int> Model::topological_order() const {
    const auto& g = graph();
    const int n = g.node_size();
    std::unordered_map<std::string, int> producer_of;
    for (int i = 0; i < n; ++i)
        for (const auto& out : g.node(i).output())
            if (!out.empty()) producer_of.emplace(out, i);
    // Kahn's algorithm, always taking the lowest ready index so a sorted graph keeps its order.
    std::vector<int> pending(n, 0);
    std::vector<std::vector<int>> successors(n);
    for (int i = 0; i < n; ++i) {
        std::set<int> preds;
        for (const auto& in : g.node(i).input()) {
            auto it = producer_of.find(in);
            if (it != producer_of.end()) preds.insert(it->second);
        }
        for (int p : preds)
            successors[p].push_back(i);
        pending[i] = static_cast<int>(preds.size());
    }
    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (int i = 0; i < n; ++i)
        if (pending[i] == 0) ready.push(i);
    std::vector<int> order;
    while (!ready.empty()) {
        int i = ready.top();
        ready.pop();
        order.push_back(i);
        for (int s : successors[i])
            if (--pending[s] == 0) ready.push(s);
    }
    if (static_cast<int>(order.size()) != n) {
        for (int i = 0; i < n; ++i)
            if (pending[i] > 0) {
                Node node(const_cast<onnx::NodeProto*>(&g.node(i)));
                throw Error("graph has a cycle through node " + node.describe());
            }
    }
    return order;
}

bool Model::is_topologically_sorted() const {
    auto order = topological_order();
    for (int i = 0; i < static_cast<int>(order.size()); ++i)
        if (order[i] != i) return false;
    return true;
}

void Model::sort_topologically() {
    const auto order = topological_order();
    // Swaps node pointers into place instead of copying the nodes (weights live in initializers,
    // but attribute tensors can be large).
    const int n = node_count();
    std::vector<int> position(n), original(n); // original node -> position, position -> node
    for (int i = 0; i < n; ++i)
        position[i] = original[i] = i;
    auto* nodes = graph().mutable_node();
    for (int i = 0; i < n; ++i) {
        const int from = position[order[i]];
        if (from == i) continue;
        nodes->SwapElements(i, from);
        const int displaced = original[i];
        original[from] = displaced;
        position[displaced] = from;
        original[i] = order[i];
        position[order[i]] = i;
    }
}

Node Model::add_node(const std::string& op_type, const std::vector<std::string>& inputs,
                     const std::vector<std::string>& outputs, const std::string& name,
                     const std::string& domain) {
    auto* n = graph().add_node();
    n->set_op_type(op_type);
    if (!name.empty()) n->set_name(name);
    if (!domain.empty()) n->set_domain(domain);
    for (const auto& in : inputs)
        n->add_input(in);
    for (const auto& out : outputs)
        n->add_output(out);
    return Node(n);
}

Node Model::insert_node(int index, const std::string& op_type,
                        const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs, const std::string& name,
                        const std::string& domain) {
    if (index < 0 || index > node_count())
        throw Error("cannot insert a node at " + std::to_string(index) + ": graph has " +
                    std::to_string(node_count()) + " nodes");
    add_node(op_type, inputs, outputs, name, domain);
    // The graph only appends; swap the new node back to `index` (pointers, not copies).
    auto* nodes = graph().mutable_node();
    for (int i = nodes->size() - 1; i > index; --i)
        nodes->SwapElements(i, i - 1);
    return node(index);
}

void Model::remove_node(int index) {
    if (index < 0 || index >= node_count())
        throw Error("cannot remove node " + std::to_string(index) + ": graph has " +
                    std::to_string(node_count()) + " nodes");
    graph().mutable_node()->DeleteSubrange(index, 1);
}

namespace {
// Calls f with every tensor name the graph mentions, in a fixed order (inputs, initializers, node
// inputs and outputs, value_info, outputs); names can repeat and be empty.
template <class F> void visit_tensor_names(const onnx::GraphProto& g, F&& f) {
    for (const auto& v : g.input())
        f(v.name());
    for (const auto& t : g.initializer())
        f(t.name());
    for (const auto& n : g.node()) {
        for (const auto& in : n.input())
            f(in);
        for (const auto& out : n.output())
            f(out);
    }
    for (const auto& v : g.value_info())
        f(v.name());
    for (const auto& v : g.output())
        f(v.name());
}
} // namespace

std::vector<std::string> Model::tensor_names() const {
    std::vector<std::string> names;
    std::unordered_set<std::string> seen;
    visit_tensor_names(graph(), [&](const std::string& name) {
        if (!name.empty() && seen.insert(name).second) names.push_back(name);
    });
    return names;
}

std::string Model::fresh_name(std::string_view prefix) const {
    // Only names that start with the prefix can collide with a candidate: collect their suffixes
    // (views into the graph, which does not change here) instead of copying every name.
    std::unordered_set<std::string_view> taken;
    auto note = [&](const std::string& name) {
        if (name.size() > prefix.size() &&
            std::string_view(name).substr(0, prefix.size()) == prefix)
            taken.insert(std::string_view(name).substr(prefix.size()));
    };
    visit_tensor_names(graph(), note);
    for (const auto& n : graph().node())
        note(n.name());
    for (std::size_t k = 0;; ++k) {
        const std::string suffix = std::to_string(k);
        if (!taken.count(suffix)) return std::string(prefix) + suffix;
    }
}

std::string Model::fresh_node_name(std::string_view op_type) const {
    return fresh_name(std::string(op_type) + "_");
}

std::vector<std::string> Model::input_names() const {
    std::vector<std::string> names;
    for (const auto& v : graph().input())
        if (!has_initializer(v.name())) names.push_back(v.name());
    return names;
}

std::vector<std::string> Model::output_names() const {
    std::vector<std::string> names;
    for (const auto& v : graph().output())
        names.push_back(v.name());
    return names;
}

std::vector<std::string> Model::graph_input_names() const {
    std::vector<std::string> names;
    for (const auto& v : graph().input())
        names.push_back(v.name());
    return names;
}

void Model::remove_graph_input(const std::string& name) {
    auto* inputs = graph().mutable_input();
    for (int i = 0; i < inputs->size(); ++i)
        if (inputs->Get(i).name() == name) {
            *graph().add_value_info() = inputs->Get(i);
            inputs->DeleteSubrange(i, 1);
            break;
        }
    // Before IR version 4 every initializer had to be a graph input.
    if (has_initializer(name) && proto_.ir_version() < 4) proto_.set_ir_version(4);
}

void Model::rename_tensors(const std::map<std::string, std::string>& renames) {
    auto rename = [&](std::string* name) {
        auto it = renames.find(*name);
        if (it != renames.end()) *name = it->second;
    };
    auto& g = graph();
    for (auto* list : {g.mutable_input(), g.mutable_output(), g.mutable_value_info()})
        for (auto& v : *list)
            rename(v.mutable_name());
    for (auto& t : *g.mutable_initializer())
        rename(t.mutable_name());
    for (auto& a : *g.mutable_quantization_annotation())
        rename(a.mutable_tensor_name());
    for (auto& n : *g.mutable_node()) {
        for (auto& in : *n.mutable_input())
            rename(&in);
        for (auto& out : *n.mutable_output())
            rename(&out);
    }
}

void Model::rename_tensor(const std::string& from, const std::string& to) {
    rename_tensors({{from, to}});
}

bool Model::remove_tensor_if_unused(const std::string& tensor) {
    if (tensor.empty()) return false;
    for (const auto& v : graph().output())
        if (v.name() == tensor) return false;
    const auto inputs = input_names();
    if (std::find(inputs.begin(), inputs.end(), tensor) != inputs.end()) return false;
    for (const auto& n : graph().node())
        for (const auto* names : {&n.input(), &n.output()})
            for (const auto& name : *names)
                if (name == tensor) return false;
    // A static input (an initializer listed as graph input) is a parameter: it goes entirely.
    if (has_initializer(tensor)) {
        auto* graph_inputs = graph().mutable_input();
        for (int i = graph_inputs->size() - 1; i >= 0; --i)
            if (graph_inputs->Get(i).name() == tensor) graph_inputs->DeleteSubrange(i, 1);
    }
    remove_initializer(tensor);
    remove_value_info(tensor);
    remove_annotations(tensor);
    return true;
}

// --- initializers --------------------------------------------------------------------------------

bool Model::has_initializer(const std::string& name) const {
    for (const auto& t : graph().initializer())
        if (t.name() == name) return true;
    return false;
}

Tensor Model::initializer(const std::string& name) const {
    for (const auto& t : graph().initializer())
        if (t.name() == name) return tensor_from_proto(t);
    throw Error("no initializer named '" + name + "'");
}

Shape Model::initializer_shape(const std::string& name) const {
    for (const auto& t : graph().initializer())
        if (t.name() == name) return Shape(t.dims().begin(), t.dims().end());
    throw Error("no initializer named '" + name + "'");
}

void Model::set_initializer(const std::string& name, const Tensor& value) {
    for (auto& t : *graph().mutable_initializer())
        if (t.name() == name) {
            t = tensor_to_proto(value, name);
            return;
        }
    *graph().add_initializer() = tensor_to_proto(value, name);
}

void Model::remove_initializer(const std::string& name) {
    auto* inits = graph().mutable_initializer();
    for (int i = 0; i < inits->size(); ++i)
        if (inits->Get(i).name() == name) {
            inits->DeleteSubrange(i, 1);
            return;
        }
}

std::vector<std::string> Model::initializer_names() const {
    std::vector<std::string> names;
    for (const auto& t : graph().initializer())
        names.push_back(t.name());
    return names;
}

// --- shapes and element types -------------------------------------------------------------------

namespace {

const onnx::ValueInfoProto* find_value_info(const onnx::GraphProto& g, const std::string& name) {
    for (const auto* list : {&g.input(), &g.output(), &g.value_info()})
        for (const auto& v : *list)
            if (v.name() == name) return &v;
    return nullptr;
}

onnx::ValueInfoProto* find_value_info(onnx::GraphProto& g, const std::string& name) {
    for (auto* list : {g.mutable_input(), g.mutable_output(), g.mutable_value_info()})
        for (auto& v : *list)
            if (v.name() == name) return &v;
    return nullptr;
}

} // namespace

std::optional<Shape> Model::shape(const std::string& tensor) const {
    if (const auto* v = find_value_info(graph(), tensor)) {
        if (v->type().has_tensor_type() && v->type().tensor_type().has_shape()) {
            Shape shape;
            for (const auto& d : v->type().tensor_type().shape().dim())
                shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
            return shape;
        }
    }
    for (const auto& t : graph().initializer())
        if (t.name() == tensor) return Shape(t.dims().begin(), t.dims().end());
    return std::nullopt;
}

void Model::set_shape(const std::string& tensor, const Shape& shape, int elem_type) {
    auto* v = find_value_info(graph(), tensor);
    if (!v) {
        v = graph().add_value_info();
        v->set_name(tensor);
    }
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(elem_type);
    auto* s = tt->mutable_shape();
    s->clear_dim();
    for (auto d : shape) {
        auto* dim = s->add_dim();
        if (d >= 0) dim->set_dim_value(d);
    }
}

int Model::elem_type(const std::string& tensor) const {
    if (const auto* v = find_value_info(graph(), tensor))
        if (v->type().has_tensor_type()) return v->type().tensor_type().elem_type();
    for (const auto& t : graph().initializer())
        if (t.name() == tensor) return t.data_type();
    return 0;
}

std::vector<std::string> Model::value_info_names() const {
    std::vector<std::string> names;
    for (const auto& v : graph().value_info())
        names.push_back(v.name());
    return names;
}

void Model::remove_value_info(const std::string& tensor) {
    auto* infos = graph().mutable_value_info();
    for (int i = infos->size() - 1; i >= 0; --i)
        if (infos->Get(i).name() == tensor) infos->DeleteSubrange(i, 1);
}

int Model::opset_version(const std::string& domain) const {
    for (const auto& op : proto_.opset_import())
        if (op.domain() == domain ||
            (is_standard_domain(op.domain()) && is_standard_domain(domain)))
            return static_cast<int>(op.version());
    return 0;
}

bool Model::add_missing_opset_imports() {
    std::set<std::string> imported;
    for (const auto& op : proto_.opset_import())
        imported.insert(op.domain());
    bool added = false;
    for (const auto& n : graph().node()) {
        const std::string& domain = n.domain();
        if (is_standard_domain(domain) || imported.count(domain)) continue;
        auto* op = proto_.add_opset_import();
        op->set_domain(domain);
        op->set_version(1);
        imported.insert(domain);
        added = true;
    }
    return added;
}

void Model::infer_shapes() {
    add_missing_opset_imports();
    // Recompute every intermediate and output shape from the graph inputs, so that a shape a pass
    // made stale (say, after changing a kernel attribute) is replaced instead of contradicting the
    // new one. Whatever inference cannot recompute (ops without a shape function) is restored.
    auto& g = graph();
    std::vector<onnx::ValueInfoProto> previous(g.value_info().begin(), g.value_info().end());
    std::vector<onnx::TypeProto> previous_outputs;
    g.clear_value_info();
    for (auto& output : *g.mutable_output()) {
        previous_outputs.push_back(output.type());
        if (output.type().has_tensor_type())
            output.mutable_type()->mutable_tensor_type()->clear_shape();
    }
    try {
        onnx::ShapeInferenceOptions options(/*check_type=*/false, /*strict_mode=*/1,
                                            /*data_prop=*/false);
        // Builds only the schemas this model uses (see schema_registry.h).
        onnx::shape_inference::InferShapes(proto_, lazy_schema_registry(), options);
    } catch (const std::exception& e) {
        g.clear_value_info();
        for (auto& v : previous)
            *g.add_value_info() = std::move(v);
        for (int i = 0; i < g.output_size(); ++i)
            *g.mutable_output(i)->mutable_type() = previous_outputs[i];
        std::string message = e.what();
        std::replace(message.begin(), message.end(), '\n', ' ');
        throw Error("shape inference failed: " + message);
    }
    for (auto& v : previous)
        if (!shape(v.name())) *g.add_value_info() = std::move(v);
    for (int i = 0; i < g.output_size(); ++i) {
        auto* type = g.mutable_output(i)->mutable_type();
        if (!type->has_tensor_type() || !type->tensor_type().has_shape())
            *type = previous_outputs[i];
    }
    // ONNX also records an untyped graph output in value_info; one ValueInfo per tensor (the
    // graph input's or output's) keeps a second run identical and qonnx's lookups unambiguous.
    std::set<std::string> graph_io;
    for (const auto& v : g.input())
        graph_io.insert(v.name());
    for (auto& output : *g.mutable_output()) {
        graph_io.insert(output.name());
        if (output.type().has_tensor_type() && output.type().tensor_type().has_shape()) continue;
        for (const auto& v : g.value_info())
            if (v.name() == output.name()) *output.mutable_type() = v.type();
    }
    auto* infos = g.mutable_value_info();
    for (int i = infos->size() - 1; i >= 0; --i)
        if (graph_io.count(infos->Get(i).name())) infos->DeleteSubrange(i, 1);
}

std::vector<std::string> Model::tensors_without_shape() const {
    std::vector<std::string> missing;
    for (const auto& n : graph().node())
        for (const auto& out : n.output())
            if (!out.empty() && !shape(out)) missing.push_back(out);
    return missing;
}

void Model::check() const {
    Model checked(proto_);
    register_custom_op_schemas(node_domains(*this));
    checked.add_missing_opset_imports();
    // The checker of the ONNX library we link knows IR versions up to onnx::IR_VERSION and refuses
    // newer files outright; check those as the newest version it knows instead.
    if (checked.proto().ir_version() > onnx::IR_VERSION)
        checked.proto().set_ir_version(onnx::IR_VERSION);
    try {
        onnx::checker::check_model(checked.proto());
    } catch (const std::exception& e) {
        std::string message = e.what();
        std::replace(message.begin(), message.end(), '\n', ' ');
        throw Error("ONNX checker: " + message);
    }
}

// --- FINN annotations
// ------------------------------------------------------------------------------

std::optional<std::string> Model::annotation(const std::string& tensor,
                                             const std::string& key) const {
    for (const auto& a : graph().quantization_annotation())
        if (a.tensor_name() == tensor)
            for (const auto& entry : a.quant_parameter_tensor_names())
                if (entry.key() == key) return entry.value();
    return std::nullopt;
}

void Model::set_annotation(const std::string& tensor, const std::string& key,
                           const std::string& value) {
    onnx::TensorAnnotation* annotation = nullptr;
    for (auto& a : *graph().mutable_quantization_annotation())
        if (a.tensor_name() == tensor) annotation = &a;
    if (!annotation) {
        annotation = graph().add_quantization_annotation();
        annotation->set_tensor_name(tensor);
    }
    for (auto& entry : *annotation->mutable_quant_parameter_tensor_names())
        if (entry.key() == key) {
            entry.set_value(value);
            return;
        }
    auto* entry = annotation->add_quant_parameter_tensor_names();
    entry->set_key(key);
    entry->set_value(value);
}

void Model::clear_annotation(const std::string& tensor, const std::string& key) {
    for (auto& a : *graph().mutable_quantization_annotation()) {
        if (a.tensor_name() != tensor) continue;
        auto* entries = a.mutable_quant_parameter_tensor_names();
        for (int i = 0; i < entries->size(); ++i)
            if (entries->Get(i).key() == key) {
                entries->DeleteSubrange(i, 1);
                --i;
            }
    }
}

std::vector<std::string> Model::annotated_tensor_names() const {
    std::vector<std::string> names;
    for (const auto& a : graph().quantization_annotation())
        names.push_back(a.tensor_name());
    return names;
}

void Model::remove_annotations(const std::string& tensor) {
    auto* annotations = graph().mutable_quantization_annotation();
    for (int i = annotations->size() - 1; i >= 0; --i)
        if (annotations->Get(i).tensor_name() == tensor) annotations->DeleteSubrange(i, 1);
}

bool Model::has_datatype(const std::string& tensor) const {
    return annotation(tensor, kDatatypeKey).has_value();
}

DataType Model::datatype(const std::string& tensor) const {
    if (auto name = annotation(tensor, kDatatypeKey)) {
        DataType type;
        if (!DataType::try_parse(*name, type))
            throw Error("tensor '" + tensor + "': annotation finn_datatype='" + *name +
                        "' is not a FINN datatype");
        return type;
    }
    return elem_type(tensor) == onnx::TensorProto::FLOAT16 ? DataType::float16()
                                                           : DataType::float32();
}

void Model::set_datatype(const std::string& tensor, const DataType& type) {
    set_annotation(tensor, kDatatypeKey, type.name());
}

void Model::clear_datatype(const std::string& tensor) {
    clear_annotation(tensor, kDatatypeKey);
}

std::vector<std::string> Model::layout(const std::string& tensor) const {
    auto text = annotation(tensor, kLayoutKey);
    if (!text) return {};
    try {
        return layout_from_string(*text);
    } catch (const Error& e) {
        throw Error("tensor '" + tensor + "': " + e.what());
    }
}

void Model::set_layout(const std::string& tensor, const std::vector<std::string>& axes) {
    set_annotation(tensor, kLayoutKey, layout_to_string(axes));
}

std::optional<std::string> Model::sparsity(const std::string& tensor) const {
    return annotation(tensor, kSparsityKey);
}

void Model::set_sparsity(const std::string& tensor, const std::string& value) {
    set_annotation(tensor, kSparsityKey, value);
}

std::optional<std::string> Model::metadata(const std::string& key) const {
    for (const auto& p : proto_.metadata_props())
        if (p.key() == key) return p.value();
    return std::nullopt;
}

void Model::set_metadata(const std::string& key, const std::string& value) {
    for (auto& p : *proto_.mutable_metadata_props())
        if (p.key() == key) {
            p.set_value(value);
            return;
        }
    auto* p = proto_.add_metadata_props();
    p->set_key(key);
    p->set_value(value);
}

std::string layout_to_string(const std::vector<std::string>& axes) {
    std::string text = "[";
    for (std::size_t i = 0; i < axes.size(); ++i) {
        if (i) text += ", ";
        text += "'" + axes[i] + "'";
    }
    return text + "]";
}

std::vector<std::string> layout_from_string(const std::string& text) {
    auto bad = [&] {
        return Error("layout '" + text + "' is not a list of quoted axis names like ['N', 'C']");
    };
    std::size_t i = 0;
    auto skip_space = [&] {
        while (i < text.size() && text[i] == ' ')
            ++i;
    };
    skip_space();
    if (i >= text.size() || text[i] != '[') throw bad();
    ++i;
    std::vector<std::string> axes;
    skip_space();
    if (i < text.size() && text[i] == ']') return axes;
    while (true) {
        skip_space();
        if (i >= text.size() || (text[i] != '\'' && text[i] != '"')) throw bad();
        char quote = text[i++];
        std::size_t end = text.find(quote, i);
        if (end == std::string::npos) throw bad();
        axes.push_back(text.substr(i, end - i));
        i = end + 1;
        skip_space();
        if (i < text.size() && text[i] == ',') {
            ++i;
            continue;
        }
        if (i < text.size() && text[i] == ']') break;
        throw bad();
    }
    return axes;
}

} // namespace finn
