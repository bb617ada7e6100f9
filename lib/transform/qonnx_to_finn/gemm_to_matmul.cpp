#include "finn/transform/qonnx_to_finn.h"
#include "finn/transform/tidy_up.h"
#include "qonnx_util.h"

#include <algorithm>

namespace finn {

namespace {

// Transpose(tensor) for transA/transB, keeping a non-float datatype annotation.
std::string transposed(Model& model, const std::string& tensor) {
    auto shape = model.shape(tensor);
    if (shape) std::reverse(shape->begin(), shape->end());
    const std::string out = qonnx::add_tensor(model, tensor + "_transposed", shape);
    model.add_node("Transpose", {tensor}, {out});
    if (model.datatype(tensor) != DataType::float32())
        model.set_datatype(out, model.datatype(tensor));
    return out;
}

class GemmPattern : public RewritePattern {
public:
    std::string_view name() const override { return "GemmToMatMul"; }

    bool match_and_rewrite(Model& model, Node gemm) override {
        if (!gemm.is_standard_op("Gemm")) return false;
        const std::string output = gemm.output(0);
        std::string a = gemm.input(0);
        std::string b = gemm.input(1);
        const std::string c = gemm.input_count() > 2 ? gemm.input(2) : "";
        const float alpha = gemm.attr_float("alpha", 1.0f);
        const float beta = gemm.attr_float("beta", 1.0f);
        const bool trans_a = gemm.attr_int("transA", 0) != 0;
        const bool trans_b = gemm.attr_int("transB", 0) != 0;
        model.remove_node(model.index_of(gemm));

        if (trans_a) a = transposed(model, a);
        if (trans_b) b = transposed(model, b);
        const auto a_shape = model.shape(a);
        const auto b_shape = model.shape(b);
        std::optional<Shape> product_shape;
        if (a_shape && b_shape && a_shape->size() == 2 && b_shape->size() == 2)
            product_shape = Shape{(*a_shape)[0], (*b_shape)[1]};

        // ((A * B) * alpha) + (C * beta); RemoveIdentityOps drops the unit factors afterwards.
        const std::string product = qonnx::add_tensor(model, output + "_matmul", product_shape);
        model.add_node("MatMul", {a, b}, {product});
        const std::string scaled =
            c.empty() ? output : qonnx::add_tensor(model, output + "_alpha", product_shape);
        model.add_node("Mul",
                       {product, qonnx::add_constant(model, output + "_alpha_param",
                                                     Tensor::from_floats({}, {alpha}))},
                       {scaled});
        if (!c.empty()) {
            const std::string c_scaled = qonnx::add_tensor(model, c + "_beta", model.shape(c));
            model.add_node("Mul",
                           {c, qonnx::add_constant(model, output + "_beta_param",
                                                   Tensor::from_floats({}, {beta}))},
                           {c_scaled});
            if (model.datatype(c) != DataType::float32())
                model.set_datatype(c_scaled, model.datatype(c));
            model.add_node("Add", {scaled, c_scaled}, {output});
        }
        qonnx::sort_if_needed(model);
        return true;
    }
};

} // namespace

bool GemmToMatMul::run(Model& model) {
    std::vector<std::unique_ptr<RewritePattern>> patterns;
    patterns.push_back(std::make_unique<GemmPattern>());
    if (!apply_patterns_greedily(model, patterns)) return false;
    // qonnx removes the unit alpha/beta multiplications this way, and with them any other
    // identity op of the model.
    RemoveIdentityOps().run(model);
    return true;
}

} // namespace finn
