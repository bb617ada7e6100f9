#include "finn/config/build_config.h"

#include "finn/config/boards.h"
#include "finn/config/config_file.h"
#include "finn/core/error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>

namespace finn {
namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

template <class J> std::string type_name(const J& value) {
    switch (value.type()) {
    case nlohmann::json::value_t::null:
        return "null";
    case nlohmann::json::value_t::boolean:
        return "boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
        return "integer";
    case nlohmann::json::value_t::number_float:
        return "number";
    case nlohmann::json::value_t::string:
        return "string";
    case nlohmann::json::value_t::array:
        return "array";
    case nlohmann::json::value_t::object:
        return "object";
    default:
        return "binary";
    }
}

// ---------------------------------------------------------------------------------------------
// Enums: one table per enum, value string in FINN's spelling.

template <class E> struct EnumTable;

template <> struct EnumTable<DataflowOutputType> {
    static constexpr std::string_view name = "DataflowOutputType";
    static constexpr std::array<std::pair<DataflowOutputType, std::string_view>, 7> entries{{
        {DataflowOutputType::STITCHED_IP, "stitched_ip"},
        {DataflowOutputType::ESTIMATE_REPORTS, "estimate_reports"},
        {DataflowOutputType::OOC_SYNTH, "out_of_context_synth"},
        {DataflowOutputType::RTLSIM_PERFORMANCE, "rtlsim_performance"},
        {DataflowOutputType::BITFILE, "bitfile"},
        {DataflowOutputType::PYNQ_DRIVER, "pynq_driver"},
        {DataflowOutputType::DEPLOYMENT_PACKAGE, "deployment_package"},
    }};
};

template <> struct EnumTable<ShellFlowType> {
    static constexpr std::string_view name = "ShellFlowType";
    static constexpr std::array<std::pair<ShellFlowType, std::string_view>, 2> entries{{
        {ShellFlowType::VIVADO_ZYNQ, "vivado_zynq"},
        {ShellFlowType::VITIS_ALVEO, "vitis_alveo"},
    }};
};

template <> struct EnumTable<VerificationStepType> {
    static constexpr std::string_view name = "VerificationStepType";
    static constexpr std::array<std::pair<VerificationStepType, std::string_view>, 6> entries{{
        {VerificationStepType::QONNX_TO_FINN_PYTHON, "finn_onnx_python"},
        {VerificationStepType::TIDY_UP_PYTHON, "initial_python"},
        {VerificationStepType::STREAMLINED_PYTHON, "streamlined_python"},
        {VerificationStepType::FOLDED_HLS_CPPSIM, "folded_hls_cppsim"},
        {VerificationStepType::STITCHED_IP_RTLSIM, "stitched_ip_rtlsim"},
        {VerificationStepType::NODE_BY_NODE_RTLSIM, "node_by_node_rtlsim"},
    }};
};

template <> struct EnumTable<AutoFIFOSizingMethod> {
    static constexpr std::string_view name = "AutoFIFOSizingMethod";
    static constexpr std::array<std::pair<AutoFIFOSizingMethod, std::string_view>, 2> entries{{
        {AutoFIFOSizingMethod::CHARACTERIZE, "characterize"},
        {AutoFIFOSizingMethod::LARGEFIFO_RTLSIM, "largefifo_rtlsim"},
    }};
};

template <> struct EnumTable<LargeFIFOMemStyle> {
    static constexpr std::string_view name = "LargeFIFOMemStyle";
    static constexpr std::array<std::pair<LargeFIFOMemStyle, std::string_view>, 4> entries{{
        {LargeFIFOMemStyle::AUTO, "auto"},
        {LargeFIFOMemStyle::BRAM, "block"},
        {LargeFIFOMemStyle::LUTRAM, "distributed"},
        {LargeFIFOMemStyle::URAM, "ultra"},
    }};
};

template <> struct EnumTable<VitisOptStrategyCfg> {
    static constexpr std::string_view name = "VitisOptStrategyCfg";
    static constexpr std::array<std::pair<VitisOptStrategyCfg, std::string_view>, 6> entries{{
        {VitisOptStrategyCfg::DEFAULT, "default"},
        {VitisOptStrategyCfg::POWER, "power"},
        {VitisOptStrategyCfg::PERFORMANCE, "performance"},
        {VitisOptStrategyCfg::PERFORMANCE_BEST, "performance_best"},
        {VitisOptStrategyCfg::SIZE, "size"},
        {VitisOptStrategyCfg::BUILD_SPEED, "quick"},
    }};
};

template <class E> std::string_view enum_to_string(E value) {
    for (const auto& [member, text] : EnumTable<E>::entries)
        if (member == value) return text;
    return "?"; // unreachable for valid enumerators
}

template <class E> std::optional<E> find_enum(std::string_view text) {
    for (const auto& [member, value_text] : EnumTable<E>::entries)
        if (value_text == text) return member;
    return std::nullopt;
}

template <class E> std::string invalid_enum_message(std::string_view text) {
    std::string message = "'" + std::string(text) + "' is not a valid " +
                          std::string(EnumTable<E>::name) + "; expected one of ";
    bool first = true;
    for (const auto& entry : EnumTable<E>::entries) {
        if (!first) message += ", ";
        message += entry.second;
        first = false;
    }
    return message;
}

// ---------------------------------------------------------------------------------------------
// Decoding of one field value. `Where` names the key (and list element) in error messages.

struct Where {
    const std::string& source;
    std::string_view key;
    std::optional<std::size_t> index = std::nullopt;

