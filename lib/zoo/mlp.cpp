// TFC, SFC and LFC: BNN-PYNQ's fully connected MNIST networks (brevitas_examples/bnn_pynq, FC).
#include "builder.h"

namespace finn::zoo {

Model make_mlp(const std::string& name, const std::vector<int>& hidden, int weight_bits,
               int act_bits, std::uint32_t seed) {
    GraphBuilder b(name, seed, 64);
    // FINN's pre-processing (ToTensor: pixels / 255) in front of the exported network, with the
    // input annotated UINT8 as FINN's BNN-PYNQ flow does, so that the input layer can become
    // hardware.
    std::string x = b.input({1, 1, 28, 28}, DataType::uint(8));
    x = b.add("Div", {x, scalar(255.0f)}).output(0);
    // forward(): x.view(x.shape[0], -1), then 2.0 * x - torch.tensor([1.0]).
    x = b.flatten(x);
    x = b.add("Mul", {x, scalar(2.0f)}).output(0);
    x = b.add("Sub", {x, vector({1.0f})}).output(0);
    // CommonActQuant: signed, narrow, constant scale max_val / max_int = 1; the input quantizer
    // has the activations' bit width in these configs.
    const QuantSpec act{act_bits, 1.0f, true, true};
    x = b.quant(x, act);
    int in = 28 * 28;
    for (int out : hidden) {
        x = b.linear(x, in, out, {weight_bits});
        x = b.batch_norm(x, 1e-5f); // BatchNorm1d's default epsilon
        x = b.quant(x, act);
        in = out;
    }
    x = b.linear(x, in, 10, {weight_bits});
    return b.finish(b.tensor_norm(x));
}

} // namespace finn::zoo
