#include "finn/core/npy.h"

#include "finn/core/error.h"
#include "finn/util/file_io.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

namespace finn {
namespace {

// "\x93" is split off so that the hex escape cannot swallow the following letters.
constexpr std::string_view kMagic = "\x93"
                                    "NUMPY";
constexpr std::size_t kAlignment = 64; // numpy pads the header so the data starts 64-aligned
// numpy >= 1.23 leaves room for the first dimension to grow to this many digits in place.
constexpr std::size_t kGrowthAxisMaxDigits = 21;
constexpr std::string_view kSupportedTypes = "expected float16/32/64, int8..64, uint8..64 or bool";

bool host_is_big_endian() {
    return std::endian::native == std::endian::big;
}

void reverse_each_element(std::byte* data, std::size_t byte_size, std::size_t element_size) {
    if (element_size <= 1) return;
    for (std::size_t offset = 0; offset + element_size <= byte_size; offset += element_size)
        std::reverse(data + offset, data + offset + element_size);
}

// Renders (part of) the header for an error message, on one line.
std::string excerpt(std::string_view text) {
    constexpr std::size_t kMaxLength = 100;
    std::string result;
    for (char c : text.substr(0, kMaxLength)) {
        auto byte = static_cast<unsigned char>(c);
        if (c == '\n')
            result += "\\n";
        else if (byte < 0x20 || byte >= 0x7f)
            result += '?';
        else
            result += c;
    }
    if (text.size() > kMaxLength) result += "...";
    return result;
}

struct NpyHeader {
    std::string descr;
    bool descr_is_list = false;
    bool fortran_order = false;
    Shape shape;
};

// Parses the Python dict literal of a .npy header, e.g.
//   {'descr': '<f4', 'fortran_order': False, 'shape': (1, 784), }
// Only the literal forms numpy writes (and older writers, e.g. "3L") are accepted; keys may come
// in any order and there may be any amount of whitespace and trailing commas.
class HeaderParser {
public:
    HeaderParser(std::string_view text, std::string_view source) : text_(text), source_(source) {}

    NpyHeader parse() {
        NpyHeader header;
        bool seen_descr = false, seen_fortran_order = false, seen_shape = false;
        expect('{', "'{' starting the header dict");
        skip_whitespace();
        while (!consume('}')) {
            std::size_t key_position = position_;
            std::string key = parse_string("a quoted key or '}'");
            expect(':', "':' after the key");
            skip_whitespace();
            auto check_duplicate = [&](bool& seen) {
                if (seen) fail_at(key_position, "no repeated key '" + key + "'");
                seen = true;
            };
            if (key == "descr") {
                check_duplicate(seen_descr);
                if (peek() == '[') {
                    // A structured dtype; its fields are not needed to reject it.
                    header.descr_is_list = true;
                    skip_bracketed();
                } else {
                    header.descr = parse_string("a quoted dtype string after 'descr'");
                }
            } else if (key == "fortran_order") {
                check_duplicate(seen_fortran_order);
                header.fortran_order = parse_bool();
            } else if (key == "shape") {
                check_duplicate(seen_shape);
                header.shape = parse_shape();
            } else {
                throw Error(std::string(source_) + ": unexpected key '" + key +
                            "' in .npy header; expected only 'descr', 'fortran_order' and 'shape'");
            }
            skip_whitespace();
            if (consume(',')) {
                skip_whitespace();
                continue;
            }
            expect('}', "',' or '}' after a value");
            break;
        }
        skip_whitespace();
        if (position_ != text_.size()) fail("only whitespace after the header dict");
        for (auto [seen, name] :
             {std::pair{seen_descr, "descr"}, std::pair{seen_fortran_order, "fortran_order"},
              std::pair{seen_shape, "shape"}}) {
            if (!seen)
                throw Error(
                    std::string(source_) + ": .npy header has no '" + name +
                    "' key; expected 'descr', 'fortran_order' and 'shape': " + excerpt(text_));
        }
        return header;
    }

private:
    char peek() const { return position_ < text_.size() ? text_[position_] : '\0'; }

