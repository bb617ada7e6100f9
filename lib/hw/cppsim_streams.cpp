#include "cppsim_streams.h"

#include "finn/core/error.h"
#include "finn/hw/layer_definition.h"
#include "finn/hw/registry.h"
#include "finn/ir/tensor_proto.h"
#include "reference_kernel_util.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace finn::hw::cppsim {

using kernel::str;

namespace {

// The reference kernels' output shape (see the header).
Shape output_shape(const KernelContext& ctx, const std::string& mode, const Shape& input,
                   const Shape& normal_in, const Shape& normal_out) {
    if (input.empty() || normal_in.empty() || normal_out.empty())
        ctx.fail(mode + ": the layer's stream shapes are unknown");
    // An input of the layer's normal shape (any batch) gives the normal output shape: layers
    // that change more than the last dimension (padding, sliding windows) need it.
    const bool normal = input.size() == normal_in.size() &&
                        std::equal(input.begin() + 1, input.end(), normal_in.begin() + 1);
    if (!normal && input.back() == normal_in.back())
        return kernel::with_last(input, normal_out.back());
    Shape out = normal_out;
    out[0] = input[0];
    return out;
}

} // namespace

hls::ElementType stream_element_type(const DataType& type, const std::string& what) {
    try {
        return hls::ElementType::parse(type.name());
    } catch (const std::invalid_argument&) {
        throw Error(what + " has datatype " + type.name() +
                    "; streams carry integer datatypes only");
    }
}

std::vector<std::int64_t> stream_integers(const Tensor& tensor, const hls::ElementType& type,
                                          const std::string& what) {
    const auto doubles = tensor.to_doubles();
    std::vector<std::int64_t> values(doubles.size());
    for (std::size_t i = 0; i < doubles.size(); ++i) {
        const double v = doubles[i];
        const bool integral = std::isfinite(v) && v == std::floor(v) && std::abs(v) < 9.2e18;
        if (!integral || !type.allows(static_cast<std::int64_t>(v)))
            throw Error(what + " holds " + std::to_string(v) + " at index " +
                        str(static_cast<std::int64_t>(i)) + ", which is not a " + type.name() +
                        " value");
        values[i] = static_cast<std::int64_t>(v);
    }
    return values;
}

std::vector<Tensor> run_on_streams(const KernelContext& ctx, const std::string& mode,
                                   const StreamsModel& model) {
    if (!ctx.model) ctx.fail(mode + " needs the node's model (its attributes' defaults, shapes)");
    auto layer = make_layer(const_cast<Model&>(*ctx.model), ctx.node);
    if (!layer) ctx.fail(mode + ": not a hardware layer Finn models");
    const LayerDefinition* definition = find_definition_of_op_type(ctx.node.op_type());
    const int stream_inputs = definition ? definition->stream_inputs : 1;
    const Tensor& x = ctx.input(0);

    std::vector<hls::WordStream> inputs;
    for (int i = 0; i < stream_inputs; ++i) {
        const Tensor& t = ctx.input(i);
        const std::string what = mode + ": input " + std::to_string(i);
        const hls::ElementType in_type = stream_element_type(layer->input_datatype(i), what);
        const std::int64_t in_per_word = layer->folded_input_shape(i).back();
        if (in_per_word < 1 || t.size() % in_per_word != 0)
            ctx.fail(what + " " + shape_to_string(t.shape()) + " does not fold into words of " +
                     str(in_per_word) + " elements");
        const auto values = stream_integers(t, in_type, what);
        inputs.push_back(hls::pack_elements(values, in_type, static_cast<unsigned>(in_per_word)));
    }

    const std::vector<hls::WordStream> out_words = model(*layer, ctx, inputs);
    const int outputs = ctx.node.output_count();
    if (static_cast<int>(out_words.size()) != outputs)
        ctx.fail(mode + ": the model produced " + std::to_string(out_words.size()) +
                 " output streams, the node has " + std::to_string(outputs));

    std::vector<Tensor> results;
    for (int j = 0; j < outputs; ++j) {
        const std::string what = "output " + std::to_string(j);
        const hls::ElementType out_type =
            stream_element_type(layer->output_datatype(j), mode + ": " + what);
        const std::int64_t out_per_word = layer->folded_output_shape(j).back();
        const auto out_values = hls::unpack_elements(out_words[static_cast<std::size_t>(j)],
                                                     out_type, static_cast<unsigned>(out_per_word));
        const Shape shape = output_shape(ctx, mode, x.shape(), layer->normal_input_shape(0),
                                         layer->normal_output_shape(j));
        if (static_cast<std::int64_t>(out_values.size()) != product(shape))
            ctx.fail(mode + ": the model produced " +
                     str(static_cast<std::int64_t>(out_values.size())) + " values for " + what +
                     ", the output " + shape_to_string(shape) + " holds " + str(product(shape)));

        ElementType container = ElementType::Float32;
        const int declared = ctx.model->elem_type(ctx.node.output(j));
        if (declared != 0)
            container = element_type_from_onnx(declared, what + " " + ctx.node.output(j));
        results.push_back(Tensor::from_doubles(
            container, shape, std::vector<double>(out_values.begin(), out_values.end())));
    }
    return results;
}

KernelFn streams_kernel(StreamsModel model) {
    return [model = std::move(model)](const KernelContext& ctx) {
        try {
            return run_on_streams(ctx, "cppsim", model);
        } catch (const std::invalid_argument& e) {
            // The models reject inconsistent parameters or streams with std::invalid_argument.
            ctx.fail(std::string("cppsim: ") + e.what());
        }
    };
}

KernelFn stream_kernel(StreamModel model) {
    return streams_kernel([model = std::move(model)](const HwLayer& layer, const KernelContext& ctx,
                                                     const std::vector<hls::WordStream>& inputs) {
        return std::vector<hls::WordStream>{model(layer, ctx, inputs.at(0))};
    });
}

} // namespace finn::hw::cppsim
