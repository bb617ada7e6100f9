// Internal to the model zoo: a builder that writes a QONNX graph layer by layer the way Brevitas'
// export followed by qonnx's cleanup (the first thing FINN's step_qonnx_to_finn does) leaves it,
// and the seeded random numbers every zoo model is made from.
#pragma once

#include "finn/core/datatype.h"
#include "finn/core/tensor.h"
#include "finn/exec/executor.h"
#include "finn/ir/model.h"

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace finn::zoo {

// Seeded random numbers that are the same on every platform: std::mt19937's output sequence is
// fixed by the standard, the standard distributions are not, so values come from its raw output.
class Random {
public:
    explicit Random(std::uint32_t seed) : engine_(seed) {}
    // Uniform in [0, 1) on a 2^-24 grid.
    double uniform() { return static_cast<double>(engine_() >> 8) * (1.0 / 16777216.0); }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Uniform integer in [lo, hi] (hi - lo small).
    std::int64_t integer(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(uniform() * static_cast<double>(hi - lo + 1));
    }
    bool chance(double p) { return uniform() < p; }
    std::vector<float> uniform_floats(std::int64_t count, double lo, double hi);

private:
    std::mt19937 engine_;
};

// A quantizer as Brevitas exports it: BipolarQuant(x, scale) for 1 bit, otherwise
// Quant(x, scale, zero_point = 0, bit_width) with attributes narrow, rounding_mode, signed.
struct QuantSpec {
    int bits = 1;
    float scale = 1.0f;
    bool is_signed = true;
    bool narrow = true;
};

// The 4-bit QuantReLU quantizer (Relu, then an unsigned, not narrow Quant) of the residual and
// depthwise blocks, with a learned-looking scale.
QuantSpec relu_quant(Random& rng);

// Weight quantization of a layer.
struct WeightQuant {
    int bits = 1;
    // BNN-PYNQ's CommonWeightQuant has a constant scale of 1; Brevitas' default per-tensor float
    // weight quantizers scale by max|W| / max_int instead.
    bool max_abs_scale = false;
};

// An input of a node being added: a tensor already in the graph, or a constant that becomes the
// initializer "<node>_param<k>" (k counts the node's initializer inputs, as qonnx's
// GiveReadableTensorNames names them).
struct Operand {
    Operand(std::string tensor) : name(std::move(tensor)) {}
    Operand(const char* tensor) : name(tensor) {}
    Operand(Tensor constant) : value(std::move(constant)) {}
    std::string name;
    std::optional<Tensor> value;
};

// A float32 scalar (shape ()) and a float32 vector, the constants Brevitas exports.
Tensor scalar(float value);
Tensor vector(const std::vector<float>& values);

class GraphBuilder {
public:
    // `calibration_samples`: how many seeded inputs BatchNormalization statistics are measured on.
    GraphBuilder(const std::string& name, std::uint32_t seed, int calibration_samples);

    Random& rng() { return rng_; }

    // Declares the graph input "global_in" (float32); `datatype` annotates it (FINN's
    // pre-processing marks image inputs UINT8).
    std::string input(const Shape& shape, std::optional<DataType> datatype = std::nullopt);
    // Appends the node "<op_type>_<k>" (qonnx's GiveUniqueNodeNames) writing "<node>_out0".
    Node add(const std::string& op_type, const std::vector<Operand>& inputs,
             const std::string& domain = "");

    // --- layers, each returning its output tensor ----------------------------------------------
    std::string quant(const Operand& x, const QuantSpec& q);
    // QuantLinear without bias: Quant(W (out, in)) -> Transpose -> MatMul, as torch exports
    // F.linear with a computed weight.
    std::string linear(const std::string& x, int in_features, int out_features,
                       const WeightQuant& wq);
    // QuantConv2d without bias: Quant(W (out, in/group, k, k)) -> Conv.
    std::string conv(const std::string& x, int in_channels, int out_channels, int kernel,
                     int padding, int group, const WeightQuant& wq, int stride = 1);
    // BatchNormalization with random affine parameters and running statistics measured on the
    // calibration inputs, as training would have left them.
    std::string batch_norm(const std::string& x, float epsilon);
    // BNN-PYNQ's TensorNorm (a BatchNorm with one scalar of each kind), exported as
    // Sub(mean) -> Div(sqrt(var + eps)) -> Mul(weight) -> Add(bias) with the Pow folded.
    std::string tensor_norm(const std::string& x);
    std::string max_pool(const std::string& x, int kernel);
    std::string relu(const std::string& x);
    // Reshape(x, [1, -1]), the cleaned-up export of x.view(x.shape[0], -1).
    std::string flatten(const std::string& x);
    // Flatten(x, axis = 1), the export of torch.flatten(x, 1).
    std::string flatten_op(const std::string& x);

    // Makes `output` the graph output "global_out", infers shapes and checks the model.
    Model finish(const std::string& output);

private:
    // Per-channel (axis 1) mean and variance of a tensor over the calibration inputs.
    std::pair<std::vector<double>, std::vector<double>> statistics(const std::string& tensor,
                                                                   bool per_channel);

    Model model_;
    Random rng_;
    std::uint32_t seed_;
    int calibration_samples_;
    std::map<std::string, int> op_counts_;
    // Calibration: the tensors computed on the calibration batch, and how many nodes they cover.
    TensorMap computed_;
    int computed_nodes_ = 0;
};

// A seeded batch of inputs suited to the model's first quantizer (see make_zoo_input).
Tensor random_input(const Model& model, std::uint32_t seed, int batch);

// The families (one file each).
Model make_mlp(const std::string& name, const std::vector<int>& hidden, int weight_bits,
               int act_bits, std::uint32_t seed);
Model make_cnv(const std::string& name, int weight_bits, int act_bits, std::uint32_t seed,
               int width = 1);
// `classes` > 0 ends the block in a classifier: flatten at the block's spatial size, then one
// fully connected layer with that many outputs.
Model make_residual(const std::string& name, std::uint32_t seed, const Shape& input, int classes);
Model make_dwsep(const std::string& name, std::uint32_t seed, const Shape& input, int classes);
Model make_lenet(const std::string& name, std::uint32_t seed);
Model make_strided(const std::string& name, std::uint32_t seed);

} // namespace finn::zoo
