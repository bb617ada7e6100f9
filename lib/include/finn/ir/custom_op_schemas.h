// Declarations of the FINN/QONNX custom ops, and their registration as ONNX schemas so that ONNX
// shape inference and the checker understand them.
//
// Each op is declared once: its name, the domains it lives in, its inputs and outputs, its
// attributes (name, type, default, allowed values) and how its output shapes follow from its
// inputs and attributes. Later modules (attribute validation, folding configs,
// final_hw_config.json) read the same declarations, so they cannot disagree.
//
// The IR declares only the general (qonnx) ops and the partition op itself and knows no hardware
// layer: the hardware layers (lib/hw/) register their ops with register_custom_ops() at start-up,
// the way an MLIR dialect registers its ops (finn::initialize(), finn/initialize.h).
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

// A custom op's name and domains, and how to build its whole declaration (building a hardware op's
// attribute list costs enough that a step builds only those of the ops it meets).
struct CustomOpEntry {
    std::string op_type;
    std::vector<std::string> domains;
    std::function<CustomOpDecl()> build;
};

// Adds ops to the table every function below reads. Called at start-up by the dialects; a call
// after the table was first read is a std::logic_error.
void register_custom_ops(std::vector<CustomOpEntry> entries);

// Every declared custom op (a hardware op appears as the abstract op in
// finn.custom_op.fpgadataflow, as `<op>_hls` / `<op>_rtl` in the sub-domains where FINN has that
// variant, and under its legacy names such as MatrixVectorActivation).
const std::vector<CustomOpDecl>& custom_op_declarations();
// The declaration of an op in a domain, or nullptr. Looking up a hardware op while no hardware op
// is registered is a finn::Error (a tool that forgot finn::initialize()).
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
