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
// Prefixes every relative file path of a configuration (the keys of path_keys(): folding and
// specialize configs, verification .npy files, ...) with `config_dir`, the configuration file's
// folder: FINN resolves them against the build folder that holds the configuration, and Finn does
// so everywhere (finn build_dataflow, finn_add_accelerator, a step tool run by hand).
void resolve_config_paths(nlohmann::ordered_json& document,
                          const std::filesystem::path& config_dir);

} // namespace finn
