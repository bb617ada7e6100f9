// cppsim (exec_mode "cppsim"): every layer with a stream model computes what its reference
// execution computes, for random folding, datatypes and data; the executor dispatches on
// exec_mode; a node without a model fails naming itself.
#include "../test_support.h"
#include "exec_test_support.h"
#include "finn/core/datatype.h"
#include "finn/core/error.h"
#include "finn/exec/executor.h"
#include "finn/exec/kernel.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <vector>

namespace finn {
namespace {

using testing::NodeSpec;
using testing::run_node;

const std::string kAbstract = "finn.custom_op.fpgadataflow";
const std::string kHls = "finn.custom_op.fpgadataflow.hls";
const std::string kRtl = "finn.custom_op.fpgadataflow.rtl";

using Rng = std::mt19937_64;

std::int64_t draw(Rng& rng, std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

template <class T> const T& pick(Rng& rng, const std::vector<T>& options) {
    return options[static_cast<std::size_t>(
        draw(rng, 0, static_cast<std::int64_t>(options.size()) - 1))];
}

std::int64_t product(const Shape& shape) {
    std::int64_t n = 1;
    for (std::int64_t d : shape)
        n *= d;
    return n;
}

std::vector<std::int64_t> divisors_of(std::int64_t n) {
    std::vector<std::int64_t> out;
    for (std::int64_t d = 1; d <= n; ++d)
        if (n % d == 0) out.push_back(d);
    return out;
}

// Integer datatypes from BIPOLAR to 8 bits, signed and unsigned.
const std::vector<std::string> kTypes = {"BIPOLAR", "BINARY", "TERNARY", "INT2",  "UINT2",
                                         "INT3",    "UINT4",  "INT4",    "UINT8", "INT8"};

std::vector<float> random_values(Rng& rng, const std::string& type, std::int64_t count) {
    const DataType dt = DataType::parse(type);
    std::vector<float> out(static_cast<std::size_t>(count));
    for (auto& v : out) {
        if (type == "BIPOLAR")
            v = draw(rng, 0, 1) ? 1.0f : -1.0f;
        else
            v = static_cast<float>(draw(rng, static_cast<std::int64_t>(dt.min()),
                                        static_cast<std::int64_t>(dt.max())));
    }
    return out;
}

NodeSpec hw_node(const std::string& op, const std::string& domain,
                 std::function<void(Node&)> attributes, bool cppsim) {
    NodeSpec spec{op, domain};
    spec.opset = 1;
    spec.attributes = [attributes, cppsim](Node& n) {
        n.set_attr_string("backend", "fpgadataflow");
        if (cppsim) n.set_attr_string("exec_mode", "cppsim");
        attributes(n);
    };
    return spec;
}

// The node's output in the reference execution and in cppsim.
struct BothModes {
    Tensor reference, cppsim;
};
BothModes run_both(const std::string& op, const std::string& domain,
                   const std::function<void(Node&)>& attributes,
                   const std::vector<std::optional<Tensor>>& inputs) {
    return {
        run_node(hw_node(op, domain, attributes, false), inputs, default_kernel_registry()).at(0),
        run_node(hw_node(op, domain, attributes, true), inputs, default_kernel_registry()).at(0)};
}

::testing::AssertionResult same_tensor(const Tensor& reference, const Tensor& cppsim) {
    if (reference.type() != cppsim.type() || reference.shape() != cppsim.shape())
        return ::testing::AssertionFailure()
               << "shape " << shape_to_string(cppsim.shape()) << " instead of "
               << shape_to_string(reference.shape());
    const auto a = reference.to_doubles(), b = cppsim.to_doubles();
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i])
            return ::testing::AssertionFailure()
                   << "element " << i << ": cppsim " << b[i] << ", reference " << a[i];
    return ::testing::AssertionSuccess();
}

std::string pick_op(Rng& rng, const std::string& op, bool has_rtl, std::string& domain) {
    const int choice = static_cast<int>(draw(rng, 0, has_rtl ? 2 : 1));
    domain = choice == 0 ? kAbstract : choice == 1 ? kHls : kRtl;
    return choice == 0 ? op : choice == 1 ? op + "_hls" : op + "_rtl";
}

// A MultiThreshold activation's thresholds (rows x steps, ascending per row) in [lo, hi], some
// fractional (integer inputs compare as with the threshold rounded up), with its output type
// and ActVal: UINTb (2^b-1 steps, ActVal 0), INTb (ActVal -2^(b-1)) or BIPOLAR (1 step).
struct Activation {
    std::string output;
    std::int64_t act_val = 0, steps = 1, rows = 1;
    std::vector<float> values;
};
Activation random_activation(Rng& rng, std::int64_t channels, std::int64_t lo, std::int64_t hi) {
    Activation a;
    const int kind = static_cast<int>(draw(rng, 0, 2));
    const std::int64_t bits = draw(rng, 1, 3);
    if (kind == 0) {
        a.output = "BIPOLAR";
    } else if (kind == 1) {
        a.output = "UINT" + std::to_string(bits);
        a.steps = (std::int64_t{1} << bits) - 1;
    } else {
        a.output = "INT" + std::to_string(bits + 1);
        a.steps = (std::int64_t{1} << (bits + 1)) - 1;
        a.act_val = -(std::int64_t{1} << bits);
    }
    a.rows = draw(rng, 0, 2) == 0 ? 1 : channels; // shared thresholds or one row per channel
    for (std::int64_t r = 0; r < a.rows; ++r) {
        std::vector<float> row;
        for (std::int64_t s = 0; s < a.steps; ++s)
            row.push_back(static_cast<float>(draw(rng, lo, hi)) -
                          (draw(rng, 0, 3) == 0 ? 0.5f : 0));
        std::sort(row.begin(), row.end());
        a.values.insert(a.values.end(), row.begin(), row.end());
    }
    return a;
}

Shape vectors_shape(Rng& rng) {
    return pick(rng, std::vector<Shape>{{1}, {1, 3}, {2, 2}, {1, 2, 2}});
}

// --- MVAU ---------------------------------------------------------------------------------------

struct MvauCase {
    std::string op, domain, idt, wdt, odt, acc = "INT32", mem_mode;
    std::int64_t mw, mh, pe, simd, act_val = 0;
    bool xnor = false, no_activation = true;
    Shape vectors;
    Tensor x, w;
    std::optional<Tensor> thresholds;

