#include "finn/core/error.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/tidy_up.h"

#include <algorithm>
#include <set>

namespace finn {
namespace {

// FINN main's finn.custom_op.fpgadataflow.hls / .rtl registries, by abstract op.
const std::set<std::string>& hls_ops() {
    static const std::set<std::string> ops = {"AddStreams",
                                              "ChannelwiseOp",
                                              "CheckSum",
                                              "ConvolutionInputGenerator",
                                              "DownSampler",
                                              "DuplicateStreams",
                                              "FMPadding",
                                              "FMPadding_Pixel",
                                              "GlobalAccPool",
                                              "IODMA",
                                              "LabelSelect",
                                              "Lookup",
                                              "Pool",
                                              "StreamingConcat",
                                              "StreamingEltwise",
                                              "StreamingDataWidthConverter",
                                              "StreamingMaxPool",
                                              "Thresholding",
                                              "TLastMarker",
                                              "UpsampleNearestNeighbour",
                                              "MVAU",
                                              "VVAU"};
    return ops;
}

const std::set<std::string>& rtl_ops() {
    static const std::set<std::string> ops = {"ConvolutionInputGenerator",
                                              "FMPadding",
                                              "StreamingDataWidthConverter",
                                              "StreamingFIFO",
                                              "MVAU",
                                              "VVAU",
                                              "Thresholding"};
    return ops;
}

constexpr const char* kMvau = "MVAU";
constexpr const char* kVvau = "VVAU";
constexpr const char* kSwg = "ConvolutionInputGenerator";
constexpr const char* kDwc = "StreamingDataWidthConverter";

// Nodes SpecializeLayers turns into _hls/_rtl: the abstract domain, plus hardware nodes of old
// files that still live in a general domain (backend "fpgadataflow").
bool is_abstract_hw_node(const Node& node) {
    if (node.op_type() == "StreamingDataflowPartition") return false; // a container, not a layer
    if (node.domain() == domains::kFpgaDataflow) return true;
    return is_general_custom_domain(node.domain()) && node.has_attr("backend") &&
           node.attr_string("backend") == "fpgadataflow";
}

DataType attr_datatype(const Node& node, const std::string& attr) {
    return DataType::parse(node.attr_string(attr));
}

// RTL DWC only converts between widths that divide one another.
std::string dwc_impl_style(const Node& node) {
    const std::int64_t in = node.attr_int("inWidth"), out = node.attr_int("outWidth");
    if (in <= 0 || out <= 0)
        throw Error("SpecializeLayers: node " + node.describe() +
                    ": inWidth and outWidth must be positive");
    return in % out == 0 || out % in == 0 ? "rtl" : "hls";
}

// The HLS SWG has no dynamic mode and, in 2D, needs square windows, images and strides and no
// dilation.
bool swg_hls_possible(const Node& node) {
    if (node.attr_int("dynamic_mode", 0)) return false;
    if (node.attr_int("is1D", 0)) return true;
    auto square = [&](const std::string& attr, std::vector<std::int64_t> fallback = {}) {
        auto v = fallback.empty() ? node.attr_ints(attr) : node.attr_ints(attr, fallback);
        return v.size() == 2 && v[0] == v[1];
    };
    auto dilation = node.attr_ints("Dilation", {1, 1});
    return square("ConvKernelDim") && square("IFMDim") && square("OFMDim") && square("Stride") &&
           dilation.size() == 2 && dilation[0] == 1 && dilation[1] == 1;
}

// FINN's RTL MVU: no embedded thresholds, no XNOR mode, signed weights of at most 8 bits,
// inputs of at most 8 bits (or signed 9), and narrow-range weights on DSP48E1.
bool mvu_rtl_possible(Model& model, const Node& node, const std::string& part) {
    if (node.attr_int("noActivation", 0) == 0 || node.attr_int("binaryXnorMode", 0) == 1)
        return false;
    const DataType wdt = attr_datatype(node, "weightDataType");
    if (!wdt.is_signed()) return false;
    if (part.empty())
        throw Error("SpecializeLayers: node " + node.describe() +
                    ": an FPGA part is needed to decide whether the RTL MVU fits its DSP blocks");
    // Without weights in the model (external weights) they cannot be shown to be narrow.
    bool narrow = false;
    if (node.input_count() > 1 && model.has_initializer(node.input(1))) {
        auto w = model.initializer(node.input(1)).to_doubles();
        narrow = !w.empty() && *std::min_element(w.begin(), w.end()) != wdt.min();
    }
    if (!narrow && dsp_block_of_part(part) == "DSP48E1") return false;
    const DataType idt = attr_datatype(node, "inputDataType");
    const bool input_fits = idt.bitwidth() <= 8 || (idt.bitwidth() == 9 && idt.is_signed());
    return input_fits && wdt.bitwidth() <= 8;
}

// FINN's RTL VVU: DSP58 (Versal) only, no embedded thresholds, signed weights of at most 8 bits,
// inputs of at most 8 bits (or signed 9).
bool vvu_rtl_possible(const Node& node, const std::string& part) {
    if (!node.attr_int("noActivation", 0)) return false;
    if (!is_versal_part(part)) return false;
    const DataType idt = attr_datatype(node, "inputDataType");
    const DataType wdt = attr_datatype(node, "weightDataType");
    const bool input_fits = idt.bitwidth() <= 8 || (idt.bitwidth() == 9 && idt.min() < 0);
    return input_fits && wdt.bitwidth() <= 8 && wdt.min() < 0;
}

bool at_least_4_bits(const Node& node) {
    return attr_datatype(node, "inputDataType").bitwidth() >= 4 &&
           attr_datatype(node, "weightDataType").bitwidth() >= 4;
}

// FINN's _determine_impl_style; `warn` receives the fallback warnings.
std::string impl_style(Model& model, const Node& node, const std::string& op,
                       const std::string& part, const std::function<void(std::string)>& warn) {
    const bool hls = has_hls_variant(op), rtl = has_rtl_variant(op);
    const std::string preferred = node.attr_string("preferred_impl_style", "");
    const std::string label = node.name().empty() ? node.describe() : node.name();
    auto no_variant = [&] {
        return Error("SpecializeLayers: node " + node.describe() + " with optype " + op +
                     " has no hw implementation variant");
    };
    if (preferred.empty()) {
        if (op == kDwc) return dwc_impl_style(node);
        if (rtl) {
            if (op == kMvau)
                return at_least_4_bits(node) && mvu_rtl_possible(model, node, part) ? "rtl" : "hls";
            if (op == kVvau)
                return at_least_4_bits(node) && vvu_rtl_possible(node, part) ? "rtl" : "hls";
            return "rtl";
        }
        if (hls) return "hls";
        throw no_variant();
    }
    if (preferred == "hls") {
        if (op == kSwg && !swg_hls_possible(node)) {
            warn("Settings are not supported in HLS. Node " + label +
                 " will automatically be set to RTL variant.");
            return "rtl";
        }
        if (hls) return "hls";
        if (rtl) {
            warn("There is no HLS variant of " + op + ". Node " + label +
                 " will automatically be set to RTL variant.");
            return "rtl";
        }
        throw no_variant();
    }
    if (preferred == "rtl") {
        if (op == kDwc) {
            if (dwc_impl_style(node) == "rtl") return "rtl";
            warn("RTL implementation of DWC requires stream widths that are integer width ratios "
                 "from each other. Node " +
                 label + " will automatically be set to HLS variant.");
            return "hls";
        }
        if (op == kMvau || op == kVvau) {
            if (op == kMvau ? mvu_rtl_possible(model, node, part) : vvu_rtl_possible(node, part))
                return "rtl";
            warn("There is no RTL variant for " + label +
                 ". The node will automatically be set to HLS variant. Please check the "
                 "bit-widths to be <= 8 and ensure the thresholds are implemented as standalone "
                 "layer" +
                 std::string(op == kVvau ? ". Note that the RTL-variant of this layer is only "
                                           "supported on Versal boards"
                                         : ""));
            return "hls";
        }
        if (rtl) return "rtl";
        if (hls) {
            warn("There is no RTL variant of " + op + ". Node " + label +
                 " will automatically be set to HLS variant.");
            return "hls";
        }
        throw no_variant();
    }
    throw Error("SpecializeLayers: node " + node.describe() +
                ": invalid value for attribute preferred_impl_style: '" + preferred +
                "'; expected one of \"\", \"hls\", \"rtl\"");
}

// Legacy mem_mode values of MVAU/VVAU/Thresholding (FINN before v0.10).
void map_legacy_mem_mode(Node& node) {
    if (!node.has_attr("mem_mode")) return;
    const std::string mode = node.attr_string("mem_mode");
    if (mode == "const") node.set_attr_string("mem_mode", "internal_embedded");
    if (mode == "decoupled") node.set_attr_string("mem_mode", "internal_decoupled");
}

} // namespace

std::string canonical_hw_op_type(const std::string& op_type) {
    if (op_type == "MatrixVectorActivation" || op_type == "StreamingFCLayer_Batch") return kMvau;
    if (op_type == "VectorVectorActivation" || op_type == "Vector_Vector_Activation_Batch")
        return kVvau;
    if (op_type == "ConvolutionInputGenerator1D") return kSwg;
    const std::string batch = "_Batch";
    if (op_type.ends_with(batch)) return op_type.substr(0, op_type.size() - batch.size());
    return op_type;
}

bool has_hls_variant(const std::string& abstract_op) {
    return hls_ops().count(abstract_op) != 0;
}
bool has_rtl_variant(const std::string& abstract_op) {
    return rtl_ops().count(abstract_op) != 0;
}

bool is_versal_part(const std::string& part) {
    const std::string p4 = part.substr(0, 4);
    return p4 == "xcvc" || p4 == "xcve" || p4 == "xcvp" || p4 == "xcvm" || p4 == "xqvc" ||
           p4 == "xqvm" || part.substr(0, 5) == "xqrvc";
}

std::string dsp_block_of_part(const std::string& part) {
    if (is_versal_part(part)) return "DSP58";
    if (part.size() < 3) throw Error("'" + part + "' is not an FPGA part name");
    return part[2] == '7' ? "DSP48E1" : "DSP48E2";
}

bool SpecializeLayers::run(Model& model) {
    auto warn = [this](std::string message) { this->warn(message); };
    bool changed = false;
    for (int i = 0; i < model.node_count(); ++i) {
        Node node = model.node(i);
        if (!is_abstract_hw_node(node)) continue;
        const std::string legacy = node.op_type();
        const std::string op = canonical_hw_op_type(legacy);
        const std::string style = impl_style(model, node, op, fpga_part_, warn);
        node.set_op_type(op + "_" + style);
        node.set_domain(style == "hls" ? domains::kFpgaDataflowHls : domains::kFpgaDataflowRtl);
        node.remove_attr("preferred_impl_style");
        map_legacy_mem_mode(node);
        // The old 1D generator was its own op; today's says so by an attribute.
        if (legacy == "ConvolutionInputGenerator1D" && !node.has_attr("is1D"))
            node.set_attr_int("is1D", 1);
        node.set_name(""); // FINN's replacement nodes are unnamed; renamed below
        changed = true;
    }
    // Names also for files whose specialized nodes came unnamed (FINN main's quirk).
    changed |= GiveUniqueNodeNames().run(model);
    if (changed) {
        InferShapes().run(model);
        InferDataTypes().run(model);
    }
    return changed;
}

} // namespace finn
