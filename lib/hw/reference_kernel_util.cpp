#include "reference_kernel_util.h"

#include "finn/ir/custom_op_schemas.h"
#include "finn/ir/model.h"

#include <onnx/onnx_pb.h>

namespace finn::hw::kernel {

namespace {

// The default the node's op declares for an attribute; fails when it is required.
const nlohmann::json& declared_default(const KernelContext& ctx, const std::string& name) {
    if (const CustomOpDecl* op = find_custom_op(ctx.node.domain(), ctx.node.op_type()))
        for (const auto& a : op->attributes)
            if (a.name == name && !a.default_value.is_null()) return a.default_value;
    ctx.fail("missing required attribute " + name);
}

} // namespace

std::int64_t declared_int(const KernelContext& ctx, const std::string& name) {
    if (ctx.node.has_attr(name)) return ctx.node.attr_int(name);
    return declared_default(ctx, name).get<std::int64_t>();
}

std::string declared_string(const KernelContext& ctx, const std::string& name) {
    if (ctx.node.has_attr(name)) return ctx.node.attr_string(name);
    return declared_default(ctx, name).get<std::string>();
}

std::string str(std::int64_t v) {
    return std::to_string(v);
}

void require_rank(const KernelContext& ctx, const Tensor& t, int rank, const std::string& what) {
    if (t.rank() != rank)
        ctx.fail(what + " must have rank " + str(rank) + ", got shape " +
                 shape_to_string(t.shape()));
}

void require_min_rank(const KernelContext& ctx, const Tensor& t, int rank,
                      const std::string& what) {
    if (t.rank() < rank)
        ctx.fail(what + " must have rank >= " + str(rank) + ", got shape " +
                 shape_to_string(t.shape()));
}

// A datatype attribute such as inputDataType="UINT4"; unparsable names fail naming the node.
DataType datatype_attr(const KernelContext& ctx, const std::string& name) {
    std::string text = ctx.node.attr_string(name);
    DataType type;
    if (!DataType::try_parse(text, type))
        ctx.fail(name + " '" + text + "' is not a FINN datatype (e.g. UINT4, INT8, BIPOLAR)");
    return type;
}

bool is_bipolar(const DataType& type) {
    return type.kind() == DataType::Kind::Bipolar;
}

// A 2D attribute given as [a, b], as [a] (meaning [a, a]) or, in legacy files, as a single int.
std::pair<std::int64_t, std::int64_t> pair_attr(const KernelContext& ctx, const std::string& name,
                                                std::int64_t fallback, bool required) {
    const onnx::AttributeProto* found = nullptr;
    for (const auto& a : ctx.node.proto().attribute())
        if (a.name() == name) found = &a;
    if (!found) {
        if (required) ctx.fail("missing required attribute " + name);
        return {fallback, fallback};
    }
    std::pair<std::int64_t, std::int64_t> value;
    if (found->type() == onnx::AttributeProto::INT) {
        value = {found->i(), found->i()};
    } else if (found->type() == onnx::AttributeProto::INTS && found->ints_size() == 2) {
        value = {found->ints(0), found->ints(1)};
    } else if (found->type() == onnx::AttributeProto::INTS && found->ints_size() == 1) {
        value = {found->ints(0), found->ints(0)};
    } else {
        ctx.fail("attribute " + name + " must be an int or two ints [h, w]");
    }
    if (value.first < 1 || value.second < 1)
        ctx.fail("attribute " + name + " must be positive, got [" + str(value.first) + ", " +
                 str(value.second) + "]");
    return value;
}

// An optional integer attribute that, when present, must agree with what the tensors say.
void check_int_attr(const KernelContext& ctx, const std::string& name, std::int64_t actual,
                    const std::string& what) {
    if (!ctx.node.has_attr(name)) return;
    std::int64_t declared = ctx.node.attr_int(name);
    if (declared != actual)
        ctx.fail(name + " is " + str(declared) + " but " + what + " is " + str(actual));
}

// Same for a 2D attribute ([h, w] or an int).
void check_pair_attr(const KernelContext& ctx, const std::string& name, std::int64_t h,
                     std::int64_t w, const std::string& what) {
    if (!ctx.node.has_attr(name)) return;
    auto [dh, dw] = pair_attr(ctx, name, 1);
    if (dh != h || dw != w)
        ctx.fail(name + " is [" + str(dh) + ", " + str(dw) + "] but " + what + " is [" + str(h) +
                 ", " + str(w) + "]");
}

// Shape with the last dimension replaced.
Shape with_last(Shape shape, std::int64_t last) {
    shape.back() = last;
    return shape;
}

Tensor float_tensor(const Shape& shape, const std::vector<double>& values) {
    return Tensor::from_doubles(ElementType::Float32, shape, values);
}

Thresholds thresholds_input(const KernelContext& ctx, int index, std::int64_t channels) {
    if (!ctx.has_input(index))
        ctx.fail("thresholds (input " + str(index) + ") are required when noActivation is 0");
    const Tensor& t = ctx.input(index);
    require_rank(ctx, t, 2, "thresholds");
    Thresholds th{t.to_doubles(), t.shape()[0], t.shape()[1]};
    if (th.rows != 1 && th.rows != channels)
        ctx.fail("thresholds have " + str(th.rows) + " rows, expected 1 or the " + str(channels) +
                 " channels");
    return th;
}

// MVAU/VVAU activation: ActVal + count, or 2*count-1 for a BIPOLAR output (ActVal unused then).
std::vector<double> activate(const KernelContext& ctx, const std::vector<double>& acc,
                             std::int64_t channels) {
    Thresholds th = thresholds_input(ctx, 2, channels);
    const bool bipolar_out = is_bipolar(datatype_attr(ctx, "outputDataType"));
    const double act_val = static_cast<double>(declared_int(ctx, "ActVal"));
    std::vector<double> out(acc.size());
    for (std::size_t i = 0; i < acc.size(); ++i) {
        double count = th.count(acc[i], static_cast<std::int64_t>(i) % channels);
        out[i] = bipolar_out ? 2 * count - 1 : act_val + count;
    }
    return out;
}

void require_values(const KernelContext& ctx, const std::vector<double>& values, double a, double b,
                    const std::string& what) {
    for (double v : values)
        if (v != a && v != b)
            ctx.fail(what + " holds " + std::to_string(v) + ", expected only " +
                     std::to_string(static_cast<int>(a)) + " and " +
                     std::to_string(static_cast<int>(b)));
}

std::vector<Tensor> identity(const KernelContext& ctx) {
    return {ctx.input(0)};
}

} // namespace finn::hw::kernel
