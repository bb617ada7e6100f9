// cppsim of the pooling and subsampling layers (StreamingMaxPool, Pool, DownSampler,
// GlobalAccPool): for random shapes, folding, datatypes and data, exec_mode "cppsim" (the
// bit-accurate model of the hardware, hls/model) computes what the reference execution computes,
// in the reference's shape.
#include "exec_test_support.h"
#include "finn/core/datatype.h"
#include "finn/exec/executor.h"
#include "finn/exec/kernel.h"
#include "finn/ir/tensor_proto.h"

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

const std::string kHls = "finn.custom_op.fpgadataflow.hls";

std::int64_t draw(Rng& rng, std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

template <class T> T pick(Rng& rng, const std::vector<T>& options) {
    return options[static_cast<std::size_t>(
        draw(rng, 0, static_cast<std::int64_t>(options.size()) - 1))];
}

std::vector<std::int64_t> divisors_of(std::int64_t n) {
    std::vector<std::int64_t> out;
    for (std::int64_t d = 1; d <= n; ++d)
        if (n % d == 0) out.push_back(d);
    return out;
}

const std::vector<std::string> kTypes = {"BIPOLAR", "BINARY", "TERNARY", "INT2",  "UINT2",
                                         "INT3",    "UINT4",  "INT4",    "UINT8", "INT8"};
// FINN's 1D StreamingMaxPool takes no BIPOLAR; QuantAvgPool sums integers.
const std::vector<std::string> kOneDimTypes = {"INT4", "UINT2", "INT8", "BINARY"};
const std::vector<std::string> kSumTypes = {"UINT2", "UINT4", "UINT8", "INT4", "INT8"};

Tensor random_tensor(Rng& rng, const std::string& type, const Shape& shape) {
    const DataType dt = DataType::parse(type);
    std::int64_t count = 1;
    for (std::int64_t d : shape)
        count *= d;
    std::vector<float> values(static_cast<std::size_t>(count));
    for (auto& v : values)
        v = type == "BIPOLAR" ? (draw(rng, 0, 1) ? 1.0f : -1.0f)
                              : static_cast<float>(draw(rng, static_cast<std::int64_t>(dt.min()),
                                                        static_cast<std::int64_t>(dt.max())));
    return Tensor::from_floats(shape, values);
}

// The node's output in the reference execution and in cppsim must be the same tensor.
::testing::AssertionResult cppsim_matches_reference(const std::string& op,
                                                    const std::function<void(Node&)>& attributes,
                                                    const Tensor& x) {
    auto spec = [&](bool cppsim) {
        NodeSpec s{op, kHls};
        s.opset = 1;
        s.attributes = [attributes, cppsim](Node& n) {
            n.set_attr_string("backend", "fpgadataflow");
            if (cppsim) n.set_attr_string("exec_mode", "cppsim");
            attributes(n);
        };
        return s;
    };
    const Tensor reference = run_node(spec(false), {x}, default_kernel_registry()).at(0);
    const Tensor cppsim = run_node(spec(true), {x}, default_kernel_registry()).at(0);
    if (reference.shape() != cppsim.shape())
        return ::testing::AssertionFailure()
               << "cppsim shape " << shape_to_string(cppsim.shape()) << ", reference "
               << shape_to_string(reference.shape());
    const auto a = reference.to_doubles(), b = cppsim.to_doubles();
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i])
            return ::testing::AssertionFailure()
                   << "element " << i << ": cppsim " << b[i] << ", reference " << a[i];
    return ::testing::AssertionSuccess();
}

