// Independent checks of a folded dataflow model for the SetFolding tests: the expected cycles of
// each layer are recomputed here from its dimensions and folding (FINN's formulas), not by the
// code under test.
#pragma once

#include "finn/core/datatype.h"
#include "finn/ir/model.h"

#include <algorithm>
#include <cstdint>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace finn::testing {

inline std::vector<std::int64_t> divisors_of(std::int64_t n) {
    std::vector<std::int64_t> d;
    for (std::int64_t i = 1; i <= n; ++i)
        if (n % i == 0) d.push_back(i);
    return d;
}

inline std::int64_t previous_divisor(std::int64_t n, std::int64_t d) {
    std::int64_t prev = 0;
    for (auto v : divisors_of(n)) {
        if (v == d) return prev;
        prev = v;
    }
    return prev;
}

inline std::int64_t prod(const std::vector<std::int64_t>& v) {
    std::int64_t p = 1;
    for (auto x : v)
        p *= x;
    return p;
}

// MVAU cycles: (MH/PE) * (MW/SIMD) * prod(numInputVectors).
inline std::int64_t mvau_cycles(Node& n, std::int64_t simd, std::int64_t pe) {
    return (n.attr_int("MH") / pe) * (n.attr_int("MW") / simd) *
           prod(n.attr_ints("numInputVectors", {1}));
}

// Every layer meets the (effective) target or is at its maximum parallelism, and no folding
// attribute could be one divisor smaller while still meeting the target.
inline void expect_minimal_folding(Model& model, std::int64_t target, std::int64_t wwidth_max) {
    // With two-pass relaxation a missed target becomes the achieved bottleneck.
    std::int64_t max_cycles = 0;
    for (auto& n : model.nodes())
        max_cycles = std::max(max_cycles, n.attr_int("cycles_estimate", 0));
    const std::int64_t t = max_cycles < target ? target : max_cycles;
    for (auto& n : model.nodes()) {
        const std::string op = n.op_type();
        const std::string where = n.name() + " target " + std::to_string(t);
        if (op == "MVAU_hls" || op == "MVAU_rtl") {
            const std::int64_t simd = n.attr_int("SIMD"), pe = n.attr_int("PE");
            const std::int64_t mh = n.attr_int("MH"), mw = n.attr_int("MW");
            EXPECT_EQ(n.attr_int("cycles_estimate"), mvau_cycles(n, simd, pe)) << where;
            EXPECT_TRUE(mvau_cycles(n, simd, pe) < t || pe == mh) << where;
            if (pe > 1) {
                EXPECT_GE(mvau_cycles(n, simd, previous_divisor(mh, pe)), t) << where;
            }
            if (simd > 1) {
                EXPECT_GE(mvau_cycles(n, previous_divisor(mw, simd), 1), t) << where;
            }
            // SIMD grows past the weight-width limit only when that already met the target.
            const std::int64_t wbits = DataType::parse(n.attr_string("weightDataType")).bitwidth();
            if (simd * wbits > wwidth_max) {
                EXPECT_LT(mvau_cycles(n, simd, 1), t) << where;
            }
        } else if (op == "Thresholding_hls" || op == "Thresholding_rtl") {
            const std::int64_t c = n.attr_int("NumChannels"), pe = n.attr_int("PE");
            const std::int64_t vecs = prod(n.attr_ints("numInputVectors", {1}));
            auto cycles = [&](std::int64_t p) { return vecs * c / p; };
            EXPECT_EQ(n.attr_int("cycles_estimate"), cycles(pe)) << where;
            EXPECT_TRUE(cycles(pe) < t || pe == c) << where;
            if (pe > 1) {
                EXPECT_GE(cycles(previous_divisor(c, pe)), t) << where;
            }
        } else if (op == "LabelSelect_hls") {
            const std::int64_t l = n.attr_int("Labels"), pe = n.attr_int("PE");
            EXPECT_EQ(n.attr_int("cycles_estimate"), l / pe) << where;
            EXPECT_TRUE(l / pe < t || pe == l) << where;
            if (pe > 1) {
                EXPECT_GE(l / previous_divisor(l, pe), t) << where;
            }
        } else if (op == "DownSampler_hls") {
            // Every input pixel costs C/SIMD cycles.
            const std::int64_t d = n.attr_int("ImgDim"), c = n.attr_int("NumChannels");
            const std::int64_t pixels = n.attr_int("is1D", 0) ? d : d * d;
            const std::int64_t simd = n.attr_int("SIMD");
            auto cycles = [&](std::int64_t s) {
                return c / s * n.attr_int("numInputVectors", 1) * pixels;
            };
            EXPECT_EQ(n.attr_int("cycles_estimate"), cycles(simd)) << where;
            EXPECT_TRUE(cycles(simd) < t || simd == c) << where;
            if (simd > 1) {
                EXPECT_GE(cycles(previous_divisor(c, simd)), t) << where;
            }
        } else if (op == "FMPadding_hls" || op == "FMPadding_rtl") {
            // (C/SIMD) * numInputVectors * padded H * W; FINN folds only the HLS variant and
            // leaves the RTL one at InferConvInpGen's SIMD = C.
            const auto dim = n.attr_ints("ImgDim"), pad = n.attr_ints("Padding");
            const std::int64_t pixels = (dim[0] + pad[0] + pad[2]) * (dim[1] + pad[1] + pad[3]) *
                                        n.attr_int("numInputVectors", 1);
            const std::int64_t c = n.attr_int("NumChannels"), simd = n.attr_int("SIMD");
            auto cycles = [&](std::int64_t sd) { return c / sd * pixels; };
            EXPECT_EQ(n.attr_int("cycles_estimate"), cycles(simd)) << where;
            if (op == "FMPadding_rtl") {
                EXPECT_EQ(simd, c) << where;
                continue;
            }
            EXPECT_TRUE(cycles(simd) < t || simd == c) << where;
            if (simd > 1) {
                EXPECT_GE(cycles(previous_divisor(c, simd)), t) << where;
            }
        } else if (op == "ConvolutionInputGenerator_rtl" && !n.attr_int("depthwise", 0)) {
            // FINN's RTL SWG, default style 2D: buffer fill plus one block per output row;
            // parallel style: one input word per cycle.
            const auto ifm = n.attr_ints("IFMDim"), ofm = n.attr_ints("OFMDim");
            const auto k = n.attr_ints("ConvKernelDim"), s = n.attr_ints("Stride");
            const std::int64_t c = n.attr_int("IFMChannels"), simd = n.attr_int("SIMD");
            const bool parallel = n.attr_int("parallel_window", 0) != 0 || k[0] * k[1] == 1;
            auto cycles = [&](std::int64_t sd, bool par) {
                const std::int64_t cf = c / sd;
                if (par) return ifm[0] * ifm[1] * cf + 2;
                return ((k[0] - 1) * ifm[1] + (k[1] - 1) + 1) * cf +
                       ofm[0] * std::max(ofm[1] * k[0] * k[1] * cf, s[1] * ifm[1] * cf);
            };
            EXPECT_EQ(n.attr_int("cycles_estimate"), cycles(simd, parallel)) << where;
            EXPECT_TRUE(cycles(simd, parallel) < t || (simd == c && parallel)) << where;
            if (simd > 1) {
                EXPECT_GE(cycles(previous_divisor(c, simd), false), t) << where;
            }
            if (parallel && k[0] * k[1] > 1) {
                EXPECT_GE(cycles(simd, false), t) << where;
            }
        }
    }
}

} // namespace finn::testing
