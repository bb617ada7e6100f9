#include "finn/core/error.h"
#include "finn/core/npy.h"
#include "finn/util/file_io.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>
#include <vector>

namespace finn {
namespace {

namespace fs = std::filesystem;

const ElementType kAllTypes[] = {
    ElementType::Float32, ElementType::Float64, ElementType::Float16, ElementType::Int8,
    ElementType::Int16,   ElementType::Int32,   ElementType::Int64,   ElementType::UInt8,
    ElementType::UInt16,  ElementType::UInt32,  ElementType::UInt64,  ElementType::Bool,
};

const Shape kShapes[] = {{}, {0}, {5}, {2, 3, 4}};

// The system interpreter: a pyenv `python3` on PATH may lack numpy.
constexpr const char* kPython = "/usr/bin/python3";

// Expects `statement` to throw finn::Error whose message contains `substring`.
#define EXPECT_ERROR(statement, substring)                                                         \
    do {                                                                                           \
        try {                                                                                      \
            statement;                                                                             \
            ADD_FAILURE() << "expected finn::Error containing '" << (substring) << "'";            \
        } catch (const Error& error) {                                                             \
            EXPECT_NE(std::string(error.what()).find(substring), std::string::npos)                \
                << "message: " << error.what();                                                    \
        }                                                                                          \
    } while (false)

// Deterministic test values; the numpy script below computes the same ones.
double test_value(ElementType type, std::int64_t index) {
    if (type == ElementType::Bool) return index % 3 == 0 ? 1 : 0;
    const double step = static_cast<double>((index * 7) % 11);
    switch (type) {
    case ElementType::UInt8:
    case ElementType::UInt16:
    case ElementType::UInt32:
    case ElementType::UInt64:
        return step;
    case ElementType::Float16:
    case ElementType::Float32:
    case ElementType::Float64:
        return (step - 5) * 0.25;
    default:
        return step - 5;
    }
}

Tensor test_tensor(ElementType type, const Shape& shape) {
    std::vector<double> values(static_cast<std::size_t>(shape_size(shape)));
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = test_value(type, static_cast<std::int64_t>(i));
    return Tensor::from_doubles(type, shape, values);
}

// Builds .npy bytes by hand so that malformed files can be tested without numpy.
std::string make_npy(std::string_view header, std::string_view data, int major = 1) {
    std::string out = "\x93";
    out += "NUMPY";
    out += static_cast<char>(major);
    out += '\0';
    const std::size_t width = major == 1 ? 2 : 4;
    for (std::size_t i = 0; i < width; ++i)
        out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
    out += header;
    out += data;
    return out;
}

std::string float_bytes(std::vector<float> values) {
    return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
}

class TempDir : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() / ("finn_npy_test_" + std::to_string(::getpid()) + "_" +
                                            info->test_suite_name() + "_" + info->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    // Runs a numpy script with the temp dir as its working directory; false if numpy is missing.
    static bool numpy_available() {
        static const bool available =
            fs::exists(kPython) &&
            std::system((std::string(kPython) + " -c 'import numpy' >/dev/null 2>&1").c_str()) == 0;
        return available;
    }
    void run_python(const std::string& script) {
        const fs::path script_path = dir_ / "script.py";
        std::ofstream(script_path) << script;
        const std::string command =
            "cd '" + dir_.string() + "' && " + kPython + " '" + script_path.string() + "'";
        ASSERT_EQ(std::system(command.c_str()), 0) << "numpy script failed: " << script;
    }

    fs::path dir_;
};

using NpyTest = TempDir;

TEST(Npy, RoundTripsEveryTypeAndShape) {
    for (ElementType type : kAllTypes) {
        for (const Shape& shape : kShapes) {
            Tensor tensor = test_tensor(type, shape);
            Tensor parsed = parse_npy(to_npy(tensor), "mem.npy");
            EXPECT_EQ(parsed, tensor) << element_type_name(type) << " " << shape_to_string(shape);
        }
    }
}

TEST(Npy, WritesNumpysHeaderLayout) {
    const std::string bytes = to_npy(Tensor(ElementType::Float32, {1, 784}));
    ASSERT_EQ(bytes.size(), 128u + 3136u);
    const std::string header = bytes.substr(10, 118);
    EXPECT_EQ(bytes.substr(0, 10), std::string("\x93NUMPY\x01\x00\x76\x00", 10));
    EXPECT_EQ(header.substr(0, 61),
              "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 784), }");
    EXPECT_EQ(header.find_first_not_of(' ', 61), 117u);
    EXPECT_EQ(header.back(), '\n');

    for (ElementType type : kAllTypes) {
        const std::string npy = to_npy(Tensor(type, {3}));
        const std::size_t header_end = npy.find('\n') + 1;
        EXPECT_EQ(header_end % 64, 0u);
        EXPECT_EQ(npy.size() - header_end, 3 * element_size(type));
    }
    EXPECT_NE(to_npy(Tensor(ElementType::Bool, {})).find("'descr': '|b1'"), std::string::npos);
    EXPECT_NE(to_npy(Tensor(ElementType::Int8, {})).find("'shape': (), }"), std::string::npos);
}

TEST_F(NpyTest, WriteAndReadFiles) {
    const fs::path path = dir_ / "sub" / "x.npy";
    Tensor tensor = test_tensor(ElementType::Int16, {2, 3});
    EXPECT_TRUE(write_npy(path, tensor));
    EXPECT_FALSE(write_npy(path, tensor)); // identical bytes: untouched
    EXPECT_EQ(read_npy(path), tensor);
    EXPECT_TRUE(write_npy(path, tensor.cast(ElementType::Int32)));
    EXPECT_EQ(read_npy(path), tensor.cast(ElementType::Int32));
}

TEST_F(NpyTest, MissingFileNamesThePath) {
    EXPECT_ERROR(read_npy(dir_ / "missing.npy"), "missing.npy: cannot open file");
}

TEST(Npy, HeaderParsingIsRobust) {
    const std::string four = float_bytes({1, 2, 3, 4});
    const Tensor expected = Tensor::from_floats({2, 2}, {1, 2, 3, 4});
    for (const char* header : {
             "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }\n",
             "{'shape': (2, 2), 'fortran_order': False, 'descr': '<f4'}",
             "{ 'fortran_order' :False,'shape':(2,2,),'descr':'<f4' ,}   \n",
             "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2L, 2L)}",
             "\n{'descr':\t'<f4', 'fortran_order': False, 'shape': ( 2 , 2 ) }\r\n",
         }) {
        EXPECT_EQ(parse_npy(make_npy(header, four), "h.npy"), expected) << header;
    }
    EXPECT_EQ(parse_npy(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': ()}",
                                 float_bytes({7})),
                        "s.npy"),
              Tensor::from_floats({}, {7}));
    EXPECT_EQ(parse_npy(make_npy("{'descr': '=f4', 'fortran_order': False, 'shape': (1,)}",
                                 float_bytes({7})),
                        "s.npy"),
              Tensor::from_floats({1}, {7}));
    EXPECT_EQ(parse_npy(make_npy("{'descr': '<i1', 'fortran_order': False, 'shape': (0, 3)}", ""),
                        "e.npy"),
              Tensor(ElementType::Int8, {0, 3}));
}

TEST(Npy, ReadsVersions2And3AndBigEndian) {
    const std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
    const Tensor expected = Tensor::from_floats({2}, {1.5f, -2});
    EXPECT_EQ(parse_npy(make_npy(header, float_bytes({1.5f, -2}), 2), "v2.npy"), expected);
    EXPECT_EQ(parse_npy(make_npy(header, float_bytes({1.5f, -2}), 3), "v3.npy"), expected);

    // 0x0102 big-endian as int16 is 258; big-endian bool and int8 need no swapping.
    EXPECT_EQ(parse_npy(make_npy("{'descr': '>i2', 'fortran_order': False, 'shape': (1,)}",
                                 std::string("\x01\x02", 2)),
                        "be.npy")
                  .to_int64s(),
              std::vector<std::int64_t>{258});
    EXPECT_EQ(parse_npy(make_npy("{'descr': '>f8', 'fortran_order': False, 'shape': ()}",
                                 std::string("\x3f\xf8\0\0\0\0\0\0", 8)),
                        "be.npy")
                  .to_doubles(),
              std::vector<double>{1.5});
    // Non-zero bool bytes are normalized to 1.
    Tensor flags = parse_npy(make_npy("{'descr': '|b1', 'fortran_order': False, 'shape': (2,)}",
                                      std::string("\0\x07", 2)),
                             "b.npy");
    EXPECT_EQ(flags, Tensor::from_doubles(ElementType::Bool, {2}, {0, 1}));
}

TEST(Npy, RejectsBadFiles) {
    const std::string c_order = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 784), }";
    EXPECT_ERROR(parse_npy(make_npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
                                    float_bytes({1, 2, 3, 4})),
                           "x.npy"),
                 "x.npy: Fortran-ordered arrays are not supported; expected C order");
    EXPECT_ERROR(parse_npy(make_npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
                                    std::string(8, '\0')),
                           "x.npy"),
                 "x.npy: unsupported dtype '|O' (object arrays); expected float16/32/64, int8..64, "
                 "uint8..64 or bool");
    EXPECT_ERROR(parse_npy(make_npy("{'descr': [('a', '<f4'), ('b', '<i8')], 'fortran_order': "
                                    "False, 'shape': (1,), }",
                                    std::string(12, '\0')),
                           "x.npy"),
                 "x.npy: structured dtypes (descr is a list) are not supported");
    for (const char* descr : {"<c8", "<U5", "|S3", "<f16", "<M8[ns]", "", "f"})
        EXPECT_ERROR(parse_npy(make_npy(std::string("{'descr': '") + descr +
                                            "', 'fortran_order': False, 'shape': (1,), }",
                                        std::string(8, '\0')),
                               "x.npy"),
                     std::string("x.npy: unsupported dtype '") + descr + "'; expected");
    EXPECT_ERROR(parse_npy(make_npy(c_order, std::string(100, '\0')), "x.npy"),
                 "x.npy: truncated data: header says (1, 784) float32 = 3136 bytes, file has 100");
    EXPECT_ERROR(parse_npy(make_npy(c_order, std::string(3137, '\0')), "x.npy"),
                 "x.npy: 1 unexpected bytes after the data: header says (1, 784) float32 = 3136 "
                 "bytes, file has 3137");
    EXPECT_ERROR(parse_npy("PK\x03\x04 this is a zip", "x.npy"),
                 "x.npy: not a .npy file (bad magic");
    EXPECT_ERROR(parse_npy("", "x.npy"), "x.npy: not a .npy file (bad magic");
    EXPECT_ERROR(parse_npy(std::string("\x93NUMPY\x04\x00\x00\x00", 10), "x.npy"),
                 "x.npy: unsupported .npy format version 4.0; expected 1.0, 2.0 or 3.0");
    EXPECT_ERROR(parse_npy(std::string("\x93NUMPY\x01\x00\x7f", 9), "x.npy"),
                 "x.npy: truncated .npy preamble");
    EXPECT_ERROR(parse_npy(make_npy(c_order, "").substr(0, 30), "x.npy"),
                 "x.npy: truncated .npy header: preamble says");
}

