// Kernels of the standard ONNX operators that move data without computing on it: Reshape,
// Flatten, Transpose, Squeeze, Unsqueeze, Concat, Split, Slice, Gather, Shape, Constant, Expand,
// Pad, DepthToSpace, Resize / Upsample (nearest) and Dropout (inference).
//
// Every kernel keeps the input's element type and moves raw bytes (element by element, by element
// size), so integer, bool and float16 data pass through exactly.
#include "finn/exec/broadcast.h"
#include "finn/exec/kernel.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

namespace finn {

namespace {

using std::int64_t;
using Offsets = std::vector<std::vector<int64_t>>;

std::string str(int64_t value) {
    return std::to_string(value);
}

std::string ints_to_string(const std::vector<int64_t>& values) {
    std::string text = "[";
    for (std::size_t i = 0; i < values.size(); ++i)
        text += (i ? ", " : "") + str(values[i]);
    return text + "]";
}

// An axis in [-rank, rank) as a non-negative axis.
int normalize_axis(const KernelContext& ctx, int64_t axis, int rank, const std::string& what) {
    if (axis < -rank || axis >= rank)
        ctx.fail(what + " " + str(axis) + " is out of range for rank " + str(rank) +
                 " (expected [" + str(-rank) + ", " + str(rank - 1) + "])");
    return static_cast<int>(axis < 0 ? axis + rank : axis);
}

// Distinct normalized axes, in the order given.
std::vector<int> normalize_axes(const KernelContext& ctx, const std::vector<int64_t>& axes,
                                int rank) {
    std::vector<int> result;
    for (int64_t a : axes) {
        int axis = normalize_axis(ctx, a, rank, "axis");
        if (std::find(result.begin(), result.end(), axis) != result.end())
            ctx.fail("axes " + ints_to_string(axes) + " name axis " + str(axis) + " twice");
        result.push_back(axis);
    }
    return result;
}

// The values of an integer input (e.g. a shape, axes or pads), as int64.
std::vector<int64_t> int_input(const KernelContext& ctx, int index, const std::string& what) {
    const Tensor& t = ctx.input(index);
    if (is_floating(t.type()) || t.type() == ElementType::Bool)
        ctx.fail(what + " (input " + str(index) + ") must be an integer tensor, got " +
                 std::string(element_type_name(t.type())));
    if (t.rank() > 1)
        ctx.fail(what + " (input " + str(index) + ") must be 1-D, got shape " +
                 shape_to_string(t.shape()));
    return t.to_int64s();
}

// A list of axes/sizes given by the attribute `name` (older opsets) or by input `index` (newer
// ones), whichever the node has; nullopt when it has neither.
std::optional<std::vector<int64_t>> ints_from_attr_or_input(const KernelContext& ctx,
                                                            const std::string& name, int index) {
    if (ctx.node.has_attr(name)) return ctx.node.attr_ints(name);
    if (ctx.has_input(index)) return int_input(ctx, index, name);
    return std::nullopt;
}

// Gathers elements of `in` into a tensor of shape (offsets[0].size(), offsets[1].size(), ...):
// output element (i0, i1, ...) is input element offsets[0][i0] + offsets[1][i1] + ... (flat
// indices); a negative offset on any axis writes `fill` (one element's bytes) instead.
// Transpose, Slice, Pad, Resize and Gather are all such per-axis index maps.
Tensor gather_axes(const Tensor& in, const Offsets& offsets, const std::byte* fill = nullptr) {
    Shape shape;
    for (const auto& axis : offsets)
        shape.push_back(static_cast<int64_t>(axis.size()));
    Tensor out(in.type(), shape);
    const std::size_t esize = element_size(in.type());
    const std::byte* src = in.bytes();
    std::byte* dst = out.bytes();
    const int rank = static_cast<int>(offsets.size());
    // Depth-first walk over the output in C order; `base` < 0 marks a filled region.
    auto walk = [&](auto& self, int axis, int64_t base) -> void {
        if (axis == rank) {
            std::memcpy(dst, base >= 0 ? src + base * static_cast<int64_t>(esize) : fill, esize);
            dst += esize;
            return;
        }
        for (int64_t offset : offsets[axis])
            self(self, axis + 1, base < 0 || offset < 0 ? -1 : base + offset);
    };
    if (out.size() > 0) walk(walk, 0, 0);
    return out;
}

// Per-axis offsets of `in` read with its axes permuted: output axis k is input axis perm[k].
Offsets permuted_offsets(const Shape& shape, const std::vector<int>& perm) {
    auto strides = c_strides(shape);
    Offsets offsets;
    for (int axis : perm) {
        std::vector<int64_t> axis_offsets(static_cast<std::size_t>(shape[axis]));
        for (std::size_t i = 0; i < axis_offsets.size(); ++i)
            axis_offsets[i] = static_cast<int64_t>(i) * strides[axis];
        offsets.push_back(std::move(axis_offsets));
    }
    return offsets;
}

// Offsets reading every element of `shape` in place, for kernels that change a few axes.
Offsets identity_offsets(const Shape& shape) {
    std::vector<int> perm(shape.size());
    std::iota(perm.begin(), perm.end(), 0);
    return permuted_offsets(shape, perm);
}

Tensor transpose(const Tensor& in, const std::vector<int>& perm) {
    return gather_axes(in, permuted_offsets(in.shape(), perm));
}

// Elements [start, start + count * step) with `step` along `axis`.
Tensor slice_axis(const Tensor& in, int axis, int64_t start, int64_t count, int64_t step = 1) {
    Offsets offsets = identity_offsets(in.shape());
    int64_t stride = c_strides(in.shape())[axis];
    offsets[axis].resize(static_cast<std::size_t>(count));
    for (int64_t i = 0; i < count; ++i)
        offsets[axis][i] = (start + i * step) * stride;
    return gather_axes(in, offsets);
}

// --- Reshape family --------------------------------------------------------------------------

// Reshape's target shape: 0 copies the input dimension (unless allowzero), -1 is inferred.
Shape reshape_target(const KernelContext& ctx, const Shape& in, std::vector<int64_t> shape,
                     bool allowzero) {
    int infer = -1;
    int64_t known = 1;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] == -1) {
            if (infer >= 0) ctx.fail("shape " + ints_to_string(shape) + " has more than one -1");
            infer = static_cast<int>(i);
            continue;
        }
        if (shape[i] < -1) ctx.fail("shape " + ints_to_string(shape) + " has a negative size");
        if (shape[i] == 0 && !allowzero) {
            if (i >= in.size())
                ctx.fail("shape " + ints_to_string(shape) + " has 0 at index " + str(i) +
                         " but the input " + shape_to_string(in) + " has no such dimension");
            shape[i] = in[i];
        }
        known *= shape[i];
    }
    int64_t total = shape_size(in);
    if (infer >= 0) {
        if (known == 0 || total % known != 0)
            ctx.fail("cannot infer the -1 of shape " + ints_to_string(shape) + " for input " +
                     shape_to_string(in));
        shape[infer] = total / known;
    } else if (known != total) {
        ctx.fail("cannot reshape " + shape_to_string(in) + " (" + str(total) + " elements) to " +
                 ints_to_string(shape));
    }
    return shape;
}

