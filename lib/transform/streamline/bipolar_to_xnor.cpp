// qonnx's ConvertBipolarMatMulToXnorPopcount: with a, w in {-1, +1} and their bits a' = (a+1)/2,
// w' = (w+1)/2, the dot product a.w = 2 * popcount(xnor(a', w')) - K. The MatMul becomes an
// XnorPopcountMatMul on bits followed by Mul(2) and Add(-K), and the bipolar MultiThreshold
// producing its input is switched to produce the bits.
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/streamline.h"
#include "finn/transform/tidy_up.h"
#include "streamline_util.h"

namespace finn {

namespace {

using namespace streamline;

bool is_bipolar_multithreshold(const Node& node) {
    return node.is_general_op("MultiThreshold") && node.attr_string("out_dtype", "") == "BIPOLAR";
}

// qonnx's find_upstream: follows first inputs up to the nearest bipolar MultiThreshold. Empty when
// there is none, or when a tensor on the way has another reader (which would then see bits).
std::optional<Node> bipolar_source(Model& model, const std::string& tensor) {
    std::string current = tensor;
    for (int steps = 0; steps <= model.node_count(); ++steps) {
        auto producer = model.producer(current);
        if (!producer || producer->input_count() < 1) return std::nullopt;
        if (!model.single_consumer(current)) return std::nullopt;
        if (is_bipolar_multithreshold(*producer)) return producer;
        current = producer->input(0);
    }
    return std::nullopt;
}

class BipolarMatMulToXnorPopcountPattern : public RewritePattern {
public:
    std::string_view name() const override { return "ConvertBipolarMatMulToXnorPopcount"; }
    bool match_and_rewrite(Model& model, Node matmul) override {
        if (!matmul.is_standard_op("MatMul") || matmul.input_count() != 2 ||
            !model.has_initializer(matmul.input(1)))
            return false;
        const std::string input = matmul.input(0);
        const std::string weights = matmul.input(1);
        const std::string output = matmul.output(0);
        if (model.datatype(input) != DataType::bipolar() ||
            model.datatype(weights) != DataType::bipolar())
            return false;
        const Tensor w = model.initializer(weights);
        if (w.rank() != 2) return false;

        auto mt = bipolar_source(model, input);
        const auto graph_inputs = model.input_names();
        if (mt) {
            // qonnx asserts the usual sign encoding {0, 1} * 2 - 1.
            if (mt->attr_float("out_scale", 1.0f) != 2.0f ||
                mt->attr_float("out_bias", 0.0f) != -1.0f)
                return false;
            mt->set_attr_string("out_dtype", "BINARY");
            mt->set_attr_float("out_scale", 1.0f);
            mt->set_attr_float("out_bias", 0.0f);
        } else if (graph_inputs.empty() || input != graph_inputs.front()) {
            return false; // qonnx raises: the input cannot be turned into bits
        }
        // qonnx's quirk on the first graph input: it is declared BINARY, so callers must feed bits.
        model.set_datatype(input, DataType::binary());

        const auto out_shape = model.shape(output);
        const std::string popcount = model.fresh_name(output + "_xnorpopcount");
        const std::string scaled = model.fresh_name(output + "_scaled");
        matmul.set_op_type("XnorPopcountMatMul");
        matmul.set_domain(domains::kQonnxGeneral);
        matmul.set_output(0, popcount);
        const std::string bits =
            write_param(model, matmul, 1,
                        elementwise(w, Tensor::from_floats({}, {1.0f}),
                                    [](double x, double one) { return (x + one) / 2; }));
        model.set_datatype(bits, DataType::binary());
        model.set_datatype(popcount, DataType::uint(32));
        record_shape(model, popcount, out_shape);
        record_shape(model, scaled, out_shape);

        const auto k = static_cast<float>(w.shape()[0]);
        const std::string two =
            add_param(model, "XnorPopcount_mul_", Tensor::from_floats({1}, {2}));
        const std::string minus_k =
            add_param(model, "XnorPopcount_add_", Tensor::from_floats({1}, {-k}));
        model.add_node("Mul", {popcount, two}, {scaled}, model.fresh_node_name("Mul"));
        model.add_node("Add", {scaled, minus_k}, {output}, model.fresh_node_name("Add"));
        model.add_missing_opset_imports();
        keep_sorted(model);
        return true;
    }
};

} // namespace

bool ConvertBipolarMatMulToXnorPopcount::run(Model& model) {
    if (!apply_pattern(model, std::make_unique<BipolarMatMulToXnorPopcountPattern>())) return false;
    InferDataTypes().run(model);
    return true;
}

} // namespace finn
