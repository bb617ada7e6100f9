// $readmemh memory images: one word per line in hexadecimal, most significant digit first, line i
// at address i. The components load their weights and thresholds from such files.
#pragma once

#include "finn/hls/packed_word.h"

#include <string>

namespace finn::hls {

std::string readmemh_text(const WordStream& words);
// Writes readmemh_text(words) to `path`; throws std::runtime_error when it cannot.
void write_readmemh(const std::string& path, const WordStream& words);

} // namespace finn::hls
