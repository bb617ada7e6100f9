// FINN's MakeMaxPoolNHWC: a MaxPool next to a layout Transpose pools in NHWC instead, so that the
// Transpose can meet its inverse (or a MultiThreshold) and disappear.
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/streamline_conv.h"
#include "streamline_util.h"

namespace finn {

namespace {

using namespace streamline;

bool is_transpose(const Node& node, const std::vector<std::int64_t>& perm) {
    return node.is_standard_op("Transpose") && node.attr_ints("perm", {}) == perm;
}

// A MaxPool MaxPoolNHWC can execute: 2D, symmetric pads, no dilation, no indices output.
bool convertible(const Node& pool) {
    if (!pool.is_standard_op("MaxPool")) return false;
    if (pool.attr_ints("kernel_shape", {}).size() != 2) return false;
    for (int i = 1; i < pool.output_count(); ++i)
        if (!pool.output(i).empty()) return false;
    if (pool.attr_string("auto_pad", "NOTSET") != "NOTSET") return false;
    if (pool.attr_ints("dilations", {1, 1}) != std::vector<std::int64_t>{1, 1}) return false;
    const auto pads = pool.attr_ints("pads", {0, 0, 0, 0});
    return pads.size() == 4 && pads[0] == pads[2] && pads[1] == pads[3];
}

Shape to_nhwc(const Shape& s) {
    return {s[0], s[2], s[3], s[1]};
}

void make_nhwc(Node& pool) {
    pool.set_op_type("MaxPoolNHWC");
    pool.set_domain(domains::kQonnxGeneral);
    // ONNX-only attributes MaxPoolNHWC does not know.
    for (const char* attr : {"auto_pad", "dilations", "storage_order"})
        if (pool.has_attr(attr)) pool.remove_attr(attr);
}

class MakeMaxPoolNHWCPattern : public RewritePattern {
public:
    std::string_view name() const override { return "MakeMaxPoolNHWC"; }
    bool match_and_rewrite(Model& model, Node pool) override {
        if (!convertible(pool)) return false;
        const auto in_shape = model.shape(pool.input(0));
        const auto out_shape = model.shape(pool.output(0));
        if (!in_shape || !out_shape || in_shape->size() != 4 || out_shape->size() != 4)
            return false;
        const DataType type = model.datatype(pool.input(0));
        auto after = model.single_consumer(pool);
        if (after && is_transpose(*after, {0, 2, 3, 1}) && after->input(0) == pool.output(0)) {
            // MaxPool -> T(NCHW->NHWC) => T -> MaxPoolNHWC; the middle tensor becomes NHWC.
            swap_chain(pool, 0, *after, 0);
            record_shape(model, after->output(0), to_nhwc(*in_shape));
            model.set_datatype(after->output(0), type);
            make_nhwc(pool);
            keep_sorted(model);
            return true;
        }
        auto before = exclusive_producer(model, pool.input(0));
        if (before && is_transpose(*before, {0, 3, 1, 2})) {
            // T(NHWC->NCHW) -> MaxPool => MaxPoolNHWC -> T.
            swap_chain(*before, 0, pool, 0);
            record_shape(model, pool.output(0), to_nhwc(*out_shape));
            model.set_datatype(pool.output(0), type);
            make_nhwc(pool);
            keep_sorted(model);
            return true;
        }
        return false;
    }
};

} // namespace

bool MakeMaxPoolNHWC::run(Model& model) {
    return apply_pattern(model, std::make_unique<MakeMaxPoolNHWCPattern>());
}

} // namespace finn
