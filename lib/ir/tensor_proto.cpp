#include "finn/ir/tensor_proto.h"

#include "finn/core/error.h"
#include "finn/util/file_io.h"

#include <cstring>

namespace finn {

using onnx::TensorProto;

int onnx_elem_type(ElementType type) {
    switch (type) {
    case ElementType::Float32:
        return TensorProto::FLOAT;
    case ElementType::Float64:
        return TensorProto::DOUBLE;
    case ElementType::Float16:
        return TensorProto::FLOAT16;
    case ElementType::Int8:
        return TensorProto::INT8;
    case ElementType::Int16:
        return TensorProto::INT16;
    case ElementType::Int32:
        return TensorProto::INT32;
    case ElementType::Int64:
        return TensorProto::INT64;
    case ElementType::UInt8:
        return TensorProto::UINT8;
    case ElementType::UInt16:
        return TensorProto::UINT16;
    case ElementType::UInt32:
        return TensorProto::UINT32;
    case ElementType::UInt64:
        return TensorProto::UINT64;
    case ElementType::Bool:
        return TensorProto::BOOL;
    }
    throw Error("internal error: unknown element type");
}

ElementType element_type_from_onnx(int onnx_type, const std::string& context) {
    switch (onnx_type) {
    case TensorProto::FLOAT:
        return ElementType::Float32;
    case TensorProto::DOUBLE:
        return ElementType::Float64;
    case TensorProto::FLOAT16:
        return ElementType::Float16;
    case TensorProto::INT8:
        return ElementType::Int8;
    case TensorProto::INT16:
        return ElementType::Int16;
    case TensorProto::INT32:
        return ElementType::Int32;
    case TensorProto::INT64:
        return ElementType::Int64;
    case TensorProto::UINT8:
        return ElementType::UInt8;
    case TensorProto::UINT16:
        return ElementType::UInt16;
    case TensorProto::UINT32:
        return ElementType::UInt32;
    case TensorProto::UINT64:
        return ElementType::UInt64;
    case TensorProto::BOOL:
        return ElementType::Bool;
    default:
        break;
    }
    std::string type_name =
        TensorProto::DataType_IsValid(onnx_type)
            ? TensorProto::DataType_Name(static_cast<TensorProto::DataType>(onnx_type))
            : std::to_string(onnx_type);
    throw Error(context + ": unsupported ONNX element type " + type_name +
                "; expected a float, integer or bool type");
}

// Copies a repeated typed field element by element into the tensor (ONNX stores narrow integer
// types and float16 bit patterns widened to int32).
template <class Field>
static void copy_typed(Tensor& tensor, const Field& field, const std::string& what) {
    if (static_cast<std::int64_t>(field.size()) != tensor.size())
        throw Error(what + ": has " + std::to_string(field.size()) + " values, dims need " +
                    std::to_string(tensor.size()));
    for (int i = 0; i < field.size(); ++i) {
        if (tensor.type() == ElementType::Float16) {
            auto bits = static_cast<std::uint16_t>(field.Get(i));
            std::memcpy(tensor.bytes() + 2 * i, &bits, 2);
        } else {
            tensor.set(i, static_cast<double>(field.Get(i)));
        }
    }
}

Tensor tensor_from_proto(const TensorProto& proto) {
    std::string what = "tensor '" + proto.name() + "'";
    if (proto.data_location() == TensorProto::EXTERNAL)
        throw Error(what + ": external data is not supported; expected data inside the model");
    ElementType type = element_type_from_onnx(proto.data_type(), what);
    Shape shape(proto.dims().begin(), proto.dims().end());
    Tensor tensor(type, shape);
    if (proto.has_raw_data()) {
        if (proto.raw_data().size() != tensor.byte_size())
            throw Error(what + ": raw_data has " + std::to_string(proto.raw_data().size()) +
                        " bytes, dims " + shape_to_string(shape) + " need " +
                        std::to_string(tensor.byte_size()));
        std::memcpy(tensor.bytes(), proto.raw_data().data(), tensor.byte_size());
        return tensor;
    }
    switch (proto.data_type()) {
    case TensorProto::FLOAT:
        copy_typed(tensor, proto.float_data(), what);
        break;
    case TensorProto::DOUBLE:
        copy_typed(tensor, proto.double_data(), what);
        break;
    case TensorProto::INT64:
        copy_typed(tensor, proto.int64_data(), what);
        break;
    case TensorProto::UINT32:
    case TensorProto::UINT64:
        copy_typed(tensor, proto.uint64_data(), what);
        break;
    default:
        copy_typed(tensor, proto.int32_data(), what);
        break;
    }
    return tensor;
}

TensorProto tensor_to_proto(const Tensor& tensor, const std::string& name) {
    TensorProto proto;
    if (!name.empty()) proto.set_name(name);
    for (auto d : tensor.shape())
        proto.add_dims(d);
    proto.set_data_type(onnx_elem_type(tensor.type()));
    proto.set_raw_data(reinterpret_cast<const char*>(tensor.bytes()), tensor.byte_size());
    return proto;
}

TensorProto read_tensor_proto(const std::filesystem::path& path) {
    std::string bytes = read_file(path);
    TensorProto proto;
    if (!proto.ParseFromString(bytes))
        throw Error(path.string() + ": not a serialized ONNX TensorProto (protobuf parse failed)");
    return proto;
}

} // namespace finn
