// FINN's RoundAndClipThresholds: on an integer input, x >= t exactly when x >= ceil(t); thresholds
// below the input's range always hold and those above never do, so min-1 and max+1 serve for
// them (and for an unsigned input 0 for every negative one).
#include "finn/transform/streamline.h"
#include "streamline_util.h"

#include <algorithm>
#include <cmath>

namespace finn {

namespace {

using namespace streamline;

class RoundAndClipThresholdsPattern : public RewritePattern {
public:
    std::string_view name() const override { return "RoundAndClipThresholds"; }
    bool match_and_rewrite(Model& model, Node mt) override {
        if (!mt.is_general_op("MultiThreshold") || mt.input_count() != 2 ||
            !model.has_initializer(mt.input(1)))
            return false;
        const DataType input_type = model.datatype(mt.input(0));
        if (!input_type.is_integer()) return false;
        const Tensor t = model.initializer(mt.input(1));
        const double low = input_type.min() - 1, high = input_type.max() + 1;
        auto values = t.to_doubles();
        for (double& v : values) {
            v = std::ceil(v);
            if (!input_type.is_signed()) v = std::max(v, 0.0);
            v = std::clamp(v, low, high);
        }
        // Compared in the thresholds' own type, so a bound it cannot hold exactly settles.
        const Tensor rounded = Tensor::from_doubles(t.type(), t.shape(), values);
        if (rounded == t) return false;
        const std::string name = write_param(model, mt, 1, rounded);
        model.set_datatype(name, input_type);
        return true;
    }
};

} // namespace

bool RoundAndClipThresholds::run(Model& model) {
    return apply_pattern(model, std::make_unique<RoundAndClipThresholdsPattern>());
}

} // namespace finn
