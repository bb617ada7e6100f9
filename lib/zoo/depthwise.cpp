// dwsep_w4a4: a MobileNet-style depthwise-separable block with 4-bit weights and activations: a
// 3x3 depthwise conv (group = channels) and a 1x1 pointwise conv doubling the channels, each with
// BN and QuantReLU. dwsepfc_w4a4: the same block on an 8-channel 6x6 map followed by a classifier
// (torch.flatten, exported as Flatten, at 6x6, then one fully connected layer).
#include "builder.h"

namespace finn::zoo {

Model make_dwsep(const std::string& name, std::uint32_t seed, const Shape& input, int classes) {
    GraphBuilder b(name, seed, 8);
    const QuantSpec identity{4, 0.25f, true, false}; // the input QuantIdentity
    const WeightQuant weights{4, true};
    const int channels = static_cast<int>(input.at(1));
    std::string x = b.quant(b.input(input), identity);
    x = b.conv(x, channels, channels, 3, 1, channels, weights);
    x = b.batch_norm(x, 1e-5f);
    x = b.quant(b.relu(x), relu_quant(b.rng()));
    x = b.conv(x, channels, 2 * channels, 1, 0, 1, weights);
    x = b.batch_norm(x, 1e-5f);
    x = b.quant(b.relu(x), relu_quant(b.rng()));
    if (classes == 0) return b.finish(x);
    const int features = static_cast<int>(2 * shape_size(input) / input.at(0));
    return b.finish(b.linear(b.flatten_op(x), features, classes, weights));
}

} // namespace finn::zoo
