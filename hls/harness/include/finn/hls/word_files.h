// Word files of the rtlsim executables: $readmemh text, one word per line in hexadecimal, most
// significant digit first.
#pragma once

#include "finn/hls/packed_word.h"

#include <fstream>
#include <stdexcept>
#include <string>

namespace finn::hls {

inline unsigned hex_digit(char c) {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
    throw std::runtime_error(std::string("not a hexadecimal digit: '") + c + "'");
}

// The words of a file, each as wide as its digits.
inline WordStream read_word_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path + ": cannot open");
    WordStream words;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        PackedWord word(static_cast<unsigned>(line.size() * 4));
        for (std::size_t i = 0; i < line.size(); ++i)
            word.set_bits(static_cast<unsigned>((line.size() - 1 - i) * 4), 4, hex_digit(line[i]));
        words.push_back(std::move(word));
    }
    return words;
}

inline void write_word_file(const std::string& path, const WordStream& words) {
    std::ofstream out(path);
    for (const PackedWord& word : words)
        out << word.to_hex() << "\n";
    if (!out) throw std::runtime_error(path + ": cannot write");
}

} // namespace finn::hls
