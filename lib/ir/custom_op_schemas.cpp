#include "finn/ir/custom_op_schemas.h"

#include "finn/core/error.h"
#include "finn/ir/shape_inference_util.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <onnx/defs/schema.h>
#include <onnx/defs/shape_inference.h>
#include <optional>
#include <regex>
#include <set>

namespace finn {

namespace {

using json = nlohmann::json;
using namespace shape_inference;

// --- shape inference of the general (qonnx) ops
// ---------------------------------------------------

void infer_xnor_popcount_matmul(InferenceContext& ctx) {
    auto a = input_dims(ctx, 0);
    auto b = input_dims(ctx, 1);
    onnx::updateOutputElemType(ctx, 0, onnx::TensorProto::FLOAT);
    if (!a || !b || a->empty() || b->size() != 2) return;
    if (a->back() != (*b)[0])
        fail_shape_inference("XnorPopcountMatMul: inner dimensions differ (", a->back(), " vs ",
                             (*b)[0], ")");
    Dims out = *a;
    out.back() = (*b)[1];
    set_output_dims(ctx, 0, out);
}

void infer_im2col(InferenceContext& ctx) {
    onnx::propagateElemTypeFromInputToOutput(ctx, 0, 0);
    auto in = input_dims(ctx, 0);
    if (!in || in->size() != 4) return;
    auto [kh, kw] = pair_attr(ctx, "kernel_size", 1);
    auto [sh, sw] = pair_attr(ctx, "stride", 1);
    auto [dh, dw] = pair_attr(ctx, "dilations", 1);
    Dims pad = ints_attr(ctx, "pad_amount", {0, 0, 0, 0});
    if (pad.size() != 4) fail_shape_inference("Im2Col: pad_amount must have 4 values");
    const std::int64_t n = (*in)[0], h = (*in)[1], w = (*in)[2], c = (*in)[3];
    set_output_dims(ctx, 0,
                    {n, conv_out_dim(h, pad[0] + pad[2], kh, sh, dh),
                     conv_out_dim(w, pad[1] + pad[3], kw, sw, dw), kh * kw * c});
}

// ONNX pooling output size; with ceil_mode, a last window that would start in the end padding
// is dropped (as ONNX, onnxruntime and PyTorch do, and as the MaxPoolNHWC kernel does).
std::int64_t pool_out_dim(std::int64_t in, std::int64_t pad_begin, std::int64_t pad_end,
                          std::int64_t kernel, std::int64_t stride, bool ceil_mode) {
    if (stride <= 0) fail_shape_inference("stride must be positive, got ", stride);
    double q = static_cast<double>(in + pad_begin + pad_end - kernel) / static_cast<double>(stride);
    std::int64_t out = static_cast<std::int64_t>(ceil_mode ? std::ceil(q) : std::floor(q)) + 1;
    if (ceil_mode && (out - 1) * stride >= in + pad_begin) --out;
    return out;
}

void infer_maxpool_nhwc(InferenceContext& ctx) {
    onnx::propagateElemTypeFromInputToOutput(ctx, 0, 0);
    auto in = input_dims(ctx, 0);
    if (!in || in->size() != 4) return;
    Dims k = ints_attr(ctx, "kernel_shape", {1, 1});
    Dims s = ints_attr(ctx, "strides", {1, 1});
    Dims p = ints_attr(ctx, "pads", {0, 0, 0, 0});
    if (k.size() != 2 || s.size() != 2 || p.size() != 4)
        fail_shape_inference("MaxPoolNHWC: expected 2D kernel_shape/strides and 4 pads");
    bool ceil_mode = int_attr(ctx, "ceil_mode", 0) != 0;
    set_output_dims(ctx, 0,
                    {(*in)[0], pool_out_dim((*in)[1], p[0], p[2], k[0], s[0], ceil_mode),
                     pool_out_dim((*in)[2], p[1], p[3], k[1], s[1], ceil_mode), (*in)[3]});
}

void infer_quant_avg_pool(InferenceContext& ctx) {
    onnx::propagateElemTypeFromInputToOutput(ctx, 0, 0);
    auto in = input_dims(ctx, 0);
    if (!in || in->size() != 4) return;
    std::int64_t k = int_attr(ctx, "kernel", 1), s = int_attr(ctx, "stride", 1);
    bool nhwc = string_attr(ctx, "data_layout", "NCHW") == "NHWC";
    Dims out = *in;
    int h = nhwc ? 1 : 2, w = nhwc ? 2 : 3;
    out[h] = pool_out_dim((*in)[h], 0, 0, k, s, false);
    out[w] = pool_out_dim((*in)[w], 0, 0, k, s, false);
    set_output_dims(ctx, 0, out);
}

// The partition node's shapes come from its child model; keep what the graph already records.
void infer_nothing(InferenceContext&) {}

// --- the declarations
// ------------------------------------------------------------------------------

AttrDecl attr(std::string name, AttrType type, json fallback, std::vector<json> allowed = {}) {
    return AttrDecl{std::move(name), type, std::move(fallback), std::move(allowed)};
}

std::vector<std::string> general_domains() {
    return {domains::kQonnxGeneral, domains::kFinnGeneral, domains::kFinnLegacy,
            domains::kBrevitas};
}

const std::vector<json> kRoundingModes = {"ROUND", "HALF_EVEN", "CEIL",    "FLOOR",
                                          "UP",    "DOWN",      "HALF_UP", "HALF_DOWN"};

void declare_general_ops(std::vector<CustomOpDecl>& ops) {
    ops.push_back(
        {"MultiThreshold",
         general_domains(),
         2,
         2,
         1,
         1,
         {attr("out_dtype", AttrType::String, nullptr), attr("out_scale", AttrType::Float, 1.0),
          attr("out_bias", AttrType::Float, 0.0), attr("data_layout", AttrType::String, "NCHW")},
         same_as_input,
         "y = out_scale * #{s : x >= T[c, s]} + out_bias"});
    ops.push_back(
        {"Quant",
         general_domains(),
         4,
         4,
         1,
         1,
         {attr("signed", AttrType::Int, 1, {0, 1}), attr("narrow", AttrType::Int, 1, {0, 1}),
          attr("rounding_mode", AttrType::String, "ROUND", kRoundingModes)},
         same_as_input,
         "integer quantization with scale, zero point and bit width"});
    ops.push_back({"BipolarQuant",
                   general_domains(),
                   2,
                   2,
                   1,
                   1,
                   {},
                   same_as_input,
                   "y = (x >= 0 ? 1 : -1) * scale"});
    // Trunc v1 has 5 inputs, v2 adds out_scale (6 inputs) and the narrow/signed attributes.
    ops.push_back(
        {"Trunc",
         general_domains(),
         5,
         6,
         1,
         1,
         {attr("rounding_mode", AttrType::String, "FLOOR", kRoundingModes),
          attr("narrow", AttrType::Int, 0, {0, 1}), attr("signed", AttrType::Int, 1, {0, 1})},
         same_as_input,
         "truncation of the least significant bits"});
    ops.push_back({"XnorPopcountMatMul",
                   general_domains(),
                   2,
                   2,
                   1,
                   1,
                   {},
                   infer_xnor_popcount_matmul,
                   "popcount of bitwise agreement of binary operands"});
    ops.push_back(
        {"Im2Col",
         general_domains(),
         1,
         1,
         1,
         1,
         {attr("stride", AttrType::Ints, nullptr), attr("kernel_size", AttrType::Ints, nullptr),
          attr("input_shape", AttrType::String, nullptr),
          attr("pad_amount", AttrType::Ints, json::array({0, 0, 0, 0})),
          attr("pad_value", AttrType::Int, 0), attr("depthwise", AttrType::Int, 0, {0, 1}),
          attr("dilations", AttrType::Ints, json::array({1, 1}))},
         infer_im2col,
         "sliding-window lowering of an NHWC input"});
    ops.push_back(
        {"MaxPoolNHWC",
         general_domains(),
         1,
         1,
         1,
         1,
         {attr("kernel_shape", AttrType::Ints, nullptr), attr("pads", AttrType::Ints, nullptr),
          attr("strides", AttrType::Ints, nullptr), attr("ceil_mode", AttrType::Int, 0, {0, 1})},
         infer_maxpool_nhwc,
         "MaxPool on a channels-last input"});
    ops.push_back({"QuantAvgPool2d",
                   general_domains(),
                   1,
                   1,
                   1,
                   1,
                   {attr("stride", AttrType::Int, nullptr), attr("kernel", AttrType::Int, nullptr),
                    attr("ibits", AttrType::Int, nullptr), attr("obits", AttrType::Int, nullptr),
                    attr("signed", AttrType::Int, nullptr, {0, 1}),
                    attr("data_layout", AttrType::String, "NCHW", {"NCHW", "NHWC"})},
                   infer_quant_avg_pool,
                   "average pooling as a window sum and a right shift"});
}

CustomOpDecl partition_op() {
    return {"StreamingDataflowPartition",
            {domains::kFpgaDataflow, domains::kFinnGeneral, domains::kQonnxGeneral},
            1,
            64,
            1,
            64,
            {attr("model", AttrType::String, nullptr)},
            infer_nothing,
            "a dataflow partition stored in a child model file"};
}

// The ops dialects registered (register_custom_ops), and whether the table was read already.
struct Registered {
    std::mutex mutex;
    std::vector<CustomOpEntry> entries;
    bool read = false;
};

Registered& registered() {
    static Registered r;
    return r;
}

// Every declaration's entry, in declaration order: Finn's own general ops, the partition op, then
// what dialects registered (the first declaration of an op in a domain wins, as ONNX's registry
// keeps the first registration).
const std::vector<CustomOpEntry>& declaration_entries() {
    static const std::vector<CustomOpEntry> entries = [] {
        std::vector<CustomOpEntry> all;
        std::vector<CustomOpDecl> own;
        declare_general_ops(own);
        own.push_back(partition_op());
        for (auto& op : own)
            all.push_back({op.op_type, op.domains, [op] { return op; }});
        Registered& r = registered();
        std::lock_guard<std::mutex> lock(r.mutex);
        r.read = true;
        // Moved: nothing reads the registered list once the table is built.
        all.insert(all.end(), std::make_move_iterator(r.entries.begin()),
                   std::make_move_iterator(r.entries.end()));
        r.entries.clear();
        return all;
    }();
    return entries;
}

// A hardware op looked up before any was registered means a tool forgot its start-up call; without
// this check it would silently get no schema (no shapes) instead of an error.
void require_registered_ops(const std::string& domain) {
    if (!is_fpgadataflow_domain(domain)) return;
    static const bool any_hw_op = [] {
        for (const auto& entry : declaration_entries())
            for (const auto& d : entry.domains)
                if (d == domains::kFpgaDataflowHls) return true;
        return false;
    }();
    if (any_hw_op) return;
    throw Error("no hardware op is registered (looking up an op in " + domain +
                "): the tool must call finn::initialize() at start-up");
}

onnx::AttributeProto::AttributeType onnx_attr_type(AttrType type) {
    switch (type) {
    case AttrType::Int:
        return onnx::AttributeProto::INT;
    case AttrType::Float:
        return onnx::AttributeProto::FLOAT;
    case AttrType::String:
        return onnx::AttributeProto::STRING;
    case AttrType::Ints:
        return onnx::AttributeProto::INTS;
    case AttrType::Floats:
        return onnx::AttributeProto::FLOATS;
    case AttrType::Strings:
        return onnx::AttributeProto::STRINGS;
    case AttrType::Tensor:
        return onnx::AttributeProto::TENSOR;
    }
    return onnx::AttributeProto::UNDEFINED;
}

} // namespace

bool is_general_custom_domain(const std::string& domain) {
    return domain == domains::kQonnxGeneral || domain == domains::kFinnGeneral ||
           domain == domains::kFinnLegacy || domain == domains::kBrevitas;
}

bool is_fpgadataflow_domain(const std::string& domain) {
    return domain == domains::kFpgaDataflow || domain == domains::kFpgaDataflowHls ||
           domain == domains::kFpgaDataflowRtl;
}

const std::vector<CustomOpDecl>& custom_op_declarations() {
    static const std::vector<CustomOpDecl> declarations = [] {
        std::vector<CustomOpDecl> ops;
        for (const auto& entry : declaration_entries())
            ops.push_back(entry.build());
        return ops;
    }();
    return declarations;
}

void register_custom_ops(std::vector<CustomOpEntry> entries) {
    Registered& r = registered();
    std::lock_guard<std::mutex> lock(r.mutex);
    if (r.read)
        throw std::logic_error("register_custom_ops: the custom-op table was already read; "
                               "register ops at start-up, before any model is processed");
    for (auto& e : entries)
        r.entries.push_back(std::move(e));
}

const CustomOpDecl* find_custom_op(const std::string& domain, const std::string& op_type) {
    require_registered_ops(domain);
    // Built on first use and kept, so the pointer stays valid for the whole process.
    static std::mutex mutex;
    static std::map<std::size_t, std::unique_ptr<const CustomOpDecl>> built;
    const auto& entries = declaration_entries();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const CustomOpEntry& entry = entries[i];
        if (entry.op_type != op_type ||
            std::find(entry.domains.begin(), entry.domains.end(), domain) == entry.domains.end())
            continue;
        std::lock_guard<std::mutex> lock(mutex);
        auto& decl = built[i];
        if (!decl) decl = std::make_unique<const CustomOpDecl>(entry.build());
        return decl.get();
    }
    return nullptr;
}

