// Element-wise ONNX operators: arithmetic with broadcasting, comparisons, activations and Cast.
//
// Integer tensors are computed exactly in int64 (uint64 for uint64 tensors, whose values may not
// fit int64) and wrap modulo 2^N like numpy; floating tensors are computed in double and rounded
// to the output type, which for +, -, *, / and sqrt gives exactly the float32/float16 result.
#include "compute_types.h"
#include "finn/core/error.h"
#include "finn/exec/broadcast.h"
#include "finn/exec/kernel.h"
#include "finn/ir/tensor_proto.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

namespace finn {
namespace {

using namespace kernels;

// Integer arithmetic goes through uint64, where overflow wraps instead of being undefined.
template <class C> C wrapped(std::uint64_t value) {
    return static_cast<C>(value);
}
template <class C> C negate(C v) {
    if constexpr (std::is_floating_point_v<C>)
        return -v;
    else
        return wrapped<C>(std::uint64_t{0} - static_cast<std::uint64_t>(v));
}

// Truncates toward zero into C, saturating and sending NaN to 0 (as Tensor::cast does).
template <class C> C truncate_to(double v) {
    if (std::isnan(v)) return C{0};
    if (v <= static_cast<double>(std::numeric_limits<C>::lowest()))
        return std::numeric_limits<C>::lowest();
    if (v >= static_cast<double>(std::numeric_limits<C>::max()))
        return std::numeric_limits<C>::max();
    return static_cast<C>(v);
}

void require_same_type(const KernelContext& ctx, const Tensor& a, const Tensor& b) {
    if (a.type() != b.type())
        ctx.fail("inputs have element types " + std::string(element_type_name(a.type())) + " and " +
                 std::string(element_type_name(b.type())) + "; expected the same type");
}

void require_floating(const KernelContext& ctx, const Tensor& x) {
    if (!is_floating(x.type()))
        ctx.fail("input has element type " + std::string(element_type_name(x.type())) +
                 "; expected float16, float32 or float64");
}

// f(a, b) over the broadcast of a and b, computed in C and stored as out_type.
template <class C, class F>
Tensor broadcast_exact(const Tensor& a, const Tensor& b, ElementType out_type, F f) {
    Shape shape = broadcast_shapes(a.shape(), b.shape());
    auto ia = broadcast_indices(a.shape(), shape);
    auto ib = broadcast_indices(b.shape(), shape);
    auto va = values_as<C>(a);
    auto vb = values_as<C>(b);
    std::vector<C> out(ia.size());
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = f(va[ia[i]], vb[ib[i]]);
    return make_tensor(out_type, std::move(shape), out);
}

// ---------------------------------------------------------------------------------------------
// Binary and variadic arithmetic

enum class Arith { Add, Sub, Mul, Div, Max, Min };

template <class C> C arith(Arith op, C a, C b, const KernelContext& ctx) {
    constexpr bool floating = std::is_floating_point_v<C>;
    using U = std::uint64_t;
    switch (op) {
    case Arith::Add:
        if constexpr (floating)
            return a + b;
        else
            return wrapped<C>(static_cast<U>(a) + static_cast<U>(b));
    case Arith::Sub:
        if constexpr (floating)
            return a - b;
        else
            return wrapped<C>(static_cast<U>(a) - static_cast<U>(b));
    case Arith::Mul:
        if constexpr (floating)
            return a * b;
        else
            return wrapped<C>(static_cast<U>(a) * static_cast<U>(b));
    case Arith::Div:
        if constexpr (floating) {
            return a / b;
        } else {
            if (b == 0) ctx.fail("integer division by zero");
            // INT64_MIN / -1 overflows; negation wraps it like numpy.
            if constexpr (std::is_signed_v<C>)
                if (b == -1) return negate(a);
            return a / b; // C++ truncates toward zero, as ONNX integer Div does
        }
    case Arith::Max:
        if constexpr (floating)
            if (std::isnan(a) || std::isnan(b)) return kNaN; // propagates, like numpy.maximum
        return a < b ? b : a;
    case Arith::Min:
        if constexpr (floating)
            if (std::isnan(a) || std::isnan(b)) return kNaN;
        return b < a ? b : a;
    }
    return a;
}

Tensor arith_tensors(Arith op, const Tensor& a, const Tensor& b, const KernelContext& ctx) {
    require_same_type(ctx, a, b);
    return with_compute_type(a.type(), [&](auto tag) {
        using C = decltype(tag);
        return broadcast_exact<C>(a, b, a.type(), [&](C x, C y) { return arith(op, x, y, ctx); });
    });
}

KernelFn binary_kernel(Arith op) {
    return [op](const KernelContext& ctx) {
        return std::vector<Tensor>{arith_tensors(op, ctx.input(0), ctx.input(1), ctx)};
    };
}

// Max, Min, Sum, Mean: any number of inputs, folded left to right with broadcasting.
KernelFn variadic_kernel(Arith op, bool mean) {
    return [op, mean](const KernelContext& ctx) {
        if (ctx.inputs.empty()) ctx.fail("no inputs; expected at least one");
        Tensor result = ctx.input(0);
        for (int i = 1; i < static_cast<int>(ctx.inputs.size()); ++i)
            result = arith_tensors(op, result, ctx.input(i), ctx);
        if (mean) {
            auto values = result.to_doubles();
            for (double& v : values)
                v /= static_cast<double>(ctx.inputs.size());
            result = Tensor::from_doubles(result.type(), result.shape(), values);
        }
        return std::vector<Tensor>{result};
    };
}

// Pow: the exponent may have another type than the base; the result has the base's type.
template <class C> C integer_power(C base, double exponent) {
    // Non-negative integral exponents multiply exactly (wrapping); others go through double and
    // truncate, as a float result cast back to the integer type would.
    if (!(exponent >= 0 && exponent == std::floor(exponent) && exponent < 9.2e18))
        return truncate_to<C>(std::pow(static_cast<double>(base), exponent));
    auto e = static_cast<std::uint64_t>(exponent);
    std::uint64_t result = 1;
    auto factor = static_cast<std::uint64_t>(base);
    for (; e != 0; e >>= 1) {
        if (e & 1) result *= factor;
        factor *= factor;
    }
    return wrapped<C>(result);
}

std::vector<Tensor> pow_kernel(const KernelContext& ctx) {
    const Tensor& base = ctx.input(0);
    const Tensor& exponent = ctx.input(1);
    if (is_floating(base.type()))
        return {broadcast_binary(base, exponent, base.type(),
                                 [](double a, double b) { return std::pow(a, b); })};
    Shape shape = broadcast_shapes(base.shape(), exponent.shape());
    auto ib = broadcast_indices(base.shape(), shape);
    auto ie = broadcast_indices(exponent.shape(), shape);
    auto ve = exponent.to_doubles();
    return {with_compute_type(base.type(), [&](auto tag) {
        using C = decltype(tag);
        auto vb = values_as<C>(base);
        std::vector<C> out(ib.size());
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = integer_power(vb[ib[i]], ve[ie[i]]);
        return make_tensor(base.type(), shape, out);
    })};
}

// ---------------------------------------------------------------------------------------------
// Comparisons (bool output)

enum class Compare { Equal, Less, Greater, LessOrEqual, GreaterOrEqual };

template <class C> bool compare(Compare op, C a, C b) {
    switch (op) {
    case Compare::Equal:
        return a == b;
    case Compare::Less:
        return a < b;
    case Compare::Greater:
        return a > b;
    case Compare::LessOrEqual:
        return a <= b;
    case Compare::GreaterOrEqual:
        return a >= b;
    }
    return false;
}

KernelFn compare_kernel(Compare op) {
    return [op](const KernelContext& ctx) {
        const Tensor& a = ctx.input(0);
        const Tensor& b = ctx.input(1);
        require_same_type(ctx, a, b);
        return std::vector<Tensor>{with_compute_type(a.type(), [&](auto tag) {
            using C = decltype(tag);
            return broadcast_exact<C>(a, b, ElementType::Bool,
                                      [&](C x, C y) { return static_cast<C>(compare(op, x, y)); });
        })};
    };
}

// ---------------------------------------------------------------------------------------------
// Unary operators

// f applied in the tensor's computation type: exact for integers (Neg, Abs, Relu, Sign).
template <class F> KernelFn exact_unary(F f) {
    return [f](const KernelContext& ctx) {
        const Tensor& x = ctx.input(0);
        return std::vector<Tensor>{with_compute_type(x.type(), [&](auto tag) {
            using C = decltype(tag);
            std::vector<C> values = values_as<C>(x);
            for (C& v : values)
                v = f(v);
            return make_tensor(x.type(), x.shape(), values);
        })};
    };
}

Tensor map_doubles(const Tensor& x, double (*f)(double)) {
    std::vector<double> values = x.to_doubles();
    for (double& v : values)
        v = f(v);
    return Tensor::from_doubles(x.type(), x.shape(), values);
}

// f applied in double; ONNX allows only floating inputs for these operators.
KernelFn float_unary(double (*f)(double)) {
    return [f](const KernelContext& ctx) {
        require_floating(ctx, ctx.input(0));
        return std::vector<Tensor>{map_doubles(ctx.input(0), f)};
    };
}

auto neg_value = [](auto v) { return negate(v); };

auto abs_value = [](auto v) {
    using C = decltype(v);
    if constexpr (std::is_floating_point_v<C>)
        return std::fabs(v);
    else if constexpr (std::is_signed_v<C>)
        return v < 0 ? negate(v) : v;
    else
        return v;
};

auto relu_value = [](auto v) {
    using C = decltype(v);
    if constexpr (std::is_signed_v<C>)
        return v < 0 ? C{0} : v; // NaN stays NaN
    else
        return v;
};

auto sign_value = [](auto v) {
    using C = decltype(v);
    if constexpr (std::is_floating_point_v<C>)
        if (std::isnan(v)) return v;
    if constexpr (std::is_signed_v<C>)
        if (v < 0) return C{0} - C{1};
    return v > 0 ? C{1} : C{0};
};

double sigmoid(double v) {
    // Never exponentiates a large positive number, so there is no inf / inf.
    if (v >= 0) return 1.0 / (1.0 + std::exp(-v));
    double e = std::exp(v);
    return e / (1.0 + e);
}

// Rounds half to even (numpy.round), keeping the sign of zero: -0.5 -> -0.
double round_half_even(double v) {
    double floor = std::floor(v);
    double fraction = v - floor; // exact for doubles
    double rounded;
    if (fraction > 0.5)
        rounded = floor + 1;
    else if (fraction < 0.5)
        rounded = floor;
    else
        rounded = std::fmod(floor, 2.0) == 0 ? floor : floor + 1;
    return rounded == 0 ? std::copysign(0.0, v) : rounded;
}

double exp_value(double v) {
    return std::exp(v);
}
double log_value(double v) {
    return std::log(v);
}
double sqrt_value(double v) {
    return std::sqrt(v);
}
double tanh_value(double v) {
    return std::tanh(v);
}
double erf_value(double v) {
    return std::erf(v);
}
double floor_value(double v) {
    return std::floor(v);
}
double ceil_value(double v) {
    return std::ceil(v);
}

std::vector<Tensor> leaky_relu(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_floating(ctx, x);
    const double alpha = ctx.node.attr_float("alpha", 0.01f);
    std::vector<double> values = x.to_doubles();
    for (double& v : values)
        if (v < 0) v *= alpha;
    return {Tensor::from_doubles(x.type(), x.shape(), values)};
}

// Erf is defined for every numeric type; integers go through double.
std::vector<Tensor> erf_kernel(const KernelContext& ctx) {
    return {map_doubles(ctx.input(0), erf_value)};
}

// ---------------------------------------------------------------------------------------------
// Clip, Cast, Identity

// A bound given as an input (opset >= 11): a scalar of the input's type.
template <class C> C clip_bound(const KernelContext& ctx, int index, const Tensor& x) {
    const Tensor& bound = ctx.input(index);
    const char* name = index == 1 ? "min" : "max";
    require_same_type(ctx, x, bound);
    if (bound.size() != 1)
        ctx.fail(std::string(name) + " has shape " + shape_to_string(bound.shape()) +
                 "; expected a scalar");
    return values_as<C>(bound)[0];
}

// Clip: bounds are attributes in opset < 11 (defaulting to the float range) and optional inputs
// from opset 11 (absent = unbounded); whichever the node has is used. min > max gives max.
std::vector<Tensor> clip(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    return {with_compute_type(x.type(), [&](auto tag) {
        using C = decltype(tag);
        C lo = std::numeric_limits<C>::lowest();
        C hi = std::numeric_limits<C>::max();
        if constexpr (std::is_floating_point_v<C>) {
            const bool old_defaults = ctx.opset > 0 && ctx.opset < 11;
            lo = old_defaults ? std::numeric_limits<float>::lowest() : -kInf;
            hi = old_defaults ? std::numeric_limits<float>::max() : kInf;
            if (ctx.node.has_attr("min")) lo = ctx.node.attr_float("min");
            if (ctx.node.has_attr("max")) hi = ctx.node.attr_float("max");
        } else if (ctx.node.has_attr("min") || ctx.node.has_attr("max")) {
            ctx.fail("min/max attributes on an integer input; expected them as inputs 1 and 2");
        }
        if (ctx.has_input(1)) lo = clip_bound<C>(ctx, 1, x);
        if (ctx.has_input(2)) hi = clip_bound<C>(ctx, 2, x);
        std::vector<C> values = values_as<C>(x);
        for (C& v : values) {
            // Comparisons are false for NaN, which therefore passes through.
            if (v < lo) v = lo;
            if (v > hi) v = hi;
        }
        return make_tensor(x.type(), x.shape(), values);
    })};
}

// Cast: `to` is an ONNX TensorProto::DataType; conversions follow numpy's astype.
std::vector<Tensor> cast(const KernelContext& ctx) {
    const std::int64_t to = ctx.node.attr_int("to");
    ElementType type = ElementType::Float32;
    try {
        type = element_type_from_onnx(static_cast<int>(to), "attribute 'to'");
    } catch (const Error& e) {
        ctx.fail(e.what());
    }
    return {ctx.input(0).cast(type)};
}

std::vector<Tensor> identity(const KernelContext& ctx) {
    return {ctx.input(0)};
}

} // namespace

void register_elementwise_kernels(KernelRegistry& registry) {
    registry.add("", "Add", binary_kernel(Arith::Add));
    registry.add("", "Sub", binary_kernel(Arith::Sub));
    registry.add("", "Mul", binary_kernel(Arith::Mul));
    registry.add("", "Div", binary_kernel(Arith::Div));
    registry.add("", "Pow", pow_kernel);
    registry.add("", "Max", variadic_kernel(Arith::Max, false));
    registry.add("", "Min", variadic_kernel(Arith::Min, false));
    registry.add("", "Sum", variadic_kernel(Arith::Add, false));
    registry.add("", "Mean", variadic_kernel(Arith::Add, true));

    registry.add("", "Equal", compare_kernel(Compare::Equal));
    registry.add("", "Less", compare_kernel(Compare::Less));
    registry.add("", "Greater", compare_kernel(Compare::Greater));
    registry.add("", "LessOrEqual", compare_kernel(Compare::LessOrEqual));
    registry.add("", "GreaterOrEqual", compare_kernel(Compare::GreaterOrEqual));

    registry.add("", "Neg", exact_unary(neg_value));
    registry.add("", "Abs", exact_unary(abs_value));
    registry.add("", "Relu", exact_unary(relu_value));
    registry.add("", "Sign", exact_unary(sign_value));
    registry.add("", "LeakyRelu", leaky_relu);
    registry.add("", "Sigmoid", float_unary(sigmoid));
    registry.add("", "Tanh", float_unary(tanh_value));
    registry.add("", "Round", float_unary(round_half_even));
    registry.add("", "Floor", float_unary(floor_value));
    registry.add("", "Ceil", float_unary(ceil_value));
    registry.add("", "Sqrt", float_unary(sqrt_value));
    registry.add("", "Exp", float_unary(exp_value));
    registry.add("", "Log", float_unary(log_value));
    registry.add("", "Erf", erf_kernel);

    registry.add("", "Clip", clip);
    registry.add("", "Cast", cast);
    registry.add("", "Identity", identity);
}

} // namespace finn