std::vector<Tensor> reshape_kernel(const KernelContext& ctx) {
    const Tensor& data = ctx.input(0);
    std::vector<int64_t> shape;
    // Opset 5 moved the shape from an attribute to an input.
    if (ctx.has_input(1))
        shape = int_input(ctx, 1, "shape");
    else if (ctx.node.has_attr("shape"))
        shape = ctx.node.attr_ints("shape");
    else
        ctx.fail("needs the target shape (input 1, or attribute 'shape' before opset 5)");
    bool allowzero = ctx.node.attr_int("allowzero", 0) != 0;
    return {data.reshaped(reshape_target(ctx, data.shape(), shape, allowzero))};
}

std::vector<Tensor> flatten_kernel(const KernelContext& ctx) {
    const Tensor& data = ctx.input(0);
    const int rank = data.rank();
    int64_t axis = ctx.node.attr_int("axis", 1);
    if (axis < -rank || axis > rank)
        ctx.fail("axis " + str(axis) + " is out of range for rank " + str(rank) + " (expected [" +
                 str(-rank) + ", " + str(rank) + "])");
    if (axis < 0) axis += rank;
    int64_t outer = 1;
    for (int64_t i = 0; i < axis; ++i)
        outer *= data.shape()[i];
    int64_t inner = 1;
    for (int64_t i = axis; i < rank; ++i)
        inner *= data.shape()[i];
    return {data.reshaped({outer, inner})};
}

std::vector<Tensor> squeeze_kernel(const KernelContext& ctx) {
    const Tensor& data = ctx.input(0);
    const Shape& in = data.shape();
    // Axes: attribute before opset 13, input from 13; none means every dimension of size 1.
    auto axes_given = ints_from_attr_or_input(ctx, "axes", 1);
    std::vector<bool> drop(in.size(), false);
    if (axes_given) {
        for (int axis : normalize_axes(ctx, *axes_given, data.rank())) {
            if (in[axis] != 1)
                ctx.fail("cannot squeeze axis " + str(axis) + " of shape " + shape_to_string(in) +
                         ": its size is not 1");
            drop[axis] = true;
        }
    } else {
        for (std::size_t i = 0; i < in.size(); ++i)
            drop[i] = in[i] == 1;
    }
    Shape out;
    for (std::size_t i = 0; i < in.size(); ++i)
        if (!drop[i]) out.push_back(in[i]);
    return {data.reshaped(out)};
}

std::vector<Tensor> unsqueeze_kernel(const KernelContext& ctx) {
    const Tensor& data = ctx.input(0);
    auto axes_given = ints_from_attr_or_input(ctx, "axes", 1);
    if (!axes_given) ctx.fail("needs axes (attribute before opset 13, input 1 from opset 13)");
    // Axes refer to the output, whose rank counts the inserted dimensions.
    const int out_rank = data.rank() + static_cast<int>(axes_given->size());
    std::vector<bool> inserted(static_cast<std::size_t>(out_rank), false);
    for (int axis : normalize_axes(ctx, *axes_given, out_rank))
        inserted[axis] = true;
    Shape out;
    std::size_t next = 0;
    for (int i = 0; i < out_rank; ++i)
        out.push_back(inserted[i] ? 1 : data.shape()[next++]);
    return {data.reshaped(out)};
}