    std::string str() const {
        std::string s = source + ": key '" + std::string(key) + "'";
        if (index) s += "[" + std::to_string(*index) + "]";
        return s;
    }
};

[[noreturn]] void type_error(const json& value, const Where& where, std::string_view expected) {
    throw Error(where.str() + " has type " + type_name(value) + ", expected " +
                std::string(expected));
}

// Null is only accepted on std::optional members (-> unset) and on booleans (-> false). On the
// mandatory fields and the Optional-with-default ones FINN would accept None and fail later or
// misbehave; we are stricter and report it here.
template <class T> struct Decode;

template <> struct Decode<std::string> {
    static std::string get(const json& v, const Where& w) {
        if (!v.is_string()) type_error(v, w, "string");
        return v.get<std::string>();
    }
};

template <> struct Decode<bool> {
    static bool get(const json& v, const Where& w) {
        // FINN's Optional[bool] fields may hold None, which every consumer reads as false.
        if (v.is_null()) return false;
        if (!v.is_boolean()) type_error(v, w, "boolean");
        return v.get<bool>();
    }
};

template <> struct Decode<double> {
    static double get(const json& v, const Where& w) {
        if (!v.is_number()) type_error(v, w, "number"); // integers are fine, as float(10)
        return v.get<double>();
    }
};

// Integers: JSON integers in range, or floats with an integral value (dataclasses_json does
// int(1e5)); a fractional value would be silently truncated by Python, so it is an error here.
template <class I> I decode_integer(const json& v, const Where& w) {
    constexpr auto lo = std::numeric_limits<I>::min();
    constexpr auto hi = std::numeric_limits<I>::max();
    auto out_of_range = [&]() -> Error {
        return Error(w.str() + " value " + v.dump() + " is out of range for an integer");
    };
    if (v.is_number_unsigned()) {
        auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(hi)) throw out_of_range();
        return static_cast<I>(u);
    }
    if (v.is_number_integer()) {
        auto i = v.get<std::int64_t>();
        if (i < lo || i > hi) throw out_of_range();
        return static_cast<I>(i);
    }
    if (v.is_number_float()) {
        double d = v.get<double>();
        if (!std::isfinite(d) || d != std::trunc(d))
            throw Error(w.str() + " has non-integral value " + v.dump() + ", expected integer");
        // -lo is 2^31 resp. 2^63, exactly representable, so this bound is exact.
        if (d < static_cast<double>(lo) || d >= -static_cast<double>(lo)) throw out_of_range();
        return static_cast<I>(d);
    }
    type_error(v, w, "integer");
}

template <> struct Decode<int> {
    static int get(const json& v, const Where& w) { return decode_integer<int>(v, w); }
};

template <> struct Decode<std::int64_t> {
    static std::int64_t get(const json& v, const Where& w) {
        return decode_integer<std::int64_t>(v, w);
    }
};

template <class E>
requires std::is_enum_v<E>
struct Decode<E> {
    static E get(const json& v, const Where& w) {
        if (!v.is_string()) type_error(v, w, "string");
        const auto& text = v.get_ref<const std::string&>();
        if (auto value = find_enum<E>(text)) return *value;
        throw Error(w.str() + ": " + invalid_enum_message<E>(text));
    }
};

