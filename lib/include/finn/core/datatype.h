// DataType: the FINN/QONNX datatypes (qonnx `DataType`), exactly as in spec/finn-ops.md §1.
//
// A DataType is a small value: a kind plus up to three integer parameters. It is parsed from and
// printed as FINN's canonical name ("UINT8", "BIPOLAR", "FIXED<8,3>", "FLOAT<5,10,15>"), which is
// what the `finn_datatype` annotation stores.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace finn {

class DataType {
public:
    enum class Kind {
        Binary,    // UINT1, printed BINARY
        Bipolar,   // {-1, +1}
        Ternary,   // {-1, 0, +1}
        UInt,      // UINTn, n >= 2
        Int,       // INTn, n >= 1
        Fixed,     // FIXED<w,i>
        ScaledInt, // SCALEDINT<n>
        Float32,
        Float16,
        ArbFloat, // FLOAT<e,m[,b]>
    };

    // FLOAT32, the datatype of an unannotated tensor.
    DataType();

    // Parses a canonical name; throws finn::Error naming the string and the accepted forms.
    static DataType parse(std::string_view name);
    // Like parse, but returns false instead of throwing.
    static bool try_parse(std::string_view name, DataType& out);

    static DataType binary();
    static DataType bipolar();
    static DataType ternary();
    static DataType float32();
    static DataType float16();
    // IntType(bits, signed): UINT1 is BINARY.
    static DataType integer(int bits, bool is_signed);
    static DataType uint(int bits) { return integer(bits, false); }
    static DataType sint(int bits) { return integer(bits, true); }
    static DataType fixed(int width, int int_bits);
    static DataType scaled_int(int bits);
    // As in qonnx, a bias of 0 also selects the default bias 2^(e-1)-1.
    static DataType arb_float(int exponent_bits, int mantissa_bits, int bias);
    static DataType arb_float(int exponent_bits, int mantissa_bits); // default bias 2^(e-1)-1

    Kind kind() const { return kind_; }
    std::string name() const;
    int bitwidth() const;
    // Smallest and largest representable value. SCALEDINT throws finn::Error (undefined in qonnx).
    // INT64/UINT64 bounds are rounded to the nearest double; use int_min/int_max for exact values.
    double min() const;
    double max() const;
    // Exact bounds of integer types (BINARY, BIPOLAR, TERNARY, UINTn, INTn); throws otherwise.
    __int128 int_min() const;
    __int128 int_max() const;
    // qonnx: signed() is min() < 0, and true for SCALEDINT and FLOAT<>.
    bool is_signed() const;
    bool is_integer() const;     // BINARY, BIPOLAR, TERNARY, UINTn, INTn
    bool is_fixed_point() const; // FIXED<w,i>
    // The value v is representable (integral and in range; {-1,+1} for BIPOLAR; on the fixed grid;
    // exactly representable for FLOAT<e,m,b>; always for FLOAT32/FLOAT16). Throws for SCALEDINT.
    bool allowed(double v) const;
    // |min|+|max|+1 for integers, 2 for bipolar, 3 for ternary, 2^bitwidth for FLOAT<e,m,b>;
    // throws for other kinds.
    __int128 num_values() const;
    // FIXED<w,i>: 2^-(w-i); 1 for integers.
    double scale_factor() const;
    // C++/HLS spelling used in generated code: ap_uint<8>, ap_int<3>, ap_fixed<8, 3> (qonnx's
    // spacing), float, half; throws for SCALEDINT and FLOAT<e,m,b>.
    std::string hls_type() const;

    // qonnx get_accumulator_dt_cands(): BINARY, UINT1..UINT64 (UINT1 == BINARY), BIPOLAR, TERNARY,
    // INT1..INT64.
    static std::vector<DataType> accumulator_candidates();
    // qonnx get_smallest_possible(v): FLOAT32 if v is not integral, else the first candidate above
    // whose range holds v (quirk kept: -1 gives BIPOLAR).
    static DataType smallest_possible(double v);
    // FINN's ChannelwiseOp rule: the first accumulator candidate other than BIPOLAR/TERNARY that
    // holds every value, else UINT64/INT64.
    static DataType smallest_holding(const std::vector<double>& values);

    bool operator==(const DataType& other) const;
    bool operator!=(const DataType& other) const { return !(*this == other); }

private:
    DataType(Kind kind, int a, int b, int c) : kind_(kind), a_(a), b_(b), c_(c) {}
    Kind kind_;
    int a_ = 0; // bits (UInt/Int/ScaledInt), width (Fixed), exponent bits (ArbFloat)
    int b_ = 0; // int bits (Fixed), mantissa bits (ArbFloat)
    int c_ = 0; // bias (ArbFloat)
};

} // namespace finn
