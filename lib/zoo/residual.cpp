// residual_w4a4: one ResNet basic block on a 16-channel 16x16 feature map, with Brevitas' default
// style of 4-bit quantizers (per-tensor float weight scales, QuantReLU, QuantIdentity).
// residualfc_w4a4: the same block on an 8-channel 6x6 map followed by a classifier, so that the
// flatten meets a feature map larger than 1x1 behind a residual join.
#include "builder.h"

namespace finn::zoo {

Model make_residual(const std::string& name, std::uint32_t seed, const Shape& input, int classes) {
    GraphBuilder b(name, seed, 8);
    // QuantIdentity: signed, not narrow. The block input and the residual branch share it, as a
    // Brevitas residual add needs both operands on one scale (an integer add, AddStreams in FINN).
    const QuantSpec identity{4, 0.25f, true, false};
    const WeightQuant weights{4, true};
    const int channels = static_cast<int>(input.at(1));
    const std::string skip = b.quant(b.input(input), identity);
    std::string y = b.conv(skip, channels, channels, 3, 1, 1, weights);
    y = b.batch_norm(y, 1e-5f);
    y = b.quant(b.relu(y), relu_quant(b.rng()));
    y = b.conv(y, channels, channels, 3, 1, 1, weights);
    y = b.batch_norm(y, 1e-5f);
    y = b.quant(y, identity);
    y = b.add("Add", {y, skip}).output(0);
    y = b.quant(b.relu(y), relu_quant(b.rng()));
    if (classes == 0) return b.finish(y);
    // x.view(x.shape[0], -1) at the block's spatial size, then a QuantLinear without output quant.
    const int features = static_cast<int>(shape_size(input) / input.at(0));
    return b.finish(b.linear(b.flatten(y), features, classes, weights));
}

} // namespace finn::zoo
