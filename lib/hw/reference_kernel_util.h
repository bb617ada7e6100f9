// What the reference kernels of the hardware layers share (private to lib/hw/): rank and
// attribute checks that fail naming the node, datatype attributes, MultiThreshold's counting and
// the MVAU/VVAU activation.
#pragma once

#include "finn/core/datatype.h"
#include "finn/exec/kernel.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace finn::hw::kernel {

std::string str(std::int64_t v);
void require_rank(const KernelContext& ctx, const Tensor& t, int rank, const std::string& what);
void require_min_rank(const KernelContext& ctx, const Tensor& t, int rank, const std::string& what);
// A datatype attribute such as inputDataType="UINT4"; unparsable names fail naming the node.
DataType datatype_attr(const KernelContext& ctx, const std::string& name);
bool is_bipolar(const DataType& type);
// The node's value of an attribute or, when absent, the default its op declares (the layer's
// one declaration); a missing required attribute fails naming the node.
std::int64_t declared_int(const KernelContext& ctx, const std::string& name);
std::string declared_string(const KernelContext& ctx, const std::string& name);
// A 2D attribute given as [a, b], as [a] (meaning [a, a]) or, in legacy files, as a single int.
std::pair<std::int64_t, std::int64_t> pair_attr(const KernelContext& ctx, const std::string& name,
                                                std::int64_t fallback, bool required = false);
// An optional integer attribute that, when present, must agree with what the tensors say.
void check_int_attr(const KernelContext& ctx, const std::string& name, std::int64_t actual,
                    const std::string& what);
// Same for a 2D attribute ([h, w] or an int).
void check_pair_attr(const KernelContext& ctx, const std::string& name, std::int64_t h,
                     std::int64_t w, const std::string& what);
// Shape with the last dimension replaced.
Shape with_last(Shape shape, std::int64_t last);
Tensor float_tensor(const Shape& shape, const std::vector<double>& values);

// A threshold matrix (C or 1 rows, S steps) checked against the channel count.
struct Thresholds {
    std::vector<double> values;
    std::int64_t rows = 0, steps = 0;

    // #{s : v >= T[c, s]}; one shared row serves every channel.
    double count(double v, std::int64_t channel) const {
        const double* row = values.data() + (rows == 1 ? 0 : channel) * steps;
        std::int64_t n = 0;
        for (std::int64_t s = 0; s < steps; ++s)
            if (v >= row[s]) ++n;
        return static_cast<double>(n);
    }
};
Thresholds thresholds_input(const KernelContext& ctx, int index, std::int64_t channels);
// MVAU/VVAU activation: ActVal + count, or 2*count-1 for a BIPOLAR output (ActVal unused then).
std::vector<double> activate(const KernelContext& ctx, const std::vector<double>& acc,
                             std::int64_t channels);
// Fails unless every value is a or b.
void require_values(const KernelContext& ctx, const std::vector<double>& values, double a, double b,
                    const std::string& what);
// The identity: FIFOs, width converters, IODMA, TLastMarker compute nothing.
std::vector<Tensor> identity(const KernelContext& ctx);

} // namespace finn::hw::kernel
