// Writes tiny_fc.onnx: a two-layer binarized fully connected network in FINN-ONNX form, the shape
// of FINN's TFC but small — MatMul with bipolar weights followed by a MultiThreshold sign
// activation, then a MatMul into 10 class scores and TopK.
//
// usage: finn-example-tiny-fc <out.onnx>
#include "finn/core/error.h"
#include "finn/ir/model.h"

#include <cstdint>
#include <iostream>

namespace {

// Deterministic ±1 weights (a fixed linear congruential sequence), so the file is reproducible.
finn::Tensor bipolar_weights(std::int64_t rows, std::int64_t cols, std::uint32_t seed) {
    std::vector<float> values(static_cast<std::size_t>(rows * cols));
    for (auto& v : values) {
        seed = seed * 1664525u + 1013904223u;
        v = (seed >> 31) ? 1.0f : -1.0f;
    }
    return finn::Tensor::from_floats({rows, cols}, values);
}

finn::Model make_tiny_fc() {
    using finn::DataType;
    finn::Model model;
    model.proto().set_producer_name("finn-example-tiny-fc");
    model.proto().add_opset_import()->set_version(13);
    model.graph().set_name("tiny_fc");

    model.graph().add_input()->set_name("global_in");
    model.set_shape("global_in", {1, 64});
    model.set_datatype("global_in", DataType::bipolar());
    model.set_layout("global_in", {"N", "C"});
    model.graph().add_output()->set_name("global_out");
    model.set_shape("global_out", {1, 1}, onnx::TensorProto::INT64);

    model.set_initializer("MatMul_0_param0", bipolar_weights(64, 32, 1));
    model.set_datatype("MatMul_0_param0", DataType::bipolar());
    model.set_initializer("MultiThreshold_0_param0",
                          finn::Tensor::from_floats({32, 1}, std::vector<float>(32, 0.f)));
    model.set_initializer("MatMul_1_param0", bipolar_weights(32, 10, 2));
    model.set_datatype("MatMul_1_param0", DataType::bipolar());
    model.set_initializer("TopK_0_param0", finn::Tensor::from_int64s({1}, {1}));

    model.add_node("MatMul", {"global_in", "MatMul_0_param0"}, {"MatMul_0_out0"}, "MatMul_0");
    auto sign =
        model.add_node("MultiThreshold", {"MatMul_0_out0", "MultiThreshold_0_param0"},
                       {"MultiThreshold_0_out0"}, "MultiThreshold_0", "qonnx.custom_op.general");
    sign.set_attr_string("out_dtype", "BIPOLAR");
    sign.set_attr_float("out_scale", 2.0f);
    sign.set_attr_float("out_bias", -1.0f);
    model.set_datatype("MultiThreshold_0_out0", DataType::bipolar());
    model.add_node("MatMul", {"MultiThreshold_0_out0", "MatMul_1_param0"}, {"MatMul_1_out0"},
                   "MatMul_1");
    auto topk = model.add_node("TopK", {"MatMul_1_out0", "TopK_0_param0"},
                               {"TopK_0_out0", "global_out"}, "TopK_0");
    topk.set_attr_int("axis", -1);
    model.infer_shapes();
    model.check();
    return model;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: finn-example-tiny-fc <out.onnx>\n";
        return 1;
    }
    try {
        make_tiny_fc().save(argv[1]);
    } catch (const std::exception& e) {
        std::cerr << "finn-example-tiny-fc: " << e.what() << "\n";
        return 1;
    }
    std::cout << "wrote " << argv[1] << "\n";
    return 0;
}