template <class T> struct Decode<std::vector<T>> {
    static std::vector<T> get(const json& v, const Where& w) {
        if (!v.is_array()) type_error(v, w, "array");
        std::vector<T> out;
        out.reserve(v.size());
        for (std::size_t i = 0; i < v.size(); ++i)
            out.push_back(Decode<T>::get(v[i], Where{w.source, w.key, i}));
        return out;
    }
};

template <class T> struct Decode<std::optional<T>> {
    static std::optional<T> get(const json& v, const Where& w) {
        if (v.is_null()) return std::nullopt;
        return Decode<T>::get(v, w);
    }
};

// ---------------------------------------------------------------------------------------------
// Encoding back to JSON.

ordered_json encode(const std::string& v) {
    return v;
}
ordered_json encode(bool v) {
    return v;
}
ordered_json encode(double v) {
    return v;
}
ordered_json encode(int v) {
    return v;
}
ordered_json encode(std::int64_t v) {
    return v;
}

template <class E>
requires std::is_enum_v<E> ordered_json encode(E v) {
    return std::string(enum_to_string(v));
}

template <class T> ordered_json encode(const std::vector<T>& v) {
    ordered_json out = ordered_json::array();
    for (const T& element : v)
        out.push_back(encode(element));
    return out;
}

template <class T> ordered_json encode(const std::optional<T>& v) {
    return v ? encode(*v) : ordered_json(nullptr);
}

// ---------------------------------------------------------------------------------------------
// The field table: name, mandatory flag and typed reader/writer through a member pointer.

template <class M> struct MemberType;
template <class C, class T> struct MemberType<T C::*> { using type = T; };

struct Field {
    std::string_view name;
    bool required;
    void (*read)(BuildConfig&, const json&, const Where&);
    ordered_json (*write)(const BuildConfig&);
};

template <auto Member> void read_member(BuildConfig& cfg, const json& value, const Where& where) {
    cfg.*Member = Decode<typename MemberType<decltype(Member)>::type>::get(value, where);
}

template <auto Member> ordered_json write_member(const BuildConfig& cfg) {
    return encode(cfg.*Member);
}

template <auto Member> constexpr Field make_field(std::string_view name, bool required) {
    return {name, required, &read_member<Member>, &write_member<Member>};
}

// The macro keeps the JSON key identical to the member name.
#define FINN_FIELD(member) make_field<&BuildConfig::member>(#member, false)
#define FINN_REQUIRED_FIELD(member) make_field<&BuildConfig::member>(#member, true)

const std::array<Field, 40> kFields{{
    FINN_REQUIRED_FIELD(output_dir),
    FINN_REQUIRED_FIELD(synth_clk_period_ns),
    FINN_REQUIRED_FIELD(generate_outputs),
    FINN_FIELD(specialize_layers_config_file),
    FINN_FIELD(folding_config_file),
    FINN_FIELD(target_fps),
    FINN_FIELD(folding_two_pass_relaxation),
    FINN_FIELD(verify_steps),
    FINN_FIELD(verify_input_npy),
    FINN_FIELD(verify_expected_output_npy),
    FINN_FIELD(verify_save_full_context),
    FINN_FIELD(verify_save_rtlsim_waveforms),
    FINN_FIELD(stitched_ip_gen_dcp),
    FINN_FIELD(signature),
    FINN_FIELD(mvau_wwidth_max),
    FINN_FIELD(standalone_thresholds),
    FINN_FIELD(minimize_bit_width),
    FINN_FIELD(board),
    FINN_FIELD(shell_flow_type),
    FINN_FIELD(fpga_part),
    FINN_FIELD(auto_fifo_depths),
    FINN_FIELD(split_large_fifos),
    FINN_FIELD(auto_fifo_strategy),
    FINN_FIELD(force_python_rtlsim),
    FINN_FIELD(large_fifo_mem_style),
    FINN_FIELD(hls_clk_period_ns),
    FINN_FIELD(default_swg_exception),
    FINN_FIELD(vitis_platform),
    FINN_FIELD(vitis_floorplan_file),
    FINN_FIELD(vitis_opt_strategy),
    FINN_FIELD(save_intermediate_models),
    FINN_FIELD(enable_hw_debug),
    FINN_FIELD(enable_build_pdb_debug),
    FINN_FIELD(verbose),
    FINN_FIELD(steps),
    FINN_FIELD(start_step),
    FINN_FIELD(stop_step),
    FINN_FIELD(max_multithreshold_bit_width),
    FINN_FIELD(rtlsim_batch_size),
    FINN_FIELD(rtlsim_use_vivado_comps),
}};