    void skip_whitespace() {
        while (position_ < text_.size() && (text_[position_] == ' ' || text_[position_] == '\t' ||
                                            text_[position_] == '\n' || text_[position_] == '\r'))
            ++position_;
    }

    bool consume(char c) {
        if (peek() != c || position_ >= text_.size()) return false;
        ++position_;
        return true;
    }

    void expect(char c, std::string_view what) {
        skip_whitespace();
        if (!consume(c)) fail(what);
    }

    std::string parse_string(std::string_view what) {
        skip_whitespace();
        const char quote = peek();
        if (quote != '\'' && quote != '"') fail(what);
        const std::size_t start = ++position_;
        const std::size_t end = text_.find(quote, start);
        if (end == std::string_view::npos) fail_at(start - 1, "a closing quote");
        position_ = end + 1;
        return std::string(text_.substr(start, end - start));
    }

    bool parse_bool() {
        skip_whitespace();
        for (auto [word, value] : {std::pair{std::string_view("True"), true},
                                   std::pair{std::string_view("False"), false}}) {
            if (text_.substr(position_, word.size()) == word) {
                position_ += word.size();
                return value;
            }
        }
        fail("True or False after 'fortran_order'");
    }

    Shape parse_shape() {
        skip_whitespace();
        if (!consume('(')) fail("a tuple such as (1, 784) after 'shape'");
        Shape shape;
        skip_whitespace();
        while (!consume(')')) {
            shape.push_back(parse_dimension());
            skip_whitespace();
            if (consume(',')) {
                skip_whitespace();
                continue;
            }
            if (!consume(')')) fail("',' or ')' in the shape tuple");
            break;
        }
        return shape;
    }

    std::int64_t parse_dimension() {
        const std::size_t start = position_;
        const bool negative = consume('-');
        if (!(peek() >= '0' && peek() <= '9')) fail("an integer dimension in the shape tuple");
        std::int64_t value = 0;
        while (peek() >= '0' && peek() <= '9') {
            const int digit = peek() - '0';
            if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10)
                fail_at(start, "a dimension that fits in int64");
            value = value * 10 + digit;
            ++position_;
        }
        if (peek() == 'L' || peek() == 'l') ++position_; // Python 2 long literal
        if (negative && value != 0)
            throw Error(std::string(source_) + ": invalid shape in .npy header: dimension -" +
                        std::to_string(value) + " is negative; expected sizes >= 0");
        return value;
    }

    // Skips a [...] list with nested brackets and quoted strings.
    void skip_bracketed() {
        const std::size_t start = position_;
        int depth = 0;
        while (position_ < text_.size()) {
            const char c = text_[position_++];
            if (c == '\'' || c == '"') {
                const std::size_t end = text_.find(c, position_);
                if (end == std::string_view::npos) break;
                position_ = end + 1;
            } else if (c == '[' || c == '(') {
                ++depth;
            } else if ((c == ']' || c == ')') && --depth == 0) {
                return;
            }
        }
        fail_at(start, "a closed list after 'descr'");
    }

    [[noreturn]] void fail(std::string_view expected) { fail_at(position_, expected); }
    [[noreturn]] void fail_at(std::size_t position, std::string_view expected) {
        throw Error(std::string(source_) + ": malformed .npy header at offset " +
                    std::to_string(position) + ": expected " + std::string(expected) + " in " +
                    excerpt(text_));
    }