std::vector<Tensor> transpose_kernel(const KernelContext& ctx) {
    const Tensor& data = ctx.input(0);
    const int rank = data.rank();
    std::vector<int> perm(static_cast<std::size_t>(rank));
    if (ctx.node.has_attr("perm")) {
        auto given = ctx.node.attr_ints("perm");
        if (static_cast<int>(given.size()) != rank)
            ctx.fail("perm " + ints_to_string(given) + " has " + str(given.size()) +
                     " entries, the input has rank " + str(rank));
        perm = normalize_axes(ctx, given, rank);
    } else {
        // The default reverses the axes.
        for (int i = 0; i < rank; ++i)
            perm[i] = rank - 1 - i;
    }
    return {transpose(data, perm)};
}

// --- Concat, Split, Slice, Gather ---------------------------------------------------------------

std::vector<Tensor> concat_kernel(const KernelContext& ctx) {
    std::vector<const Tensor*> parts;
    for (std::size_t i = 0; i < ctx.inputs.size(); ++i)
        parts.push_back(&ctx.input(static_cast<int>(i)));
    if (parts.empty()) ctx.fail("needs at least one input");
    const Tensor& first = *parts[0];
    // Opset 1 defaulted axis to 1; it is required from opset 4.
    if (!ctx.node.has_attr("axis") && ctx.opset >= 4) ctx.fail("missing required attribute axis");
    const int axis = normalize_axis(ctx, ctx.node.attr_int("axis", 1), first.rank(), "axis");
    Shape out_shape = first.shape();
    out_shape[axis] = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const Tensor& t = *parts[i];
        bool same = t.type() == first.type() && t.rank() == first.rank();
        for (int d = 0; same && d < first.rank(); ++d)
            same = d == axis || t.shape()[d] == first.shape()[d];
        if (!same)
            ctx.fail("input " + str(i) + " " + std::string(element_type_name(t.type())) + " " +
                     shape_to_string(t.shape()) + " does not match input 0 " +
                     std::string(element_type_name(first.type())) + " " +
                     shape_to_string(first.shape()) + " outside axis " + str(axis));
        out_shape[axis] += t.shape()[axis];
    }
    Tensor out(first.type(), out_shape);
    int64_t outer = 1;
    for (int d = 0; d < axis; ++d)
        outer *= out_shape[d];
    // Each input contributes one contiguous block per outer index.
    std::byte* dst = out.bytes();
    for (int64_t o = 0; o < outer; ++o) {
        for (const Tensor* t : parts) {
            std::size_t block = t->byte_size() / static_cast<std::size_t>(outer);
            if (block == 0) continue;
            std::memcpy(dst, t->bytes() + block * static_cast<std::size_t>(o), block);
            dst += block;
        }
    }
    return {out};
}

// Split sizes when none are given: equal parts (opset 18's num_outputs lets the last be smaller).
std::vector<int64_t> default_split(const KernelContext& ctx, int64_t dim, int outputs) {
    int64_t parts = ctx.node.attr_int("num_outputs", outputs);
    if (parts != outputs)
        ctx.fail("num_outputs " + str(parts) + " differs from the node's " + str(outputs) +
                 " outputs");
    if (parts <= 0) ctx.fail("needs at least one output");
    int64_t chunk = dim / parts;
    if (dim % parts != 0) {
        if (!ctx.node.has_attr("num_outputs"))
            ctx.fail("cannot split a dimension of " + str(dim) + " into " + str(parts) +
                     " equal parts; give the split sizes");
        chunk += 1;
    }
    std::vector<int64_t> split(static_cast<std::size_t>(parts), chunk);
    split.back() = dim - chunk * (parts - 1);
    if (split.back() < 0)
        ctx.fail("cannot split a dimension of " + str(dim) + " into " + str(parts) + " parts of " +
                 str(chunk));
    return split;
}

std::vector<Tensor> split_kernel(const KernelContext& ctx) {
    const Tensor& data = ctx.input(0);
    const int axis = normalize_axis(ctx, ctx.node.attr_int("axis", 0), data.rank(), "axis");
    const int64_t dim = data.shape()[axis];
    const int outputs = ctx.node.output_count();
    // Sizes: attribute before opset 13, input from opset 13 (also an input in opset 1).
    auto split = ints_from_attr_or_input(ctx, "split", 1);
    if (!split) split = default_split(ctx, dim, outputs);
    if (static_cast<int>(split->size()) != outputs)
        ctx.fail("split " + ints_to_string(*split) + " has " + str(split->size()) + " sizes for " +
                 str(outputs) + " outputs");
    int64_t total = 0;
    for (int64_t s : *split) {
        if (s < 0) ctx.fail("split " + ints_to_string(*split) + " has a negative size");
        total += s;
    }
    if (total != dim)
        ctx.fail("split " + ints_to_string(*split) + " sums to " + str(total) + ", axis " +
                 str(axis) + " of " + shape_to_string(data.shape()) + " has " + str(dim));
    std::vector<Tensor> result;
    int64_t start = 0;
    for (int64_t s : *split) {
        result.push_back(slice_axis(data, axis, start, s));
        start += s;
    }
    return result;
}