#undef FINN_FIELD
#undef FINN_REQUIRED_FIELD

const Field* find_field(std::string_view name) {
    for (const Field& f : kFields)
        if (f.name == name) return &f;
    return nullptr;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            diagonal = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
        }
    }
    return row[b.size()];
}

std::string_view closest_field_name(std::string_view key) {
    std::string_view best = kFields[0].name;
    std::size_t best_distance = edit_distance(key, best);
    for (const Field& f : kFields) {
        std::size_t d = edit_distance(key, f.name);
        if (d < best_distance) {
            best = f.name;
            best_distance = d;
        }
    }
    return best;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Public helpers.

std::string_view to_string(DataflowOutputType value) {
    return enum_to_string(value);
}
std::string_view to_string(ShellFlowType value) {
    return enum_to_string(value);
}
std::string_view to_string(VerificationStepType value) {
    return enum_to_string(value);
}
std::string_view to_string(AutoFIFOSizingMethod value) {
    return enum_to_string(value);
}
std::string_view to_string(LargeFIFOMemStyle value) {
    return enum_to_string(value);
}
std::string_view to_string(VitisOptStrategyCfg value) {
    return enum_to_string(value);
}

template <class E> E enum_from_string(std::string_view text) {
    if (auto value = find_enum<E>(text)) return *value;
    throw Error(invalid_enum_message<E>(text));
}

template DataflowOutputType enum_from_string<DataflowOutputType>(std::string_view);
template ShellFlowType enum_from_string<ShellFlowType>(std::string_view);
template VerificationStepType enum_from_string<VerificationStepType>(std::string_view);
template AutoFIFOSizingMethod enum_from_string<AutoFIFOSizingMethod>(std::string_view);
template LargeFIFOMemStyle enum_from_string<LargeFIFOMemStyle>(std::string_view);
template VitisOptStrategyCfg enum_from_string<VitisOptStrategyCfg>(std::string_view);

std::string json_type_name(const nlohmann::ordered_json& value) {
    return type_name(value);
}

// ---------------------------------------------------------------------------------------------
// BuildConfig.

namespace {

// Values FINN would only trip over deep inside a step (a division by a zero clock, a board
// missing from its tables) are refused where the file and key can still be named.
void check_values(const BuildConfig& cfg, const nlohmann::json& j, const std::string& source) {
    auto given = [&](const char* key) { return j.contains(key) && !j[key].is_null(); };
    auto require_positive = [&](const char* key, double value) {
        if (given(key) && !(value > 0))
            throw Error(source + ": key '" + key + "' must be positive, got " + j[key].dump());
    };
    require_positive("synth_clk_period_ns", cfg.synth_clk_period_ns);
    require_positive("hls_clk_period_ns", cfg.hls_clk_period_ns.value_or(1.0));
    require_positive("target_fps", cfg.target_fps.value_or(1));
    require_positive("mvau_wwidth_max", cfg.mvau_wwidth_max);
    require_positive("max_multithreshold_bit_width", cfg.max_multithreshold_bit_width);
    require_positive("rtlsim_batch_size", cfg.rtlsim_batch_size);
    if (cfg.board && !find_zynq_board(*cfg.board) && !find_alveo_board(*cfg.board)) {
        std::string known;
        for (const auto& b : zynq_boards())
            known += (known.empty() ? "" : ", ") + std::string(b.name);
        for (const auto& b : alveo_boards())
            known += ", " + std::string(b.name);
        throw Error(source + ": key 'board' names unknown board '" + *cfg.board +
                    "'; expected one of " + known);
    }
}

} // namespace

BuildConfig BuildConfig::from_json(const nlohmann::json& j, const std::string& source,
                                   bool require_mandatory) {
    if (!j.is_object())
        throw Error(source + ": build config must be an object, got " + type_name(j));
    // Unlike dataclasses_json, which ignores unknown keys, a misspelt key is an error.
    for (const auto& item : j.items()) {
        if (!find_field(item.key()))
            throw Error(source + ": unknown key '" + item.key() + "'; did you mean '" +
                        std::string(closest_field_name(item.key())) + "'?");
    }
    BuildConfig cfg;
    for (const Field& field : kFields) {
        auto it = j.find(std::string(field.name));
        if (it == j.end()) {
            if (field.required && require_mandatory)
                throw Error(source + ": missing required key '" + std::string(field.name) + "'");
            continue;
        }
        field.read(cfg, *it, Where{source, field.name});
    }
    check_values(cfg, j, source);
    return cfg;
}

BuildConfig BuildConfig::parse(std::string_view text, bool yaml, const std::string& source) {
    return from_json(parse_config_document(text, yaml, source), source);
}

BuildConfig BuildConfig::load(const std::filesystem::path& path) {
    return from_json(read_config_document(path), path.string());
}

nlohmann::ordered_json BuildConfig::to_json() const {
    ordered_json out = ordered_json::object();
    for (const Field& field : kFields)
        out[std::string(field.name)] = field.write(*this);
    return out;
}

std::span<const std::string_view> BuildConfig::field_names() {
    static const std::array<std::string_view, kFields.size()> names = [] {
        std::array<std::string_view, kFields.size()> out;
        for (std::size_t i = 0; i < kFields.size(); ++i)
            out[i] = kFields[i].name;
        return out;
    }();
    return names;
}

double BuildConfig::hls_clk_period_ns_resolved() const {
    return hls_clk_period_ns.value_or(synth_clk_period_ns);
}

std::string BuildConfig::fpga_part_resolved() const {
    if (fpga_part) return *fpga_part;
    if (!board)
        throw Error("Couldn't resolve fpga_part: set fpga_part, or board and shell_flow_type");
    if (shell_flow_type == ShellFlowType::VIVADO_ZYNQ) return zynq_part(*board);
    if (shell_flow_type == ShellFlowType::VITIS_ALVEO) return alveo_part(*board);
    throw Error("Couldn't resolve fpga_part for board '" + *board +
                "': shell_flow_type is not set");
}

std::optional<std::int64_t> BuildConfig::cycles_per_frame() const {
    if (!target_fps) return std::nullopt;
    if (*target_fps <= 0)
        throw Error("target_fps must be positive, got " + std::to_string(*target_fps));
    if (!(synth_clk_period_ns > 0))
        throw Error("synth_clk_period_ns must be positive, got " +
                    encode(synth_clk_period_ns).dump());
    // Same arithmetic as FINN: int((1e9 / clk) / fps), truncating.
    double cycles = (1e9 / synth_clk_period_ns) / *target_fps;
    if (cycles >= 9.2e18) throw Error("cycles per frame out of range for target_fps");
    return static_cast<std::int64_t>(cycles);
}

std::string BuildConfig::driver_platform() const {
    if (shell_flow_type == ShellFlowType::VIVADO_ZYNQ) return "zynq-iodma";
    if (shell_flow_type == ShellFlowType::VITIS_ALVEO) return "alveo";
    throw Error("Couldn't resolve driver platform: shell_flow_type is not set");
}

std::string BuildConfig::vitis_platform_resolved() const {
    if (vitis_platform) return *vitis_platform;
    if (board) return alveo_default_platform(*board);
    throw Error("Couldn't resolve vitis_platform: set vitis_platform or board");
}

std::string BuildConfig::vitis_opt_strategy_resolved() const {
    switch (vitis_opt_strategy) {
    case VitisOptStrategyCfg::DEFAULT:
        return "0";
    case VitisOptStrategyCfg::POWER:
        return "1";
    case VitisOptStrategyCfg::PERFORMANCE:
        return "2";
    case VitisOptStrategyCfg::PERFORMANCE_BEST:
        return "3";
    case VitisOptStrategyCfg::SIZE:
        return "s";
    case VitisOptStrategyCfg::BUILD_SPEED:
        return "quick";
    }
    return "0";
}

std::vector<VerificationStepType> BuildConfig::verify_steps_resolved() const {
    return verify_steps.value_or(std::vector<VerificationStepType>{});
}

bool BuildConfig::has_output(DataflowOutputType output) const {
    return std::find(generate_outputs.begin(), generate_outputs.end(), output) !=
           generate_outputs.end();
}

} // namespace finn
