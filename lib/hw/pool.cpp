// Pool: max or average pooling over the windows of a depthwise SWG, spec/finn-ops.md §3.14.
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "folding_rules.h"
#include "reference_kernel_util.h"

namespace finn::hw {

using namespace detail;

class Pool : public HwLayer {
public:
    Pool(Model& model, Node node, Impl impl) : HwLayer(model, node, "Pool", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    bool fold(const FoldingGoal& goal) override;
    DataType input_datatype(int index = 0) const override;
    DataType output_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
};

std::vector<AttrDecl> Pool::attributes(Impl) {
    return {int_attr("Channels", kRequired),
            int_attr("PE", 1),
            ints_attr("KernelSize", kRequired),
            string_attr("Function", kRequired, {"MaxPool", "QuantAvgPool"}),
            ints_attr("OutImgDims", kRequired),
            string_attr("InputDataType", kRequired),
            string_attr("OutputDataType", kRequired),
            int_attr("AccumBits", 0),
            int_attr("Size", 1),
            int_attr("BatchSize", 1)};
}

std::vector<FoldingAttribute> Pool::folding_attributes() const {
    return {{"PE", divisors(get_int("Channels"))}};
}

DataType Pool::input_datatype(int) const {
    return get_datatype("InputDataType");
}

DataType Pool::output_datatype(int) const {
    return get_datatype("OutputDataType");
}

Shape Pool::normal_input_shape(int) const {
    const auto out = get_ints("OutImgDims");
    return {get_int("BatchSize"), out[0], out[1],
            product(get_ints("KernelSize")) * get_int("Channels")};
}

Shape Pool::normal_output_shape(int) const {
    const auto out = get_ints("OutImgDims");
    return {get_int("BatchSize"), out[0], out[1], get_int("Channels")};
}

Shape Pool::folded_input_shape(int) const {
    Shape s = normal_input_shape(0);
    const std::int64_t pe = get_int("PE");
    s.back() /= pe;
    s.push_back(pe);
    return s;
}

Shape Pool::folded_output_shape(int) const {
    Shape s = normal_output_shape(0);
    const std::int64_t pe = get_int("PE");
    s.back() /= pe;
    s.push_back(pe);
    return s;
}

std::int64_t Pool::exp_cycles() const {
    const auto out = get_ints("OutImgDims");
    return get_int("Channels") * product(get_ints("KernelSize")) / get_int("PE") * out[0] * out[1] *
           get_int("BatchSize");
}

bool Pool::fold(const FoldingGoal& goal) {
    fold_depthwise(model(), *this, goal.target_cycles);
    return true;
}

// --- definition ---------------------------------------------------------------------------------

namespace {

using namespace kernel;
namespace si = shape_inference;

std::int64_t bit_length(std::int64_t v) {
    std::int64_t bits = 0;
    while (v >> bits)
        ++bits;
    return bits;
}

std::vector<Tensor> execute_pool(const KernelContext& ctx) {
    const Tensor& x = ctx.input(0);
    require_min_rank(ctx, x, 1, "input");
    const std::int64_t c = ctx.node.attr_int("Channels");
    auto [kh, kw] = pair_attr(ctx, "KernelSize", 1, true);
    const std::int64_t k = kh * kw;
    if (c < 1 || x.shape().back() != k * c)
        ctx.fail("input " + shape_to_string(x.shape()) +
                 " does not end in k*k*Channels = " + str(k * c));
    const std::string function = ctx.node.attr_string("Function");
    if (function != "MaxPool" && function != "QuantAvgPool")
        ctx.fail("Function '" + function + "' is not supported; expected MaxPool or QuantAvgPool");

    std::int64_t shift = 0;
    if (function == "QuantAvgPool") {
        // Shift so that the largest window sum of unsigned ibits values fits in obits.
        const std::int64_t ibits = datatype_attr(ctx, "InputDataType").bitwidth();
        const std::int64_t obits = datatype_attr(ctx, "OutputDataType").bitwidth();
        if (ibits > 32) ctx.fail("InputDataType must have at most 32 bits for QuantAvgPool");
        shift = std::max<std::int64_t>(0, bit_length(((std::int64_t{1} << ibits) - 1) * k) - obits);
    }
    // Windows are in Im2Col order (k, C): window element i of channel ch is at i*C + ch.
    auto xv = x.to_doubles();
    const std::int64_t pixels = x.size() / (k * c);
    std::vector<double> out(static_cast<std::size_t>(pixels * c));
    for (std::int64_t p = 0; p < pixels; ++p)
        for (std::int64_t ch = 0; ch < c; ++ch) {
            const double* window = xv.data() + p * k * c + ch;
            if (function == "MaxPool") {
                double best = window[0];
                for (std::int64_t i = 1; i < k; ++i)
                    best = std::max(best, window[i * c]);
                out[p * c + ch] = best;
            } else {
                double sum = 0;
                for (std::int64_t i = 0; i < k; ++i)
                    sum += window[i * c];
                // astype(int) then an arithmetic right shift (floor division by 2^shift).
                auto total = static_cast<std::int64_t>(std::trunc(sum));
                out[p * c + ch] = static_cast<double>(total >> shift);
            }
        }
    return {float_tensor(with_last(x.shape(), c), out)};
}

bool infer_pool_datatypes(Model& model, Node& node) {
    model.set_datatype(node.output(0), datatype_of_attr(node, "OutputDataType"));
    return false;
}

} // namespace

LayerDefinition pool_layer() {
    LayerDefinition d;
    d.op = "Pool";
    d.legacy_names = {"Pool_Batch"};
    d.has_hls = true;
    d.doc = "pooling over sliding windows";
    d.infer_shapes = si::last_dim_from_attr("Channels");
    d.attributes = &Pool::attributes;
    d.make = make_of<Pool>();
    d.infer_datatypes = infer_pool_datatypes;
    d.execute = execute_pool;
    return d;
}

} // namespace finn::hw