    std::string_view text_;
    std::string_view source_;
    std::size_t position_ = 0;
};

struct DtypeInfo {
    ElementType type;
    bool big_endian;
};

DtypeInfo parse_descr(const std::string& descr, std::string_view source) {
    const std::string prefix = std::string(source) + ": unsupported dtype '" + descr + "'";
    std::string_view rest = descr;
    bool big_endian = host_is_big_endian(); // '=', '|' and no prefix all mean native order
    if (!rest.empty() && (rest[0] == '<' || rest[0] == '>' || rest[0] == '|' || rest[0] == '=')) {
        if (rest[0] == '<') big_endian = false;
        if (rest[0] == '>') big_endian = true;
        rest.remove_prefix(1);
    }
    if (!rest.empty() && rest[0] == 'O')
        throw Error(prefix + " (object arrays); " + std::string(kSupportedTypes));
    static constexpr std::pair<std::string_view, ElementType> kTypes[] = {
        {"f2", ElementType::Float16}, {"f4", ElementType::Float32}, {"f8", ElementType::Float64},
        {"i1", ElementType::Int8},    {"i2", ElementType::Int16},   {"i4", ElementType::Int32},
        {"i8", ElementType::Int64},   {"u1", ElementType::UInt8},   {"u2", ElementType::UInt16},
        {"u4", ElementType::UInt32},  {"u8", ElementType::UInt64},  {"b1", ElementType::Bool},
    };
    for (const auto& [code, type] : kTypes)
        if (rest == code) return {type, big_endian};
    throw Error(prefix + "; " + std::string(kSupportedTypes));
}

std::string_view descr_of(ElementType type) {
    switch (type) {
    case ElementType::Float32:
        return "<f4";
    case ElementType::Float64:
        return "<f8";
    case ElementType::Float16:
        return "<f2";
    case ElementType::Int8:
        return "|i1";
    case ElementType::Int16:
        return "<i2";
    case ElementType::Int32:
        return "<i4";
    case ElementType::Int64:
        return "<i8";
    case ElementType::UInt8:
        return "|u1";
    case ElementType::UInt16:
        return "<u2";
    case ElementType::UInt32:
        return "<u4";
    case ElementType::UInt64:
        return "<u8";
    case ElementType::Bool:
        return "|b1";
    }
    throw Error("invalid element type " + std::to_string(static_cast<int>(type)));
}

std::uint32_t read_little_endian(std::string_view bytes, std::size_t offset, std::size_t width) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < width; ++i)
        value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[offset + i]))
                 << (8 * i);
    return value;
}

void append_little_endian(std::string& out, std::uint32_t value, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i)
        out += static_cast<char>((value >> (8 * i)) & 0xffu);
}

} // namespace

