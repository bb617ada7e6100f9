// Shared helper for the libFuzzer targets: the raw input as a string_view.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace finn::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

} // namespace finn::fuzz
