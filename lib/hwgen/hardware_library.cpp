#include "finn/hwgen/hardware_library.h"

#include "finn/core/error.h"

#include <algorithm>

namespace finn::hwgen {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// Layers whose component is built from another layer's folder: the VVAU is the MVAU's hardware
// in its depthwise form (rtl/vvau/vvau.sv instantiates rtl/mvau/mvau.sv).
std::vector<std::string> folders_used_by(const std::string& module) {
    if (module == "vvau") return {"rtl/mvau/"};
    return {};
}

} // namespace

std::string_view hardware_library_file(std::string_view path) {
    for (const EmbeddedFile& file : hardware_library_files())
        if (file.path == path) return file.text;
    throw Error("the hardware library has no file " + std::string(path));
}

std::vector<std::string> rtl_sources_of(const std::string& module) {
    const std::string own_folder = "rtl/" + module + "/";
    const std::string common_top = "rtl/common/" + module + ".sv";
    std::vector<std::string> common, used, own;
    bool found = false;
    for (const EmbeddedFile& file : hardware_library_files()) {
        if (starts_with(file.path, "rtl/common/")) common.emplace_back(file.path);
        for (const std::string& folder : folders_used_by(module))
            if (starts_with(file.path, folder)) used.emplace_back(file.path);
        if (starts_with(file.path, own_folder)) own.emplace_back(file.path);
        found |= file.path == common_top || file.path == own_folder + module + ".sv";
    }
    if (!found)
        throw Error("module " + module + " is not in this Finn's hardware library (hls/rtl/)");
    common.insert(common.end(), used.begin(), used.end());
    common.insert(common.end(), own.begin(), own.end());
    return common;
}

std::vector<std::string> rtlsim_driver_sources() {
    return {"harness/node/node_rtlsim_main.cpp",
            "harness/include/finn/hls/axis_port.h",
            "harness/include/finn/hls/stream_harness.h",
            "harness/include/finn/hls/word_files.h",
            "harness/include/finn/hls/transfer_recorder.h",
            "model/include/finn/hls/packed_word.h"};
}

std::vector<std::string> stitched_rtlsim_driver_sources() {
    return {"harness/stitched/stitched_rtlsim_main.cpp",
            "harness/include/finn/hls/axis_port.h",
            "harness/include/finn/hls/stream_harness.h",
            "harness/include/finn/hls/word_files.h",
            "harness/include/finn/hls/transfer_recorder.h",
            "model/include/finn/hls/packed_word.h",
            "model/packed_word.cpp"};
}

std::vector<std::string> rtlsim_runtime_sources() {
    return {"model/packed_word.cpp", "model/include/finn/hls/packed_word.h"};
}

} // namespace finn::hwgen