// The first index and the element count of one sliced axis, as ONNX clamps them.
std::pair<int64_t, int64_t> slice_range(int64_t start, int64_t end, int64_t step, int64_t dim) {
    if (dim == 0) return {0, 0};
    if (start < 0) start += dim;
    if (end < 0) end += dim;
    if (step > 0) {
        start = std::clamp<int64_t>(start, 0, dim);
        end = std::clamp<int64_t>(end, 0, dim);
        return {start, end > start ? (end - start - 1) / step + 1 : 0};
    }
    // Backwards: start within [0, dim-1], end within [-1, dim-1] (-1 = before the first element).
    // A step of INT64_MIN takes one element like any step beyond the axis; negating it would
    // overflow.
    step = std::max(step, -std::numeric_limits<int64_t>::max());
    start = std::clamp<int64_t>(start, 0, dim - 1);
    end = std::clamp<int64_t>(end, -1, dim - 1);
    return {start, start > end ? (start - end - 1) / -step + 1 : 0};
}

std::vector<Tensor> slice_kernel(const KernelContext& ctx) {
    const Tensor& data = ctx.input(0);
    const int rank = data.rank();
    std::vector<int64_t> starts, ends, axes, steps;
    // Opset 10 moved starts/ends/axes to inputs and added steps.
    if (ctx.node.has_attr("starts")) {
        starts = ctx.node.attr_ints("starts");
        if (!ctx.node.has_attr("ends")) ctx.fail("missing required attribute ends");
        ends = ctx.node.attr_ints("ends");
        axes = ctx.node.attr_ints("axes", {});
    } else {
        starts = int_input(ctx, 1, "starts");
        ends = int_input(ctx, 2, "ends");
        if (ctx.has_input(3)) axes = int_input(ctx, 3, "axes");
        if (ctx.has_input(4)) steps = int_input(ctx, 4, "steps");
    }
    if (axes.empty())
        for (std::size_t i = 0; i < starts.size(); ++i)
            axes.push_back(static_cast<int64_t>(i));
    if (steps.empty()) steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() ||
        steps.size() != starts.size())
        ctx.fail("starts, ends, axes and steps must have the same length, got " +
                 str(starts.size()) + ", " + str(ends.size()) + ", " + str(axes.size()) + ", " +
                 str(steps.size()));
    std::vector<int> axis_of = normalize_axes(ctx, axes, rank);
    Offsets offsets = identity_offsets(data.shape());
    auto strides = c_strides(data.shape());
    for (std::size_t i = 0; i < axis_of.size(); ++i) {
        const int axis = axis_of[i];
        if (steps[i] == 0) ctx.fail("step 0 on axis " + str(axis) + " is not allowed");
        auto [start, count] = slice_range(starts[i], ends[i], steps[i], data.shape()[axis]);
        offsets[axis].resize(static_cast<std::size_t>(count));
        for (int64_t k = 0; k < count; ++k)
            offsets[axis][k] = (start + k * steps[i]) * strides[axis];
    }
    return {gather_axes(data, offsets)};
}

std::vector<Tensor> gather_kernel(const KernelContext& ctx) {
    const Tensor& data = ctx.input(0);
    const Tensor& indices = ctx.input(1);
    if (data.rank() == 0) ctx.fail("data must have rank >= 1, got a scalar");
    if (is_floating(indices.type()) || indices.type() == ElementType::Bool)
        ctx.fail("indices must be int32 or int64, got " +
                 std::string(element_type_name(indices.type())));
    const int axis = normalize_axis(ctx, ctx.node.attr_int("axis", 0), data.rank(), "axis");
    const int64_t dim = data.shape()[axis];
    const int64_t stride = c_strides(data.shape())[axis];
    // Read as (outer..., flat indices, inner...), then reshape to
    // data[:axis]+indices+data[axis+1:].
    Offsets offsets = identity_offsets(data.shape());
    offsets[axis].clear();
    for (int64_t index : indices.to_int64s()) {
        if (index < -dim || index >= dim)
            ctx.fail("index " + str(index) + " is out of range for axis " + str(axis) +
                     " of size " + str(dim));
        offsets[axis].push_back((index < 0 ? index + dim : index) * stride);
    }
    Shape out_shape(data.shape().begin(), data.shape().begin() + axis);
    out_shape.insert(out_shape.end(), indices.shape().begin(), indices.shape().end());
    out_shape.insert(out_shape.end(), data.shape().begin() + axis + 1, data.shape().end());
    return {gather_axes(data, offsets).reshaped(out_shape)};
}

// --- Shape, Constant, Expand ----------------------------------------------------------------

std::vector<Tensor> shape_kernel(const KernelContext& ctx) {
    const Shape& shape = ctx.input(0).shape();
    const int64_t rank = static_cast<int64_t>(shape.size());
    // Opset 15's start/end select a range of dimensions; negative counts from the back.
    auto clamp_dim = [&](int64_t i) { return std::clamp<int64_t>(i < 0 ? i + rank : i, 0, rank); };
    int64_t start = clamp_dim(ctx.node.attr_int("start", 0));
    int64_t end = clamp_dim(ctx.node.attr_int("end", rank));
    std::vector<int64_t> dims;
    for (int64_t i = start; i < end; ++i)
        dims.push_back(shape[i]);
    return {Tensor::from_int64s({static_cast<int64_t>(dims.size())}, dims)};
}

