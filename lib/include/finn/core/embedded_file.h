// A file compiled into a library (cmake/FinnEmbedFiles.cmake): its path relative to the folder it
// came from and its text.
#pragma once

#include <string_view>

namespace finn {

struct EmbeddedFile {
    std::string_view path;
    std::string_view text;
};

} // namespace finn