TEST(Npy, RejectsMalformedHeaders) {
    auto parse_header = [](const std::string& header) {
        return parse_npy(make_npy(header, ""), "h.npy");
    };
    EXPECT_ERROR(parse_header("{'descr': '<f4', 'shape': (0,)}"),
                 "h.npy: .npy header has no 'fortran_order' key");
    EXPECT_ERROR(parse_header("{'descr': '<f4', 'fortran_order': False, 'shape': (0,), 'x': 1}"),
                 "h.npy: unexpected key 'x' in .npy header");
    EXPECT_ERROR(parse_header("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False}"),
                 "expected no repeated key 'descr'");
    EXPECT_ERROR(parse_header("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}"),
                 "h.npy: invalid shape in .npy header: dimension -1 is negative");
    EXPECT_ERROR(parse_header("{'descr': '<f4', 'fortran_order': False, 'shape': [1]}"),
                 "h.npy: malformed .npy header at offset 50: expected a tuple");
    EXPECT_ERROR(parse_header("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}"),
                 "expected True or False");
    EXPECT_ERROR(parse_header("{'descr': '<f4', 'fortran_order': False, 'shape': (1 2)}"),
                 "expected ',' or ')' in the shape tuple");
    EXPECT_ERROR(parse_header("{'descr': '<f4, 'fortran_order': False, 'shape': (1,)}"),
                 "malformed .npy header");
    EXPECT_ERROR(parse_header("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} x"),
                 "expected only whitespace after the header dict");
    EXPECT_ERROR(parse_header("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)"),
                 "expected ',' or '}' after a value");
    EXPECT_ERROR(parse_header("{'descr': '<f4', 'fortran_order': False, 'shape': "
                              "(99999999999999999999,)}"),
                 "a dimension that fits in int64");
    EXPECT_ERROR(parse_header("{'descr': '<f8', 'fortran_order': False, 'shape': "
                              "(4294967296, 4294967296)}"),
                 "byte size overflows");
}

