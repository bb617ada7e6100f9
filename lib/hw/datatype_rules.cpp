#include "datatype_rules.h"

namespace finn::hw {

bool record_datatype(Node& node, const std::string& attr, const DataType& type) {
    if (node.has_attr(attr) && node.attr_string(attr) == type.name()) return false;
    node.set_attr_string(attr, type.name());
    return true;
}

DataType datatype_of_attr(const Node& node, const std::string& attr) {
    return DataType::parse(node.attr_string(attr));
}

DataType input_datatype_of(const Model& model, const Node& node, int index) {
    return model.datatype(node.input(index));
}

std::function<bool(Model&, Node&)> outputs_keep_input_datatype(std::string record_attr) {
    return [record_attr](Model& model, Node& node) {
        const DataType idt = input_datatype_of(model, node);
        const bool changed = !record_attr.empty() && record_datatype(node, record_attr, idt);
        for (const auto& out : node.outputs())
            if (!out.empty()) model.set_datatype(out, idt);
        return changed;
    };
}

bool output_datatype_from_attribute(Model& model, Node& node) {
    const bool changed = record_datatype(node, "inputDataType", input_datatype_of(model, node));
    model.set_datatype(node.output(0), datatype_of_attr(node, "outputDataType"));
    return changed;
}

} // namespace finn::hw
