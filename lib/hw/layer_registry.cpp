// The table of layer definitions (layer_list.def) and everything derived from it: the layer
// kind of an op type, the layer object of a node, and the registration of the hardware dialect's
// ops and kernels.
#include "finn/core/error.h"
#include "finn/hw/layer_definition.h"
#include "finn/hw/registry.h"
#include "finn/hw/rtlsim.h"

#include <algorithm>
#include <map>

namespace finn::hw {

#define FINN_LAYER(name) LayerDefinition name##_layer();
#include "layer_list.def"
#undef FINN_LAYER

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() > suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Abstract op names and legacy names -> index in layer_definitions().
const std::map<std::string, std::size_t>& index_by_name() {
    static const std::map<std::string, std::size_t> index = [] {
        std::map<std::string, std::size_t> out;
        const auto& defs = layer_definitions();
        for (std::size_t i = 0; i < defs.size(); ++i) {
            out.emplace(defs[i].op, i);
            for (const auto& legacy : defs[i].legacy_names)
                out.emplace(legacy, i);
        }
        return out;
    }();
    return index;
}

// The op-specific attributes after HWCustomOp's common ones, for one variant.
CustomOpDecl declaration(const LayerDefinition& layer, const std::string& op_type,
                         const std::string& domain, Impl impl) {
    std::vector<AttrDecl> attributes = hw_common_attributes(layer);
    for (auto& a : layer.attributes(impl))
        attributes.push_back(std::move(a));
    return CustomOpDecl{
        op_type,           {domain},          layer.min_inputs,      layer.max_inputs,
        layer.min_outputs, layer.max_outputs, std::move(attributes), layer.infer_shapes,
        layer.doc};
}

// Every op type a layer is known by, with its domain and variant.
struct OpName {
    std::string op_type, domain;
    Impl impl;
};
std::vector<OpName> op_names(const LayerDefinition& layer) {
    std::vector<OpName> names = {{layer.op, domains::kFpgaDataflow, Impl::Abstract}};
    if (layer.has_hls) names.push_back({layer.op + "_hls", domains::kFpgaDataflowHls, Impl::Hls});
    if (layer.has_rtl) names.push_back({layer.op + "_rtl", domains::kFpgaDataflowRtl, Impl::Rtl});
    for (const auto& legacy : layer.legacy_names)
        names.push_back({legacy, domains::kFpgaDataflow, Impl::Abstract});
    return names;
}

} // namespace

const std::vector<LayerDefinition>& layer_definitions() {
    static const std::vector<LayerDefinition> all = {
#define FINN_LAYER(name) name##_layer(),
#include "layer_list.def"
#undef FINN_LAYER
    };
    return all;
}

const LayerDefinition* find_layer_definition(const std::string& op_or_legacy_name) {
    const auto& index = index_by_name();
    auto it = index.find(op_or_legacy_name);
    return it == index.end() ? nullptr : &layer_definitions()[it->second];
}

const LayerDefinition* find_definition_of_op_type(const std::string& op_type) {
    for (const std::string suffix : {"_hls", "_rtl"})
        if (ends_with(op_type, suffix))
            return find_layer_definition(op_type.substr(0, op_type.size() - suffix.size()));
    return find_layer_definition(op_type);
}

std::vector<AttrDecl> hw_common_attributes(const LayerDefinition& layer) {
    auto attr = [](std::string name, AttrType type, nlohmann::json fallback,
                   std::vector<nlohmann::json> allowed = {}) {
        return AttrDecl{std::move(name), type, std::move(fallback), std::move(allowed)};
    };
    // One input FIFO per input stream (AddStreams has two).
    const nlohmann::json in_fifos = std::vector<std::int64_t>(layer.stream_inputs, 2);
    // code_gen_dir_ipgen .. ip_vlnv: set by step_hw_codegen / step_hw_ipgen, paths relative to
    // the output folder.
    return {attr("backend", AttrType::String, "fpgadataflow"),
            attr("preferred_impl_style", AttrType::String, "", {"", "hls", "rtl"}),
            attr("exec_mode", AttrType::String, "", {"", "cppsim", "rtlsim"}),
            attr("cycles_estimate", AttrType::Int, 0),
            attr("cycles_rtlsim", AttrType::Int, 0),
            attr("res_estimate", AttrType::String, ""),
            attr("inFIFODepths", AttrType::Ints, in_fifos),
            attr("outFIFODepths", AttrType::Ints, nlohmann::json::array({2})),
            attr("slr", AttrType::Int, -1),
            attr("partition_id", AttrType::Int, 0),
            attr("device_id", AttrType::Int, 0),
            attr("mem_port", AttrType::String, ""),
            attr("code_gen_dir_ipgen", AttrType::String, ""),
            attr("ipgen_path", AttrType::String, ""),
            attr("ip_path", AttrType::String, ""),
            attr("ip_vlnv", AttrType::String, "")};
}

