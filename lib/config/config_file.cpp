#include "finn/config/config_file.h"

#include "finn/config/step_catalog.h"
#include "finn/core/error.h"
#include "finn/util/file_io.h"

#include <cstdio>
#include <limits>
#include <set>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace finn {

using ordered_json = nlohmann::ordered_json;

bool is_yaml_path(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    return ext == ".yaml" || ext == ".yml";
}

namespace {

// A plain YAML scalar typed as YAML 1.2's core schema does: null, bool, int, float, else string.
// Quoted scalars ("10") stay strings.
ordered_json yaml_scalar_to_json(const YAML::Node& node) {
    const std::string& text = node.Scalar();
    if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") return text; // quoted or !!str
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
        return nullptr;
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    try {
        std::size_t used = 0;
        // Base 10 only: YAML 1.2 reads "017" as 17, not as C's octal 15.
        long long i = std::stoll(text, &used, 10);
        if (used == text.size()) return i;
    } catch (const std::exception&) {
    }
    try {
        std::size_t used = 0;
        double d = std::stod(text, &used);
        if (used == text.size() && text.find_first_of("0123456789") != std::string::npos) return d;
    } catch (const std::exception&) {
    }
    if (text == ".inf" || text == "+.inf") return std::numeric_limits<double>::infinity();
    if (text == "-.inf") return -std::numeric_limits<double>::infinity();
    return text;
}

// Offset of the first byte that is not part of well-formed UTF-8 (no overlongs, surrogates or
// code points above U+10FFFF), or npos.
std::size_t first_invalid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto b = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xBF; // allowed range of the second byte
        if (b < 0x80)
            length = 1;
        else if (b >= 0xC2 && b <= 0xDF)
            length = 2;
        else if (b >= 0xE0 && b <= 0xEF) {
            length = 3;
            if (b == 0xE0) low = 0xA0;
            if (b == 0xED) high = 0x9F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            length = 4;
            if (b == 0xF0) low = 0x90;
            if (b == 0xF4) high = 0x8F;
        } else
            return i;
        if (i + length > text.size()) return i;
        for (std::size_t k = 1; k < length; ++k) {
            const auto c = static_cast<unsigned char>(text[i + k]);
            if (c < (k == 1 ? low : 0x80) || c > (k == 1 ? high : 0xBF)) return i;
        }
        i += length;
    }
    return std::string_view::npos;
}

// yaml-cpp passes any bytes through into scalars, but JSON strings must be UTF-8: nlohmann's dump()
// would throw its own type_error on them later, naming no file (found by fuzz/config_fuzzer).
// YAML text is Unicode, so such a scalar is an error here, as in the JSON parser. (yaml-cpp has
// already turned UTF-16/32 files into UTF-8.)
void check_utf8(const std::string& scalar, const YAML::Mark& mark, const std::string& source) {
    const std::size_t bad = first_invalid_utf8(scalar);
    if (bad == std::string_view::npos) return;
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(scalar[bad]));
    throw Error(source + ": line " + std::to_string(mark.line + 1) + ": byte " + byte +
                " is not UTF-8 text");
}

ordered_json yaml_to_json(const YAML::Node& node, const std::string& source) {
    switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return nullptr;
    case YAML::NodeType::Scalar:
        check_utf8(node.Scalar(), node.Mark(), source);
        return yaml_scalar_to_json(node);
    case YAML::NodeType::Sequence: {
        ordered_json array = ordered_json::array();
        for (const auto& item : node)
            array.push_back(yaml_to_json(item, source));
        return array;
    }
    case YAML::NodeType::Map: {
        ordered_json object = ordered_json::object();
        for (const auto& item : node) {
            if (!item.first.IsScalar())
                throw Error(source + ": line " + std::to_string(item.first.Mark().line + 1) +
                            ": mapping keys must be plain strings");
            check_utf8(item.first.Scalar(), item.first.Mark(), source);
            // YAML forbids repeated keys; taking one silently would hide a typo'd edit.
            if (object.contains(item.first.Scalar()))
                throw Error(source + ": line " + std::to_string(item.first.Mark().line + 1) +
                            ": key '" + item.first.Scalar() + "' appears twice");
            object[item.first.Scalar()] = yaml_to_json(item.second, source);
        }
        return object;
    }
    }
    return nullptr;
}

} // namespace

ordered_json parse_config_document(std::string_view text, bool yaml, const std::string& source) {
    if (yaml) {
        try {
            return yaml_to_json(YAML::Load(std::string(text)), source);
        } catch (const YAML::Exception& e) {
            throw Error(source + ": invalid YAML at line " + std::to_string(e.mark.line + 1) +
                        ", column " + std::to_string(e.mark.column + 1) + ": " + e.msg);
        }
    }
    try {
        // Python's json keeps the last of repeated keys; a repeated key in a build configuration
        // is almost always an edit gone wrong, so it is an error here.
        std::vector<std::set<std::string>> keys_per_object;
        std::string repeated;
        auto track = [&](int, nlohmann::json::parse_event_t event, ordered_json& parsed) {
            using Event = nlohmann::json::parse_event_t;
            if (event == Event::object_start) keys_per_object.emplace_back();
            if (event == Event::object_end) keys_per_object.pop_back();
            if (event == Event::key && repeated.empty() && !keys_per_object.empty() &&
                !keys_per_object.back().insert(parsed.get<std::string>()).second)
                repeated = parsed.get<std::string>();
            return true;
        };
        ordered_json document = ordered_json::parse(text, track);
        if (!repeated.empty())
            throw Error(source + ": key '" + repeated + "' appears twice in one object");
        return document;
    } catch (const nlohmann::json::parse_error& e) {
        // Turn nlohmann's byte offset into a line and column a person can find.
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        std::string what = e.what();
        std::size_t colon = what.find("syntax error");
        throw Error(source + ": invalid JSON at line " + std::to_string(line) + ", column " +
                    std::to_string(column) + ": " +
                    (colon == std::string::npos ? what : what.substr(colon)));
    } catch (const nlohmann::json::out_of_range& e) {
        // A number beyond double's range ("1e800") is nlohmann's out_of_range 406, not a
        // parse_error (found by fuzz/config_fuzzer).
        std::string what = e.what();
        std::size_t text_start = what.find("] ");
        throw Error(source + ": invalid JSON: " +
                    (text_start == std::string::npos ? what : what.substr(text_start + 2)));
    }
}

ordered_json read_config_document(const std::filesystem::path& path) {
    return parse_config_document(read_file(path), is_yaml_path(path), path.string());
}

void resolve_config_paths(nlohmann::ordered_json& document,
                          const std::filesystem::path& config_dir) {
    if (!document.is_object()) return;
    for (std::string_view key : path_keys()) {
        auto it = document.find(std::string(key));
        if (it == document.end() || !it->is_string()) continue;
        std::filesystem::path path = it->get<std::string>();
        if (path.empty()) continue;
        if (path.is_relative()) path = config_dir / path;
        *it = path.lexically_normal().string();
    }
}

} // namespace finn
