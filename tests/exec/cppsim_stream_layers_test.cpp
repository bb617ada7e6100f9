// cppsim (exec_mode "cppsim") of DuplicateStreams, AddStreams, ChannelwiseOp and VVAU: each node
// computes what its reference execution computes, for random folding, datatypes and data.
#include "../test_support.h"
#include "exec_test_support.h"
#include "finn/core/datatype.h"
#include "finn/core/error.h"
#include "finn/exec/kernel.h"

#include <algorithm>
#include <cstdint>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <vector>

namespace finn {
namespace {

using testing::NodeSpec;
using testing::run_node;
using Rng = std::mt19937_64;

const std::string kAbstract = "finn.custom_op.fpgadataflow";
const std::string kHls = "finn.custom_op.fpgadataflow.hls";

std::int64_t draw(Rng& rng, std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}
template <class T> const T& pick(Rng& rng, const std::vector<T>& options) {
    return options[static_cast<std::size_t>(
        draw(rng, 0, static_cast<std::int64_t>(options.size()) - 1))];
}
std::vector<std::int64_t> divisors_of(std::int64_t n) {
    std::vector<std::int64_t> out;
    for (std::int64_t d = 1; d <= n; ++d)
        if (n % d == 0) out.push_back(d);
    return out;
}
std::int64_t product(const Shape& shape) {
    std::int64_t n = 1;
    for (std::int64_t d : shape)
        n *= d;
    return n;
}

// Integer datatypes without BIPOLAR (the adding layers take integers).
const std::vector<std::string> kIntegerTypes = {"BINARY", "TERNARY", "INT2",  "UINT2", "INT3",
                                                "UINT4",  "INT4",    "UINT8", "INT8"};

std::vector<float> random_values(Rng& rng, const std::string& type, std::int64_t count) {
    const DataType dt = DataType::parse(type);
    std::vector<float> out(static_cast<std::size_t>(count));
    for (auto& v : out)
        v = type == "BIPOLAR" ? (draw(rng, 0, 1) ? 1.0f : -1.0f)
                              : static_cast<float>(draw(rng, static_cast<std::int64_t>(dt.min()),
                                                        static_cast<std::int64_t>(dt.max())));
    return out;
}

// The node's outputs in the reference execution and in cppsim.
struct BothModes {
    std::vector<Tensor> reference, cppsim;
};
BothModes run_both(const std::string& op, const std::string& domain,
                   const std::function<void(Node&)>& attributes,
                   const std::vector<std::optional<Tensor>>& inputs, int outputs = 1) {
    auto spec = [&](bool cppsim) {
        NodeSpec s{op, domain};
        s.opset = 1;
        s.num_outputs = outputs;
        s.attributes = [attributes, cppsim](Node& n) {
            n.set_attr_string("backend", "fpgadataflow");
            if (cppsim) n.set_attr_string("exec_mode", "cppsim");
            attributes(n);
        };
        return s;
    };
    return {run_node(spec(false), inputs, default_kernel_registry()),
            run_node(spec(true), inputs, default_kernel_registry())};
}

::testing::AssertionResult same_tensors(const BothModes& out) {
    if (out.reference.size() != out.cppsim.size())
        return ::testing::AssertionFailure()
               << out.cppsim.size() << " outputs instead of " << out.reference.size();
    for (std::size_t j = 0; j < out.reference.size(); ++j) {
        const Tensor &a = out.reference[j], &b = out.cppsim[j];
        if (a.shape() != b.shape())
            return ::testing::AssertionFailure()
                   << "output " << j << ": shape " << shape_to_string(b.shape()) << " instead of "
                   << shape_to_string(a.shape());
        const auto x = a.to_doubles(), y = b.to_doubles();
        for (std::size_t i = 0; i < x.size(); ++i)
            if (x[i] != y[i])
                return ::testing::AssertionFailure()
                       << "output " << j << " element " << i << ": cppsim " << y[i]
                       << ", reference " << x[i];
    }
    return ::testing::AssertionSuccess();
}

Shape vectors_shape(Rng& rng) {
    return pick(rng, std::vector<Shape>{{1}, {1, 3}, {2, 2}, {1, 2, 2}});
}

TEST(CppsimStreamLayers, DuplicateStreamsCopiesToEveryOutput) {
    Rng rng(201);
    for (int trial = 0; trial < 40; ++trial) {
        const std::int64_t c = draw(rng, 1, 12), pe = pick(rng, divisors_of(c));
        const int outputs = static_cast<int>(draw(rng, 2, 4));
        const std::string type = pick(rng, kIntegerTypes);
        Shape shape = vectors_shape(rng);
        const Shape vectors = shape;
        shape.push_back(c);
        const Tensor x = Tensor::from_floats(shape, random_values(rng, type, product(shape)));
        auto attrs = [=](Node& n) {
            n.set_attr_int("NumChannels", c);
            n.set_attr_int("PE", pe);
            n.set_attr_int("NumOutputStreams", outputs);
            n.set_attr_string("inputDataType", type);
            n.set_attr_ints("numInputVectors", vectors);
        };
        const BothModes out = run_both(trial % 2 ? "DuplicateStreams_hls" : "DuplicateStreams",
                                       trial % 2 ? kHls : kAbstract, attrs, {x}, outputs);
        EXPECT_TRUE(same_tensors(out)) << "C " << c << " PE " << pe << " " << type;
    }
}

TEST(CppsimStreamLayers, AddStreamsSumsWithTheExtraBit) {
    Rng rng(202);
    for (int trial = 0; trial < 40; ++trial) {
        const std::int64_t c = draw(rng, 1, 12), pe = pick(rng, divisors_of(c));
        std::string type = pick(rng, kIntegerTypes);
        if (type == "TERNARY") type = "INT3"; // refused, see AddStreamsRejectsTernary
        Shape shape = vectors_shape(rng);
        const Shape vectors = shape;
        shape.push_back(c);
        auto a = random_values(rng, type, product(shape));
        auto b = random_values(rng, type, product(shape));
        // The extremes need the output's extra bit.
        const DataType dt = DataType::parse(type);
        a[0] = b[0] = static_cast<float>(dt.min());
        a.back() = b.back() = static_cast<float>(dt.max());
        auto attrs = [=](Node& n) {
            n.set_attr_int("NumChannels", c);
            n.set_attr_int("PE", pe);
            n.set_attr_string("inputDataType", type);
            n.set_attr_ints("numInputVectors", vectors);
        };
        const BothModes out =
            run_both("AddStreams_hls", kHls, attrs,
                     {Tensor::from_floats(shape, a), Tensor::from_floats(shape, b)});
        EXPECT_TRUE(same_tensors(out)) << "C " << c << " PE " << pe << " " << type;
    }
}

TEST(CppsimStreamLayers, ChannelwiseOpEveryFuncPerChannelAndShared) {
    Rng rng(203);
    for (int trial = 0; trial < 80; ++trial) {
        const std::int64_t c = draw(rng, 1, 12), pe = pick(rng, divisors_of(c));
        const std::string func =
            pick(rng, std::vector<std::string>{"add", "mul", "cmp_le", "cmp_ge"});
        const std::string idt = pick(rng, kIntegerTypes), pdt = pick(rng, kIntegerTypes);
        const bool compare = func.rfind("cmp", 0) == 0;
        const std::string odt =
            compare ? "BINARY" : pick(rng, std::vector<std::string>{"INT18", "INT24"});
        const bool shared = draw(rng, 0, 1) == 0;
        Shape shape = vectors_shape(rng);
        const Shape vectors = shape;
        shape.push_back(c);
        const Tensor x = Tensor::from_floats(shape, random_values(rng, idt, product(shape)));
        const std::int64_t count = shared ? 1 : c;
        const Tensor p = Tensor::from_floats({count}, random_values(rng, pdt, count));
        auto attrs = [=](Node& n) {
            n.set_attr_string("Func", func);
            n.set_attr_int("NumChannels", c);
            n.set_attr_int("PE", pe);
            n.set_attr_string("inputDataType", idt);
            n.set_attr_string("paramDataType", pdt);
            n.set_attr_string("outputDataType", odt);
            n.set_attr_ints("numInputVectors", vectors);
        };
        const BothModes out = run_both("ChannelwiseOp_hls", kHls, attrs, {x, p});
        EXPECT_TRUE(same_tensors(out)) << func << " C " << c << " PE " << pe << " " << idt << ","
                                       << pdt << (shared ? " shared" : "");
    }
}

TEST(CppsimStreamLayers, VvauMatchesReferenceForRandomFoldingTypesAndData) {
    Rng rng(204);
    const std::vector<std::string> types = {"BIPOLAR", "TERNARY", "INT2", "UINT2",
                                            "INT4",    "UINT4",   "INT8"};
    for (int trial = 0; trial < 80; ++trial) {
        const std::int64_t c = draw(rng, 1, 8);
        const Shape kernel = pick(rng, std::vector<Shape>{{3, 3}, {1, 3}, {2, 2}, {1, 1}});
        const std::int64_t k = kernel[0] * kernel[1], simd = pick(rng, divisors_of(k));
        // SIMD > 1 needs PE = C (the input's (k, C) order; FINN's SetFolding does the same).
        const std::int64_t pe = simd > 1 ? c : pick(rng, divisors_of(c));
        const Shape dim = {draw(rng, 1, 3), draw(rng, 1, 3)};
        const std::string idt = pick(rng, types), wdt = pick(rng, types);
        const std::string mem_mode = pick(
            rng, std::vector<std::string>{"internal_embedded", "internal_decoupled", "external"});
        const Tensor x = Tensor::from_floats({1, dim[0], dim[1], k * c},
                                             random_values(rng, idt, dim[0] * dim[1] * k * c));
        const Tensor w =
            Tensor::from_floats({c, 1, kernel[0], kernel[1]}, random_values(rng, wdt, c * k));
        const bool no_activation = draw(rng, 0, 1) == 0;
        std::string odt = "INT32";
        std::int64_t act_val = 0;
        std::vector<std::optional<Tensor>> inputs{x, w};
        if (!no_activation) {
            // Two-bit unsigned output from three ascending thresholds per row, some fractional.
            odt = "UINT2";
            const std::int64_t rows = draw(rng, 0, 1) ? c : 1, reach = k * 64;
            std::vector<float> t;
            for (std::int64_t r = 0; r < rows; ++r) {
                std::vector<float> row;
                for (int s = 0; s < 3; ++s)
                    row.push_back(static_cast<float>(draw(rng, -reach, reach)) -
                                  (draw(rng, 0, 3) == 0 ? 0.5f : 0.0f));
                std::sort(row.begin(), row.end());
                t.insert(t.end(), row.begin(), row.end());
            }
            inputs.push_back(Tensor::from_floats({rows, 3}, t));
        }
        auto attrs = [=](Node& n) {
            n.set_attr_int("PE", pe);
            n.set_attr_int("SIMD", simd);
            n.set_attr_ints("Dim", dim);
            n.set_attr_int("Channels", c);
            n.set_attr_ints("Kernel", kernel);
            n.set_attr_string("inputDataType", idt);
            n.set_attr_string("weightDataType", wdt);
            n.set_attr_string("outputDataType", odt);
            n.set_attr_string("accDataType", "INT32");
            n.set_attr_int("noActivation", no_activation ? 1 : 0);
            n.set_attr_int("ActVal", act_val);
            n.set_attr_string("mem_mode", mem_mode);
        };
        const BothModes out =
            run_both(trial % 2 ? "VVAU_hls" : "VVAU", trial % 2 ? kHls : kAbstract, attrs, inputs);
        EXPECT_TRUE(same_tensors(out))
            << "C " << c << " k " << k << " PE " << pe << " SIMD " << simd << " " << idt << " x "
            << wdt << (no_activation ? "" : " thresholds") << " " << mem_mode;
    }
}

// The VVAU reads Im2Col's (k, C) order: cppsim equals out[c] = sum_i x[i*C + c] * W[c][i]
// computed here.
TEST(CppsimStreamLayers, VvauReadsTheIm2ColOrder) {
    const std::int64_t c = 2, k = 4;
    std::vector<float> xv(static_cast<std::size_t>(k * c)), wv(static_cast<std::size_t>(k * c));
    for (std::size_t i = 0; i < xv.size(); ++i)
        xv[i] = static_cast<float>(i + 1);
    for (std::size_t i = 0; i < wv.size(); ++i)
        wv[i] = static_cast<float>(static_cast<int>(i) - 3);
    const Tensor x = Tensor::from_floats({1, 1, 1, k * c}, xv);
    const Tensor w = Tensor::from_floats({c, 1, 2, 2}, wv);
    auto attrs = [=](Node& n) {
        n.set_attr_int("PE", 2);
        n.set_attr_int("SIMD", 2);
        n.set_attr_ints("Dim", {1, 1});
        n.set_attr_int("Channels", c);
        n.set_attr_ints("Kernel", {2, 2});
        n.set_attr_string("inputDataType", "INT8");
        n.set_attr_string("weightDataType", "INT4");
        n.set_attr_string("outputDataType", "INT32");
        n.set_attr_int("noActivation", 1);
    };
    const BothModes out = run_both("VVAU_hls", kHls, attrs, {x, w});
    ASSERT_TRUE(same_tensors(out));
    // out[c] = sum_i x[i*C + c] * W[c][i], computed here.
    std::vector<double> expected(static_cast<std::size_t>(c), 0.0);
    for (std::int64_t ch = 0; ch < c; ++ch)
        for (std::int64_t i = 0; i < k; ++i)
            expected[static_cast<std::size_t>(ch)] +=
                xv[static_cast<std::size_t>(i * c + ch)] * wv[static_cast<std::size_t>(ch * k + i)];
    EXPECT_EQ(out.cppsim[0].to_doubles(), expected);
}

// FINN's AddStreams output type for TERNARY is INT2, which cannot hold 1 + 1 (the stream carries
// TERNARY as INT2): refused clearly.
TEST(CppsimStreamLayers, AddStreamsRejectsTernary) {
    const Tensor a = Tensor::from_floats({1, 2}, {1, -1});
    auto attrs = [](Node& n) {
        n.set_attr_int("NumChannels", 2);
        n.set_attr_int("PE", 1);
        n.set_attr_string("inputDataType", "TERNARY");
    };
    try {
        run_both("AddStreams_hls", kHls, attrs, {a, a});
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("output type INT2 cannot hold every sum"),
                  std::string::npos)
            << e.what();
    }
}

// SIMD > 1 with PE < C cannot fold the (k, C) order into tiles: refused, naming the node.
TEST(CppsimStreamLayers, VvauRejectsSimdWithoutFullPe) {
    const Tensor x = Tensor::from_floats({1, 1, 1, 8}, std::vector<float>(8, 1.0f));
    const Tensor w = Tensor::from_floats({2, 1, 2, 2}, std::vector<float>(8, 1.0f));
    auto attrs = [](Node& n) {
        n.set_attr_int("PE", 1);
        n.set_attr_int("SIMD", 2);
        n.set_attr_ints("Dim", {1, 1});
        n.set_attr_int("Channels", 2);
        n.set_attr_ints("Kernel", {2, 2});
        n.set_attr_string("inputDataType", "INT4");
        n.set_attr_string("weightDataType", "INT4");
        n.set_attr_string("outputDataType", "INT32");
        n.set_attr_int("noActivation", 1);
    };
    try {
        run_both("VVAU_hls", kHls, attrs, {x, w});
        FAIL() << "expected an error";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("VVAU_hls_0"), std::string::npos) << message;
        EXPECT_NE(message.find("SIMD 2 > 1 needs PE = Channels (2), not PE 1"), std::string::npos)
            << message;
    }
}

TEST(CppsimStreamLayers, AddStreamsRejectsBipolarInputsNamingTheNode) {
    const Tensor a = Tensor::from_floats({1, 2}, {1, -1});
    auto attrs = [](Node& n) {
        n.set_attr_int("NumChannels", 2);
        n.set_attr_int("PE", 1);
        n.set_attr_string("inputDataType", "BIPOLAR");
    };
    try {
        run_both("AddStreams_hls", kHls, attrs, {a, a});
        FAIL() << "expected an error";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("AddStreams_hls_0"), std::string::npos) << message;
        EXPECT_NE(message.find("BIPOLAR"), std::string::npos) << message;
    }
}

} // namespace
} // namespace finn
