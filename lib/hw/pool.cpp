// Pool: max or average pooling over the windows of a depthwise SWG, spec/finn-ops.md §3.14.
#include "cppsim_streams.h"
#include "datatype_rules.h"
#include "estimate_util.h"
#include "finn/hls/pool_model.h"
#include "finn/hw/layer_definition.h"
#include "finn/ir/shape_inference_util.h"
#include "folding_rules.h"
#include "hardware_params.h"
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
        shift = hls::PoolParams::quant_avg_shift(
            static_cast<unsigned>(ibits), static_cast<unsigned>(obits), static_cast<unsigned>(k));
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

// The C++ model parameters from the node's attributes, for cppsim and hw_codegen alike.
hls::PoolParams pool_params(const HwLayer& layer) {
    hls::PoolParams p;
    p.channels = static_cast<unsigned>(layer.get_int("Channels"));
    p.pe = static_cast<unsigned>(layer.get_int("PE"));
    p.kernel = static_cast<unsigned>(product(layer.get_ints("KernelSize")));
    p.average = layer.get_string("Function") == "QuantAvgPool";
    p.input = element_type(layer, "InputDataType");
    p.output = element_type(layer, "OutputDataType");
    if (p.average)
        p.shift = with_node_context(layer, [&] {
            return hls::PoolParams::quant_avg_shift(p.input.bits, p.output.bits, p.kernel);
        });
    return p;
}

// hls/rtl/pool/pool.sv.
HardwareModule pool_hardware(const HwLayer& layer) {
    const hls::PoolParams p = pool_params(layer);
    with_node_context(layer, [&] { return hls::PoolModel(p); }); // checks the parameters
    ParameterList params;
    params.add("CHANNELS", p.channels).add("PE", p.pe).add("K", p.kernel);
    params.add("FUNCTION", p.average ? "QuantAvgPool" : "MaxPool");
    params.add("IN_BITS", p.input.bits).add("IN_SIGNED", p.input.is_signed);
    params.add("IN_BIPOLAR", p.input.bipolar);
    params.add("OUT_BITS", p.output.bits).add("SHIFT", p.shift);
    return {.module = "pool", .parameters = params.take(), .memory_files = {}};
}

hls::WordStream cppsim_pool(const HwLayer& layer, const KernelContext&,
                            const hls::WordStream& input) {
    return with_node_context(layer, [&] { return hls::PoolModel(pool_params(layer)).run(input); });
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
    d.generate_hardware = pool_hardware;
    d.cppsim = cppsim::stream_kernel(cppsim_pool);
    return d;
}

} // namespace finn::hw
