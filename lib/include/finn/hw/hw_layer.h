// HwLayer: one FINN hardware layer (a node of an fpgadataflow domain) seen through its op's
// declaration — attributes with FINN's defaults, folding constraints, folded shapes and stream
// widths, expected cycles, resource estimates and op/parameter counts (spec/finn-ops.md §3-5).
//
// A layer is a light view over a Node and its Model: it reads attributes live, so a pass such
// as SetFolding can set PE/SIMD on the node and ask the same layer for the new cycle count.
#pragma once

#include "finn/core/datatype.h"
#include "finn/core/tensor.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/ir/model.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace finn::hw {

enum class Impl { Abstract, Hls, Rtl };

// FINN's node_res_estimation dictionary. Efficiencies stay JSON numbers so that FINN's integer 1
// (nothing to be efficient about) and computed floats print as Python prints them.
struct Resources {
    std::int64_t bram_18k = 0;
    nlohmann::json bram_efficiency = 1;
    std::int64_t lut = 0;
    std::int64_t uram = 0;
    nlohmann::json uram_efficiency = 1;
    std::int64_t dsp = 0;
    nlohmann::ordered_json to_json() const;
};

// A folding attribute and the values it may legally take on this layer.
struct FoldingAttribute {
    std::string attr;
    std::vector<std::int64_t> legal_values;
};

// What SetFolding asks of every layer: at most `target_cycles` per frame; an MVAU's weight stream
// of one PE at most `mvau_wwidth_max` bits wide (unless its SIMD already meets the target).
struct FoldingGoal {
    std::int64_t target_cycles;
    std::int64_t mvau_wwidth_max;
};

class HwLayer {
public:
    HwLayer(Model& model, Node node, std::string abstract_op, Impl impl);
    virtual ~HwLayer() = default;
    HwLayer(const HwLayer&) = delete;
    HwLayer& operator=(const HwLayer&) = delete;

    Node& node() { return node_; }
    const Node& node() const { return node_; }
    const std::string& abstract_op() const { return abstract_op_; }
    Impl impl() const { return impl_; }

    // --- attributes: the node's value or the op's declared default; a missing required one is
    // an error naming node and attribute.
    std::int64_t get_int(const std::string& name) const;
    std::vector<std::int64_t> get_ints(const std::string& name) const;
    std::string get_string(const std::string& name) const;
    DataType get_datatype(const std::string& name) const;
    void set_int(const std::string& name, std::int64_t value) { node_.set_attr_int(name, value); }
    void set_string(const std::string& name, const std::string& value) {
        node_.set_attr_string(name, value);
    }

    // --- folding
    // The folding attributes of this layer (PE, SIMD, parallel_window ...) with their legal
    // values, e.g. MVAU: SIMD = divisors of MW, PE = divisors of MH.
    virtual std::vector<FoldingAttribute> folding_attributes() const { return {}; }
    // Throws finn::Error naming node, attribute, value and legal values when a folding attribute
    // (all of them, or only those in `only`) holds an illegal value.
    void check_folding() const;
    void check_folding(const std::set<std::string>& only) const;
    // FINN's SetFolding rule for this layer: sets its folding attributes to meet the goal. False
    // when FINN's SetFolding does not handle the layer.
    virtual bool fold(const FoldingGoal&) { return false; }

    // --- shapes and streams (§4.2)
    virtual DataType input_datatype(int index = 0) const;
    virtual DataType output_datatype(int index = 0) const;
    virtual Shape normal_input_shape(int index = 0) const;
    virtual Shape normal_output_shape(int index = 0) const;
    virtual Shape folded_input_shape(int index = 0) const;
    virtual Shape folded_output_shape(int index = 0) const;
    virtual std::int64_t instream_width(int index = 0) const;
    virtual std::int64_t outstream_width(int index = 0) const;

    // --- estimates (§5)
    // Expected cycles per frame (0 for layers FINN does not model).
    virtual std::int64_t exp_cycles() const { return 0; }
    // Why FINN's formula, which exp_cycles keeps so that folding matches FINN, does not describe
    // this node's hardware in Finn's library, or "" where it does; step_generate_estimate_reports
    // warns with it, so a known gap is never silent.
    virtual std::string exp_cycles_caveat() const { return ""; }
    // Resource estimate for an FPGA part (the part selects the DSP block kind).
    virtual Resources resources(const std::string& fpga_part) const;
    // FINN's get_op_and_param_counts: {"op_mac_<a>bx<b>b": n, "param_weight_<w>b": n, ...}.
    virtual nlohmann::ordered_json op_and_param_counts() const;
    // The alternatives estimate_layer_config_alternatives.json lists: the current settings by
    // default; MVAU/VVAU try resType dsp and lut, SWGs ram_style block, distributed, ultra.
    // The node's attributes are restored afterwards.
    virtual std::vector<Resources> resource_alternatives(const std::string& fpga_part);

    // The model the node lives in (its initializers: weights, thresholds).
    Model& model() const { return *model_; }

protected:
    const AttrDecl* declaration(const std::string& name) const;
    std::int64_t number_input_values() const;
    // Resources with one string attribute temporarily set to each of `values`.
    std::vector<Resources> resources_with(const std::string& attr,
                                          const std::vector<std::string>& values,
                                          const std::string& fpga_part);

private:
    Model* model_;
    mutable Node node_;
    std::string abstract_op_;
    Impl impl_;
    const CustomOpDecl* decl_;
};

// Positive divisors of n in increasing order (FINN's util.basic.divisors).
std::vector<std::int64_t> divisors(std::int64_t n);
std::int64_t product(const std::vector<std::int64_t>& values);
std::int64_t ceil_div(std::int64_t a, std::int64_t b);

} // namespace finn::hw
