#include "finn/transform/qonnx_to_finn.h"
#include "qonnx_util.h"

namespace finn {

namespace {

class TransposeOfQuantInit : public RewritePattern {
public:
    std::string_view name() const override { return "TransposeOfQuantInit"; }

    bool match_and_rewrite(Model& model, Node node) override {
        if (node.op_type() != "Transpose" || node.input_count() != 1) return false;
        auto producer = model.producer(node.input(0));
        if (!producer || !qonnx::is_quantizer(*producer) ||
            !qonnx::has_only_constant_inputs(model, *producer))
            return false;
        // qonnx rewires the quantizer to the Transpose's output, which would cut off any other
        // reader of the quantized weight.
        const std::string quantized = node.input(0);
        if (!model.single_consumer(quantized)) return false;

        const Shape weight_shape = model.initializer(producer->input(0)).shape();
        const auto perm = node.attr_ints("perm", {});
        // A parameter broadcast against the weight follows the permutation only if it has the
        // weight's rank (it is transposed with it) or a single element (it does not care).
        std::vector<int> to_transpose;
        for (int i = 0; i < producer->input_count(); ++i) {
            Tensor value = model.initializer(producer->input(i));
            if (value.rank() == static_cast<int>(weight_shape.size()))
                to_transpose.push_back(i);
            else if (value.size() != 1)
                return false;
        }
        for (int i : to_transpose)
            qonnx::set_node_constant(model, *producer, i,
                                     qonnx::transpose(model.initializer(producer->input(i)), perm));
        producer->set_output(0, node.output(0));
        model.remove_node(model.index_of(node));
        qonnx::remove_unused(model, {quantized});
        return true;
    }
};

} // namespace

bool FoldTransposeIntoQuantInit::run(Model& model) {
    std::vector<std::unique_ptr<RewritePattern>> patterns;
    patterns.push_back(std::make_unique<TransposeOfQuantInit>());
    return apply_patterns_greedily(model, patterns);
}

} // namespace finn
