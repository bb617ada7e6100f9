// Tensor: a dense, C-ordered n-dimensional array with a runtime element type.
//
// It is the common currency of libfinn: initializers, .npy files, TensorProto test data and the
// executor's values are all Tensors. The bytes are stored as the element type says (float16 as
// raw IEEE half bits), so a round trip through .npy or ONNX is lossless.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace finn {

enum class ElementType {
    Float32,
    Float64,
    Float16,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Bool,
};

std::size_t element_size(ElementType type);
// numpy's name of the type: "float32", "int8", "bool", ...
std::string_view element_type_name(ElementType type);
bool is_floating(ElementType type);

// IEEE 754 binary16 conversions (round to nearest even, with subnormals, inf and NaN).
float half_to_float(std::uint16_t bits);
std::uint16_t float_to_half(float value);

using Shape = std::vector<std::int64_t>;
// Number of elements of a shape (1 for a scalar); throws finn::Error on a negative dimension.
std::int64_t shape_size(const Shape& shape);
// "(1, 784)" — numpy's way of printing a shape, used in error messages.
std::string shape_to_string(const Shape& shape);

class Tensor {
public:
    // A float32 scalar 0.
    Tensor();
    // A zero-filled tensor.
    Tensor(ElementType type, Shape shape);

    static Tensor from_floats(Shape shape, const std::vector<float>& values);
    static Tensor from_doubles(ElementType type, Shape shape, const std::vector<double>& values);
    static Tensor from_int64s(Shape shape, const std::vector<std::int64_t>& values);

    ElementType type() const { return type_; }
    const Shape& shape() const { return shape_; }
    int rank() const { return static_cast<int>(shape_.size()); }
    std::int64_t size() const {
        return static_cast<std::int64_t>(bytes_.size() / element_size(type_));
    }

    // Typed access; throws finn::Error if T does not match the element type.
    template <class T> T* data();
    template <class T> const T* data() const;
    std::byte* bytes() { return bytes_.data(); }
    const std::byte* bytes() const { return bytes_.data(); }
    std::size_t byte_size() const { return bytes_.size(); }

    // Element access by flat (C-order) index, converting to/from double.
    double get(std::int64_t index) const;
    void set(std::int64_t index, double value);
    std::vector<double> to_doubles() const;
    std::vector<float> to_floats() const;
    std::vector<std::int64_t> to_int64s() const;

    // A copy with another element type (values converted as numpy's astype does).
    Tensor cast(ElementType type) const;
    // A copy with another shape of the same size; throws finn::Error otherwise.
    Tensor reshaped(Shape shape) const;

    // Same type, shape and bytes.
    bool operator==(const Tensor& other) const;
    bool operator!=(const Tensor& other) const { return !(*this == other); }

private:
    template <class T> void check_type() const;
    ElementType type_;
    Shape shape_;
    std::vector<std::byte> bytes_;
};

[[noreturn]] void throw_type_mismatch(std::string_view requested, std::string_view actual);

// Maps a C++ element type to its ElementType (float16 has no C++ type: use the raw bytes).
template <class T> constexpr ElementType element_type_of();
template <> constexpr ElementType element_type_of<float>() {
    return ElementType::Float32;
}
template <> constexpr ElementType element_type_of<double>() {
    return ElementType::Float64;
}
template <> constexpr ElementType element_type_of<std::int8_t>() {
    return ElementType::Int8;
}
template <> constexpr ElementType element_type_of<std::int16_t>() {
    return ElementType::Int16;
}
template <> constexpr ElementType element_type_of<std::int32_t>() {
    return ElementType::Int32;
}
template <> constexpr ElementType element_type_of<std::int64_t>() {
    return ElementType::Int64;
}
template <> constexpr ElementType element_type_of<std::uint8_t>() {
    return ElementType::UInt8;
}
template <> constexpr ElementType element_type_of<std::uint16_t>() {
    return ElementType::UInt16;
}
template <> constexpr ElementType element_type_of<std::uint32_t>() {
    return ElementType::UInt32;
}
template <> constexpr ElementType element_type_of<std::uint64_t>() {
    return ElementType::UInt64;
}
template <> constexpr ElementType element_type_of<bool>() {
    return ElementType::Bool;
}

template <class T> void Tensor::check_type() const {
    if (element_type_of<T>() != type_)
        throw_type_mismatch(element_type_name(element_type_of<T>()), element_type_name(type_));
}
template <class T> T* Tensor::data() {
    check_type<T>();
    return reinterpret_cast<T*>(bytes_.data());
}
template <class T> const T* Tensor::data() const {
    check_type<T>();
    return reinterpret_cast<const T*>(bytes_.data());
}

} // namespace finn
