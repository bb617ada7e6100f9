#include "finn/hls/memory_file.h"

#include <fstream>
#include <stdexcept>

namespace finn::hls {

std::string readmemh_text(const WordStream& words) {
    std::string text;
    for (const PackedWord& word : words)
        text += word.to_hex() + "\n";
    return text;
}

void write_readmemh(const std::string& path, const WordStream& words) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << readmemh_text(words);
    if (!file.flush()) throw std::runtime_error("cannot write memory file " + path);
}

} // namespace finn::hls
