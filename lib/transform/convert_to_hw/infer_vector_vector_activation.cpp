#include "convert_to_hw_util.h"
#include "finn/core/error.h"
#include "finn/transform/convert_to_hw.h"

#include <regex>

namespace finn {

using namespace hw_convert;

namespace {

// [kh, kw] from qonnx's depthwise sparsity annotation "{'dw': {'kernel_shape': [kh, kw]}}".
std::optional<std::pair<std::int64_t, std::int64_t>> depthwise_kernel(const std::string& sparsity) {
    static const std::regex pattern(
        R"(['"]dw['"]\s*:\s*\{[^}]*['"]kernel_shape['"]\s*:\s*[\[(]\s*(\d+)\s*,\s*(\d+)\s*[\])])");
    std::smatch m;
    if (!std::regex_search(sparsity, m, pattern)) return std::nullopt;
    return std::make_pair(std::stoll(m[1].str()), std::stoll(m[2].str()));
}

// The depthwise kernel of a MatMul that has a sparsity annotation; FINN raises for any other
// sparsity, and so does this.
std::pair<std::int64_t, std::int64_t> kernel_of(const Model& model, const Node& matmul) {
    const std::string sparsity = *model.sparsity(matmul.input(1));
    auto kernel = depthwise_kernel(sparsity);
    if (!kernel || kernel->first < 1 || kernel->second < 1)
        throw Error(where(matmul) + ": the sparsity annotation " + sparsity + " of '" +
                    matmul.input(1) +
                    "' does not say that the MatMul belongs to a depthwise convolution "
                    "({'dw': {'kernel_shape': [kh, kw]}})");
    return *kernel;
}

bool both_bipolar(const Model& model, const Node& matmul) {
    return model.datatype(matmul.input(0)) == DataType::bipolar() &&
           model.datatype(matmul.input(1)) == DataType::bipolar();
}

} // namespace

std::string InferVectorVectorActivation::unsupported_reason(Model& model, const Node& node) {
    if (!node.is_standard_op("MatMul")) return "not a MatMul";
    const std::string &input = node.input(0), &weights = node.input(1);
    if (!model.sparsity(weights)) return "weights '" + weights + "' have no sparsity annotation";
    const auto [kh, kw] = kernel_of(model, node);
    const DataType idt = model.datatype(input), wdt = model.datatype(weights);
    if (!idt.is_integer())
        return "input '" + input + "' has datatype " + idt.name() + ", not an integer type";
    if (!wdt.is_integer())
        return "weights '" + weights + "' have datatype " + wdt.name() + ", not an integer type";
    if (both_bipolar(model, node))
        return "BIPOLAR x BIPOLAR: a VVAU would output the popcount (x.w + k) / 2 instead of x.w";
    if (!model.has_initializer(weights))
        return "weights '" + weights + "' are not a constant (initializer)";
    const Tensor w = model.initializer(weights);
    auto in = model.shape(input);
    if (!in || in->size() != 4) return "input '" + input + "' has no known 4D (N, H, W, k*C) shape";
    const std::int64_t k = kh * kw;
    if (w.rank() != 2 || w.shape()[0] != k * w.shape()[1] || in->back() != w.shape()[0])
        return "weights '" + weights + "' have shape " + shape_to_string(w.shape()) +
               ", expected (kh*kw*C, C) for the kernel " + std::to_string(kh) + "x" +
               std::to_string(kw) + " and the input " + shape_to_string(*in);
    // FINN keeps only the diagonal blocks; weights elsewhere would silently be dropped.
    const std::int64_t c = w.shape()[1];
    const auto values = w.to_doubles();
    for (std::int64_t row = 0; row < k * c; ++row)
        for (std::int64_t col = 0; col < c; ++col)
            if (col != row % c && values[static_cast<std::size_t>(row * c + col)] != 0)
                return "weights '" + weights + "' are not depthwise: output channel " +
                       std::to_string(col) + " reads input channel " + std::to_string(row % c);
    return "";
}

namespace {

// The dense (C, 1, kh, kw) weights of the (kh*kw*C, C) block-diagonal matrix: row
// (ky*kw + kx)*C + c, column c.
Tensor dense_weights(const Tensor& matrix, std::int64_t kh, std::int64_t kw) {
    const std::int64_t c = matrix.shape()[1], k = kh * kw;
    const auto values = matrix.to_doubles();
    std::vector<double> dense(static_cast<std::size_t>(c * k));
    for (std::int64_t ch = 0; ch < c; ++ch)
        for (std::int64_t i = 0; i < k; ++i)
            dense[static_cast<std::size_t>(ch * k + i)] =
                values[static_cast<std::size_t>((i * c + ch) * c + ch)];
    return Tensor::from_doubles(ElementType::Float32, {c, 1, kh, kw}, dense);
}

bool convert(Model& model, Node node) {
    if (!node.is_standard_op("MatMul") || !model.sparsity(node.input(1))) return false;
    if (!InferVectorVectorActivation::unsupported_reason(model, node).empty()) return false;

    const auto [kh, kw] = kernel_of(model, node);
    const std::string input = node.input(0), product = node.output(0);
    std::string weights = node.input(1);
    const Shape in = *model.shape(input);
    const Tensor matrix = model.initializer(weights);
    const std::int64_t channels = matrix.shape()[1];
    const DataType idt = model.datatype(input), wdt = model.datatype(weights);

    // Absorb a following MultiThreshold (checked before anything changes).
    auto mt = absorbable_thresholds(model, product, channels, 4, "a VVAU");
    std::map<std::string, AttrValue> attrs = {
        {"PE", channels},          {"Dim", Shape{in[1], in[2]}},  {"Channels", channels},
        {"Kernel", Shape{kh, kw}}, {"inputDataType", idt.name()}, {"weightDataType", wdt.name()}};
    if (mt) {
        attrs["outputDataType"] = model.datatype(mt->output(0)).name();
        attrs["ActVal"] = absorbed_act_val(model, *mt, "a VVAU");
        attrs["noActivation"] = 0;
    } else {
        attrs["outputDataType"] = model.datatype(product).name();
        attrs["ActVal"] = 0;
        attrs["noActivation"] = 1;
    }

    // The weights become dense in place, as FINN does; a matrix another node reads is copied.
    if (model.consumers(weights).size() > 1) {
        const std::string copy = model.fresh_name(weights + "_vvau");
        model.set_datatype(copy, wdt);
        weights = copy;
    }
    model.set_initializer(weights, dense_weights(matrix, kh, kw));
    model.set_shape(weights, {channels, 1, kh, kw});

    const int index = model.index_of(node);
    const int mt_index = mt ? model.index_of(*mt) : -1;
    if (!mt) {
        replace_with_hw_node(model, index, "VVAU", {input, weights}, {product},
                             "VVAU_" + node.name(), attrs);
        return true;
    }
    const std::string out = mt->output(0), thresholds = mt->input(1);
    replace_with_hw_node(model, index, "VVAU", {input, weights, thresholds}, {out},
                         "VVAU_" + node.name(), attrs);
    model.remove_node(mt_index); // the replacement kept the node count, so the index holds
    model.remove_tensor_if_unused(product);
    return true;
}

} // namespace

bool InferVectorVectorActivation::run(Model& model) {
    return convert_all(model, std::string(name()), convert);
}

} // namespace finn
