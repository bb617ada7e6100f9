// IODMA: moves data between memory and a stream (spec/finn-ops.md §3). Declared so that FINN
// files holding it load and run; Finn does not model it yet (no folding, cycles or resources).
#include "datatype_rules.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "reference_kernel_util.h"

namespace finn::hw {

LayerDefinition iodma_layer() {
    LayerDefinition d;
    d.op = "IODMA";
    d.has_hls = true;
    d.doc = "DMA between memory and stream";
    d.infer_shapes = shape_inference::float_outputs_like_input;
    d.attributes = [](Impl) { return std::vector<AttrDecl>{}; };
    d.infer_datatypes = outputs_keep_input_datatype("dataType");
    d.execute = kernel::identity;
    return d;
}

} // namespace finn::hw
