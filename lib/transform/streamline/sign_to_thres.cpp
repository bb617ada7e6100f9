// FINN's ConvertSignToThres: Sign is a one-threshold MultiThreshold with outputs {-1, +1}.
#include "finn/core/datatype.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/streamline.h"
#include "streamline_util.h"

namespace finn {

namespace {

using namespace streamline;

class SignToThresPattern : public RewritePattern {
public:
    std::string_view name() const override { return "ConvertSignToThres"; }
    bool match_and_rewrite(Model& model, Node sign) override {
        if (!sign.is_standard_op("Sign") || sign.input_count() != 1 || sign.output_count() != 1)
            return false;
        const std::string input = sign.input(0);
        const std::string output = sign.output(0);
        model.remove_node(model.index_of(sign));
        // Note: np.sign(0) is 0 but MultiThreshold gives +1 for x >= 0 (as in FINN).
        const std::string thresholds =
            add_param(model, "ConvertSignToThres_param_", Tensor::from_floats({1, 1}, {0.0f}));
        Node mt = model.add_node("MultiThreshold", {input, thresholds}, {output},
                                 model.fresh_node_name("MultiThreshold"), domains::kQonnxGeneral);
        mt.set_attr_float("out_scale", 2.0f);
        mt.set_attr_float("out_bias", -1.0f);
        mt.set_attr_string("out_dtype", "BIPOLAR");
        model.set_datatype(output, DataType::bipolar());
        model.add_missing_opset_imports();
        keep_sorted(model);
        return true;
    }
};

} // namespace

bool ConvertSignToThres::run(Model& model) {
    return apply_pattern(model, std::make_unique<SignToThresPattern>());
}

} // namespace finn
