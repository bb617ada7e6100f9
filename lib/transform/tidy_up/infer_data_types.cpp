#include "finn/core/error.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/tidy_up.h"

#include <algorithm>
#include <cmath>
#include <onnx/onnx_pb.h>
#include <optional>

namespace finn {

namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

void set_type(Model& model, const std::string& tensor, const DataType& type) {
    if (!tensor.empty()) model.set_datatype(tensor, type);
}

DataType input_type(const Model& model, const Node& node, int index = 0) {
    return model.datatype(node.input(index));
}

bool is_scaled_int(const DataType& t) {
    return t.is_integer() || t.is_fixed_point() || t.kind() == DataType::Kind::ScaledInt;
}

bool is_float(const DataType& t) {
    return t.name().find("FLOAT") != std::string::npos;
}

// qonnx infer_mac_result_dtype: integer operands give a 32-bit accumulator, signed if any operand
// is or the op can negate; scaled or fixed-point operands give SCALEDINT<32>; floats FLOAT32.
DataType mac_result_type(const Model& model, const Node& node) {
    std::vector<DataType> types;
    for (const auto& in : node.inputs())
        types.push_back(model.datatype(in));
    const bool maybe_signed =
        node.op_type() == "Sub" ||
        std::any_of(types.begin(), types.end(), [](const DataType& t) { return t.is_signed(); });
    auto all = [&](auto pred) { return std::all_of(types.begin(), types.end(), pred); };
    if (all([](const DataType& t) { return t.is_integer(); }))
        return maybe_signed ? DataType::sint(32) : DataType::uint(32);
    if (all(is_scaled_int)) return DataType::scaled_int(32);
    if (std::any_of(types.begin(), types.end(), is_float)) return DataType::float32();
    return model.datatype(node.output(0));
}

// Bits and signedness of an integer ONNX element type (QuantizeLinear/DequantizeLinear).
std::pair<int, bool> integer_elem_type(int elem, const Node& node) {
    switch (elem) {
    case onnx::TensorProto::INT8:
        return {8, true};
    case onnx::TensorProto::INT16:
        return {16, true};
    case onnx::TensorProto::INT32:
        return {32, true};
    case onnx::TensorProto::INT64:
        return {64, true};
    case onnx::TensorProto::UINT8:
        return {8, false};
    case onnx::TensorProto::UINT16:
        return {16, false};
    case onnx::TensorProto::UINT32:
        return {32, false};
    case onnx::TensorProto::UINT64:
        return {64, false};
    }
    throw Error("InferDataTypes: node " + node.describe() + ": unsupported element type " +
                std::to_string(elem) + "; expected an 8/16/32/64-bit integer type");
}

void infer_standard_op(Model& model, const Node& node) {
    // Ops whose output has the type of their first input (qonnx's list).
    static const std::vector<std::string> identity_types = {
        "Reshape",         "Transpose", "Flatten", "Slice",     "Gather",        "GatherElements",
        "GatherND",        "Identity",  "Expand",  "MaxPool",   "GlobalMaxPool", "Scatter",
        "ScatterElements", "ScatterND", "Squeeze", "Unsqueeze", "Tile",          "Pad",
        "Concat",          "Clip"};
    static const std::vector<std::string> mac_like = {"MatMul", "Gemm", "Conv",
                                                      "Add",    "Sub",  "Mul"};
    const std::string& op = node.op_type();
    if (op == "Sign") {
        set_type(model, node.output(0), DataType::bipolar());
    } else if (contains(mac_like, op)) {
        set_type(model, node.output(0), mac_result_type(model, node));
    } else if (op == "Resize" || op == "Upsample") {
        // Only nearest-neighbour resizing keeps the values (qonnx leaves other modes alone).
        if (node.attr_string("mode", "nearest") == "nearest")
            set_type(model, node.output(0), input_type(model, node));
    } else if (contains(identity_types, op)) {
        set_type(model, node.output(0), input_type(model, node));
    } else if (op == "QuantizeLinear") {
        auto [bits, is_signed] = integer_elem_type(model.elem_type(node.output(0)), node);
        set_type(model, node.output(0), DataType::integer(bits, is_signed));
    } else if (op == "DequantizeLinear") {
        const int bits = integer_elem_type(model.elem_type(node.input(0)), node).first;
        set_type(model, node.output(0), DataType::scaled_int(bits));
    } else {
        // Unknown ops produce FLOAT32 unless an output is already annotated otherwise.
        for (const auto& out : node.outputs())
            set_type(model, out, model.datatype(out));
    }
}

bool all_equal(const Tensor& t, double value) {
    const auto values = t.to_doubles();
    return std::all_of(values.begin(), values.end(), [&](double v) { return v == value; });
}

// qonnx IntQuant.get_output_dtype; FLOAT32 wherever qonnx's assertions fail (parameters that
// are not initializers, a non-scalar or non-integral bit width, a non-zero zero point).
DataType quant_output_type(const Model& model, const Node& node) {
    if (node.input_count() < 4) return DataType::float32();
    for (int i = 1; i < 4; ++i)
        if (!model.has_initializer(node.input(i))) return DataType::float32();
    const Tensor bit_width = model.initializer(node.input(3));
    if (bit_width.rank() != 0) return DataType::float32();
    const double bits = bit_width.get(0);
    if (bits != std::trunc(bits)) return DataType::float32();
    if (!all_equal(model.initializer(node.input(2)), 0.0)) return DataType::float32();
    const int b = static_cast<int>(bits);
    if (!all_equal(model.initializer(node.input(1)), 1.0)) return DataType::scaled_int(b);
    const bool is_signed = node.attr_int("signed", 1) != 0;
    if (b == 1) return is_signed ? DataType::bipolar() : DataType::binary();
    return DataType::integer(b, is_signed);
}

void infer_general_op(Model& model, const Node& node) {
    const std::string& op = node.op_type();
    const std::string& out = node.output(0);
    if (op == "MultiThreshold") {
        const float scale = node.attr_float("out_scale", 1.0f);
        const float bias = node.attr_float("out_bias", 0.0f);
        const bool integral = scale == std::trunc(scale) && bias == std::trunc(bias);
        set_type(model, out,
                 integral ? DataType::parse(node.attr_string("out_dtype")) : DataType::float32());
    } else if (op == "Quant" || op == "IntQuant") {
        set_type(model, out, quant_output_type(model, node));
    } else if (op == "BipolarQuant") {
        const bool unit_scale = node.input_count() > 1 && model.has_initializer(node.input(1)) &&
                                all_equal(model.initializer(node.input(1)), 1.0);
        set_type(model, out, unit_scale ? DataType::bipolar() : DataType::float32());
    } else if (op == "Trunc") {
        set_type(model, out, DataType::float32());
    } else if (op == "XnorPopcountMatMul") {
        for (int i = 0; i < 2; ++i)
            if (input_type(model, node, i) != DataType::binary())
                throw Error("InferDataTypes: node " + node.describe() + ": input '" +
                            node.input(i) + "' is " + input_type(model, node, i).name() +
                            "; XnorPopcountMatMul expects BINARY inputs");
        set_type(model, out, DataType::uint(32));
    } else if (op == "Im2Col" || op == "MaxPoolNHWC" || op == "DebugMarker") {
        set_type(model, out, input_type(model, node));
        if (op == "DebugMarker")
            set_type(model, node.attr_string("export_debug_name"), input_type(model, node));
    } else if (op == "QuantAvgPool2d") {
        const auto bits = node.attr_int("obits");
        if (bits < 2 || bits > 32)
            throw Error("InferDataTypes: node " + node.describe() + ": obits " +
                        std::to_string(bits) + " is unsupported; expected 2..32");
        set_type(model, out,
                 DataType::integer(static_cast<int>(bits), node.attr_int("signed") != 0));
    } else if (op == "GenericPartition" || op == "StreamingDataflowPartition") {
        // The partition's own model carries the datatypes.
    } else {
        throw Error("InferDataTypes: custom op " + node.describe() + " has no datatype rule");
    }
}

// --- hardware ops: FINN's infer_node_datatype of each HWCustomOp, from the layer's definition ----

bool infer_hw_op(Model& model, Node& node) {
    if (node.op_type() == "StreamingDataflowPartition") return false; // the child model has them
    const hw::LayerDefinition* layer = hw::find_definition_of_op_type(node.op_type());
    if (!layer)
        throw Error("InferDataTypes: hardware op " + node.describe() + " has no datatype rule");
    return layer->infer_datatypes ? layer->infer_datatypes(model, node) : false;
}

std::vector<std::optional<std::string>> output_annotations(const Model& model, const Node& node) {
    std::vector<std::optional<std::string>> result;
    for (const auto& out : node.outputs())
        result.push_back(model.annotation(out, "finn_datatype"));
    return result;
}

} // namespace

bool InferDataTypes::run(Model& model) {
    bool changed = false;
    for (Node node : model.nodes()) {
        if (node.output_count() == 0) continue;
        const auto before = output_annotations(model, node);
        if (is_general_custom_domain(node.domain()))
            infer_general_op(model, node);
        else if (is_fpgadataflow_domain(node.domain()))
            changed |= infer_hw_op(model, node);
        else
            infer_standard_op(model, node);
        if (!allow_scaled_int_)
            for (const auto& out : node.outputs())
                if (!out.empty() && model.datatype(out).kind() == DataType::Kind::ScaledInt)
                    model.set_datatype(out, DataType::float32());
        changed |= output_annotations(model, node) != before;
    }
    return changed;
}

} // namespace finn
