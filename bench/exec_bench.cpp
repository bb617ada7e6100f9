// Reference-executor speed: wall time per inference of a CNV-like network built here (6 convs and
// 3 matmuls, ~59 M multiply-accumulates on a 3x32x32 input) and of any ONNX models named on the
// command line (e.g. ../shared/models/finn/tfc_w1a1/model.onnx).
//
//   exec_bench [--runs N] [model.onnx ...]
//
// Each network runs once to warm up, then N times (default 20); prints the median and minimum
// milliseconds per inference, and the multiply-accumulate rate of the CNV-like net.
#include "finn/core/npy.h"
#include "finn/exec/executor.h"
#include "finn/initialize.h"
#include "finn/ir/model.h"
#include "finn/ir/tensor_proto.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

using finn::Model;
using finn::Node;
using finn::Shape;
using finn::Tensor;

// Integer-valued random float32 values in [lo, hi], as FINN's quantized nets carry.
Tensor random_integers(const Shape& shape, int lo, int hi, std::mt19937& rng) {
    std::uniform_int_distribution<int> dist(lo, hi);
    std::vector<float> values(static_cast<std::size_t>(finn::shape_size(shape)));
    for (auto& v : values)
        v = static_cast<float>(dist(rng));
    return Tensor::from_floats(shape, values);
}

struct CnvNet {
    Model model;
    Tensor input;
    double macs = 0;
};

// conv3x3 64, conv3x3 64, maxpool 2, conv 128, conv 128, maxpool 2, conv 256, conv 256 (all
// unpadded, as FINN's CNV: 32 -> 30 -> 28 -> 14 -> 12 -> 10 -> 5 -> 3 -> 1), flatten, matmul 512,
// matmul 512, matmul 10, with Relu after every conv and hidden matmul.
CnvNet build_cnv_like() {
    std::mt19937 rng(42);
    CnvNet net;
    Model& m = net.model;
    m.graph().set_name("cnv_like");
    m.proto().set_ir_version(8);
    m.proto().add_opset_import()->set_version(13);
    m.graph().add_input()->set_name("x");
    m.set_shape("x", {1, 3, 32, 32});

    std::string current = "x";
    std::int64_t channels = 3, size = 32;
    int index = 0;
    auto next_name = [&](const std::string& op) { return op + "_" + std::to_string(index++); };
    auto relu = [&] {
        std::string out = next_name("relu");
        m.add_node("Relu", {current}, {out}, out);
        current = out;
    };
    auto conv = [&](std::int64_t out_channels) {
        std::string w = next_name("conv_w"), out = next_name("conv");
        m.set_initializer(w, random_integers({out_channels, channels, 3, 3}, -1, 1, rng));
        Node node = m.add_node("Conv", {current, w}, {out}, out);
        node.set_attr_ints("kernel_shape", {3, 3});
        size -= 2;
        net.macs += static_cast<double>(out_channels * channels * 9 * size * size);
        channels = out_channels;
        current = out;
        relu();
    };
    auto maxpool = [&] {
        std::string out = next_name("pool");
        Node node = m.add_node("MaxPool", {current}, {out}, out);
        node.set_attr_ints("kernel_shape", {2, 2});
        node.set_attr_ints("strides", {2, 2});
        size /= 2;
        current = out;
    };
    std::int64_t features = 0;
    auto matmul = [&](std::int64_t outputs, bool with_relu) {
        std::string w = next_name("fc_w"), out = next_name("fc");
        m.set_initializer(w, random_integers({features, outputs}, -1, 1, rng));
        m.add_node("MatMul", {current, w}, {out}, out);
        net.macs += static_cast<double>(features * outputs);
        features = outputs;
        current = out;
        if (with_relu) relu();
    };

    conv(64);
    conv(64);
    maxpool();
    conv(128);
    conv(128);
    maxpool();
    conv(256);
    conv(256);
    std::string flat = next_name("flatten");
    m.add_node("Flatten", {current}, {flat}, flat).set_attr_int("axis", 1);
    current = flat;
    features = channels * size * size;
    matmul(512, true);
    matmul(512, true);
    matmul(10, false);
    m.graph().add_output()->set_name(current);
    net.input = random_integers({1, 3, 32, 32}, 0, 255, rng);
    return net;
}

// Inputs for a loaded model: input.npy beside it when it has the declared shape of the model's
// single input, else random integers in 0..1 in the declared shapes and types (unknown
// dimensions as 1).
finn::TensorMap inputs_for(const Model& model, const std::filesystem::path& path) {
    finn::TensorMap feeds;
    const auto names = model.input_names();
    std::mt19937 rng(1);
    for (const auto& name : names) {
        Shape shape = model.shape(name).value_or(Shape{1});
        for (auto& d : shape)
            d = std::max<std::int64_t>(d, 1);
        const auto npy = path.parent_path() / "input.npy";
        if (names.size() == 1 && std::filesystem::exists(npy)) {
            Tensor given = finn::read_npy(npy);
            if (given.shape() == shape) {
                feeds.emplace(name, given);
                continue;
            }
        }
        Tensor values = random_integers(shape, 0, 1, rng);
        if (int elem = model.elem_type(name); elem != 0)
            values = values.cast(finn::element_type_from_onnx(elem, "input '" + name + "'"));
        feeds.emplace(name, values);
    }
    return feeds;
}

struct Timing {
    double median_ms, min_ms;
};

Timing time_runs(const finn::Executor& executor, const finn::TensorMap& feeds, int runs) {
    executor.run(feeds); // warm-up
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        executor.run(feeds);
        const auto stop = std::chrono::steady_clock::now();
        ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(ms.begin(), ms.end());
    const std::size_t n = ms.size();
    return {n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2, ms.front()};
}

} // namespace

int main(int argc, char** argv) {
    finn::initialize();
    int runs = 20;
    std::vector<std::filesystem::path> models;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--runs" && i + 1 < argc) {
            runs = std::atoi(argv[++i]);
        } else if (arg == "--help" || arg == "-h") {
            std::printf("usage: exec_bench [--runs N] [model.onnx ...]\n");
            return 0;
        } else {
            models.emplace_back(arg);
        }
    }
    if (runs < 1) {
        std::fprintf(stderr, "exec_bench: --runs needs a positive count\n");
        return 1;
    }
    try {
        CnvNet cnv = build_cnv_like();
        const finn::Executor cnv_executor(cnv.model, finn::default_kernel_registry());
        const Timing t = time_runs(cnv_executor, {{"x", cnv.input}}, runs);
        std::printf("cnv_like (%.1f M MACs): median %.2f ms, min %.2f ms over %d runs "
                    "(%.2f GMAC/s at the median)\n",
                    cnv.macs / 1e6, t.median_ms, t.min_ms, runs, cnv.macs / t.median_ms / 1e6);
        for (const auto& path : models) {
            const Model model = Model::load(path);
            const finn::Executor executor(model, finn::default_kernel_registry());
            const Timing m = time_runs(executor, inputs_for(model, path), runs);
            std::printf("%s: median %.2f ms, min %.2f ms over %d runs\n", path.string().c_str(),
                        m.median_ms, m.min_ms, runs);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "exec_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
