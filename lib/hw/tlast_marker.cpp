// TLastMarker: adds TLAST to an AXI stream (spec/finn-ops.md §3). Declared so that FINN files
// holding it load and run; Finn does not model it yet. FINN infers no datatypes for it.
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "reference_kernel_util.h"

namespace finn::hw {

LayerDefinition tlast_marker_layer() {
    LayerDefinition d;
    d.op = "TLastMarker";
    d.has_hls = true;
    d.doc = "TLAST insertion";
    d.infer_shapes = shape_inference::float_outputs_like_input;
    d.attributes = [](Impl) { return std::vector<AttrDecl>{}; };
    d.execute = kernel::identity;
    return d;
}

} // namespace finn::hw