// 1D rows and columns (PE folding, CeilMode) and 2D images (whole pixels per word).
TEST(PoolLayersCppsim, StreamingMaxPoolMatchesReference) {
    Rng rng(61);
    for (int trial = 0; trial < 80; ++trial) {
        const int kind = static_cast<int>(draw(rng, 0, 2)); // 0: 2D, 1: row, 2: column
        const std::int64_t c = draw(rng, 1, 6), k = draw(rng, 1, 4);
        const bool ceil_mode = kind != 0 && draw(rng, 0, 1) == 1;
        const std::int64_t d = draw(rng, k, 9);
        std::vector<std::int64_t> dim{kind == 1 ? 1 : d, kind == 2 ? 1 : d};
        std::vector<std::int64_t> pool{kind == 1 ? 1 : k, kind == 2 ? 1 : k};
        if (kind == 0) dim = {k * draw(rng, 1, 3), k * draw(rng, 1, 3)}; // FINN's 2D: k | D
        const std::string type = kind == 0 ? pick(rng, kTypes) : pick(rng, kOneDimTypes);
        const std::int64_t pe = pick(rng, divisors_of(c));
        const Tensor x = random_tensor(rng, type, {1, dim[0], dim[1], c});
        EXPECT_TRUE(cppsim_matches_reference(
            "StreamingMaxPool_hls",
            [&](Node& n) {
                n.set_attr_ints("ImgDim", dim);
                n.set_attr_ints("PoolDim", pool);
                n.set_attr_int("NumChannels", c);
                n.set_attr_int("PE", pe);
                n.set_attr_int("CeilMode", ceil_mode);
                n.set_attr_string("dataType", type);
            },
            x))
            << "ImgDim " << dim[0] << "x" << dim[1] << " k " << k << " C " << c << " PE " << pe
            << " ceil " << ceil_mode << " " << type;
    }
}

// MaxPool and QuantAvgPool (with its shift), several output pixels and batches.
TEST(PoolLayersCppsim, PoolMatchesReference) {
    Rng rng(62);
    for (int trial = 0; trial < 80; ++trial) {
        const std::int64_t c = draw(rng, 1, 6), kh = draw(rng, 1, 3), kw = draw(rng, 1, 3);
        const std::int64_t oh = draw(rng, 1, 3), ow = draw(rng, 1, 3),
                           pe = pick(rng, divisors_of(c));
        const bool average = draw(rng, 0, 1) == 1;
        const std::string idt = average ? pick(rng, kSumTypes) : pick(rng, kTypes);
        // An average's output: narrower than the sum (a shift) or wide enough (no shift).
        const std::string odt = !average ? idt
                                : DataType::parse(idt).is_signed()
                                    ? "INT" + std::to_string(draw(rng, 8, 16))
                                    : "UINT" + std::to_string(draw(rng, 2, 12));
        const Tensor x = random_tensor(rng, idt, {1, oh, ow, kh * kw * c});
        EXPECT_TRUE(cppsim_matches_reference(
            "Pool_hls",
            [&](Node& n) {
                n.set_attr_int("Channels", c);
                n.set_attr_int("PE", pe);
                n.set_attr_ints("KernelSize", {kh, kw});
                n.set_attr_string("Function", average ? "QuantAvgPool" : "MaxPool");
                n.set_attr_ints("OutImgDims", {oh, ow});
                n.set_attr_string("InputDataType", idt);
                n.set_attr_string("OutputDataType", odt);
            },
            x))
            << "C " << c << " PE " << pe << " k " << kh << "x" << kw << " " << idt << " -> " << odt
            << (average ? " QuantAvgPool" : " MaxPool");
    }
}

// Square images, rows and columns, strides above and below the image size, batches.
TEST(PoolLayersCppsim, DownSamplerMatchesReference) {
    Rng rng(63);
    for (int trial = 0; trial < 60; ++trial) {
        const std::int64_t c = draw(rng, 1, 6), simd = pick(rng, divisors_of(c));
        const std::int64_t dim = draw(rng, 1, 9), stride = draw(rng, 1, 4), batch = draw(rng, 1, 2);
        const bool is_1d = draw(rng, 0, 1) == 1, column = draw(rng, 0, 1) == 1;
        const std::string type = pick(rng, kTypes);
        const Shape shape{batch, !is_1d || column ? dim : 1, !is_1d || !column ? dim : 1, c};
        const Tensor x = random_tensor(rng, type, shape);
        EXPECT_TRUE(cppsim_matches_reference(
            "DownSampler_hls",
            [&](Node& n) {
                n.set_attr_int("ImgDim", dim);
                n.set_attr_int("NumChannels", c);
                n.set_attr_int("SIMD", simd);
                n.set_attr_int("Stride", stride);
                n.set_attr_string("inputDataType", type);
                n.set_attr_int("numInputVectors", batch);
                n.set_attr_int("is1D", is_1d);
                n.set_attr_int("is1D_unitx", column);
            },
            x))
            << "ImgDim " << dim << " stride " << stride << " C " << c << " SIMD " << simd << " 1D "
            << is_1d << " column " << column;
    }
}

