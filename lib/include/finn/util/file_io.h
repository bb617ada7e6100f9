// File helpers that every tool uses to honour the step contract: read a whole file with a clear
// error, and write atomically (temporary file + rename), leaving the file untouched when the new
// bytes are identical so that Ninja's restat can stop a rebuild early.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace finn {

// Reads a whole file; throws finn::Error "<path>: cannot open file (...)" when it cannot.
std::string read_file(const std::filesystem::path& path);

// Writes `bytes` to `path` unless the file already holds exactly these bytes. The parent
// directory is created if needed. Returns true if the file was (re)written.
bool write_file_if_changed(const std::filesystem::path& path, std::string_view bytes);

} // namespace finn
