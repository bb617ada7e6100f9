#include "finn/transform/tidy_up.h"

namespace finn {

namespace {

// The model's bytes without its initializers. Shape inference rewrites value_info (and output
// types and opset imports) but never initializers, which are most of a model's bytes: comparing
// the rest tells the same as comparing the whole model, at a fraction of the cost.
std::string bytes_without_initializers(Model& model) {
    google::protobuf::RepeatedPtrField<onnx::TensorProto> parked;
    parked.Swap(model.graph().mutable_initializer());
    std::string bytes = model.serialize();
    parked.Swap(model.graph().mutable_initializer());
    return bytes;
}

} // namespace

bool InferShapes::run(Model& model) {
    // Shape inference rewrites value_info wholesale; comparing the bytes tells whether anything
    // actually changed (a second run on an inferred model is a no-op).
    const std::string before = bytes_without_initializers(model);
    model.infer_shapes();
    return bytes_without_initializers(model) != before;
}

} // namespace finn