// numpy writes reference files; our writer must produce the same bytes, our reader the same
// tensors. Shapes of rank 1..32 walk the header length across the 64-byte padding boundaries.
TEST_F(NpyTest, MatchesNumpyByteForByte) {
    if (!numpy_available()) GTEST_SKIP() << kPython << " with numpy is not available";
    run_python(R"(
import numpy as np
types = ['float32', 'float64', 'float16', 'int8', 'int16', 'int32', 'int64',
         'uint8', 'uint16', 'uint32', 'uint64', 'bool']
shapes = [(), (0,), (5,), (2, 3, 4)] + [(2,) + (1,) * r for r in range(32)] + [(123456789012, 0)]
# an exactly aligned header, which numpy still pads with a full 64-byte block
shapes += [(2,) + (1,) * 11 + (10, 10)]
def values(t, n):
    i = np.arange(n, dtype=np.int64)
    step = (i * 7) % 11
    if t == 'bool': return i % 3 == 0
    if t.startswith('uint'): return step
    if t.startswith('float'): return (step - 5) * 0.25
    return step - 5
for t in types:
    for k, s in enumerate(shapes):
        n = int(np.prod(s))
        np.save('%s_%d.npy' % (t, k), values(t, n).astype(t).reshape(s))
)");
    std::vector<Shape> shapes(std::begin(kShapes), std::end(kShapes));
    for (int rank = 0; rank < 32; ++rank) {
        Shape shape(static_cast<std::size_t>(rank) + 1, 1);
        shape[0] = 2;
        shapes.push_back(shape);
    }
    shapes.push_back({123456789012, 0});
    Shape aligned(14, 1); // (2, 1, ..., 1, 10, 10): header exactly 64-aligned before padding
    aligned[0] = 2;
    aligned[12] = aligned[13] = 10;
    shapes.push_back(aligned);
    for (ElementType type : kAllTypes) {
        for (std::size_t k = 0; k < shapes.size(); ++k) {
            const fs::path path =
                dir_ / (std::string(element_type_name(type)) + "_" + std::to_string(k) + ".npy");
            const Tensor tensor = test_tensor(type, shapes[k]);
            const std::string numpy_bytes = read_file(path);
            EXPECT_EQ(to_npy(tensor), numpy_bytes) << path;
            EXPECT_EQ(read_npy(path), tensor) << path;
        }
    }
}

