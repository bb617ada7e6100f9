#include "stream_insertion_util.h"

#include "finn/core/error.h"
#include "finn/core/strings.h"
#include "finn/hw/registry.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/dataflow.h"

namespace finn::stream_insertion {

bool is_hw_node(const Node& node) {
    return is_fpgadataflow_domain(node.domain()) && is_dataflow_node(node);
}

bool is_op(const Node& node, std::string_view abstract_op) {
    const std::string& op = node.op_type();
    if (op == abstract_op) return true;
    return op.size() > abstract_op.size() && op.compare(0, abstract_op.size(), abstract_op) == 0 &&
           op[abstract_op.size()] == '_';
}

std::unique_ptr<hw::HwLayer> layer_of(Model& model, const Node& node, std::string_view pass) {
    auto layer = hw::make_layer(model, node);
    if (!layer)
        throw Error(std::string(pass) + ": node " + node.describe() +
                    " is a hardware node Finn does not model (no folded shapes or stream widths)");
    return layer;
}

int input_index(const Node& reader, const std::string& tensor) {
    for (int i = 0; i < reader.input_count(); ++i)
        if (reader.input(i) == tensor) return i;
    throw Error("node " + reader.describe() + " does not read tensor '" + tensor + "'");
}

std::int64_t fifo_depth_entry(const hw::HwLayer& layer, const std::string& attr, int index,
                              std::string_view pass) {
    const std::vector<std::int64_t> depths = layer.get_ints(attr);
    if (index < 0 || index >= static_cast<int>(depths.size()))
        throw Error(std::string(pass) + ": node " + layer.node().describe() + ": " + attr +
                    " has " + std::to_string(depths.size()) + " entries, expected one for stream " +
                    std::to_string(index));
    return depths[static_cast<std::size_t>(index)];
}

Shape stream_shape(const Model& model, const std::string& tensor, const Shape& layer_shape,
                   const Node& node, std::string_view pass) {
    const auto recorded = model.shape(tensor);
    if (!recorded || *recorded == layer_shape) return layer_shape;
    if (hw::product(*recorded) != hw::product(layer_shape))
        throw Error(std::string(pass) + ": tensor '" + tensor + "' has shape " +
                    shape_to_string(*recorded) + ", but node " + node.describe() +
                    " streams shape " + shape_to_string(layer_shape));
    return *recorded;
}

std::string new_tensor(Model& model, const std::string& prefix, const std::string& like,
                       const Shape& shape, const DataType& type) {
    const std::string name = model.fresh_name(prefix);
    const int elem_type = model.elem_type(like);
    if (elem_type != 0)
        model.set_shape(name, shape, elem_type);
    else
        model.set_shape(name, shape);
    model.set_datatype(name, type);
    return name;
}

Node insert_hw_node(Model& model, int index, const std::string& op_type, const std::string& name,
                    const std::vector<std::string>& inputs, const std::vector<std::string>& outputs,
                    std::map<std::string, hw_convert::AttrValue> attrs) {
    attrs["backend"] = std::string("fpgadataflow");
    Node node = model.insert_node(index, op_type, inputs, outputs, name, domains::kFpgaDataflow);
    hw_convert::set_attrs(node, attrs);
    return node;
}

} // namespace finn::stream_insertion
