#include "finn/core/tensor.h"

#include "finn/core/error.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

namespace finn {

std::size_t element_size(ElementType type) {
    switch (type) {
    case ElementType::Float32:
        return 4;
    case ElementType::Float64:
        return 8;
    case ElementType::Float16:
        return 2;
    case ElementType::Int8:
        return 1;
    case ElementType::Int16:
        return 2;
    case ElementType::Int32:
        return 4;
    case ElementType::Int64:
        return 8;
    case ElementType::UInt8:
        return 1;
    case ElementType::UInt16:
        return 2;
    case ElementType::UInt32:
        return 4;
    case ElementType::UInt64:
        return 8;
    case ElementType::Bool:
        return 1;
    }
    throw Error("invalid element type " + std::to_string(static_cast<int>(type)));
}

std::string_view element_type_name(ElementType type) {
    switch (type) {
    case ElementType::Float32:
        return "float32";
    case ElementType::Float64:
        return "float64";
    case ElementType::Float16:
        return "float16";
    case ElementType::Int8:
        return "int8";
    case ElementType::Int16:
        return "int16";
    case ElementType::Int32:
        return "int32";
    case ElementType::Int64:
        return "int64";
    case ElementType::UInt8:
        return "uint8";
    case ElementType::UInt16:
        return "uint16";
    case ElementType::UInt32:
        return "uint32";
    case ElementType::UInt64:
        return "uint64";
    case ElementType::Bool:
        return "bool";
    }
    return "invalid";
}

bool is_floating(ElementType type) {
    return type == ElementType::Float32 || type == ElementType::Float64 ||
           type == ElementType::Float16;
}

// ---------------------------------------------------------------------------------------------
// float16

float half_to_float(std::uint16_t bits) {
    const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
    const std::uint32_t exponent = (bits >> 10) & 0x1fu;
    const std::uint32_t mantissa = bits & 0x3ffu;
    if (exponent == 0) {
        // Zero or subnormal: mantissa * 2^-24 is exactly representable as a float.
        float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
        return sign ? -magnitude : magnitude;
    }
    if (exponent == 0x1f) // inf or NaN; the NaN payload moves to the top of the float mantissa
        return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
    return std::bit_cast<float>(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
}

// Rounds `kept` (the bits that survive a right shift by `shift`) to nearest even, looking at the
// bits of `full` that are shifted out. A carry out of the mantissa correctly bumps the exponent.
static std::uint64_t round_shifted(std::uint64_t full, int shift) {
    const std::uint64_t kept = full >> shift;
    const std::uint64_t dropped = full & ((std::uint64_t{1} << shift) - 1);
    const std::uint64_t halfway = std::uint64_t{1} << (shift - 1);
    if (dropped > halfway || (dropped == halfway && (kept & 1))) return kept + 1;
    return kept;
}

// Works on the double so that double -> half rounds once (no double rounding via float), like
// numpy's astype(float16) on float64; float -> double is exact, so float_to_half can share it.
static std::uint16_t double_to_half(double value) {
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(value);
    const auto sign = static_cast<std::uint16_t>((bits >> 48) & 0x8000u);
    const int exponent = static_cast<int>((bits >> 52) & 0x7ffu);
    const std::uint64_t mantissa = bits & ((std::uint64_t{1} << 52) - 1);

    if (exponent == 0x7ff) {
        if (mantissa == 0) return sign | 0x7c00u;
        // NaN: keep the top payload bits and force the quiet bit so it cannot become inf.
        return static_cast<std::uint16_t>(sign | 0x7e00u | (mantissa >> 42));
    }
    if (exponent == 0) return sign; // zero or double subnormal: far below half's range

    const int unbiased = exponent - 1023;
    if (unbiased > 15) return sign | 0x7c00u; // >= 65536: overflows to inf
    if (unbiased >= -14) {
        // Normal half: 10 of the 52 mantissa bits survive.
        const std::uint64_t biased_and_mantissa =
            (static_cast<std::uint64_t>(unbiased + 15) << 52) | mantissa;
        return static_cast<std::uint16_t>(sign | round_shifted(biased_and_mantissa, 42));
    }
    // Subnormal half: the result counts units of 2^-24. value = significand * 2^(unbiased - 52).
    const int shift = 28 - unbiased; // >= 43
    if (shift > 53) return sign;     // below 2^-25: rounds to zero
    const std::uint64_t significand = (std::uint64_t{1} << 52) | mantissa;
    return static_cast<std::uint16_t>(sign | round_shifted(significand, shift));
}

std::uint16_t float_to_half(float value) {
    return double_to_half(static_cast<double>(value));
}

// ---------------------------------------------------------------------------------------------
// Shapes

std::int64_t shape_size(const Shape& shape) {
    std::int64_t size = 1;
    for (std::int64_t dim : shape) {
        if (dim < 0)
            throw Error("invalid shape " + shape_to_string(shape) + ": dimension " +
                        std::to_string(dim) + " is negative; expected sizes >= 0");
        if (dim != 0 && size > std::numeric_limits<std::int64_t>::max() / dim)
            throw Error("invalid shape " + shape_to_string(shape) +
                        ": number of elements overflows int64");
        size *= dim;
    }
    return size;
}

std::string shape_to_string(const Shape& shape) {
    std::string text = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0) text += ", ";
        text += std::to_string(shape[i]);
    }
    if (shape.size() == 1) text += ","; // a Python 1-tuple
    return text + ")";
}