std::function<void(Node&)> global_acc_pool(std::int64_t c, std::int64_t pe, const std::string& type,
                                           std::int64_t h, std::int64_t w) {
    return [=](Node& n) {
        n.set_attr_int("NumChannels", c);
        n.set_attr_int("PE", pe);
        n.set_attr_string("inputDataType", type);
        n.set_attr_ints("numInputVectors", {1, h, w});
    };
}

// BIPOLAR inputs are refused (see the next test).
TEST(PoolLayersCppsim, GlobalAccPoolMatchesReference) {
    Rng rng(64);
    for (int trial = 0; trial < 60; ++trial) {
        const std::int64_t c = draw(rng, 1, 6), pe = pick(rng, divisors_of(c));
        const std::int64_t h = draw(rng, 1, 5), w = draw(rng, 1, 5);
        std::string type = pick(rng, kTypes);
        if (type == "BIPOLAR") type = "BINARY";
        const Tensor x = random_tensor(rng, type, {1, h, w, c});
        EXPECT_TRUE(
            cppsim_matches_reference("GlobalAccPool_hls", global_acc_pool(c, pe, type, h, w), x))
            << "C " << c << " PE " << pe << " " << h << "x" << w << " " << type;
    }
}

// FINN's output datatype for a BIPOLAR input (the smallest holding H*W * -1) cannot hold the
// largest sum +H*W, so the hardware refuses the node rather than emit a wrapped sum.
TEST(PoolLayersCppsim, GlobalAccPoolRefusesBipolarInputWhoseSumsItsOutputTypeCannotHold) {
    const Tensor x = Tensor::from_floats({1, 1, 2, 1}, {1, 1});
    try {
        cppsim_matches_reference("GlobalAccPool_hls", global_acc_pool(1, 1, "BIPOLAR", 1, 2), x);
        FAIL() << "no error";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("cannot hold the sum 2 of 2 BIPOLAR +1 values"),
                  std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("GlobalAccPool_hls_0"), std::string::npos) << e.what();
    }
}

// FINN's QuantAvgPool shift is sized for unsigned sums: a signed input whose shifted sums leave
// the output type (INT2 values over 3x3 windows into INT2: -18 >> 3 = -3) is refused, naming the
// node, rather than emitting wrapped values the reference does not compute.
TEST(PoolLayersCppsim, QuantAvgPoolRefusesSumsItsOutputTypeCannotHold) {
    const Tensor x = Tensor::from_floats({1, 1, 1, 9}, std::vector<float>(9, -2.0f));
    try {
        cppsim_matches_reference(
            "Pool_hls",
            [](Node& n) {
                n.set_attr_int("Channels", 1);
                n.set_attr_int("PE", 1);
                n.set_attr_ints("KernelSize", {3, 3});
                n.set_attr_string("Function", "QuantAvgPool");
                n.set_attr_ints("OutImgDims", {1, 1});
                n.set_attr_string("InputDataType", "INT2");
                n.set_attr_string("OutputDataType", "INT2");
            },
            x);
        FAIL() << "no error";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("cannot hold the window sums of 9 INT2 values "
                                             "shifted right by 3 (-3 to 1)"),
                  std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("Pool_hls_0"), std::string::npos) << e.what();
    }
}

