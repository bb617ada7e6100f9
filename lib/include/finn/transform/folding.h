// Folding and bit-width passes of FINN's build flow after specialize_layers:
// SetFolding (step_target_fps_parallelization), AnnotateCycles, MinimizeWeightBitWidth and
// MinimizeAccumulatorWidth (step_minimize_bit_width), and the dataflow_performance analysis.
#pragma once

#include "finn/transform/dataflow.h"
#include "finn/transform/transformation.h"

#include <cstdint>
#include <string>

namespace finn {

// FINN's AnnotateCycles: cycles_estimate = expected cycles on every modelled hardware node.
class AnnotateCycles : public Transformation {
public:
    std::string_view name() const override { return "AnnotateCycles"; }
    bool run(Model& model) override;
};

// FINN's SetFolding (spec/finn-ops.md §6.1): per node, the smallest parallelism whose expected
// cycles are below the target (MVAU: SIMD first while the per-PE weight width stays within
// mvau_wwidth_max, then PE; VVAU/Pool: PE then SIMD, mirrored on their depthwise SWG; RTL SWG:
// parallel_window once SIMD is maxed). With two-pass relaxation, a missed target reruns once with
// the achieved bottleneck as target. Names nodes (GiveUniqueNodeNames) and annotates cycles.
class SetFolding : public Transformation {
public:
    SetFolding(std::int64_t target_cycles_per_frame, std::int64_t mvau_wwidth_max = 36,
               bool two_pass_relaxation = true, DiagnosticSink warn = {})
        : target_(target_cycles_per_frame), mvau_wwidth_max_(mvau_wwidth_max),
          two_pass_(two_pass_relaxation) {
        set_diagnostics(std::move(warn));
    }
    std::string_view name() const override { return "SetFolding"; }
    bool run(Model& model) override;

private:
    void fold_pass(Model& model, std::int64_t target);
    std::int64_t target_;
    std::int64_t mvau_wwidth_max_;
    bool two_pass_;
};

// FINN's MinimizeWeightBitWidth: weightDataType of MVAU/VVAU := smallest type holding the
// weights (unless runtime-writeable). BIPOLAR weights are kept: FINN would call {-1, +1}
// "INT2", which changes how a BIPOLAR x BIPOLAR layer computes.
class MinimizeWeightBitWidth : public Transformation {
public:
    std::string_view name() const override { return "MinimizeWeightBitWidth"; }
    bool run(Model& model) override;
};

// FINN's MinimizeAccumulatorWidth (spec §7.6) for MVAU, VVAU and Thresholding, with the true
// accumulator range; see minimize_bit_width.cpp for where this knowingly differs from FINN.
class MinimizeAccumulatorWidth : public Transformation {
public:
    explicit MinimizeAccumulatorWidth(DiagnosticSink warn = {}) {
        set_diagnostics(std::move(warn));
    }
    std::string_view name() const override { return "MinimizeAccumulatorWidth"; }
    bool run(Model& model) override;
};

// FINN's dataflow_performance over the cycles_estimate annotations of hls/rtl nodes.
struct DataflowPerformance {
    std::int64_t critical_path_cycles = 0;
    std::int64_t max_cycles = 0;
    std::string max_cycles_node_name;
};
DataflowPerformance dataflow_performance(const Model& model);

} // namespace finn
