#include "finn/transform/transformation.h"

namespace finn {

// Every group of transformations known by name; a new group adds one line here.
const TransformationRegistry& transformation_registry() {
    static const TransformationRegistry registry = [] {
        TransformationRegistry r;
        register_tidy_up_transformations(r);
        register_streamline_transformations(r);
        register_dataflow_transformations(r);
        register_qonnx_to_finn_transformations(r);
        register_convert_to_hw_transformations(r);
        return r;
    }();
    return registry;
}

Pipeline& Pipeline::add(const std::string& name, bool to_fixpoint) {
    return add(transformation_registry().create(name), to_fixpoint);
}

} // namespace finn
