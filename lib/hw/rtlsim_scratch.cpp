#include "rtlsim_scratch.h"

#include "finn/core/error.h"

#include <algorithm>
#include <sstream>
#include <unistd.h>

namespace finn::hw {

namespace fs = std::filesystem;

std::string words_text(const hls::WordStream& words) {
    std::string text;
    for (const auto& w : words)
        text += w.to_hex() + "\n";
    return text;
}

hls::WordStream parse_words(const std::string& text, unsigned width) {
    hls::WordStream words;
    std::stringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty()) continue;
        hls::PackedWord word(width);
        for (std::size_t i = 0; i < line.size(); ++i) {
            const unsigned offset = static_cast<unsigned>((line.size() - 1 - i) * 4);
            if (offset >= width) continue;
            const char c = line[i];
            const unsigned digit = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
            word.set_bits(offset, std::min(4u, width - offset), digit);
        }
        words.push_back(std::move(word));
    }
    return words;
}

ScratchDir::ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "finn-rtlsim-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw Error("rtlsim: cannot create a temporary folder");
    path = pattern;
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
}

} // namespace finn::hw