std::string generic_impl_style(const ImplRequest& request) {
    auto no_variant = [&] {
        return Error("SpecializeLayers: node " + request.node.describe() + " with optype " +
                     request.op + " has no hw implementation variant");
    };
    const bool hls = request.layer.has_hls, rtl = request.layer.has_rtl;
    if (request.preferred.empty()) {
        if (rtl) return "rtl";
        if (hls) return "hls";
        throw no_variant();
    }
    const bool want_hls = request.preferred == "hls";
    if (want_hls ? hls : rtl) return request.preferred;
    if (want_hls ? rtl : hls) {
        const std::string other = want_hls ? "rtl" : "hls";
        request.warn("There is no " + std::string(want_hls ? "HLS" : "RTL") + " variant of " +
                     request.op + ". Node " + request.label + " will automatically be set to " +
                     (want_hls ? "RTL" : "HLS") + " variant.");
        return other;
    }
    throw no_variant();
}

void register_hardware_kernels(KernelRegistry& registry) {
    for (const auto& layer : layer_definitions())
        for (const auto& name : op_names(layer)) {
            registry.add(name.domain, name.op_type, layer.execute);
            if (layer.cppsim)
                registry.add_mode_kernel("cppsim", name.domain, name.op_type, layer.cppsim);
            // rtlsim needs no slot: the executable hw_ipgen built from the layer's hardware.
            if (layer.generate_hardware)
                registry.add_mode_kernel("rtlsim", name.domain, name.op_type, run_node_rtlsim);
        }
    register_stitched_rtlsim(registry);
}

void register_hardware_dialect() {
    std::vector<CustomOpEntry> entries;
    for (const auto& layer : layer_definitions())
        for (const auto& name : op_names(layer))
            entries.push_back({name.op_type, {name.domain}, [&layer, name] {
                                   return declaration(layer, name.op_type, name.domain, name.impl);
                               }});
    register_custom_ops(std::move(entries));
    add_default_kernel_group(register_hardware_kernels);
}

const std::vector<std::string>& layer_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& layer : layer_definitions())
            if (layer.make) out.push_back(layer.op);
        std::sort(out.begin(), out.end());
        return out;
    }();
    return names;
}

std::optional<LayerKind> layer_kind(const std::string& op_type, const std::string& domain) {
    auto variant_of = [&](const std::string& suffix, Impl impl) -> std::optional<LayerKind> {
        if (!ends_with(op_type, suffix)) return std::nullopt;
        const LayerDefinition* layer = find_definition_of_op_type(op_type);
        if (!layer || !layer->make || (impl == Impl::Hls ? !layer->has_hls : !layer->has_rtl))
            return std::nullopt;
        return LayerKind{layer->op, impl};
    };
    if (domain == domains::kFpgaDataflowHls) return variant_of("_hls", Impl::Hls);
    if (domain == domains::kFpgaDataflowRtl) return variant_of("_rtl", Impl::Rtl);
    // Old files keep hardware nodes in a general domain (backend "fpgadataflow").
    if (domain != domains::kFpgaDataflow && !is_general_custom_domain(domain)) return std::nullopt;
    const LayerDefinition* layer = find_layer_definition(op_type);
    if (!layer || !layer->make) return std::nullopt;
    return LayerKind{layer->op, Impl::Abstract};
}

std::vector<AttrDecl> layer_attributes(const std::string& abstract_op, Impl impl) {
    const LayerDefinition* layer = find_layer_definition(abstract_op);
    if (!layer || layer->op != abstract_op) return {};
    return layer->attributes(impl);
}

std::unique_ptr<HwLayer> make_layer(Model& model, Node node) {
    auto kind = layer_kind(node.op_type(), node.domain());
    if (!kind) return nullptr;
    if (is_general_custom_domain(node.domain()) &&
        !(node.has_attr("backend") && node.attr_string("backend") == "fpgadataflow"))
        return nullptr;
    return find_layer_definition(kind->abstract_op)->make(model, node, kind->impl);
}

std::unique_ptr<HwLayer> require_layer(Model& model, Node node) {
    auto layer = make_layer(model, node);
    if (!layer) throw Error("node " + node.describe() + " is not a hardware layer Finn models");
    return layer;
}

} // namespace finn::hw