std::vector<Tensor> constant_kernel(const KernelContext& ctx) {
    const Node& node = ctx.node;
    if (node.has_attr("value")) return {node.attr_tensor("value")};
    if (node.has_attr("value_float"))
        return {Tensor::from_floats({}, {node.attr_float("value_float")})};
    if (node.has_attr("value_floats")) {
        auto values = node.attr_floats("value_floats");
        return {Tensor::from_floats({static_cast<int64_t>(values.size())}, values)};
    }
    if (node.has_attr("value_int")) return {Tensor::from_int64s({}, {node.attr_int("value_int")})};
    if (node.has_attr("value_ints")) {
        auto values = node.attr_ints("value_ints");
        return {Tensor::from_int64s({static_cast<int64_t>(values.size())}, values)};
    }
    for (const char* name : {"sparse_value", "value_string", "value_strings"})
        if (node.has_attr(name))
            ctx.fail(std::string("attribute ") + name +
                     " is not supported; use value, value_float(s) or value_int(s)");
    ctx.fail("needs one of the attributes value, value_float, value_floats, value_int, value_ints");
}

// Copies element src[i] of `in` into element i of a tensor of `shape`.
Tensor take_elements(const Tensor& in, const Shape& shape, const std::vector<int64_t>& src) {
    Tensor out(in.type(), shape);
    const std::size_t esize = element_size(in.type());
    for (std::size_t i = 0; i < src.size(); ++i)
        std::memcpy(out.bytes() + i * esize, in.bytes() + static_cast<std::size_t>(src[i]) * esize,
                    esize);
    return out;
}

std::vector<Tensor> expand_kernel(const KernelContext& ctx) {
    const Tensor& data = ctx.input(0);
    std::vector<int64_t> target = int_input(ctx, 1, "shape");
    // Broadcasting goes both ways: a target dimension of 1 keeps the input's dimension.
    Shape out_shape = broadcast_shapes(data.shape(), target);
    return {take_elements(data, out_shape, broadcast_indices(data.shape(), out_shape))};
}

// --- Pad -----------------------------------------------------------------------------------------

// The input coordinate that pad mode `mode` reads for coordinate `c` outside [0, n), or -1 for
// the constant value.
int64_t pad_source(const std::string& mode, int64_t c, int64_t n) {
    if (mode == "constant") return -1;
    if (mode == "edge") return std::clamp<int64_t>(c, 0, n - 1);
    if (mode == "wrap") return ((c % n) + n) % n;
    // reflect: mirror without repeating the border, periodically for pads longer than n - 1.
    if (n == 1) return 0;
    const int64_t period = 2 * (n - 1);
    int64_t m = ((c % period) + period) % period;
    return m < n ? m : period - m;
}

// Pads per axis [begin..., end...] and the constant value (one element of the data's type).
struct PadParams {
    std::vector<int64_t> pads;
    Tensor value;
};

PadParams pad_params(const KernelContext& ctx, const Tensor& data) {
    const int rank = data.rank();
    PadParams p;
    p.value = Tensor(data.type(), {});
    std::vector<int64_t> given;
    std::vector<int> axes(static_cast<std::size_t>(rank));
    std::iota(axes.begin(), axes.end(), 0);
    if (ctx.has_input(1)) {
        // Opset 11+: pads, constant_value and (opset 18) axes are inputs.
        given = int_input(ctx, 1, "pads");
        if (ctx.has_input(2)) {
            const Tensor& value = ctx.input(2);
            if (value.size() != 1 || value.type() != data.type())
                ctx.fail("constant_value must be one " +
                         std::string(element_type_name(data.type())) + " element, got " +
                         std::string(element_type_name(value.type())) + " " +
                         shape_to_string(value.shape()));
            p.value = value.reshaped({});
        }
        if (ctx.has_input(3)) axes = normalize_axes(ctx, int_input(ctx, 3, "axes"), rank);
    } else {
        // Before opset 11: attributes pads (paddings in opset 1) and value.
        if (ctx.node.has_attr("pads"))
            given = ctx.node.attr_ints("pads");
        else if (ctx.node.has_attr("paddings"))
            given = ctx.node.attr_ints("paddings");
        else
            ctx.fail("needs pads (input 1, or attribute 'pads' before opset 11)");
        p.value = Tensor::from_doubles(data.type(), {}, {ctx.node.attr_float("value", 0.0f)});
    }
    const std::size_t n = axes.size();
    if (given.size() != 2 * n)
        ctx.fail("pads " + ints_to_string(given) + " must have " + str(2 * n) +
                 " values (begin and end for each of " + str(n) + " axes)");
    p.pads.assign(2 * static_cast<std::size_t>(rank), 0);
    for (std::size_t i = 0; i < n; ++i) {
        p.pads[axes[i]] = given[i];
        p.pads[axes[i] + rank] = given[i + n];
    }
    return p;
}

