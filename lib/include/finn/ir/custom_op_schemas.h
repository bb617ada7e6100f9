// Declarations of the FINN/QONNX custom ops, and their registration as ONNX schemas so that ONNX
// shape inference and the checker understand them.
//
// Each op is declared once: its name, the domains it lives in, its inputs and outputs, its
// attributes (name, type, default, allowed values) and how its output shapes follow from its
// inputs and attributes. Later modules (attribute validation, folding configs,
// final_hw_config.json) read the same declarations, so they cannot disagree. A hardware op's own
// attributes (PE, SIMD, ram_style, ...) come from its layer class in lib/hw/ (hw/registry.h).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace onnx {
struct InferenceContext;
class OpSchema;
} // namespace onnx

namespace finn {

// The custom-op domains FINN and QONNX use.
namespace domains {
inline const std::string kQonnxGeneral = "qonnx.custom_op.general";
inline const std::string kFinnGeneral = "finn.custom_op.general"; // legacy alias
inline const std::string kFinnLegacy = "finn";                    // legacy alias
inline const std::string kBrevitas = "onnx.brevitas";             // legacy alias
inline const std::string kFpgaDataflow = "finn.custom_op.fpgadataflow";
inline const std::string kFpgaDataflowHls = "finn.custom_op.fpgadataflow.hls";
inline const std::string kFpgaDataflowRtl = "finn.custom_op.fpgadataflow.rtl";
} // namespace domains

// True for the general (qonnx) custom-op domain and its legacy aliases.
bool is_general_custom_domain(const std::string& domain);
// True for finn.custom_op.fpgadataflow and its .hls/.rtl sub-domains.
bool is_fpgadataflow_domain(const std::string& domain);

enum class AttrType { Int, Float, String, Ints, Floats, Strings, Tensor };

struct AttrDecl {
    std::string name;
    AttrType type;
    // JSON null when the attribute is required.
    nlohmann::json default_value;
    // Allowed values (for string or int attributes); empty means any.
    std::vector<nlohmann::json> allowed = {};
};

using ShapeInferenceFn = std::function<void(onnx::InferenceContext&)>;

struct CustomOpDecl {
    std::string op_type;
    std::vector<std::string> domains;
    int min_inputs = 1;
    int max_inputs = 1;
    int min_outputs = 1;
    int max_outputs = 1;
    std::vector<AttrDecl> attributes;
    ShapeInferenceFn infer;
    std::string doc;
};

// Every declared custom op (each hardware op appears three times: the abstract op in
// finn.custom_op.fpgadataflow, `<op>_hls` and `<op>_rtl` in the sub-domains; legacy names such as
// MatrixVectorActivation are declared as aliases in finn.custom_op.fpgadataflow).
const std::vector<CustomOpDecl>& custom_op_declarations();
// The declaration of an op in a domain, or nullptr.
const CustomOpDecl* find_custom_op(const std::string& domain, const std::string& op_type);

// Registers the declarations of the given domains with ONNX's schema registry, which its checker
// reads (each domain once per process; unknown domains are ignored), or of every domain.
void register_custom_op_schemas(const std::set<std::string>& domains);
void register_custom_op_schemas();

// For a custom-op domain, sets `schema` to the finalized schema ONNX's registry would return for
// (op_type, max_inclusive_version, domain) once registered, or nullptr, and returns true; returns
// false for any other domain. Builds each schema on first use and never touches ONNX's registry.
bool custom_schema(const std::string& domain, const std::string& op_type, int max_inclusive_version,
                   const onnx::OpSchema*& schema);

} // namespace finn