    std::function<void(Node&)> attributes() const {
        return [c = *this](Node& n) {
            n.set_attr_int("MW", c.mw);
            n.set_attr_int("MH", c.mh);
            n.set_attr_int("PE", c.pe);
            n.set_attr_int("SIMD", c.simd);
            n.set_attr_string("inputDataType", c.idt);
            n.set_attr_string("weightDataType", c.wdt);
            n.set_attr_string("outputDataType", c.odt);
            n.set_attr_string("accDataType", c.acc);
            n.set_attr_int("binaryXnorMode", c.xnor ? 1 : 0);
            n.set_attr_int("noActivation", c.no_activation ? 1 : 0);
            n.set_attr_int("ActVal", c.act_val);
            n.set_attr_ints("numInputVectors", c.vectors);
            n.set_attr_string("mem_mode", c.mem_mode);
        };
    }
    std::string describe() const {
        return op + " MW " + std::to_string(mw) + " MH " + std::to_string(mh) + " SIMD " +
               std::to_string(simd) + " PE " + std::to_string(pe) + " " + idt + " x " + wdt +
               " -> " + odt + (xnor ? " xnor" : "") + (no_activation ? "" : " thresholds") + " " +
               mem_mode;
    }
};

MvauCase random_mvau(Rng& rng) {
    MvauCase c;
    c.op = pick_op(rng, "MVAU", true, c.domain);
    c.mw = draw(rng, 1, 12);
    c.mh = draw(rng, 1, 10);
    c.simd = pick(rng, divisors_of(c.mw));
    c.pe = pick(rng, divisors_of(c.mh));
    c.mem_mode =
        pick(rng, std::vector<std::string>{"internal_embedded", "internal_decoupled", "external"});
    const int kind = static_cast<int>(draw(rng, 0, 3));
    if (kind == 0) {
        c.xnor = true;
        c.idt = c.wdt = "BINARY";
    } else if (kind == 1) {
        c.idt = c.wdt = "BIPOLAR";
    } else {
        c.idt = pick(rng, kTypes);
        c.wdt = pick(rng, kTypes);
    }
    c.vectors = vectors_shape(rng);
    Shape xs = c.vectors;
    xs.push_back(c.mw);
    c.x = Tensor::from_floats(xs, random_values(rng, c.idt, product(xs)));
    c.w = Tensor::from_floats({c.mw, c.mh}, random_values(rng, c.wdt, c.mw * c.mh));
    const std::int64_t bound = c.mw * 128 * 128;
    c.no_activation = draw(rng, 0, 1) == 0;
    if (c.no_activation) {
        c.acc = c.odt = pick(rng, std::vector<std::string>{"INT32", "INT20"});
    } else {
        // Thresholds inside the accumulator's range of this layer.
        const std::int64_t reach = std::max<std::int64_t>(
            1, c.mw * std::max<std::int64_t>(1, (std::int64_t{1} << 7) / (c.mw + 1)));
        Activation a = random_activation(rng, c.mh, -reach, reach);
        c.odt = a.output;
        c.act_val = a.act_val;
        c.thresholds = Tensor::from_floats({a.rows, a.steps}, a.values);
        (void)bound;
    }
    return c;
}

std::vector<std::optional<Tensor>> mvau_inputs(const MvauCase& c) {
    std::vector<std::optional<Tensor>> inputs{c.x, c.w};
    if (c.thresholds) inputs.push_back(*c.thresholds);
    return inputs;
}

TEST(Cppsim, MvauMatchesReferenceForRandomFoldingTypesAndData) {
    Rng rng(101);
    for (int trial = 0; trial < 150; ++trial) {
        const MvauCase c = random_mvau(rng);
        const BothModes out = run_both(c.op, c.domain, c.attributes(), mvau_inputs(c));
        EXPECT_TRUE(same_tensor(out.reference, out.cppsim)) << c.describe();
    }
}

// The comparison above can fail: cppsim with one weight changed differs from the reference.
TEST(Cppsim, MvauWithACorruptedWeightDiffersFromReference) {
    Rng rng(5);
    int compared = 0;
    for (int trial = 0; trial < 40; ++trial) {
        MvauCase c = random_mvau(rng);
        if (!c.no_activation || c.xnor || c.wdt == "BIPOLAR" || c.idt == "BINARY") continue;
        const Tensor reference = run_node(hw_node(c.op, c.domain, c.attributes(), false),
                                          mvau_inputs(c), default_kernel_registry())
                                     .at(0);
        // Every input element nonzero, so changing any weight changes an output.
        auto xv = c.x.to_floats();
        for (auto& v : xv)
            if (v == 0) v = 1;
        c.x = Tensor::from_floats(c.x.shape(), xv);
        const Tensor clean = run_node(hw_node(c.op, c.domain, c.attributes(), false),
                                      mvau_inputs(c), default_kernel_registry())
                                 .at(0);
        auto wv = c.w.to_floats();
        const std::size_t at = static_cast<std::size_t>(draw(rng, 0, c.mw * c.mh - 1));
        const DataType wdt = DataType::parse(c.wdt);
        wv[at] = wv[at] == static_cast<float>(wdt.max()) ? static_cast<float>(wdt.min())
                                                         : static_cast<float>(wdt.max());
        MvauCase corrupted = c;
        corrupted.w = Tensor::from_floats(c.w.shape(), wv);
        const Tensor cppsim = run_node(hw_node(c.op, c.domain, c.attributes(), true),
                                       mvau_inputs(corrupted), default_kernel_registry())
                                  .at(0);
        EXPECT_FALSE(same_tensor(clean, cppsim)) << c.describe();
        ++compared;
        (void)reference;
    }
    EXPECT_GT(compared, 5);
}

// cppsim is the hardware: an output type narrower than the accumulator keeps its low bits,
// where the reference returns the exact sum.
TEST(Cppsim, MvauOutputNarrowerThanAccumulatorTruncatesAsTheHardware) {
    MvauCase c;
    c.op = "MVAU_hls";
    c.domain = kHls;
    c.idt = c.wdt = "UINT4";
    c.odt = c.acc = "INT4";
    c.mw = 2;
    c.mh = 1;
    c.pe = c.simd = 1;
    c.mem_mode = "internal_decoupled";
    c.vectors = {1};
    c.x = Tensor::from_floats({1, 2}, {3, 2});
    c.w = Tensor::from_floats({2, 1}, {3, 1}); // 3*3 + 2*1 = 11 = 0b1011 -> INT4 -5
    const BothModes out = run_both(c.op, c.domain, c.attributes(), mvau_inputs(c));
    EXPECT_EQ(out.reference.to_doubles(), std::vector<double>{11});
    EXPECT_EQ(out.cppsim.to_doubles(), std::vector<double>{-5});
}

// --- Thresholding -------------------------------------------------------------------------------

TEST(Cppsim, ThresholdingMatchesReferenceForRandomFoldingTypesAndData) {
    Rng rng(202);
    for (int trial = 0; trial < 150; ++trial) {
        std::string domain;
        const std::string op = pick_op(rng, "Thresholding", true, domain);
        const std::int64_t channels = draw(rng, 1, 16);
        const std::int64_t pe = pick(rng, divisors_of(channels));
        std::string idt = pick(rng, kTypes);
        if (idt == "BIPOLAR") idt = "INT2"; // FINN thresholds integer inputs
        const DataType in = DataType::parse(idt);
        const Activation a = random_activation(rng, channels, static_cast<std::int64_t>(in.min()),
                                               static_cast<std::int64_t>(in.max()) + 1);
        const std::string wdt = "INT" + std::to_string(in.bitwidth() + 2);
        Shape xs = vectors_shape(rng);
        const Shape vectors = xs;
        xs.push_back(channels);
        const Tensor x = Tensor::from_floats(xs, random_values(rng, idt, product(xs)));
        const Tensor t = Tensor::from_floats({a.rows, a.steps}, a.values);
        auto attributes = [&](Node& n) {
            n.set_attr_int("NumChannels", channels);
            n.set_attr_int("PE", pe);
            n.set_attr_int("numSteps", a.steps);
            n.set_attr_string("inputDataType", idt);
            n.set_attr_string("weightDataType", wdt);
            n.set_attr_string("outputDataType", a.output);
            n.set_attr_int("ActVal", a.act_val);
            n.set_attr_ints("numInputVectors", vectors);
        };
        const BothModes out = run_both(op, domain, attributes, {x, t});
        EXPECT_TRUE(same_tensor(out.reference, out.cppsim))
            << op << " C " << channels << " PE " << pe << " " << idt << " -> " << a.output
            << " rows " << a.rows;
    }
}

// --- StreamingFIFO, StreamingDataWidthConverter -------------------------------------------------

TEST(Cppsim, FifoAndWidthConverterPassRandomStreamsUnchanged) {
    Rng rng(303);
    for (int trial = 0; trial < 100; ++trial) {
        const std::string type = pick(rng, kTypes);
        const std::int64_t bits = DataType::parse(type).bitwidth();
        const std::int64_t rows = draw(rng, 1, 3), length = draw(rng, 1, 24);
        const Shape shape{1, rows, length};
        const Tensor x = Tensor::from_floats(shape, random_values(rng, type, product(shape)));

        const std::int64_t elems = pick(rng, divisors_of(length));
        auto fifo = [&](Node& n) {
            n.set_attr_int("depth", draw(rng, 1, 8));
            n.set_attr_ints("folded_shape", {1, rows, length / elems, elems});
            n.set_attr_ints("normal_shape", shape);
            n.set_attr_string("dataType", type);
        };
        std::string domain;
        const BothModes f = draw(rng, 0, 1) ? run_both("StreamingFIFO_rtl", kRtl, fifo, {x})
                                            : run_both("StreamingFIFO", kAbstract, fifo, {x});
        EXPECT_TRUE(same_tensor(f.reference, f.cppsim)) << "FIFO " << type << " x" << elems;

        const std::int64_t in_elems = pick(rng, divisors_of(length));
        const std::int64_t out_elems = pick(rng, divisors_of(length));
        auto dwc = [&](Node& n) {
            n.set_attr_ints("shape", shape);
            n.set_attr_int("inWidth", in_elems * bits);
            n.set_attr_int("outWidth", out_elems * bits);
            n.set_attr_string("dataType", type);
        };
        const std::string op = pick_op(rng, "StreamingDataWidthConverter", true, domain);
        const BothModes d = run_both(op, domain, dwc, {x});
        EXPECT_TRUE(same_tensor(d.reference, d.cppsim))
            << op << " " << type << " " << in_elems << " -> " << out_elems << " elements";
    }
}

// --- LabelSelect --------------------------------------------------------------------------------

std::function<void(Node&)> label_select_attributes(std::int64_t labels, std::int64_t pe,
                                                   std::int64_t k, const std::string& idt) {
    return [=](Node& n) {
        n.set_attr_int("Labels", labels);
        n.set_attr_int("PE", pe);
        n.set_attr_int("K", k);
        n.set_attr_string("inputDataType", idt);
        n.set_attr_string("outputDataType", "UINT8");
    };
}

// The hardware's selection is TopK's, ties and minimal elements included.
TEST(Cppsim, LabelSelectMatchesReferenceForRandomFoldingTypesAndData) {
    Rng rng(404);
    for (int trial = 0; trial < 150; ++trial) {
        const std::int64_t labels = draw(rng, 1, 20);
        const std::int64_t pe = pick(rng, divisors_of(labels));
        const std::int64_t k = draw(rng, 1, labels);
        const std::string idt = pick(rng, kTypes);
        const std::int64_t rows = draw(rng, 1, 3);
        const auto values = random_values(rng, idt, rows * labels);
        const Tensor x = Tensor::from_floats({rows, labels}, values);
        const BothModes out =
            run_both("LabelSelect_hls", kHls, label_select_attributes(labels, pe, k, idt), {x});
        EXPECT_TRUE(same_tensor(out.reference, out.cppsim))
            << "Labels " << labels << " PE " << pe << " K " << k << " " << idt;
    }
}

// finn-hlslib's quirk is not copied: elements at the input type's minimum enter the top-K list as
// TopK lists them (finn-hlslib would give 1, 0, 0).
TEST(Cppsim, LabelSelectListsMinimalElementsAsTopK) {
    const Tensor x = Tensor::from_floats({1, 4}, {-8, 3, -8, -8});
    const BothModes out =
        run_both("LabelSelect", kAbstract, label_select_attributes(4, 2, 3, "INT4"), {x});
    EXPECT_EQ(out.reference.to_doubles(), (std::vector<double>{1, 0, 2}));
    EXPECT_EQ(out.cppsim.to_doubles(), (std::vector<double>{1, 0, 2}));
}

// --- ConvolutionInputGenerator and FMPadding ----------------------------------------------------

struct WindowGeometry {
    std::int64_t ih, iw, kh, kw, sh, sw, dh, dw;
    std::int64_t oh() const { return (ih - dh * (kh - 1) - 1) / sh + 1; }
    std::int64_t ow() const { return (iw - dw * (kw - 1) - 1) / sw + 1; }
};

// A random window that fits: 2-D or 1-D (1 x N or N x 1), kernel, stride and dilation 1..3.
WindowGeometry random_window(Rng& rng) {
    WindowGeometry g{};
    g.kh = draw(rng, 1, 3);
    g.kw = draw(rng, 1, 3);
    g.sh = draw(rng, 1, 3);
    g.sw = draw(rng, 1, 3);
    g.dh = draw(rng, 1, 2);
    g.dw = draw(rng, 1, 2);
    g.ih = g.dh * (g.kh - 1) + 1 + draw(rng, 0, 5);
    g.iw = g.dw * (g.kw - 1) + 1 + draw(rng, 0, 5);
    const int shape = static_cast<int>(draw(rng, 0, 3));
    if (shape == 1) g.ih = g.kh = g.sh = g.dh = 1; // 1 x N
    if (shape == 2) g.iw = g.kw = g.sw = g.dw = 1; // N x 1
    return g;
}

std::function<void(Node&)> swg_attributes(const WindowGeometry& g, std::int64_t channels,
                                          std::int64_t simd, const std::string& type,
                                          bool depthwise, bool parallel_window) {
    return [=](Node& n) {
        n.set_attr_ints("IFMDim", {g.ih, g.iw});
        n.set_attr_ints("OFMDim", {g.oh(), g.ow()});
        n.set_attr_ints("ConvKernelDim", {g.kh, g.kw});
        n.set_attr_ints("Stride", {g.sh, g.sw});
        n.set_attr_ints("Dilation", {g.dh, g.dw});
        n.set_attr_int("IFMChannels", channels);
        n.set_attr_int("SIMD", simd);
        n.set_attr_int("depthwise", depthwise);
        n.set_attr_int("parallel_window", parallel_window);
        n.set_attr_int("is1D", g.ih == 1 || g.iw == 1);
        n.set_attr_string("inputDataType", type);
        n.set_attr_string("outputDataType", type);
    };
}

// The hardware's window order is the reference's Im2Col order, depthwise generators included,
// for every folding (SIMD, parallel window) and variant.
TEST(Cppsim, SlidingWindowMatchesReferenceForRandomGeometryFoldingTypesAndData) {
    Rng rng(1414);
    for (int trial = 0; trial < 150; ++trial) {
        const WindowGeometry g = random_window(rng);
        const std::int64_t channels = draw(rng, 1, 6);
        const bool parallel = draw(rng, 0, 3) == 0;
        const std::int64_t simd = parallel ? channels : pick(rng, divisors_of(channels));
        const bool depthwise = draw(rng, 0, 1) == 1;
        const std::string type = pick(rng, kTypes);
        const std::int64_t batch = draw(rng, 1, 2);
        const Tensor x =
            Tensor::from_floats({batch, g.ih, g.iw, channels},
                                random_values(rng, type, batch * g.ih * g.iw * channels));
        std::string domain;
        const std::string op = pick_op(rng, "ConvolutionInputGenerator", true, domain);
        const BothModes out =
            run_both(op, domain, swg_attributes(g, channels, simd, type, depthwise, parallel), {x});
        EXPECT_TRUE(same_tensor(out.reference, out.cppsim))
            << op << " image " << g.ih << "x" << g.iw << " kernel " << g.kh << "x" << g.kw
            << " stride " << g.sh << "x" << g.sw << " dilation " << g.dh << "x" << g.dw << " C "
            << channels << " SIMD " << simd << " " << type << (depthwise ? " depthwise" : "")
            << (parallel ? " parallel_window" : "");
    }
}

std::function<void(Node&)> fmpadding_attributes(std::int64_t h, std::int64_t w,
                                                std::vector<std::int64_t> pads,
                                                std::int64_t channels, std::int64_t simd,
                                                const std::string& type) {
    return [=](Node& n) {
        n.set_attr_ints("ImgDim", {h, w});
        n.set_attr_ints("Padding", pads);
        n.set_attr_int("NumChannels", channels);
        n.set_attr_int("SIMD", simd);
        n.set_attr_string("inputDataType", type);
    };
}

TEST(Cppsim, FmPaddingMatchesReferenceForRandomPadsFoldingTypesAndData) {
    Rng rng(1515);
    std::vector<std::string> types = kTypes;
    std::erase(types, "BIPOLAR"); // cannot hold the padding value 0
    for (int trial = 0; trial < 100; ++trial) {
        const std::int64_t h = draw(rng, 1, 5), w = draw(rng, 1, 5), channels = draw(rng, 1, 6);
        const std::int64_t simd = pick(rng, divisors_of(channels));
        std::vector<std::int64_t> pads;
        for (int i = 0; i < 4; ++i)
            pads.push_back(draw(rng, 0, 3));
        if (draw(rng, 0, 3) == 0) pads.resize(2); // FINN's symmetric [vertical, horizontal] form
        const std::string type = pick(rng, types);
        const Tensor x =
            Tensor::from_floats({1, h, w, channels}, random_values(rng, type, h * w * channels));
        std::string domain;
        const std::string op = pick_op(rng, "FMPadding", true, domain);
        const BothModes out =
            run_both(op, domain, fmpadding_attributes(h, w, pads, channels, simd, type), {x});
        EXPECT_TRUE(same_tensor(out.reference, out.cppsim))
            << op << " image " << h << "x" << w << " pads " << pads.size() << " C " << channels
            << " SIMD " << simd << " " << type;
    }
}

// The input chain of a padded convolution as InferConvInpGen builds it (FMPadding, then the
// sliding window generator), run as a model with every node in cppsim: the same result as the
// reference execution.
TEST(Cppsim, PaddedConvolutionInputChainMatchesReference) {
    const std::int64_t h = 7, w = 6, channels = 4;
    const WindowGeometry g{h + 2, w + 2, 3, 3, 2, 1, 1, 1};
    Rng rng(1616);
    const Tensor x =
        Tensor::from_floats({1, h, w, channels}, random_values(rng, "INT4", h * w * channels));
    auto run = [&](bool cppsim) {
        Model model;
        model.graph().set_name("conv_input");
        model.proto().add_opset_import()->set_version(13);
        auto* opset = model.proto().add_opset_import();
        opset->set_domain(kRtl);
        opset->set_version(1);
        model.graph().add_input()->set_name("x");
        model.set_shape("x", {1, h, w, channels}, onnx_elem_type(ElementType::Float32));
        model.graph().add_output()->set_name("y");
        Node pad = model.add_node("FMPadding_rtl", {"x"}, {"padded"}, "FMPadding_rtl_0", kRtl);
        fmpadding_attributes(h, w, {1, 1, 1, 1}, channels, 2, "INT4")(pad);
        Node swg = model.add_node("ConvolutionInputGenerator_rtl", {"padded"}, {"y"},
                                  "ConvolutionInputGenerator_rtl_0", kRtl);
        swg_attributes(g, channels, 1, "INT4", false, false)(swg);
        for (Node node : {pad, swg}) {
            node.set_attr_string("backend", "fpgadataflow");
            if (cppsim) node.set_attr_string("exec_mode", "cppsim");
        }
        return Executor(model).run({{"x", x}}).at("y");
    };
    const Tensor reference = run(false), cppsim = run(true);
    EXPECT_EQ(reference.shape(), (Shape{1, g.oh(), g.ow(), 9 * channels}));
    EXPECT_TRUE(same_tensor(reference, cppsim));
}

// Parameters the hardware cannot serve are refused naming the node.
TEST(Cppsim, WindowLayersRejectWhatTheirHardwareCannotServe) {
    const Tensor x = Tensor::from_floats({1, 3, 3, 2}, std::vector<float>(18, 1.0f));
    auto message = [&](const std::string& op, const std::string& domain,
                       const std::function<void(Node&)>& attributes) {
        try {
            run_node(hw_node(op, domain, attributes, true), {x}, default_kernel_registry());
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const WindowGeometry g{3, 3, 2, 2, 1, 1, 1, 1};
    auto parallel_folded = swg_attributes(g, 2, 1, "INT4", true, true);
    std::string m = message("ConvolutionInputGenerator_rtl", kRtl, parallel_folded);
    EXPECT_NE(m.find("parallel_window needs SIMD = IFMChannels"), std::string::npos) << m;
    EXPECT_NE(m.find("ConvolutionInputGenerator_rtl_0"), std::string::npos) << m;
    auto bipolar = fmpadding_attributes(3, 3, {1, 1, 1, 1}, 2, 1, "BIPOLAR");
    m = message("FMPadding_hls", kHls, bipolar);
    EXPECT_NE(m.find("BIPOLAR cannot hold"), std::string::npos) << m;
    auto m2 = [&](Node& n) {
        swg_attributes(g, 2, 1, "INT4", false, false)(n);
        n.set_attr_int("M", 2);
    };
    m = message("ConvolutionInputGenerator_rtl", kRtl, m2);
    EXPECT_NE(m.find("needs M = 1"), std::string::npos) << m;
}

// --- dispatch -----------------------------------------------------------------------------------

TEST(Cppsim, NodeWithoutACppsimModelFailsNamingNodeAndOpType) {
    // IODMA is declared (its reference execution is the identity) but has no hardware model.
    const Tensor a = Tensor::from_floats({1, 2}, {1, 2});
    auto dma = [](Node&) {};
    try {
        run_node(hw_node("IODMA_hls", kHls, dma, true), {a}, default_kernel_registry());
        FAIL() << "expected an error";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("IODMA_hls_0"), std::string::npos) << message;
        EXPECT_NE(message.find("no cppsim model of op type IODMA_hls"), std::string::npos)
            << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
    // Without exec_mode the same node runs its reference execution.
    EXPECT_EQ(run_node(hw_node("IODMA_hls", kHls, dma, false), {a}, default_kernel_registry())
                  .at(0)
                  .to_doubles(),
              (std::vector<double>{1, 2}));
}

// exec_mode rtlsim runs the node's Verilated executable, never silently its reference execution:
// a node that step_hw_ipgen has not built (no ipgen_path) fails, naming the node.
TEST(Cppsim, RtlsimModeRunsTheExecutableNotTheReference) {
    const Tensor a = Tensor::from_floats({1, 2}, {1, 2});
    auto fifo = [](Node& n) {
        n.set_attr_string("exec_mode", "rtlsim");
        n.set_attr_int("depth", 2);
        n.set_attr_ints("folded_shape", {1, 2});
        n.set_attr_ints("normal_shape", {1, 2});
        n.set_attr_string("dataType", "INT4");
    };
    try {
        run_node(hw_node("StreamingFIFO_rtl", kRtl, fifo, false), {a}, default_kernel_registry());
        FAIL() << "expected an error";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("StreamingFIFO_rtl_0"), std::string::npos) << message;
        EXPECT_NE(message.find("exec_mode rtlsim needs ipgen_path"), std::string::npos) << message;
    }
}

TEST(Cppsim, CppsimRejectsValuesOutsideTheStreamDatatype) {
    const Tensor x = Tensor::from_floats({1, 2}, {1, 9});
    auto fifo = [](Node& n) {
        n.set_attr_int("depth", 2);
        n.set_attr_ints("folded_shape", {1, 1, 2});
        n.set_attr_ints("normal_shape", {1, 2});
        n.set_attr_string("dataType", "INT4");
    };
    try {
        run_node(hw_node("StreamingFIFO_rtl", kRtl, fifo, true), {x}, default_kernel_registry());
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("is not a INT4 value"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace finn