std::vector<Tensor> pad_kernel(const KernelContext& ctx) {
    const Tensor& data = ctx.input(0);
    const int rank = data.rank();
    const std::string mode = ctx.node.attr_string("mode", "constant");
    if (mode != "constant" && mode != "reflect" && mode != "edge" && mode != "wrap")
        ctx.fail("mode '" + mode + "' is not supported (expected constant, reflect, edge or wrap)");
    PadParams p = pad_params(ctx, data);
    auto strides = c_strides(data.shape());
    Offsets offsets(static_cast<std::size_t>(rank));
    for (int axis = 0; axis < rank; ++axis) {
        const int64_t begin = p.pads[axis], end = p.pads[axis + rank];
        // Negative pads crop first; the remaining positive pads extend the cropped data.
        const int64_t crop_begin = std::max<int64_t>(0, -begin);
        const int64_t kept = data.shape()[axis] - crop_begin - std::max<int64_t>(0, -end);
        if (kept < 0)
            ctx.fail("pads " + ints_to_string(p.pads) + " crop more than axis " + str(axis) +
                     " of " + shape_to_string(data.shape()) + " holds");
        const int64_t pad_begin = std::max<int64_t>(0, begin);
        const int64_t out_dim = kept + pad_begin + std::max<int64_t>(0, end);
        if (mode != "constant" && kept == 0 && out_dim > 0)
            ctx.fail("mode '" + mode + "' cannot pad axis " + str(axis) + " of size 0");
        for (int64_t o = 0; o < out_dim; ++o) {
            int64_t c = o - pad_begin;
            if (c < 0 || c >= kept) c = pad_source(mode, c, kept);
            offsets[axis].push_back(c < 0 ? -1 : (c + crop_begin) * strides[axis]);
        }
    }
    return {gather_axes(data, offsets, p.value.bytes())};
}

// --- DepthToSpace ----------------------------------------------------------------------------

std::vector<Tensor> depth_to_space_kernel(const KernelContext& ctx) {
    const Tensor& data = ctx.input(0);
    if (data.rank() != 4)
        ctx.fail("expects a 4-D NCHW input, got shape " + shape_to_string(data.shape()));
    if (!ctx.node.has_attr("blocksize")) ctx.fail("missing required attribute blocksize");
    const int64_t b = ctx.node.attr_int("blocksize");
    const std::string mode = ctx.node.attr_string("mode", "DCR");
    const int64_t n = data.shape()[0], c = data.shape()[1], h = data.shape()[2],
                  w = data.shape()[3];
    if (b <= 0 || c % (b * b) != 0)
        ctx.fail("blocksize " + str(b) + " must be positive and its square divide the " + str(c) +
                 " channels");
    const int64_t oc = c / (b * b);
    // The ONNX definition: a 6-D reshape, a transpose, and a reshape back to 4-D.
    Tensor out;
    if (mode == "DCR")
        out = transpose(data.reshaped({n, b, b, oc, h, w}), {0, 3, 4, 1, 5, 2});
    else if (mode == "CRD")
        out = transpose(data.reshaped({n, oc, b, b, h, w}), {0, 1, 4, 2, 5, 3});
    else
        ctx.fail("mode '" + mode + "' is not supported (expected DCR or CRD)");
    return {out.reshaped({n, oc, h * b, w * b})};
}

// --- Resize / Upsample (nearest) ---------------------------------------------------------------

// How one axis is resized.
struct ResizeAxis {
    int64_t in = 0;
    int64_t out = 0;
    double scale = 1.0;
    double roi_start = 0.0;
    double roi_end = 1.0;
};

// The input coordinate an output coordinate maps to (coordinate_transformation_mode).
double original_coordinate(const std::string& mode, const ResizeAxis& a, int64_t x_out) {
    const double x = static_cast<double>(x_out);
    const double in = static_cast<double>(a.in), out = static_cast<double>(a.out);
    if (mode == "half_pixel") return (x + 0.5) / a.scale - 0.5;
    if (mode == "asymmetric") return x / a.scale;
    if (mode == "pytorch_half_pixel") return a.out > 1 ? (x + 0.5) / a.scale - 0.5 : -0.5;
    if (mode == "tf_half_pixel_for_nn") return (x + 0.5) / a.scale;
    if (mode == "align_corners") return a.out > 1 ? x * (in - 1) / (out - 1) : 0.0;
    if (mode == "half_pixel_symmetric") {
        // Centers the (integer) output on the input when in * scale is fractional.
        const double adjustment = out / (a.scale * in);
        return in / 2 * (1 - adjustment) + (x + 0.5) / a.scale - 0.5;
    }
    // tf_crop_and_resize: the output spans the region of interest [roi_start, roi_end].
    const double span = (a.roi_end - a.roi_start) * (in - 1);
    return a.roi_start * (in - 1) + (a.out > 1 ? x * span / (out - 1) : span / 2);
}

// The nearest input index for a coordinate (nearest_mode; "simple" is opset 10 / Upsample's rule).
int64_t nearest_index(const std::string& mode, double x, double scale) {
    const double lower = std::floor(x);
    const double frac = x - lower;
    if (mode == "round_prefer_floor") return static_cast<int64_t>(frac <= 0.5 ? lower : lower + 1);
    if (mode == "round_prefer_ceil") return static_cast<int64_t>(frac < 0.5 ? lower : lower + 1);
    if (mode == "floor") return static_cast<int64_t>(lower);
    if (mode == "ceil") return static_cast<int64_t>(std::ceil(x));
    return static_cast<int64_t>(scale < 1.0 ? std::ceil(x) : lower);
}

struct NearestParams {
    std::string coordinate_mode;
    std::string nearest_mode;
    double extrapolation = 0.0;
};