// A small conv net's pooling path: a depthwise sliding window (reference execution) feeding
// Pool's QuantAvgPool, StreamingMaxPool, DownSampler and GlobalAccPool, each run through its
// cppsim model, gives every intermediate tensor and the output of the all-reference run.
TEST(PoolLayersCppsim, ConvNetPoolingPathInCppsimEqualsReference) {
    const std::string abstract = "finn.custom_op.fpgadataflow";
    auto build = [&](bool cppsim) {
        Model model;
        model.graph().set_name("pooling_path");
        model.proto().add_opset_import()->set_version(13);
        for (const std::string& domain : {abstract, kHls}) {
            auto* opset = model.proto().add_opset_import();
            opset->set_domain(domain);
            opset->set_version(1);
        }
        model.graph().add_input()->set_name("x");
        model.set_shape("x", {1, 8, 8, 4}, onnx_elem_type(ElementType::Float32));
        const std::vector<std::string> tensors = {"windows", "averaged", "pooled", "subsampled",
                                                  "y"};
        for (const std::string& t : tensors)
            model.graph().add_output()->set_name(t);
        auto add = [&](const std::string& op, const std::string& domain, const std::string& in,
                       const std::string& out, const std::function<void(Node&)>& attributes) {
            Node n = model.add_node(op, {in}, {out}, op + "_0", domain);
            n.set_attr_string("backend", "fpgadataflow");
            if (cppsim && domain == kHls) n.set_attr_string("exec_mode", "cppsim");
            attributes(n);
        };
        add("ConvolutionInputGenerator", abstract, "x", "windows", [](Node& n) {
            n.set_attr_ints("ConvKernelDim", {3, 3});
            n.set_attr_int("IFMChannels", 4);
            n.set_attr_ints("IFMDim", {8, 8});
            n.set_attr_ints("OFMDim", {6, 6});
            n.set_attr_int("SIMD", 2);
            n.set_attr_ints("Stride", {1, 1});
            n.set_attr_ints("Dilation", {1, 1});
            n.set_attr_string("inputDataType", "UINT4");
            n.set_attr_string("outputDataType", "UINT4");
            n.set_attr_int("depthwise", 1);
        });
        add("Pool_hls", kHls, "windows", "averaged", [](Node& n) {
            n.set_attr_int("Channels", 4);
            n.set_attr_int("PE", 2);
            n.set_attr_ints("KernelSize", {3, 3});
            n.set_attr_string("Function", "QuantAvgPool");
            n.set_attr_ints("OutImgDims", {6, 6});
            n.set_attr_string("InputDataType", "UINT4");
            n.set_attr_string("OutputDataType", "UINT4");
        });
        add("StreamingMaxPool_hls", kHls, "averaged", "pooled", [](Node& n) {
            n.set_attr_ints("ImgDim", {6, 6});
            n.set_attr_ints("PoolDim", {2, 2});
            n.set_attr_int("NumChannels", 4);
            n.set_attr_string("dataType", "UINT4");
        });
        add("DownSampler_hls", kHls, "pooled", "subsampled", [](Node& n) {
            n.set_attr_int("ImgDim", 3);
            n.set_attr_int("NumChannels", 4);
            n.set_attr_int("SIMD", 4);
            n.set_attr_int("Stride", 2);
            n.set_attr_string("inputDataType", "UINT4");
        });
        add("GlobalAccPool_hls", kHls, "subsampled", "y", [](Node& n) {
            n.set_attr_int("NumChannels", 4);
            n.set_attr_int("PE", 1);
            n.set_attr_string("inputDataType", "UINT4");
            n.set_attr_ints("numInputVectors", {1, 2, 2});
        });
        return model;
    };
    Rng rng(65);
    for (int trial = 0; trial < 5; ++trial) {
        const Tensor x = random_tensor(rng, "UINT4", {1, 8, 8, 4});
        const TensorMap reference = Executor(build(false)).run({{"x", x}});
        const TensorMap cppsim = Executor(build(true)).run({{"x", x}});
        for (const char* t : {"averaged", "pooled", "subsampled", "y"}) {
            SCOPED_TRACE(t);
            EXPECT_EQ(cppsim.at(t).shape(), reference.at(t).shape());
            EXPECT_EQ(cppsim.at(t).to_doubles(), reference.at(t).to_doubles());
        }
        EXPECT_EQ(reference.at("y").shape(), (Shape{1, 1, 1, 4}));
    }
}

} // namespace
} // namespace finn