// ---------------------------------------------------------------------------------------------
// Element conversion with numpy's astype semantics.

namespace {

// Float to integer: truncate toward zero. numpy leaves NaN and out-of-range values to the C
// cast (undefined behaviour); we pin them down: NaN -> 0, saturate to the int64/uint64 range,
// then wrap modulo 2^N for narrower targets like an integer-to-integer cast does.
template <class To> To float_to_integer(double value) {
    if (std::isnan(value)) return To{0};
    const double truncated = std::trunc(value);
    if constexpr (std::is_same_v<To, std::uint64_t>) {
        constexpr double two_pow_63 = 9223372036854775808.0;
        if (truncated >= two_pow_63) {
            if (truncated >= 2 * two_pow_63) return std::numeric_limits<std::uint64_t>::max();
            return static_cast<std::uint64_t>(truncated);
        }
    }
    constexpr double two_pow_63 = 9223372036854775808.0;
    std::int64_t wide;
    if (truncated >= two_pow_63)
        wide = std::numeric_limits<std::int64_t>::max();
    else if (truncated < -two_pow_63)
        wide = std::numeric_limits<std::int64_t>::min();
    else
        wide = static_cast<std::int64_t>(truncated);
    return static_cast<To>(wide);
}

// Converts one value of C++ type From to C++ type To (bool: value != 0; float: rounding).
template <class To, class From> To convert_value(From value) {
    if constexpr (std::is_same_v<To, bool>) {
        return value != From{0};
    } else if constexpr (std::is_floating_point_v<To>) {
        return static_cast<To>(value);
    } else if constexpr (std::is_floating_point_v<From>) {
        return float_to_integer<To>(static_cast<double>(value));
    } else {
        return static_cast<To>(value); // integer/bool -> integer wraps modulo 2^N (C++20)
    }
}

// A tag for float16, which has no C++ arithmetic type: its storage is uint16_t bits.
struct Half {};

template <class T> struct Storage { using type = T; };
template <> struct Storage<Half> { using type = std::uint16_t; };

// Calls fn(tag) with a value-initialized tag of the C++ type matching `type`.
template <class Fn> decltype(auto) visit_type(ElementType type, Fn&& fn) {
    switch (type) {
    case ElementType::Float32:
        return fn(float{});
    case ElementType::Float64:
        return fn(double{});
    case ElementType::Float16:
        return fn(Half{});
    case ElementType::Int8:
        return fn(std::int8_t{});
    case ElementType::Int16:
        return fn(std::int16_t{});
    case ElementType::Int32:
        return fn(std::int32_t{});
    case ElementType::Int64:
        return fn(std::int64_t{});
    case ElementType::UInt8:
        return fn(std::uint8_t{});
    case ElementType::UInt16:
        return fn(std::uint16_t{});
    case ElementType::UInt32:
        return fn(std::uint32_t{});
    case ElementType::UInt64:
        return fn(std::uint64_t{});
    case ElementType::Bool:
        return fn(bool{});
    }
    throw Error("invalid element type " + std::to_string(static_cast<int>(type)));
}

// Element access through memcpy, so neither aliasing nor alignment is a concern.
template <class T> typename Storage<T>::type load(const std::byte* bytes, std::int64_t index) {
    typename Storage<T>::type value;
    std::memcpy(&value, bytes + index * static_cast<std::int64_t>(sizeof value), sizeof value);
    return value;
}
template <class T>
void store(std::byte* bytes, std::int64_t index, typename Storage<T>::type value) {
    std::memcpy(bytes + index * static_cast<std::int64_t>(sizeof value), &value, sizeof value);
}

// Reads element `index` of storage type From and converts it to the C++ type To.
template <class To, class From> To read_as(const std::byte* bytes, std::int64_t index) {
    auto raw = load<From>(bytes, index);
    if constexpr (std::is_same_v<From, Half>)
        return convert_value<To>(half_to_float(raw));
    else
        return convert_value<To>(raw);
}

// Writes `value` (C++ type From) converted to storage type To into element `index`.
template <class To, class From> void write_from(std::byte* bytes, std::int64_t index, From value) {
    if constexpr (std::is_same_v<To, Half>) {
        // Integers go through double (exact up to 2^53, far beyond half's range).
        store<Half>(bytes, index, double_to_half(convert_value<double>(value)));
    } else {
        store<To>(bytes, index, convert_value<To>(value));
    }
}

// Converts every element of `from` to C++ type To.
template <class To> std::vector<To> convert_all(const Tensor& from) {
    std::vector<To> values(static_cast<std::size_t>(from.size()));
    const std::byte* bytes = from.bytes();
    visit_type(from.type(), [&](auto from_tag) {
        using From = decltype(from_tag);
        for (std::size_t i = 0; i < values.size(); ++i)
            values[i] = read_as<To, From>(bytes, static_cast<std::int64_t>(i));
    });
    return values;
}

// Fills `to` from values of C++ type From, converting to its element type.
template <class From> void fill_from(Tensor& to, const std::vector<From>& values) {
    std::byte* bytes = to.bytes();
    visit_type(to.type(), [&](auto to_tag) {
        using To = decltype(to_tag);
        for (std::size_t i = 0; i < values.size(); ++i)
            write_from<To>(bytes, static_cast<std::int64_t>(i), values[i]);
    });
}

void check_value_count(const Shape& shape, std::size_t count) {
    const std::int64_t expected = shape_size(shape);
    if (static_cast<std::uint64_t>(expected) != count)
        throw Error("tensor of shape " + shape_to_string(shape) + " needs " +
                    std::to_string(expected) + " values, got " + std::to_string(count));
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Tensor

void throw_type_mismatch(std::string_view requested, std::string_view actual) {
    throw Error("tensor element type is " + std::string(actual) + ", requested " +
                std::string(requested));
}

Tensor::Tensor() : Tensor(ElementType::Float32, {}) {}

// The byte count of a shape, checked so that a huge shape fails with a message, not bad_alloc.
static std::size_t byte_count(ElementType type, const Shape& shape) {
    const auto count = static_cast<std::uint64_t>(shape_size(shape));
    if (count > std::numeric_limits<std::size_t>::max() / element_size(type))
        throw Error("tensor of shape " + shape_to_string(shape) + " " +
                    std::string(element_type_name(type)) + " is too large for memory");
    return static_cast<std::size_t>(count) * element_size(type);
}

Tensor::Tensor(ElementType type, Shape shape)
    : type_(type), shape_(std::move(shape)), bytes_(byte_count(type_, shape_)) {}

Tensor Tensor::from_floats(Shape shape, const std::vector<float>& values) {
    check_value_count(shape, values.size());
    Tensor tensor(ElementType::Float32, std::move(shape));
    if (!values.empty()) std::memcpy(tensor.bytes(), values.data(), tensor.byte_size());
    return tensor;
}

Tensor Tensor::from_doubles(ElementType type, Shape shape, const std::vector<double>& values) {
    check_value_count(shape, values.size());
    Tensor tensor(type, std::move(shape));
    fill_from(tensor, values);
    return tensor;
}

Tensor Tensor::from_int64s(Shape shape, const std::vector<std::int64_t>& values) {
    check_value_count(shape, values.size());
    Tensor tensor(ElementType::Int64, std::move(shape));
    if (!values.empty()) std::memcpy(tensor.bytes(), values.data(), tensor.byte_size());
    return tensor;
}

static void check_index(const Tensor& tensor, std::int64_t index) {
    if (index < 0 || index >= tensor.size())
        throw Error("tensor index " + std::to_string(index) + " is out of range for shape " +
                    shape_to_string(tensor.shape()) + "; expected 0 <= index < " +
                    std::to_string(tensor.size()));
}

double Tensor::get(std::int64_t index) const {
    check_index(*this, index);
    return visit_type(type_,
                      [&](auto tag) { return read_as<double, decltype(tag)>(bytes(), index); });
}

void Tensor::set(std::int64_t index, double value) {
    check_index(*this, index);
    visit_type(type_, [&](auto tag) { write_from<decltype(tag)>(bytes(), index, value); });
}

std::vector<double> Tensor::to_doubles() const {
    return convert_all<double>(*this);
}
std::vector<float> Tensor::to_floats() const {
    return convert_all<float>(*this);
}
std::vector<std::int64_t> Tensor::to_int64s() const {
    return convert_all<std::int64_t>(*this);
}

Tensor Tensor::cast(ElementType type) const {
    if (type == type_) return *this;
    Tensor result(type, shape_);
    visit_type(type_, [&](auto from_tag) {
        using From = decltype(from_tag);
        visit_type(type, [&](auto to_tag) {
            using To = decltype(to_tag);
            const std::int64_t n = size();
            for (std::int64_t i = 0; i < n; ++i) {
                // float16 is read as float (exact) and written from it.
                if constexpr (std::is_same_v<From, Half>)
                    write_from<To>(result.bytes(), i, half_to_float(load<Half>(bytes(), i)));
                else
                    write_from<To>(result.bytes(), i, load<From>(bytes(), i));
            }
        });
    });
    return result;
}

Tensor Tensor::reshaped(Shape shape) const {
    if (shape_size(shape) != size())
        throw Error("cannot reshape tensor of shape " + shape_to_string(shape_) + " (" +
                    std::to_string(size()) + " elements) to " + shape_to_string(shape) + " (" +
                    std::to_string(shape_size(shape)) + " elements); expected the same size");
    Tensor result = *this;
    result.shape_ = std::move(shape);
    return result;
}

bool Tensor::operator==(const Tensor& other) const {
    return type_ == other.type_ && shape_ == other.shape_ && bytes_ == other.bytes_;
}

} // namespace finn
