// Reading and writing numpy .npy files (format versions 1.0, 2.0 and 3.0).
//
// Supported element types are those of finn::Tensor: float16/32/64, int8..int64, uint8..uint64 and
// bool, little- or big-endian on reading (always little-endian on writing), C order only.
#pragma once

#include "finn/core/tensor.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace finn {

// Parses .npy bytes; `source` (usually the file name) prefixes every error message.
// Throws finn::Error for a bad magic string or header, Fortran order, object or structured
// dtypes, unsupported element types and truncated data.
Tensor parse_npy(std::string_view bytes, std::string_view source);
// Reads a .npy file; throws finn::Error naming the file when it is missing or unreadable.
Tensor read_npy(const std::filesystem::path& path);

// Serializes a tensor exactly as numpy.save does (version 1.0 header padded to 64 bytes).
std::string to_npy(const Tensor& tensor);
// Writes a .npy file atomically; leaves the file untouched when the bytes are identical.
// Returns true if the file was (re)written.
bool write_npy(const std::filesystem::path& path, const Tensor& tensor);

} // namespace finn