Tensor parse_npy(std::string_view bytes, std::string_view source) {
    const std::string name(source);
    if (bytes.substr(0, kMagic.size()) != kMagic)
        throw Error(name + ": not a .npy file (bad magic string); expected it to start with "
                           "\\x93NUMPY");
    if (bytes.size() < 8) throw Error(name + ": truncated .npy preamble; expected a version");

    // Version 1.0 has a 2-byte header length, 2.0 and 3.0 (UTF-8 header) a 4-byte one.
    const int major = static_cast<unsigned char>(bytes[6]);
    const int minor = static_cast<unsigned char>(bytes[7]);
    if ((major != 1 && major != 2 && major != 3) || minor != 0)
        throw Error(name + ": unsupported .npy format version " + std::to_string(major) + "." +
                    std::to_string(minor) + "; expected 1.0, 2.0 or 3.0");
    const std::size_t length_width = major == 1 ? 2 : 4;
    const std::size_t header_start = 8 + length_width;
    if (bytes.size() < header_start)
        throw Error(name + ": truncated .npy preamble: file has " + std::to_string(bytes.size()) +
                    " bytes; expected at least " + std::to_string(header_start));
    const std::size_t header_length = read_little_endian(bytes, 8, length_width);
    if (header_length > bytes.size() - header_start)
        throw Error(name + ": truncated .npy header: preamble says " +
                    std::to_string(header_length) + " bytes, file has " +
                    std::to_string(bytes.size() - header_start));

    const NpyHeader header =
        HeaderParser(bytes.substr(header_start, header_length), source).parse();
    if (header.descr_is_list)
        throw Error(name + ": structured dtypes (descr is a list) are not supported; " +
                    std::string(kSupportedTypes));
    const DtypeInfo dtype = parse_descr(header.descr, source);
    if (header.fortran_order)
        throw Error(name + ": Fortran-ordered arrays are not supported; expected C order");

    // The dimensions are non-negative (checked by the parser); guard the byte count overflow.
    const std::size_t element_bytes = element_size(dtype.type);
    std::uint64_t expected_bytes = element_bytes;
    for (std::int64_t dim : header.shape) {
        const auto extent = static_cast<std::uint64_t>(dim);
        if (extent != 0 && expected_bytes > std::numeric_limits<std::uint64_t>::max() / extent)
            throw Error(name + ": invalid shape " + shape_to_string(header.shape) +
                        " in .npy header: byte size overflows 64 bits");
        expected_bytes *= extent;
    }
    const std::string_view data = bytes.substr(header_start + header_length);
    const std::string layout = "header says " + shape_to_string(header.shape) + " " +
                               std::string(element_type_name(dtype.type)) + " = " +
                               std::to_string(expected_bytes) + " bytes, file has " +
                               std::to_string(data.size());
    if (data.size() < expected_bytes) throw Error(name + ": truncated data: " + layout);
    if (data.size() > expected_bytes)
        throw Error(name + ": " + std::to_string(data.size() - expected_bytes) +
                    " unexpected bytes after the data: " + layout);

    Tensor tensor(dtype.type, header.shape);
    if (!data.empty()) std::memcpy(tensor.bytes(), data.data(), data.size());
    if (dtype.big_endian != host_is_big_endian())
        reverse_each_element(tensor.bytes(), tensor.byte_size(), element_bytes);
    if (dtype.type == ElementType::Bool) {
        // Any non-zero byte is true; normalizing keeps the bool storage valid (0 or 1).
        for (std::size_t i = 0; i < tensor.byte_size(); ++i)
            tensor.bytes()[i] = tensor.bytes()[i] != std::byte{0} ? std::byte{1} : std::byte{0};
    }
    return tensor;
}

Tensor read_npy(const std::filesystem::path& path) {
    return parse_npy(read_file(path), path.string());
}

std::string to_npy(const Tensor& tensor) {
    const Shape& shape = tensor.shape();
    std::string header = "{'descr': '" + std::string(descr_of(tensor.type())) +
                         "', 'fortran_order': False, 'shape': " + shape_to_string(shape) + ", }";
    if (!shape.empty()) {
        const std::size_t digits = std::to_string(shape[0]).size();
        if (digits < kGrowthAxisMaxDigits) header.append(kGrowthAxisMaxDigits - digits, ' ');
    }

    // The header ends in '\n' and is space-padded so that preamble + header is a multiple of 64.
    // Like numpy, an already aligned length still gets a full block of padding.
    int major = 1;
    std::size_t preamble = kMagic.size() + 2 + 2;
    std::size_t padding = kAlignment - (preamble + header.size() + 1) % kAlignment;
    if (header.size() + 1 + padding > std::numeric_limits<std::uint16_t>::max()) {
        major = 2; // too long for version 1.0's 16-bit length
        preamble = kMagic.size() + 2 + 4;
        padding = kAlignment - (preamble + header.size() + 1) % kAlignment;
    }
    const std::size_t header_length = header.size() + padding + 1;

    std::string out;
    out.reserve(preamble + header_length + tensor.byte_size());
    out += kMagic;
    out += static_cast<char>(major);
    out += '\0';
    append_little_endian(out, static_cast<std::uint32_t>(header_length), major == 1 ? 2 : 4);
    out += header;
    out.append(padding, ' ');
    out += '\n';
    const std::size_t data_start = out.size();
    out.append(reinterpret_cast<const char*>(tensor.bytes()), tensor.byte_size());
    if (host_is_big_endian())
        reverse_each_element(reinterpret_cast<std::byte*>(out.data() + data_start),
                             tensor.byte_size(), element_size(tensor.type()));
    return out;
}

bool write_npy(const std::filesystem::path& path, const Tensor& tensor) {
    return write_file_if_changed(path, to_npy(tensor));
}

} // namespace finn