namespace {

// One custom op's schema in one domain, as Finn declares it (not yet finalized).
onnx::OpSchema make_schema(const CustomOpDecl& op, const std::string& domain) {
    onnx::OpSchema schema;
    schema.SetName(op.op_type).SetDomain(domain).SinceVersion(1).SetDoc(op.doc);
    for (int i = 0; i < op.max_inputs; ++i)
        schema.Input(i, "in" + std::to_string(i), "", "T",
                     i < op.min_inputs ? onnx::OpSchema::Single : onnx::OpSchema::Optional);
    for (int i = 0; i < op.max_outputs; ++i)
        schema.Output(i, "out" + std::to_string(i), "", "T",
                      i < op.min_outputs ? onnx::OpSchema::Single : onnx::OpSchema::Optional);
    schema.TypeConstraint("T", onnx::OpSchema::all_tensor_types(), "any tensor type");
    // Attributes are validated by Finn itself (with better messages); legacy files carry extra
    // attributes such as code_gen_dir_ipgen.
    for (const auto& a : op.attributes)
        schema.Attr(a.name, "", onnx_attr_type(a.type), /*required=*/false);
    schema.AllowUncheckedAttributes();
    auto infer = op.infer;
    schema.TypeAndShapeInferenceFunction([infer](onnx::InferenceContext& ctx) { infer(ctx); });
    return schema;
}

bool is_custom_domain(const std::string& domain) {
    return is_general_custom_domain(domain) || is_fpgadataflow_domain(domain);
}

} // namespace

