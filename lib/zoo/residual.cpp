// residual_w4a4: one ResNet basic block on a 16-channel 16x16 feature map, with Brevitas' default
// style of 4-bit quantizers (per-tensor float weight scales, QuantReLU, QuantIdentity).
#include "builder.h"

namespace finn::zoo {

Model make_residual(const std::string& name, std::uint32_t seed) {
    GraphBuilder b(name, seed, 8);
    // QuantIdentity: signed, not narrow. The block input and the residual branch share it, as a
    // Brevitas residual add needs both operands on one scale (an integer add, AddStreams in FINN).
    const QuantSpec identity{4, 0.25f, true, false};
    const WeightQuant weights{4, true};
    const std::string skip = b.quant(b.input({1, 16, 16, 16}), identity);
    std::string y = b.conv(skip, 16, 16, 3, 1, 1, weights);
    y = b.batch_norm(y, 1e-5f);
    y = b.quant(b.relu(y), relu_quant(b.rng()));
    y = b.conv(y, 16, 16, 3, 1, 1, weights);
    y = b.batch_norm(y, 1e-5f);
    y = b.quant(y, identity);
    y = b.add("Add", {y, skip}).output(0);
    return b.finish(b.quant(b.relu(y), relu_quant(b.rng())));
}

} // namespace finn::zoo
