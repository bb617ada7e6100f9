#include "finn/hwgen/stitched_build.h"

#include "finn/hwgen/node_codegen.h"
#include "finn/hwgen/verilator.h"
#include "finn/util/file_io.h"
#include "finn/util/process.h"

#include <chrono>
#include <cstdlib>
#include <set>

namespace finn::hwgen {

namespace fs = std::filesystem;

namespace {

constexpr const char* kStamp = "sim.stamp";

// Files of an earlier design that this one no longer has (a removed layer's wrapper or memory
// image) are deleted, so the folder holds this design only.
void remove_stale_files(const fs::path& dir, const std::set<std::string>& current) {
    std::error_code ec;
    for (const char* folder : {kStitchedHdlFolder, kSimFolder}) {
        std::vector<fs::path> stale;
        for (auto it = fs::recursive_directory_iterator(dir / folder, ec);
             it != fs::recursive_directory_iterator(); ++it)
            if (it->is_regular_file() &&
                !current.count(it->path().lexically_relative(dir).generic_string()))
                stale.push_back(it->path());
        for (const fs::path& file : stale)
            fs::remove(file, ec);
    }
}

} // namespace

StitchedBuild write_and_build_stitched(const StitchedDesign& design, const fs::path& dir,
                                       bool waveforms, const fs::path& runtime_dir,
                                       const std::string& needed_for, SimulationLength length) {
    const std::string verilator = require_verilator(needed_for);
    StitchedBuild build;
    std::string all = verilator_version(verilator) +
                      (waveforms ? "waveforms\n" : "no waveforms\n") +
                      (length == SimulationLength::Long ? "" : "short runs\n");
    std::set<std::string> current;
    for (const auto& [path, bytes] : design.files) {
        write_file_if_changed(dir / path, bytes);
        current.insert(path);
        const std::string hash = content_hash(bytes);
        build.manifest += hash + " " + path + "\n";
        all += path + " " + hash + "\n";
    }
    remove_stale_files(dir, current);
    const std::string stamp = content_hash(all);
    build.manifest += stamp + " " + kRtlsimExecutable + "\n";
    // The hash, and the optimization in words for a reader.
    const std::string stamp_text =
        stamp + (length == SimulationLength::Long ? " long runs\n" : " short runs\n");
    std::error_code ec;
    if (fs::exists(dir / kRtlsimExecutable, ec) && fs::exists(dir / kStamp, ec) &&
        read_file(dir / kStamp) == stamp_text)
        return build;

    fs::remove(dir / kStamp, ec);
    const auto start = std::chrono::steady_clock::now();
    // Verilator's makefiles use OBJCACHE: with ccache, an unchanged file is quick.
    if (!std::getenv("OBJCACHE") && !run_process({"ccache", "--version"}, ".").status)
        ::setenv("OBJCACHE", "ccache", 0);
    build_stitched_rtlsim(verilator, dir, waveforms, runtime_dir, length);
    write_file_if_changed(dir / kStamp, stamp_text);
    build.rebuilt = true;
    build.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return build;
}

} // namespace finn::hwgen
