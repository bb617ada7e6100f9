#include "finn/config/step_catalog.h"

#include <algorithm>
#include <array>

namespace finn {

std::string step_tool_name(std::string_view step_name) {
    std::string_view id = step_name.starts_with("step_") ? step_name.substr(5) : step_name;
    std::string tool = "finn-step-" + std::string(id);
    std::replace(tool.begin(), tool.end(), '_', '-');
    return tool;
}

std::vector<std::string_view> with_part_keys(std::vector<std::string_view> keys) {
    keys.insert(keys.end(), {"fpga_part", "board", "shell_flow_type"});
    return keys;
}

std::vector<std::string> StepCatalog::names() const {
    std::vector<std::string> names;
    for (const StepDeclaration* step : steps_)
        names.emplace_back(step->name);
    return names;
}

std::string StepCatalog::canonical_name(std::string_view name) const {
    auto declared_name_of_alias = [this](std::string_view alias) -> const StepDeclaration* {
        for (const StepDeclaration* step : steps_)
            if (std::find(step->aliases.begin(), step->aliases.end(), alias) != step->aliases.end())
                return step;
        return nullptr;
    };
    if (const StepDeclaration* step = declared_name_of_alias(name)) return std::string(step->name);
    if (!name.starts_with("step_")) {
        std::string prefixed = "step_" + std::string(name);
        for (const StepDeclaration* step : steps_)
            if (step->name == prefixed) return prefixed;
        if (const StepDeclaration* step = declared_name_of_alias(prefixed))
            return std::string(step->name);
    }
    return std::string(name);
}

const StepDeclaration* StepCatalog::find(std::string_view name) const {
    std::string canonical = canonical_name(name);
    for (const StepDeclaration* step : steps_)
        if (step->name == canonical) return step;
    return nullptr;
}

std::span<const std::string_view> keys_read_by_every_step() {
    static const std::array<std::string_view, 1> keys{"verbose"};
    return keys;
}

std::span<const std::string_view> verification_keys() {
    static const std::array<std::string_view, 5> keys{
        "verify_steps", "verify_input_npy", "verify_expected_output_npy",
        "verify_save_full_context", "save_intermediate_models"};
    return keys;
}

std::span<const std::string_view> path_keys() {
    static const std::array<std::string_view, 5> keys{
        "specialize_layers_config_file", "folding_config_file", "verify_input_npy",
        "verify_expected_output_npy", "vitis_floorplan_file"};
    return keys;
}

} // namespace finn
