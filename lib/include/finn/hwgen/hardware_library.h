// The hardware library (hls/) as compiled into libfinn: the SystemVerilog components and the
// rtlsim driver sources, so that generated node folders are self-contained whatever the install
// layout (cmake/FinnEmbedFiles.cmake writes the table at build time).
#pragma once

#include "finn/core/embedded_file.h"

#include <span>
#include <string>
#include <vector>

namespace finn::hwgen {

// Every embedded file, path relative to hls/ (rtl/common/axis_skid_buffer.sv, harness/...).
std::span<const EmbeddedFile> hardware_library_files();

// The text of one embedded file; throws finn::Error when it is not embedded.
std::string_view hardware_library_file(std::string_view path);

// The SystemVerilog files a layer top needs: rtl/common/ and the module's own folder rtl/<module>/
// (a module of rtl/common/ needs only that). Throws finn::Error naming the module when the library
// has no such top.
std::vector<std::string> rtl_sources_of(const std::string& module);

// The rtlsim driver: its main and the harness and packed-word headers it compiles with, paths
// relative to hls/.
std::vector<std::string> rtlsim_driver_sources();
// The stitched design's rtlsim driver: its main and everything it compiles with.
std::vector<std::string> stitched_rtlsim_driver_sources();
// The driver's sources that do not depend on the node, compiled once per build into the rtlsim
// runtime (finn/hwgen/verilator.h) with Verilator's runtime.
std::vector<std::string> rtlsim_runtime_sources();

} // namespace finn::hwgen
