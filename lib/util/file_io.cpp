#include "finn/util/file_io.h"

#include "finn/core/error.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/types.h>
#include <system_error>
#include <unistd.h>

namespace finn {
namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec))
        throw Error(path.string() + ": is a directory, expected a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path.string() + ": cannot open file (" + std::strerror(errno) + ")");
    // One read of the whole file when its size is known (models are read by every step; a
    // stringstream copy costs more than parsing them); a stream copy for pipes and the like.
    std::string bytes;
    const auto size = fs::file_size(path, ec);
    if (!ec) {
        bytes.resize(size);
        in.read(bytes.data(), static_cast<std::streamsize>(size));
        if (in.bad() || static_cast<std::uintmax_t>(in.gcount()) != size)
            throw Error(path.string() + ": read error");
        if (in.peek() == std::char_traits<char>::eof()) return bytes;
        in.clear();
    }
    std::ostringstream rest;
    rest << in.rdbuf();
    if (in.bad()) throw Error(path.string() + ": read error");
    return bytes + std::move(rest).str();
}

static bool file_has_bytes(const fs::path& path, std::string_view bytes) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (ec || size != bytes.size()) return false;
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::string existing(bytes.size(), '\0');
    in.read(existing.data(), static_cast<std::streamsize>(existing.size()));
    return in.gcount() == static_cast<std::streamsize>(bytes.size()) && existing == bytes;
}

// Temporary files of writers that were killed before their rename (an interrupted build) would
// stay forever; each write removes those of processes that no longer exist.
static void remove_stale_temporaries(const fs::path& path) {
    const std::string prefix = path.filename().string() + ".tmp.";
    std::error_code ec;
    fs::directory_iterator it(path.has_parent_path() ? path.parent_path() : fs::path("."), ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind(prefix, 0) != 0) continue;
        const std::string pid_text = name.substr(prefix.size());
        if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const long pid = std::stol(pid_text);
        if (pid == ::getpid() || (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM))
            continue;
        std::error_code ignored;
        fs::remove(it->path(), ignored);
    }
}

bool write_file_if_changed(const fs::path& path, std::string_view bytes) {
    remove_stale_temporaries(path);
    if (file_has_bytes(path, bytes)) return false;
    std::error_code ec;
    if (path.has_parent_path()) {
        fs::create_directories(path.parent_path(), ec);
        if (ec)
            throw Error(path.parent_path().string() + ": cannot create directory (" + ec.message() +
                        ")");
    }
    // The temporary name is unique per process so that parallel writers never share one.
    fs::path temporary = path;
    temporary += ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) throw Error(path.string() + ": cannot write file (" + std::strerror(errno) + ")");
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) {
            fs::remove(temporary, ec);
            throw Error(path.string() + ": write error (disk full?)");
        }
    }
    fs::rename(temporary, path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw Error(path.string() + ": cannot replace file (" + ec.message() + ")");
    }
    return true;
}

} // namespace finn
