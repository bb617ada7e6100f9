// What the rtlsim executables' callers share (private to lib/hw/): word files in a scratch folder.
#pragma once

#include "finn/hls/packed_word.h"

#include <filesystem>
#include <string>

namespace finn::hw {

// $readmemh text of words, one per line (hls/harness/include/finn/hls/word_files.h reads it).
std::string words_text(const hls::WordStream& words);
// The words of such text, each `width` bits (digits beyond the width are dropped).
hls::WordStream parse_words(const std::string& text, unsigned width);

// A scratch folder for one run's word files, removed afterwards.
struct ScratchDir {
    std::filesystem::path path;
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
};

} // namespace finn::hw
