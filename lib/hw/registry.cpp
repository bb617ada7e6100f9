#include "finn/hw/registry.h"

#include "finn/core/error.h"
#include "finn/hw/layers.h"

#include <functional>
#include <map>

namespace finn::hw {
namespace {

struct LayerEntry {
    std::vector<std::string> legacy_names;
    std::function<std::vector<AttrDecl>(Impl)> attributes;
    std::function<std::unique_ptr<HwLayer>(Model&, Node, Impl)> make;
};

template <class Layer> LayerEntry entry(std::vector<std::string> legacy_names) {
    return {std::move(legacy_names), &Layer::attributes,
            [](Model& model, Node node, Impl impl) -> std::unique_ptr<HwLayer> {
                return std::make_unique<Layer>(model, node, impl);
            }};
}

const std::map<std::string, LayerEntry>& entries() {
    static const std::map<std::string, LayerEntry> table = {
        {"MVAU", entry<Mvau>({"MatrixVectorActivation", "StreamingFCLayer_Batch"})},
        {"VVAU", entry<Vvau>({"VectorVectorActivation"})},
        {"Thresholding", entry<Thresholding>({"Thresholding_Batch"})},
        {"ConvolutionInputGenerator",
         entry<ConvolutionInputGenerator>({"ConvolutionInputGenerator1D"})},
        {"FMPadding", entry<FMPadding>({"FMPadding_Batch"})},
        {"StreamingMaxPool", entry<StreamingMaxPool>({"StreamingMaxPool_Batch"})},
        {"Pool", entry<Pool>({"Pool_Batch"})},
        {"LabelSelect", entry<LabelSelect>({"LabelSelect_Batch"})},
        {"DuplicateStreams", entry<DuplicateStreams>({"DuplicateStreams_Batch"})},
        {"AddStreams", entry<AddStreams>({"AddStreams_Batch"})},
        {"ChannelwiseOp", entry<ChannelwiseOp>({"ChannelwiseOp_Batch"})},
        {"GlobalAccPool", entry<GlobalAccPool>({"GlobalAccPool_Batch"})},
        {"StreamingDataWidthConverter",
         entry<StreamingDataWidthConverter>({"StreamingDataWidthConverter_Batch"})},
        {"StreamingFIFO", entry<StreamingFIFO>({})},
    };
    return table;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() > suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

const std::vector<std::string>& layer_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& [name, e] : entries())
            out.push_back(name);
        return out;
    }();
    return names;
}

std::optional<LayerKind> layer_kind(const std::string& op_type, const std::string& domain) {
    const auto& table = entries();
    if (domain == domains::kFpgaDataflowHls && ends_with(op_type, "_hls")) {
        std::string base = op_type.substr(0, op_type.size() - 4);
        if (table.count(base)) return LayerKind{base, Impl::Hls};
        return std::nullopt;
    }
    if (domain == domains::kFpgaDataflowRtl && ends_with(op_type, "_rtl")) {
        std::string base = op_type.substr(0, op_type.size() - 4);
        if (table.count(base)) return LayerKind{base, Impl::Rtl};
        return std::nullopt;
    }
    // Old files keep hardware nodes in a general domain (backend "fpgadataflow").
    if (domain != domains::kFpgaDataflow && !is_general_custom_domain(domain)) return std::nullopt;
    if (table.count(op_type)) return LayerKind{op_type, Impl::Abstract};
    for (const auto& [name, e] : table)
        for (const auto& legacy : e.legacy_names)
            if (legacy == op_type) return LayerKind{name, Impl::Abstract};
    return std::nullopt;
}

std::vector<AttrDecl> layer_attributes(const std::string& abstract_op, Impl impl) {
    auto it = entries().find(abstract_op);
    if (it == entries().end()) return {};
    return it->second.attributes(impl);
}

std::unique_ptr<HwLayer> make_layer(Model& model, Node node) {
    auto kind = layer_kind(node.op_type(), node.domain());
    if (!kind) return nullptr;
    if (is_general_custom_domain(node.domain()) &&
        !(node.has_attr("backend") && node.attr_string("backend") == "fpgadataflow"))
        return nullptr;
    return entries().at(kind->abstract_op).make(model, node, kind->impl);
}

std::unique_ptr<HwLayer> require_layer(Model& model, Node node) {
    auto layer = make_layer(model, node);
    if (!layer) throw Error("node " + node.describe() + " is not a hardware layer Finn models");
    return layer;
}

} // namespace finn::hw
