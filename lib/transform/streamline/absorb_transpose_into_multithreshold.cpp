// FINN's AbsorbTransposeIntoMultiThreshold: a MultiThreshold compares element-wise, so it can
// run on the NHWC tensor (data_layout NHWC finds the channels last) and the Transposes around it
// cancel; otherwise the Transpose moves behind it (towards a flattening Reshape, for
// RemoveCNVtoFCFlatten to find, or towards its inverse).
#include "finn/transform/streamline_conv.h"
#include "finn/transform/tidy_up.h"
#include "streamline_util.h"

#include <algorithm>

namespace finn {

namespace {

using namespace streamline;

bool is_transpose(const Node& node, const std::vector<std::int64_t>& perm) {
    return node.is_standard_op("Transpose") && node.attr_ints("perm", {}) == perm;
}

class AbsorbTransposePattern : public RewritePattern {
public:
    std::string_view name() const override { return "AbsorbTransposeIntoMultiThreshold"; }
    bool match_and_rewrite(Model& model, Node t) override {
        if (!is_transpose(t, {0, 3, 1, 2})) return false;
        auto mt = model.single_consumer(t);
        if (!mt || !mt->is_general_op("MultiThreshold") || mt->input(0) != t.output(0))
            return false;
        if (mt->attr_string("data_layout", "NCHW") != "NCHW") return false;
        const auto nhwc_shape = model.shape(t.input(0));
        if (!nhwc_shape || nhwc_shape->size() != 4) return false;
        auto next = model.single_consumer(*mt);
        if (next && is_transpose(*next, {0, 2, 3, 1}) && next->input(0) == mt->output(0)) {
            // T -> MT -> T^-1 => MT(NHWC) reading T's input and writing T^-1's output.
            const std::string x = t.input(0), mid_in = t.output(0), mid_out = mt->output(0);
            const std::string y = next->output(0);
            const DataType out_type = model.datatype(mid_out);
            mt->set_input(0, x);
            mt->set_output(0, y);
            mt->set_attr_string("data_layout", "NHWC");
            model.set_datatype(y, out_type);
            const int first = model.index_of(t), second = model.index_of(*next);
            model.remove_node(std::max(first, second));
            model.remove_node(std::min(first, second));
            remove_if_unused(model, {mid_in, mid_out});
            keep_sorted(model);
            return true;
        }
        // T -> MT => MT(NHWC) -> T, whatever reads the thresholded tensor (as FINN does): the
        // Transpose moves on towards a Reshape (RemoveCNVtoFCFlatten) or its inverse.
        const DataType out_type = model.datatype(mt->output(0));
        swap_chain(t, 0, *mt, 0);
        record_shape(model, mt->output(0), nhwc_shape);
        model.set_datatype(mt->output(0), out_type);
        model.set_layout(mt->output(0), {"N", "H", "W", "C"});
        mt->set_attr_string("data_layout", "NHWC");
        keep_sorted(model);
        return true;
    }
};

} // namespace

bool AbsorbTransposeIntoMultiThreshold::run(Model& model) {
    const bool changed = apply_pattern(model, std::make_unique<AbsorbTransposePattern>());
    if (changed) InferDataTypes().run(model);
    return changed;
}

} // namespace finn
