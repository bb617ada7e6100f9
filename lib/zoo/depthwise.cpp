// dwsep_w4a4: a MobileNet-style depthwise-separable block with 4-bit weights and activations: a
// 3x3 depthwise conv (group = channels) and a 1x1 pointwise conv, each with BN and QuantReLU.
#include "builder.h"

namespace finn::zoo {

Model make_dwsep(const std::string& name, std::uint32_t seed) {
    GraphBuilder b(name, seed, 8);
    const QuantSpec identity{4, 0.25f, true, false}; // the input QuantIdentity
    const WeightQuant weights{4, true};
    std::string x = b.quant(b.input({1, 16, 16, 16}), identity);
    x = b.conv(x, 16, 16, 3, 1, 16, weights);
    x = b.batch_norm(x, 1e-5f);
    x = b.quant(b.relu(x), relu_quant(b.rng()));
    x = b.conv(x, 16, 32, 1, 0, 1, weights);
    x = b.batch_norm(x, 1e-5f);
    return b.finish(b.quant(b.relu(x), relu_quant(b.rng())));
}

} // namespace finn::zoo
