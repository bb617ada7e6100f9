// Verification: comparing what a model computes with expected outputs, the way FINN's builder
// does after a step (finn-builder.md §4), and the ONNX test-data sets used as references.
#pragma once

#include "finn/core/tensor.h"
#include "finn/exec/kernel.h"
#include "finn/ir/model.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace finn {

struct Comparison {
    bool equal = false;
    std::int64_t mismatches = 0;
    double max_abs_difference = 0.0;
    // "3 of 10 elements differ (max |difference| 2)" or "shapes (1, 10) and (1, 5) differ".
    std::string summary;
};

// The tolerance for float outputs: FINN's numpy.isclose(expected, produced, atol=1e-3), whose
// default rtol is 1e-5. Integer outputs are compared exactly.
constexpr double kVerifyAbsTolerance = 1e-3;
constexpr double kVerifyRelTolerance = 1e-5;

// Element-wise comparison: |produced - expected| <= atol + rtol * |expected| (exact when both
// tolerances are 0). Shapes must have the same number of elements; the produced tensor is read in
// the expected tensor's shape, as FINN reshapes it.
Comparison compare_tensors(const Tensor& expected, const Tensor& produced, double atol,
                           double rtol);

// What one verification produced: the files FINN writes (relative to the output directory) and
// the lines it logs. Computing and writing are separate so that a step tool can stage the files
// with its other outputs (nothing is written if the step fails).
struct VerificationReport {
    bool success = true;
    std::vector<std::pair<std::filesystem::path, Tensor>> files;
    std::vector<std::string> log_lines;
};

// FINN's verify_step for one model: for each sample b (first axis of `input` and `expected`) runs
// the model, compares its first output with the expected sample — exactly when the output's
// finn_datatype is an integer type, else with FINN's tolerance — and records
// `verification_output/verify_<tag>_<b>_<SUCCESS|FAIL>.npy` holding the produced output, and the
// line "Verification for <tag> : SUCCESS|FAIL". A failed comparison is a result, not an error;
// bad inputs (batch sizes differ, shapes that cannot be reshaped) throw finn::Error.
VerificationReport run_verification(const Model& model, const Tensor& input, const Tensor& expected,
                                    const std::string& tag,
                                    const KernelRegistry& registry = default_kernel_registry());

// FINN's parent-mode verification (verify_step with need_parent): the same for `parent` (FINN's
// dataflow_parent.onnx) run with its StreamingDataflowPartition computing `child`, the checkpoint
// under verification, instead of the model the node's attribute names.
VerificationReport run_parent_verification(const Model& parent, const Model& child,
                                           const Tensor& input, const Tensor& expected,
                                           const std::string& tag);

// Receives the report's lines (a step passes its build log's writer).
using LineSink = std::function<void(const std::string&)>;

// run_verification, then writes the files under `output_dir` and the lines to `log` (or stdout).
// Returns true when every sample matched.
bool verify_model(const Model& model, const Tensor& input, const Tensor& expected,
                  const std::string& tag, const std::filesystem::path& output_dir,
                  const LineSink& log = {});

// An ONNX test-data folder (test_data_set_N/input_K.pb, output_K.pb), in index order.
struct TestDataSet {
    std::vector<onnx::TensorProto> inputs;
    std::vector<onnx::TensorProto> outputs;
};
TestDataSet read_test_data_set(const std::filesystem::path& dir);

} // namespace finn
