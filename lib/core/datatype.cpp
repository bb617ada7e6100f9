#include "finn/core/datatype.h"

#include "finn/core/error.h"

#include <algorithm>
#include <bit>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <sstream>

namespace finn {

namespace {

constexpr int kMaxIntBits = 64;
// Exponent and mantissa limits keep 1+e+m <= 64 and 2^e well inside int64 arithmetic.
constexpr int kMaxExponentBits = 16;
constexpr int kMaxMantissaBits = 47;

constexpr const char* kAcceptedForms =
    "expected BINARY, BIPOLAR, TERNARY, FLOAT32, FLOAT16, UINT<n>, INT<n>, FIXED<w,i>, "
    "SCALEDINT<n> or FLOAT<e,m[,b]>";

[[noreturn]] void throw_unknown(std::string_view name) {
    throw Error("unknown datatype '" + std::string(name) + "'; " + kAcceptedForms);
}

// The reasons below are shared by the factories and parse(); an empty string means valid.
std::string int_bits_problem(int bits) {
    if (bits < 1 || bits > kMaxIntBits) return "bit width must be in 1..64";
    return {};
}

std::string fixed_problem(int width, int int_bits) {
    if (width < 1 || width > kMaxIntBits) return "width w must be in 1..64";
    if (int_bits < 0 || int_bits >= width) return "integer bits i must satisfy 0 <= i < w";
    return {};
}

std::string arb_float_problem(int exponent_bits, int mantissa_bits) {
    if (exponent_bits < 1 || exponent_bits > kMaxExponentBits)
        return "exponent bits must be in 1..16";
    if (mantissa_bits < 0 || mantissa_bits > kMaxMantissaBits)
        return "mantissa bits must be in 0..47";
    return {};
}

// Full-precision spelling (0.5, 1e+30, nan) for error messages.
std::string format_value(double v) {
    std::ostringstream out;
    out.precision(17);
    out << v;
    return out.str();
}

int default_bias(int exponent_bits) {
    return (1 << (exponent_bits - 1)) - 1;
}

__int128 pow2(int n) {
    return static_cast<__int128>(1) << n;
}

// Exact "v is an integer in [lo, hi]": qonnx compares Python ints with floats exactly, so e.g.
// 2^64 (the double nearest to UINT64's max) must not count as inside UINT64.
bool integral_in_range(double v, __int128 lo, __int128 hi) {
    if (!std::isfinite(v) || v != std::trunc(v)) return false;
    // Every bound fits in 65 bits; larger magnitudes are out of range and must not be converted.
    if (std::fabs(v) >= 0x1p100) return false;
    const auto iv = static_cast<__int128>(v);
    return lo <= iv && iv <= hi;
}

// Parses a decimal integer (optionally negative) that makes up all of `text`, ignoring
// surrounding spaces, which qonnx strips inside <...>.
std::optional<long long> parse_number(std::string_view text) {
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    long long value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
    return value;
}

// A bit width that does not fit an int is certainly out of range; map it to a value every
// range check rejects.
int clamp_to_int(long long v) {
    if (v > INT32_MAX) return INT32_MAX;
    if (v < INT32_MIN) return INT32_MIN;
    return static_cast<int>(v);
}

// Splits "<a,b,...>" (the text after a prefix such as "FIXED") into its numbers; nullopt if the
// brackets or any number are malformed.
std::optional<std::vector<int>> parse_params(std::string_view text) {
    if (text.size() < 2 || text.front() != '<' || text.back() != '>') return std::nullopt;
    text = text.substr(1, text.size() - 2);
    std::vector<int> params;
    while (true) {
        const auto comma = text.find(',');
        const auto number = parse_number(text.substr(0, comma));
        // Reject rather than clamp: a clamped bias would silently name another datatype.
        if (!number || *number < INT32_MIN || *number > INT32_MAX) return std::nullopt;
        params.push_back(static_cast<int>(*number));
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return params;
}

} // namespace

DataType::DataType() : kind_(Kind::Float32) {}

DataType DataType::binary() {
    return DataType(Kind::Binary, 0, 0, 0);
}
DataType DataType::bipolar() {
    return DataType(Kind::Bipolar, 0, 0, 0);
}
DataType DataType::ternary() {
    return DataType(Kind::Ternary, 0, 0, 0);
}
DataType DataType::float32() {
    return DataType(Kind::Float32, 0, 0, 0);
}
DataType DataType::float16() {
    return DataType(Kind::Float16, 0, 0, 0);
}

DataType DataType::integer(int bits, bool is_signed) {
    const char* prefix = is_signed ? "INT" : "UINT";
    if (auto problem = int_bits_problem(bits); !problem.empty())
        throw Error("invalid datatype " + std::string(prefix) + std::to_string(bits) + ": " +
                    problem);
    // qonnx: IntType(1, unsigned) is BINARY, so UINT1 and BINARY are one datatype.
    if (bits == 1 && !is_signed) return binary();
    return DataType(is_signed ? Kind::Int : Kind::UInt, bits, 0, 0);
}

DataType DataType::fixed(int width, int int_bits) {
    if (auto problem = fixed_problem(width, int_bits); !problem.empty())
        throw Error("invalid datatype FIXED<" + std::to_string(width) + "," +
                    std::to_string(int_bits) + ">: " + problem);
    return DataType(Kind::Fixed, width, int_bits, 0);
}

DataType DataType::scaled_int(int bits) {
    if (auto problem = int_bits_problem(bits); !problem.empty())
        throw Error("invalid datatype SCALEDINT<" + std::to_string(bits) + ">: " + problem);
    return DataType(Kind::ScaledInt, bits, 0, 0);
}

DataType DataType::arb_float(int exponent_bits, int mantissa_bits, int bias) {
    if (auto problem = arb_float_problem(exponent_bits, mantissa_bits); !problem.empty())
        throw Error("invalid datatype FLOAT<" + std::to_string(exponent_bits) + "," +
                    std::to_string(mantissa_bits) + "," + std::to_string(bias) + ">: " + problem);
    // qonnx quirk kept: it tests `if not exponent_bias`, so an explicit bias of 0 means default.
    if (bias == 0) bias = default_bias(exponent_bits);
    return DataType(Kind::ArbFloat, exponent_bits, mantissa_bits, bias);
}

DataType DataType::arb_float(int exponent_bits, int mantissa_bits) {
    return arb_float(exponent_bits, mantissa_bits, 0);
}

DataType DataType::parse(std::string_view name) {
    if (name == "BINARY") return binary();
    if (name == "BIPOLAR") return bipolar();
    if (name == "TERNARY") return ternary();
    if (name == "FLOAT32") return float32();
    if (name == "FLOAT16") return float16();

    auto invalid = [&](const std::string& problem) {
        return Error("invalid datatype '" + std::string(name) + "': " + problem);
    };
    for (const bool is_signed : {false, true}) {
        const std::string_view prefix = is_signed ? "INT" : "UINT";
        if (!name.starts_with(prefix)) continue;
        const auto bits = parse_number(name.substr(prefix.size()));
        if (!bits || name.find(' ') != std::string_view::npos) throw_unknown(name);
        const int n = clamp_to_int(*bits);
        if (auto problem = int_bits_problem(n); !problem.empty()) throw invalid(problem);
        return integer(n, is_signed);
    }
    if (name.starts_with("FIXED")) {
        const auto params = parse_params(name.substr(5));
        if (!params || params->size() != 2) throw_unknown(name);
        const int width = (*params)[0];
        const int int_bits = (*params)[1];
        if (auto problem = fixed_problem(width, int_bits); !problem.empty()) throw invalid(problem);
        return fixed(width, int_bits);
    }
    if (name.starts_with("SCALEDINT")) {
        const auto params = parse_params(name.substr(9));
        if (!params || params->size() != 1) throw_unknown(name);
        const int bits = (*params)[0];
        if (auto problem = int_bits_problem(bits); !problem.empty()) throw invalid(problem);
        return scaled_int(bits);
    }
    if (name.starts_with("FLOAT<")) {
        const auto params = parse_params(name.substr(5));
        if (!params || params->size() < 2 || params->size() > 3) throw_unknown(name);
        const int exponent_bits = (*params)[0];
        const int mantissa_bits = (*params)[1];
        if (auto problem = arb_float_problem(exponent_bits, mantissa_bits); !problem.empty())
            throw invalid(problem);
        return params->size() == 3 ? arb_float(exponent_bits, mantissa_bits, (*params)[2])
                                   : arb_float(exponent_bits, mantissa_bits);
    }
    throw_unknown(name);
}

bool DataType::try_parse(std::string_view name, DataType& out) {
    try {
        out = parse(name);
        return true;
    } catch (const Error&) {
        return false;
    }
}

std::string DataType::name() const {
    switch (kind_) {
    case Kind::Binary:
        return "BINARY";
    case Kind::Bipolar:
        return "BIPOLAR";
    case Kind::Ternary:
        return "TERNARY";
    case Kind::UInt:
        return "UINT" + std::to_string(a_);
    case Kind::Int:
        return "INT" + std::to_string(a_);
    case Kind::Fixed:
        return "FIXED<" + std::to_string(a_) + "," + std::to_string(b_) + ">";
    case Kind::ScaledInt:
        return "SCALEDINT<" + std::to_string(a_) + ">";
    case Kind::Float32:
        return "FLOAT32";
    case Kind::Float16:
        return "FLOAT16";
    case Kind::ArbFloat:
        return "FLOAT<" + std::to_string(a_) + "," + std::to_string(b_) + "," + std::to_string(c_) +
               ">";
    }
    throw Error("invalid datatype kind " + std::to_string(static_cast<int>(kind_)));
}

int DataType::bitwidth() const {
    switch (kind_) {
    case Kind::Binary:
    case Kind::Bipolar:
        return 1;
    case Kind::Ternary:
        return 2;
    case Kind::UInt:
    case Kind::Int:
    case Kind::Fixed:
    case Kind::ScaledInt:
        return a_;
    case Kind::Float32:
        return 32;
    case Kind::Float16:
        return 16;
    case Kind::ArbFloat:
        return 1 + a_ + b_;
    }
    throw Error("invalid datatype kind " + std::to_string(static_cast<int>(kind_)));
}

double DataType::max() const {
    switch (kind_) {
    case Kind::Fixed:
        // (2^(w-1) - 1) * 2^-(w-i)
        return std::ldexp(static_cast<double>((std::int64_t{1} << (a_ - 1)) - 1), -(a_ - b_));
    case Kind::ScaledInt:
        throw Error("max() is undefined for datatype " + name());
    case Kind::Float32:
        return FLT_MAX;
    case Kind::Float16:
        return 65504.0;
    case Kind::ArbFloat: {
        // No codes are reserved for inf/NaN, so the all-ones exponent is a normal one:
        // (1 + 1/2 + ... + 2^-m) * 2^(2^e - 1 - bias).
        const std::int64_t max_exponent = (std::int64_t{1} << a_) - 1 - c_;
        const double mantissa = 2.0 - std::ldexp(1.0, -b_);
        // ldexp saturates to inf/0 anyway; clamping only keeps the int conversion defined.
        const auto exponent = static_cast<int>(std::clamp<std::int64_t>(max_exponent, -4096, 4096));
        return std::ldexp(mantissa, exponent);
    }
    default:
        return static_cast<double>(int_max());
    }
}

double DataType::min() const {
    switch (kind_) {
    case Kind::Fixed:
        return -std::ldexp(1.0, b_ - 1); // -2^(w-1) * 2^-(w-i)
    case Kind::ScaledInt:
        throw Error("min() is undefined for datatype " + name());
    case Kind::Float32:
    case Kind::Float16:
    case Kind::ArbFloat:
        return -max();
    default:
        return static_cast<double>(int_min());
    }
}

__int128 DataType::int_min() const {
    switch (kind_) {
    case Kind::Binary:
    case Kind::UInt:
        return 0;
    case Kind::Bipolar:
    case Kind::Ternary:
        return -1;
    case Kind::Int:
        return -pow2(a_ - 1);
    default:
        throw Error("int_min() is undefined for datatype " + name() +
                    "; expected an integer datatype");
    }
}

__int128 DataType::int_max() const {
    switch (kind_) {
    case Kind::Binary:
    case Kind::Bipolar:
    case Kind::Ternary:
        return 1;
    case Kind::UInt:
        return pow2(a_) - 1;
    case Kind::Int:
        return pow2(a_ - 1) - 1;
    default:
        throw Error("int_max() is undefined for datatype " + name() +
                    "; expected an integer datatype");
    }
}

bool DataType::is_signed() const {
    switch (kind_) {
    case Kind::Binary:
    case Kind::UInt:
        return false;
    // INTn, BIPOLAR, TERNARY, FIXED and the floats all have min() < 0; SCALEDINT and FLOAT<> are
    // signed by definition.
    default:
        return true;
    }
}

bool DataType::is_integer() const {
    switch (kind_) {
    case Kind::Binary:
    case Kind::Bipolar:
    case Kind::Ternary:
    case Kind::UInt:
    case Kind::Int:
        return true;
    default:
        return false;
    }
}

bool DataType::is_fixed_point() const {
    return kind_ == Kind::Fixed;
}

bool DataType::allowed(double v) const {
    switch (kind_) {
    case Kind::Binary:
    case Kind::UInt:
    case Kind::Int:
        return integral_in_range(v, int_min(), int_max());
    case Kind::Bipolar:
        return v == -1.0 || v == 1.0;
    case Kind::Ternary:
        return v == -1.0 || v == 0.0 || v == 1.0;
    case Kind::Fixed:
        // Scaling by a power of two is exact, so this checks that v lies on the fixed-point grid.
        return integral_in_range(std::ldexp(v, a_ - b_), -pow2(a_ - 1), pow2(a_ - 1) - 1);
    case Kind::ScaledInt:
        throw Error("allowed() is undefined for datatype " + name());
    case Kind::Float32:
    case Kind::Float16:
        return true;
    case Kind::ArbFloat: {
        // As qonnx: v must be in range and its float32 significand must fit in 1+m bits, fewer
        // for values below the smallest normal exponent (subnormals lose precision).
        if (!(v <= max() && v >= min())) return false;
        // Like numpy's float32(v): magnitudes from FLT_MAX + half an ulp up become inf (whose
        // significand bits are zero); casting them directly would be undefined behaviour.
        constexpr float kInf = std::numeric_limits<float>::infinity();
        const float f =
            std::fabs(v) >= 0x1.ffffffp127 ? (v > 0 ? kInf : -kInf) : static_cast<float>(v);
        const auto bits = std::bit_cast<std::uint32_t>(f);
        const int raw_exponent = static_cast<int>((bits >> 23) & 0xFF);
        std::uint32_t significand = bits & 0x7FFFFF;
        if (raw_exponent != 0) significand |= 0x800000; // implicit leading one
        const int exponent = raw_exponent - 127;
        // 64-bit arithmetic: the bias may be any int.
        const std::int64_t min_exponent = 1 - std::int64_t{c_};
        const std::int64_t significand_bits = b_ + 1;
        const std::int64_t lost_to_subnormal =
            std::clamp<std::int64_t>(min_exponent - exponent, 0, significand_bits);
        const int available_bits = static_cast<int>(significand_bits - lost_to_subnormal);
        const int dropped_bits = 24 - available_bits;
        if (dropped_bits <= 0) return true;
        return (significand & ((std::uint32_t{1} << dropped_bits) - 1)) == 0;
    }
    }
    throw Error("invalid datatype kind " + std::to_string(static_cast<int>(kind_)));
}

__int128 DataType::num_values() const {
    switch (kind_) {
    case Kind::Bipolar:
        return 2;
    case Kind::Ternary:
        return 3;
    case Kind::Binary:
    case Kind::UInt:
    case Kind::Int: {
        const __int128 lo = int_min();
        return (lo < 0 ? -lo : lo) + int_max() + 1;
    }
    // qonnx counts every bit pattern (no NaN/inf codes, +0 and -0 both counted).
    case Kind::ArbFloat:
        return pow2(bitwidth());
    default:
        throw Error("num_values() is undefined for datatype " + name() +
                    "; expected an integer datatype or FLOAT<e,m,b>");
    }
}

double DataType::scale_factor() const {
    if (kind_ == Kind::Fixed) return std::ldexp(1.0, -(a_ - b_));
    if (is_integer()) return 1.0;
    throw Error("scale_factor() is undefined for datatype " + name() +
                "; expected an integer or FIXED<w,i> datatype");
}

std::string DataType::hls_type() const {
    switch (kind_) {
    case Kind::Binary:
        return "ap_uint<1>";
    case Kind::Bipolar:
        return "ap_int<1>";
    case Kind::Ternary:
        return "ap_int<2>";
    case Kind::UInt:
        return "ap_uint<" + std::to_string(a_) + ">";
    case Kind::Int:
        return "ap_int<" + std::to_string(a_) + ">";
    // The space after the comma is what qonnx emits, kept so generated code matches FINN's.
    case Kind::Fixed:
        return "ap_fixed<" + std::to_string(a_) + ", " + std::to_string(b_) + ">";
    case Kind::Float32:
        return "float";
    case Kind::Float16:
        return "half";
    default:
        throw Error("datatype " + name() + " has no HLS type; expected an integer, FIXED<w,i>, " +
                    "FLOAT32 or FLOAT16 datatype");
    }
}

std::vector<DataType> DataType::accumulator_candidates() {
    std::vector<DataType> candidates;
    candidates.reserve(1 + kMaxIntBits + 2 + kMaxIntBits);
    candidates.push_back(binary());
    // UINT1 is BINARY again; qonnx lists it twice, which is harmless for first-match searches.
    for (int bits = 1; bits <= kMaxIntBits; ++bits)
        candidates.push_back(uint(bits));
    candidates.push_back(bipolar());
    candidates.push_back(ternary());
    for (int bits = 1; bits <= kMaxIntBits; ++bits)
        candidates.push_back(sint(bits));
    return candidates;
}

DataType DataType::smallest_holding(const std::vector<double>& values) {
    for (const DataType& t : accumulator_candidates()) {
        if (t == bipolar() || t == ternary()) continue;
        if (std::all_of(values.begin(), values.end(),
                        [&](double v) { return t.min() <= v && v <= t.max(); }))
            return t;
    }
    const bool non_negative =
        std::all_of(values.begin(), values.end(), [](double v) { return v >= 0; });
    return non_negative ? uint(64) : sint(64);
}

DataType DataType::smallest_possible(double v) {
    // Python's int(v) raises for inf/NaN, so qonnx has no answer for them either.
    if (!std::isfinite(v))
        throw Error("no datatype for non-finite value " + format_value(v) +
                    "; expected a finite number");
    if (v != std::trunc(v)) return float32();
    // Range check only (not allowed()): this is why -1 finds BIPOLAR before INT2.
    for (const DataType& candidate : accumulator_candidates())
        if (integral_in_range(v, candidate.int_min(), candidate.int_max())) return candidate;
    throw Error("no integer datatype holds value " + format_value(v) +
                "; expected a value within INT64 or UINT64 range");
}

bool DataType::operator==(const DataType& other) const {
    // Factories normalise parameters (UINT1 -> BINARY, default bias), so field equality is
    // equality of canonical names.
    return kind_ == other.kind_ && a_ == other.a_ && b_ == other.b_ && c_ == other.c_;
}

} // namespace finn
