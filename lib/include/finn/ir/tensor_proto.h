// Conversions between finn::Tensor and onnx::TensorProto (initializers, Constant values and the
// ONNX test-data files `test_data_set_*/input_*.pb`).
#pragma once

#include "finn/core/tensor.h"

#include <filesystem>
#include <onnx/onnx_pb.h>

namespace finn {

// Reads raw_data or the typed repeated fields; throws finn::Error naming the tensor for
// unsupported element types (strings, complex, bfloat16) or a size that does not match the dims.
Tensor tensor_from_proto(const onnx::TensorProto& proto);
// Writes dims, data_type and raw_data (as onnx.numpy_helper.from_array does).
onnx::TensorProto tensor_to_proto(const Tensor& tensor, const std::string& name = "");
// ONNX TensorProto::DataType of an element type, and back (throws for unsupported ones).
int onnx_elem_type(ElementType type);
ElementType element_type_from_onnx(int onnx_type, const std::string& context);

// Reads a serialized TensorProto file (ONNX test data); throws finn::Error naming the file.
onnx::TensorProto read_tensor_proto(const std::filesystem::path& path);

} // namespace finn