// Nearest-neighbour resampling of every axis; outside the input (tf_crop_and_resize only) the
// output is the extrapolation value.
Tensor resize_nearest(const Tensor& data, const std::vector<ResizeAxis>& axes,
                      const NearestParams& p) {
    auto strides = c_strides(data.shape());
    Offsets offsets(axes.size());
    for (std::size_t d = 0; d < axes.size(); ++d) {
        const ResizeAxis& a = axes[d];
        for (int64_t o = 0; o < a.out; ++o) {
            double x = original_coordinate(p.coordinate_mode, a, o);
            if (p.coordinate_mode == "tf_crop_and_resize" &&
                (x < 0 || x > static_cast<double>(a.in - 1))) {
                offsets[d].push_back(-1);
                continue;
            }
            int64_t i = std::clamp<int64_t>(nearest_index(p.nearest_mode, x, a.scale), 0, a.in - 1);
            offsets[d].push_back(i * strides[d]);
        }
    }
    Tensor fill = Tensor::from_doubles(data.type(), {}, {p.extrapolation});
    return gather_axes(data, offsets, fill.bytes());
}

// Per-axis sizes and scales from `scales`, with floor(in * scale) output sizes.
std::vector<ResizeAxis> axes_from_scales(const KernelContext& ctx, const Shape& shape,
                                         const std::vector<int>& axes,
                                         const std::vector<float>& scales) {
    if (scales.size() != axes.size())
        ctx.fail("has " + str(scales.size()) + " scales for " + str(axes.size()) + " axes");
    std::vector<ResizeAxis> result(shape.size());
    for (std::size_t d = 0; d < shape.size(); ++d)
        result[d] = {shape[d], shape[d], 1.0};
    for (std::size_t i = 0; i < axes.size(); ++i) {
        ResizeAxis& a = result[axes[i]];
        if (!(scales[i] > 0)) ctx.fail("scale " + std::to_string(scales[i]) + " must be > 0");
        a.scale = scales[i];
        a.out = static_cast<int64_t>(std::floor(static_cast<double>(a.in) * a.scale));
    }
    return result;
}

std::vector<float> float_input(const KernelContext& ctx, int index, const std::string& what) {
    const Tensor& t = ctx.input(index);
    if (!is_floating(t.type()))
        ctx.fail(what + " (input " + str(index) + ") must be a float tensor, got " +
                 std::string(element_type_name(t.type())));
    return t.to_floats();
}

// Per-axis sizes and scales from `sizes`, honouring keep_aspect_ratio_policy (opset 18).
std::vector<ResizeAxis> axes_from_sizes(const KernelContext& ctx, const Shape& shape,
                                        const std::vector<int>& axes,
                                        const std::vector<int64_t>& sizes) {
    if (sizes.size() != axes.size())
        ctx.fail("has " + str(sizes.size()) + " sizes for " + str(axes.size()) + " axes");
    std::vector<ResizeAxis> result(shape.size());
    for (std::size_t d = 0; d < shape.size(); ++d)
        result[d] = {shape[d], shape[d], 1.0};
    for (std::size_t i = 0; i < axes.size(); ++i) {
        ResizeAxis& a = result[axes[i]];
        if (sizes[i] <= 0 || a.in <= 0)
            ctx.fail("cannot resize axis " + str(axes[i]) + " of size " + str(a.in) + " to " +
                     str(sizes[i]));
        a.out = sizes[i];
        a.scale = static_cast<double>(a.out) / static_cast<double>(a.in);
    }
    const std::string policy = ctx.node.attr_string("keep_aspect_ratio_policy", "stretch");
    if (policy == "stretch") return result;
    if (policy != "not_larger" && policy != "not_smaller")
        ctx.fail("keep_aspect_ratio_policy '" + policy +
                 "' is not supported (expected stretch, not_larger or not_smaller)");
    // One common scale for all resized axes; sizes are rounded half up.
    double scale = result[axes[0]].scale;
    for (int axis : axes)
        scale = policy == "not_larger" ? std::min(scale, result[axis].scale)
                                       : std::max(scale, result[axis].scale);
    for (int axis : axes) {
        result[axis].scale = scale;
        result[axis].out = static_cast<int64_t>(scale * static_cast<double>(result[axis].in) + 0.5);
    }
    return result;
}

