// CNV: BNN-PYNQ's CIFAR-10 convnet (brevitas_examples/bnn_pynq, CNV): six unpadded 3x3 convs
// (64, 64, pool, 128, 128, pool, 256, 256) and three fully connected layers (512, 512, 10).
#include "builder.h"

namespace finn::zoo {

Model make_cnv(const std::string& name, int weight_bits, int act_bits, std::uint32_t seed,
               int width) {
    GraphBuilder b(name, seed, 32);
    // FINN's pre-processing (ToTensor) with a UINT8 input, as for the MLPs.
    std::string x = b.input({1, 3, 32, 32}, DataType::uint(8));
    x = b.add("Div", {x, scalar(255.0f)}).output(0);
    x = b.add("Mul", {x, scalar(2.0f)}).output(0);
    x = b.add("Sub", {x, vector({1.0f})}).output(0);
    // The input quantizer is 8-bit Q1.7 whatever the variant: min -1, max 1 - 2^-7, not narrow,
    // power-of-two scale 2^-7.
    x = b.quant(x, {8, 1.0f / 128.0f, true, false});

    const QuantSpec act{act_bits, 1.0f, true, true};
    const WeightQuant weights{weight_bits};
    struct ConvLayer {
        int channels;
        bool pool;
    };
    const ConvLayer conv_layers[] = {{64, false}, {64, true},   {128, false},
                                     {128, true}, {256, false}, {256, false}};
    int in = 3;
    for (const auto& layer : conv_layers) {
        x = b.conv(x, in, layer.channels * width, 3, 0, 1, weights);
        x = b.batch_norm(x, 1e-4f);
        x = b.quant(x, act);
        if (layer.pool) x = b.max_pool(x, 2);
        in = layer.channels * width;
    }
    x = b.flatten(x); // 256 x 1 x 1 (times width)
    for (int out : {512 * width, 512 * width}) {
        x = b.linear(x, in, out, weights);
        x = b.batch_norm(x, 1e-4f);
        x = b.quant(x, act);
        in = out;
    }
    x = b.linear(x, in, 10, weights);
    return b.finish(b.tensor_norm(x));
}

} // namespace finn::zoo
