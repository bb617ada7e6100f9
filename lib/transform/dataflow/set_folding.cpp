#include "finn/core/error.h"
#include "finn/hw/layers.h"
#include "finn/hw/registry.h"
#include "finn/transform/folding.h"
#include "finn/transform/tidy_up.h"

#include <set>

namespace finn {
namespace {

using hw::HwLayer;
using hw::Impl;

// FINN's optimize_attribute_val: the smallest divisor of `max` that meets the target (or max).
void optimize(HwLayer& layer, const std::string& attr, std::int64_t max, std::int64_t target) {
    layer.set_int(attr, 1);
    for (std::int64_t v : hw::divisors(max)) {
        layer.set_int(attr, v);
        if (layer.exp_cycles() < target) break;
    }
}

bool specialized(const HwLayer& layer) {
    return layer.impl() != Impl::Abstract;
}

// MVAU: SIMD first, while the weight stream of one PE stays within `wwidth_max` (unless that SIMD
// already meets the target), then PE.
void fold_mvau(HwLayer& layer, std::int64_t target, std::int64_t wwidth_max) {
    const std::int64_t wbits = layer.input_datatype(1).bitwidth();
    layer.set_int("PE", 1);
    layer.set_int("SIMD", 1);
    for (std::int64_t simd : hw::divisors(layer.get_int("MW"))) {
        const std::int64_t previous = layer.get_int("SIMD");
        layer.set_int("SIMD", simd);
        if (layer.exp_cycles() < target) break;
        if (wbits * simd > wwidth_max) {
            layer.set_int("SIMD", previous);
            break;
        }
    }
    optimize(layer, "PE", layer.get_int("MH"), target);
}

// VVAU and Pool: PE over the channels, then (VVAU) SIMD over the window; the depthwise SWG in
// front must stream exactly PE channels per word, and needs its parallel window for SIMD > 1.
void fold_depthwise(Model& model, HwLayer& layer, std::int64_t target) {
    const bool vvau = layer.abstract_op() == "VVAU";
    if (vvau) layer.set_int("SIMD", 1);
    const std::int64_t max_pe = layer.get_int("Channels");
    optimize(layer, "PE", max_pe, target);
    const std::int64_t pe = layer.get_int("PE");
    if (vvau && pe == max_pe && layer.exp_cycles() > target)
        optimize(layer, "SIMD", hw::product(layer.get_ints("Kernel")), target);
    auto producer = model.producer(layer.node().input(0));
    auto swg = producer ? hw::make_layer(model, *producer) : nullptr;
    if (swg && swg->abstract_op() == "ConvolutionInputGenerator") {
        swg->set_int("SIMD", pe);
        if (swg->impl() == Impl::Rtl)
            swg->set_int("parallel_window", vvau && layer.get_int("SIMD") > 1 ? 1 : 0);
        return;
    }
    // Only a pointwise (1x1) layer has no SWG in front.
    const std::int64_t k =
        vvau ? hw::product(layer.get_ints("Kernel")) : hw::product(layer.get_ints("KernelSize"));
    if (k != 1)
        throw Error("SetFolding: node " + layer.node().describe() +
                    " expects a ConvolutionInputGenerator producing its input");
}

// Non-depthwise SWG: SIMD over the channels, then (RTL) the parallel window.
void fold_swg(HwLayer& layer, std::int64_t target) {
    const std::int64_t max_simd = layer.get_int("IFMChannels");
    const bool rtl = layer.impl() == Impl::Rtl;
    if (rtl) layer.set_int("parallel_window", 0);
    optimize(layer, "SIMD", max_simd, target);
    if (rtl && layer.get_int("SIMD") == max_simd && layer.exp_cycles() > target)
        layer.set_int("parallel_window", 1);
}

} // namespace

void SetFolding::fold_pass(Model& model, std::int64_t target) {
    // Layers whose parallelism is PE over their channels.
    static const std::set<std::string> pe_ops = {"AddStreams", "ChannelwiseOp", "DuplicateStreams",
                                                 "GlobalAccPool", "Thresholding"};
    auto unknown = [this](const Node& node) {
        warn("SetFolding doesn't know how to handle op_type " + node.op_type());
    };
    for (int i = 0; i < model.node_count(); ++i) {
        Node node = model.node(i);
        auto layer = hw::make_layer(model, node);
        if (!layer || !specialized(*layer)) {
            if (node.domain() == domains::kFpgaDataflowHls ||
                node.domain() == domains::kFpgaDataflowRtl)
                unknown(node);
            continue;
        }
        const std::string& op = layer->abstract_op();
        if (op == "MVAU")
            fold_mvau(*layer, target, mvau_wwidth_max_);
        else if (pe_ops.count(op))
            optimize(*layer, "PE", layer->get_int("NumChannels"), target);
        else if (op == "LabelSelect")
            optimize(*layer, "PE", layer->get_int("Labels"), target);
        else if (op == "VVAU" || op == "Pool")
            fold_depthwise(model, *layer, target);
        else if (op == "ConvolutionInputGenerator" && !layer->get_int("depthwise"))
            fold_swg(*layer, target);
        else if (op == "ConvolutionInputGenerator")
            continue; // a depthwise SWG is folded with its consumer
        else if (op == "FMPadding")
            optimize(*layer, "SIMD", layer->get_int("NumChannels"), target);
        else
            unknown(node);
    }
}

bool SetFolding::run(Model& model) {
    const std::string before = model.serialize();
    // Named first, so that warnings name nodes as the folding config will.
    GiveUniqueNodeNames().run(model);
    fold_pass(model, target_);
    GiveUniqueNodeNames().run(model);
    AnnotateCycles().run(model);
    if (two_pass_) {
        DataflowPerformance perf = dataflow_performance(model);
        if (perf.max_cycles > target_) {
            warn("Node " + perf.max_cycles_node_name + " is bottleneck with " +
                 std::to_string(perf.max_cycles) + " cycles, running second pass");
            SetFolding(perf.max_cycles, mvau_wwidth_max_, false, forward_warnings()).run(model);
        }
    }
    return model.serialize() != before;
}

} // namespace finn
