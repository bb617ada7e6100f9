// Reading configuration documents: FINN's JSON files, or the same content written as YAML.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace finn {

// True for .yaml / .yml files.
bool is_yaml_path(const std::filesystem::path& path);
// Parses JSON or YAML text into a JSON document (YAML scalars typed by YAML's rules).
// Throws finn::Error "<source>: ... (line L, column C)" on a syntax error.
nlohmann::ordered_json parse_config_document(std::string_view text, bool yaml,
                                             const std::string& source);
// Reads a configuration file, choosing JSON or YAML by its extension.
nlohmann::ordered_json read_config_document(const std::filesystem::path& path);

} // namespace finn