std::vector<Tensor> resize_kernel(const KernelContext& ctx) {
    const Tensor& data = ctx.input(0);
    const int rank = data.rank();
    const std::string mode = ctx.node.attr_string("mode", "nearest");
    if (mode != "nearest")
        ctx.fail("mode '" + mode + "' is not supported; only 'nearest' is implemented");
    std::vector<int> axes(static_cast<std::size_t>(rank));
    std::iota(axes.begin(), axes.end(), 0);
    if (ctx.node.has_attr("axes")) axes = normalize_axes(ctx, ctx.node.attr_ints("axes"), rank);

    NearestParams p;
    std::vector<ResizeAxis> plan;
    if (ctx.opset >= 1 && ctx.opset <= 10) {
        // Opset 10: inputs (X, scales), asymmetric coordinates, Upsample's nearest rule.
        p.coordinate_mode = "asymmetric";
        p.nearest_mode = "simple";
        plan = axes_from_scales(ctx, data.shape(), axes, float_input(ctx, 1, "scales"));
        return {resize_nearest(data, plan, p)};
    }
    // Opset 11+: inputs (X, roi, scales, sizes); an empty scales tensor counts as absent.
    p.coordinate_mode = ctx.node.attr_string("coordinate_transformation_mode", "half_pixel");
    p.nearest_mode = ctx.node.attr_string("nearest_mode", "round_prefer_floor");
    p.extrapolation = ctx.node.attr_float("extrapolation_value", 0.0f);
    static const std::vector<std::string> coordinate_modes = {
        "half_pixel",    "half_pixel_symmetric", "pytorch_half_pixel", "tf_half_pixel_for_nn",
        "align_corners", "asymmetric",           "tf_crop_and_resize"};
    if (std::find(coordinate_modes.begin(), coordinate_modes.end(), p.coordinate_mode) ==
        coordinate_modes.end())
        ctx.fail("coordinate_transformation_mode '" + p.coordinate_mode + "' is not supported");
    if (p.nearest_mode != "round_prefer_floor" && p.nearest_mode != "round_prefer_ceil" &&
        p.nearest_mode != "floor" && p.nearest_mode != "ceil")
        ctx.fail("nearest_mode '" + p.nearest_mode +
                 "' is not supported (expected round_prefer_floor, round_prefer_ceil, floor or "
                 "ceil)");
    const bool has_scales = ctx.has_input(2) && ctx.input(2).size() > 0;
    const bool has_sizes = ctx.has_input(3) && ctx.input(3).size() > 0;
    if (has_scales == has_sizes)
        ctx.fail("needs exactly one of scales (input 2) and sizes (input 3)");
    if (has_scales)
        plan = axes_from_scales(ctx, data.shape(), axes, float_input(ctx, 2, "scales"));
    else
        plan = axes_from_sizes(ctx, data.shape(), axes, int_input(ctx, 3, "sizes"));
    if (p.coordinate_mode == "tf_crop_and_resize") {
        if (!ctx.has_input(1))
            ctx.fail("coordinate_transformation_mode tf_crop_and_resize needs roi");
        auto roi = float_input(ctx, 1, "roi");
        if (roi.size() != 2 * axes.size())
            ctx.fail("roi has " + str(roi.size()) + " values, expected " + str(2 * axes.size()));
        for (std::size_t i = 0; i < axes.size(); ++i) {
            plan[axes[i]].roi_start = roi[i];
            plan[axes[i]].roi_end = roi[i + axes.size()];
        }
    }
    return {resize_nearest(data, plan, p)};
}

std::vector<Tensor> upsample_kernel(const KernelContext& ctx) {
    const Tensor& data = ctx.input(0);
    const std::string mode = ctx.node.attr_string("mode", "nearest");
    if (mode != "nearest")
        ctx.fail("mode '" + mode + "' is not supported; only 'nearest' is implemented");
    // Scales: attribute in opset 7, input from opset 9.
    std::vector<float> scales;
    if (ctx.has_input(1))
        scales = float_input(ctx, 1, "scales");
    else if (ctx.node.has_attr("scales"))
        scales = ctx.node.attr_floats("scales");
    else
        ctx.fail("needs scales (input 1, or attribute 'scales' in opset 7)");
    std::vector<int> axes(static_cast<std::size_t>(data.rank()));
    std::iota(axes.begin(), axes.end(), 0);
    NearestParams p{"asymmetric", "simple", 0.0};
    return {resize_nearest(data, axes_from_scales(ctx, data.shape(), axes, scales), p)};
}

// --- Dropout -----------------------------------------------------------------------------------

std::vector<Tensor> dropout_kernel(const KernelContext& ctx) {
    const Tensor& data = ctx.input(0);
    // Opset 12+: optional inputs ratio and training_mode; training with a non-zero ratio drops
    // elements at random, which a reference executor cannot reproduce.
    if (ctx.has_input(2) && ctx.input(2).size() == 1 && ctx.input(2).get(0) != 0) {
        double ratio = ctx.has_input(1) && ctx.input(1).size() == 1 ? ctx.input(1).get(0) : 0.5;
        if (ratio != 0) ctx.fail("training_mode=true is not supported (random dropout)");
    }
    std::vector<Tensor> result = {data};
    if (ctx.node.output_count() > 1) {
        // The mask is bool from opset 10, the data type before.
        ElementType mask_type = ctx.opset >= 10 ? ElementType::Bool : data.type();
        result.push_back(
            Tensor::from_doubles(mask_type, data.shape(),
                                 std::vector<double>(static_cast<std::size_t>(data.size()), 1)));
    }
    return result;
}

} // namespace

void register_shape_kernels(KernelRegistry& registry) {
    registry.add("", "Reshape", reshape_kernel);
    registry.add("", "Flatten", flatten_kernel);
    registry.add("", "Transpose", transpose_kernel);
    registry.add("", "Squeeze", squeeze_kernel);
    registry.add("", "Unsqueeze", unsqueeze_kernel);
    registry.add("", "Concat", concat_kernel);
    registry.add("", "Split", split_kernel);
    registry.add("", "Slice", slice_kernel);
    registry.add("", "Gather", gather_kernel);
    registry.add("", "Shape", shape_kernel);
    registry.add("", "Constant", constant_kernel);
    registry.add("", "Expand", expand_kernel);
    registry.add("", "Pad", pad_kernel);
    registry.add("", "DepthToSpace", depth_to_space_kernel);
    registry.add("", "Resize", resize_kernel);
    registry.add("", "Upsample", upsample_kernel);
    registry.add("", "Dropout", dropout_kernel);
}

} // namespace finn