void register_custom_op_schemas(const std::set<std::string>& domains) {
    // ONNX's registry (which the checker reads) gets each domain's schemas once per process.
    static std::mutex mutex;
    static std::set<std::string> registered;
    std::lock_guard<std::mutex> lock(mutex);
    auto& versions = onnx::OpSchemaRegistry::DomainToVersionRange::Instance();
    for (const auto& domain : domains) {
        if (!is_custom_domain(domain) || !registered.insert(domain).second) continue;
        // Trunc has an opset-2 form in qonnx; one schema serves both versions.
        if (!versions.Map().count(domain)) versions.AddDomainToVersion(domain, 1, 2);
        for (const auto& op : custom_op_declarations())
            if (std::find(op.domains.begin(), op.domains.end(), domain) != op.domains.end())
                onnx::RegisterSchema(make_schema(op, domain));
    }
}

bool custom_schema(const std::string& domain, const std::string& op_type, int max_inclusive_version,
                   const onnx::OpSchema*& schema) {
    if (!is_custom_domain(domain)) return false;
    // Built on first use, one op at a time: building a schema costs about as much as inferring
    // the shapes of a small model, and a step sees only a handful of op types.
    static std::mutex mutex;
    static std::map<std::pair<std::string, std::string>, std::unique_ptr<onnx::OpSchema>> built;
    std::lock_guard<std::mutex> lock(mutex);
    auto [it, inserted] = built.try_emplace({domain, op_type});
    if (inserted) {
        // find_custom_op returns the first declaration, as ONNX's registry keeps the first
        // registration of an op.
        if (const CustomOpDecl* op = find_custom_op(domain, op_type)) {
            it->second = std::make_unique<onnx::OpSchema>(make_schema(*op, domain));
            it->second->Finalize();
        }
    }
    // Every custom schema is version 1 (ONNX's lookup: the newest version not above the maximum).
    schema = it->second && it->second->SinceVersion() <= max_inclusive_version ? it->second.get()
                                                                               : nullptr;
    return true;
}

void register_custom_op_schemas() {
    std::set<std::string> all;
    for (const auto& op : custom_op_declarations())
        all.insert(op.domains.begin(), op.domains.end());
    register_custom_op_schemas(all);
}

} // namespace finn
