// Small 4-bit convnets whose last conv leaves a feature map larger than 1x1 for the first fully
// connected layer (LeNet's conv -> flatten -> FC), unlike CNV, which ends at 1x1:
// - lenet_w4a4: unpadded 3x3 convs with a max pool between them, ending at 16 x 3 x 3, then two
//   fully connected layers (32, 10);
// - strided_w4a4: padded 3x3 convs of stride 2 (16x16 -> 8x8 -> 4x4), ending at 16 x 4 x 4, then
//   one fully connected layer (10).
// Quantizers in Brevitas' default style, as residual_w4a4: a 4-bit QuantIdentity on the input,
// per-tensor float weight scales, QuantReLU after every hidden layer, no output quantizer.
#include "builder.h"

namespace finn::zoo {

namespace {

const QuantSpec kInputQuant{4, 0.25f, true, false};
const WeightQuant kWeights{4, true};

std::string conv_bn_relu(GraphBuilder& b, const std::string& x, int in, int out, int padding,
                         int stride) {
    std::string y = b.conv(x, in, out, 3, padding, 1, kWeights, stride);
    y = b.batch_norm(y, 1e-5f);
    return b.quant(b.relu(y), relu_quant(b.rng()));
}

} // namespace

Model make_lenet(const std::string& name, std::uint32_t seed) {
    GraphBuilder b(name, seed, 8);
    std::string x = b.quant(b.input({1, 1, 12, 12}), kInputQuant);
    x = conv_bn_relu(b, x, 1, 8, 0, 1);  // 8 x 10 x 10
    x = b.max_pool(x, 2);                // 8 x 5 x 5
    x = conv_bn_relu(b, x, 8, 16, 0, 1); // 16 x 3 x 3
    x = b.linear(b.flatten(x), 16 * 3 * 3, 32, kWeights);
    x = b.batch_norm(x, 1e-5f);
    x = b.quant(b.relu(x), relu_quant(b.rng()));
    return b.finish(b.linear(x, 32, 10, kWeights));
}

Model make_strided(const std::string& name, std::uint32_t seed) {
    GraphBuilder b(name, seed, 8);
    std::string x = b.quant(b.input({1, 3, 16, 16}), kInputQuant);
    x = conv_bn_relu(b, x, 3, 8, 1, 2);  // 8 x 8 x 8
    x = conv_bn_relu(b, x, 8, 16, 1, 2); // 16 x 4 x 4
    return b.finish(b.linear(b.flatten(x), 16 * 4 * 4, 10, kWeights));
}

} // namespace finn::zoo