TEST_F(NpyTest, ReadsNumpyBigEndianAndVersion2And3Files) {
    if (!numpy_available()) GTEST_SKIP() << kPython << " with numpy is not available";
    run_python(R"(
import numpy as np
from numpy.lib import format
a = (np.arange(24).reshape(2, 3, 4) - 11.5) / 4
for code in ['f2', 'f4', 'f8', 'i2', 'i4', 'i8', 'u2', 'u4', 'u8']:
    v = a if code[0] == 'f' else np.arange(24).reshape(2, 3, 4)
    np.save('be_%s.npy' % code, v.astype('>' + code))
    np.save('le_%s.npy' % code, v.astype('<' + code))
for version in [(2, 0), (3, 0)]:
    with open('v%d.npy' % version[0], 'wb') as f:
        format.write_array(f, a.astype('<f4'), version=version)
np.save('le_f4_copy.npy', a.astype('<f4'))
)");
    for (const char* code : {"f2", "f4", "f8", "i2", "i4", "i8", "u2", "u4", "u8"}) {
        const Tensor big = read_npy(dir_ / (std::string("be_") + code + ".npy"));
        const Tensor little = read_npy(dir_ / (std::string("le_") + code + ".npy"));
        EXPECT_EQ(big, little) << code;
        EXPECT_EQ(big.shape(), (Shape{2, 3, 4}));
    }
    const Tensor reference = read_npy(dir_ / "le_f4_copy.npy");
    EXPECT_EQ(reference.to_floats()[0], -11.5f / 4);
    EXPECT_EQ(read_npy(dir_ / "v2.npy"), reference);
    EXPECT_EQ(read_npy(dir_ / "v3.npy"), reference);
}

