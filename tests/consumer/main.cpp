// Builds a one-node FINN model with libfinn, saves it, reloads it and checks what came back.
#include "finn/core/datatype.h"
#include "finn/ir/model.h"

#include <cstdio>
#include <iostream>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: consumer <out.onnx>\n";
        return 2;
    }
    finn::Model model;
    model.proto().set_producer_name("finn-consumer-test");
    auto* opset = model.proto().add_opset_import();
    opset->set_version(13);
    model
        .add_node("MultiThreshold", {"x", "thresholds"}, {"y"}, "MultiThreshold_0",
                  "qonnx.custom_op.general")
        .set_attr_string("out_dtype", "UINT2");
    auto* input = model.graph().add_input();
    input->set_name("x");
    model.set_shape("x", {1, 4});
    auto* output = model.graph().add_output();
    output->set_name("y");
    model.set_initializer("thresholds",
                          finn::Tensor::from_floats({4, 3}, std::vector<float>(12, 0.f)));
    model.set_datatype("y", finn::DataType::parse("UINT2"));
    model.infer_shapes();
    model.save(argv[1]);

    finn::Model loaded = finn::Model::load(argv[1]);
    auto shape = loaded.shape("y");
    if (!shape || *shape != finn::Shape{1, 4} || loaded.datatype("y") != finn::DataType::uint(2)) {
        std::cerr << "consumer: round trip lost the shape or datatype of y\n";
        return 1;
    }
    std::cout << "consumer: wrote and reloaded " << argv[1] << "\n";
    return 0;
}
