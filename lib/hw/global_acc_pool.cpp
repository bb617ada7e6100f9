// GlobalAccPool: sum over all pixels of an NHWC map, spec/finn-ops.md §3.13.
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/core/error.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "folding_rules.h"
#include "reference_kernel_util.h"

namespace finn::hw {

using namespace detail;

class GlobalAccPool : public HwLayer {
public:
    GlobalAccPool(Model& model, Node node, Impl impl)
        : HwLayer(model, node, "GlobalAccPool", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    DataType output_datatype(int index = 0) const override;
    std::vector<FoldingAttribute> folding_attributes() const override;
    bool fold(const FoldingGoal& goal) override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
};

std::vector<AttrDecl> GlobalAccPool::attributes(Impl) {
    return {int_attr("NumChannels", kRequired), int_attr("PE", kRequired),
            string_attr("inputDataType", kRequired),
            ints_attr("numInputVectors", nlohmann::json::array({1}))};
}

DataType GlobalAccPool::output_datatype(int) const {
    // The sum of all pixels of a channel: the smallest type holding pixels * the input extreme.
    const DataType idt = input_datatype(0);
    const double pixels = static_cast<double>(product(get_ints("numInputVectors")));
    return DataType::smallest_possible(pixels * (idt.is_signed() ? idt.min() : idt.max()));
}

std::vector<FoldingAttribute> GlobalAccPool::folding_attributes() const {
    return {{"PE", divisors(get_int("NumChannels"))}};
}

Shape GlobalAccPool::normal_input_shape(int) const {
    Shape s = get_ints("numInputVectors");
    s.push_back(get_int("NumChannels"));
    return s;
}

Shape GlobalAccPool::normal_output_shape(int) const {
    Shape s = normal_input_shape(0);
    for (std::size_t i = 1; i + 1 < s.size(); ++i)
        s[i] = 1;
    return s;
}

Shape GlobalAccPool::folded_input_shape(int) const {
    const std::int64_t pe = get_int("PE");
    Shape s = normal_input_shape(0);
    s.back() /= pe;
    s.push_back(pe);
    return s;
}

Shape GlobalAccPool::folded_output_shape(int) const {
    const std::int64_t pe = get_int("PE");
    Shape s = normal_output_shape(0);
    s.back() /= pe;
    s.push_back(pe);
    return s;
}

std::int64_t GlobalAccPool::exp_cycles() const {
    Shape s = folded_input_shape(0);
    s.pop_back();
    return product(s) + get_int("NumChannels") / get_int("PE");
}

bool GlobalAccPool::fold(const FoldingGoal& goal) {
    fold_to_target(*this, "PE", get_int("NumChannels"), goal.target_cycles);
    return true;
}

// --- definition ---------------------------------------------------------------------------------

namespace {

using namespace kernel;
namespace si = shape_inference;

void infer_global_acc_pool(onnx::InferenceContext& ctx) {
    auto in = si::input_dims(ctx, 0);
    if (!in || in->size() != 4) return;
    si::float_output(ctx, 0, {(*in)[0], 1, 1, (*in)[3]});
}

std::vector<Tensor> execute_global_acc_pool(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_rank(ctx, x, 4, "input (N, H, W, C)");
    const std::int64_t n = x.shape()[0], hw = x.shape()[1] * x.shape()[2], c = x.shape()[3];
    check_int_attr(ctx, "NumChannels", c, "the input's channel count");
    auto xv = x.to_doubles();
    std::vector<double> out(static_cast<std::size_t>(n * c), 0.0);
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t p = 0; p < hw; ++p)
            for (std::int64_t ch = 0; ch < c; ++ch)
                out[b * c + ch] += xv[(b * hw + p) * c + ch];
    return {float_tensor({n, 1, 1, c}, out)};
}

bool infer_global_acc_pool_datatypes(Model& model, Node& node) {
    const DataType idt = input_datatype_of(model, node);
    const bool changed = record_datatype(node, "inputDataType", idt);
    const auto vecs = node.attr_ints("numInputVectors");
    if (vecs.size() < 2)
        throw Error("InferDataTypes: node " + node.describe() +
                    ": numInputVectors needs at least two entries");
    const double pixels = static_cast<double>(vecs[vecs.size() - 1] * vecs[vecs.size() - 2]);
    model.set_datatype(node.output(0), DataType::smallest_possible(
                                           pixels * (idt.is_signed() ? idt.min() : idt.max())));
    return changed;
}

} // namespace

LayerDefinition global_acc_pool_layer() {
    LayerDefinition d;
    d.op = "GlobalAccPool";
    d.legacy_names = {"GlobalAccPool_Batch"};
    d.has_hls = true;
    d.doc = "global accumulating pool";
    d.infer_shapes = infer_global_acc_pool;
    d.attributes = &GlobalAccPool::attributes;
    d.make = make_of<GlobalAccPool>();
    d.infer_datatypes = infer_global_acc_pool_datatypes;
    d.execute = execute_global_acc_pool;
    return d;
}

} // namespace finn::hw