// numpy's astype(float16) from float32 and float64 around every rounding boundary, and its
// float16 -> float32 conversion of all 65536 bit patterns.
TEST_F(NpyTest, Float16ConversionsMatchNumpy) {
    if (!numpy_available()) GTEST_SKIP() << kPython << " with numpy is not available";
    run_python(R"(
import numpy as np
bits = np.arange(65536, dtype=np.uint32).astype(np.uint16)
np.save('all_halves.npy', bits.view(np.float16))
np.save('all_halves_as_f32.npy', bits.view(np.float16).astype(np.float32))
finite = np.sort(bits.view(np.float16)[np.isfinite(bits.view(np.float16))].astype(np.float64))
finite = np.unique(finite)
mids = (finite[:-1] + finite[1:]) / 2
extra = np.array([65519.0, 65520.0, 65536.0, 1e10, 2.0**-25, 2.0**-26, 3 * 2.0**-26, 1e-30,
                  np.inf, -np.inf, 0.1, 1 / 3.0, 2.0**-24 * 0.75])
for name, t in [('f32', np.float32), ('f64', np.float64)]:
    m = mids.astype(t)
    x = np.concatenate([finite.astype(t), m, np.nextafter(m, t(np.inf)),
                        np.nextafter(m, t(-np.inf)), extra.astype(t), -extra.astype(t)])
    x = np.concatenate([x, np.random.default_rng(1).standard_normal(100000).astype(t) * 1000])
    np.save('in_%s.npy' % name, x)
    np.save('out_%s.npy' % name, x.astype(np.float16))
)");
    const Tensor halves = read_npy(dir_ / "all_halves.npy");
    ASSERT_EQ(halves.type(), ElementType::Float16);
    const Tensor as_floats = read_npy(dir_ / "all_halves_as_f32.npy");
    EXPECT_EQ(halves.cast(ElementType::Float32), as_floats);
    for (const char* name : {"f32", "f64"}) {
        const Tensor input = read_npy(dir_ / (std::string("in_") + name + ".npy"));
        const Tensor expected = read_npy(dir_ / (std::string("out_") + name + ".npy"));
        const Tensor actual = input.cast(ElementType::Float16);
        ASSERT_EQ(actual.shape(), expected.shape());
        int mismatches = 0;
        for (std::int64_t i = 0; i < input.size() && mismatches < 10; ++i) {
            std::uint16_t got, want;
            std::memcpy(&got, actual.bytes() + 2 * i, 2);
            std::memcpy(&want, expected.bytes() + 2 * i, 2);
            if (got != want) {
                ++mismatches;
                ADD_FAILURE() << name << " input " << input.get(i) << ": got " << std::hex << got
                              << ", numpy " << want;
            }
        }
    }
}

// The numpy-written files of the shared tfc_w1a1 model.
TEST(Npy, ReadsSharedModelFiles) {
    const char* shared = std::getenv("FINN_SHARED_DIR");
    if (shared == nullptr || !fs::is_directory(shared))
        GTEST_SKIP() << "FINN_SHARED_DIR is not set or missing";
    const fs::path model_dir = fs::path(shared) / "models" / "finn" / "tfc_w1a1";
    if (!fs::exists(model_dir / "input.npy")) GTEST_SKIP() << model_dir << " has no input.npy";

    const Tensor input = read_npy(model_dir / "input.npy");
    EXPECT_EQ(input.type(), ElementType::Float32);
    EXPECT_EQ(input.shape(), (Shape{4, 1, 28, 28}));
    double sum = 0, max = 0;
    for (float value : input.to_floats()) {
        sum += value;
        max = std::max(max, static_cast<double>(value));
    }
    EXPECT_EQ(sum, 94189.0);
    EXPECT_EQ(max, 255.0);
    // Our writer reproduces numpy's file exactly.
    EXPECT_EQ(to_npy(input), read_file(model_dir / "input.npy"));

    const Tensor expected = read_npy(model_dir / "expected_output.npy");
    EXPECT_EQ(expected.type(), ElementType::Int64);
    EXPECT_EQ(expected.to_int64s(), (std::vector<std::int64_t>{7, 2, 1, 0}));
    EXPECT_EQ(to_npy(expected), read_file(model_dir / "expected_output.npy"));
}

} // namespace
} // namespace finn
