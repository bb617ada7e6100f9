#include "folding_rules.h"

#include "finn/core/error.h"
#include "finn/hw/registry.h"

namespace finn::hw {

void fold_to_target(HwLayer& layer, const std::string& attr, std::int64_t max,
                    std::int64_t target) {
    layer.set_int(attr, 1);
    for (std::int64_t v : divisors(max)) {
        layer.set_int(attr, v);
        if (layer.exp_cycles() < target) break;
    }
}

void fold_depthwise(Model& model, HwLayer& layer, std::int64_t target) {
    const bool vvau = layer.abstract_op() == "VVAU";
    if (vvau) layer.set_int("SIMD", 1);
    const std::int64_t max_pe = layer.get_int("Channels");
    fold_to_target(layer, "PE", max_pe, target);
    const std::int64_t pe = layer.get_int("PE");
    if (vvau && pe == max_pe && layer.exp_cycles() > target)
        fold_to_target(layer, "SIMD", product(layer.get_ints("Kernel")), target);
    auto producer = model.producer(layer.node().input(0));
    auto swg = producer ? make_layer(model, *producer) : nullptr;
    if (swg && swg->abstract_op() == "ConvolutionInputGenerator") {
        swg->set_int("SIMD", pe);
        if (swg->impl() == Impl::Rtl)
            swg->set_int("parallel_window", vvau && layer.get_int("SIMD") > 1 ? 1 : 0);
        return;
    }
    // Only a pointwise (1x1) layer has no SWG in front.
    const std::int64_t k =
        vvau ? product(layer.get_ints("Kernel")) : product(layer.get_ints("KernelSize"));
    if (k != 1)
        throw Error("SetFolding: node " + layer.node().describe() +
                    " expects a ConvolutionInputGenerator producing its input");
}

} // namespace finn::hw
