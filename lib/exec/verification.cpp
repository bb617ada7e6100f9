#include "finn/exec/verification.h"

#include "finn/core/error.h"
#include "finn/core/npy.h"
#include "finn/exec/executor.h"
#include "finn/ir/tensor_proto.h"

#include <cmath>
#include <iostream>
#include <sstream>

namespace finn {
namespace fs = std::filesystem;

Comparison compare_tensors(const Tensor& expected, const Tensor& produced, double atol,
                           double rtol) {
    Comparison result;
    if (expected.size() != produced.size()) {
        result.summary = "shapes " + shape_to_string(expected.shape()) + " and " +
                         shape_to_string(produced.shape()) + " differ";
        return result;
    }
    auto e = expected.to_doubles();
    auto p = produced.to_doubles();
    for (std::size_t i = 0; i < e.size(); ++i) {
        double diff = std::fabs(p[i] - e[i]);
        bool nan_mismatch = std::isnan(p[i]) != std::isnan(e[i]);
        if (nan_mismatch || diff > atol + rtol * std::fabs(e[i])) ++result.mismatches;
        if (!std::isnan(diff))
            result.max_abs_difference = std::max(result.max_abs_difference, diff);
    }
    result.equal = result.mismatches == 0;
    std::ostringstream summary;
    summary << result.mismatches << " of " << e.size() << " elements differ (max |difference| "
            << result.max_abs_difference << ")";
    result.summary = summary.str();
    return result;
}

namespace {

// Sample b of a batch with a leading axis of 1, reshaped to `shape` when the sizes agree.
Tensor sample_of(const Tensor& batch, std::int64_t b, std::int64_t batch_size) {
    Shape shape = batch.shape();
    shape[0] = 1;
    Tensor sample(batch.type(), shape);
    std::size_t bytes = batch.byte_size() / static_cast<std::size_t>(batch_size);
    std::copy(batch.bytes() + bytes * static_cast<std::size_t>(b),
              batch.bytes() + bytes * static_cast<std::size_t>(b + 1), sample.bytes());
    return sample;
}

} // namespace

VerificationReport run_verification(const Model& model, const Tensor& input, const Tensor& expected,
                                    const std::string& tag, const KernelRegistry& registry) {
    VerificationReport report;
    auto say = [&](const std::string& line) { report.log_lines.push_back(line); };
    if (input.rank() == 0 || expected.rank() == 0)
        throw Error("verification " + tag + ": input and expected output need a batch axis");
    if (input.shape()[0] != expected.shape()[0])
        throw Error("Batch sizes don't match for verification IO pair (" +
                    std::to_string(input.shape()[0]) + " inputs, " +
                    std::to_string(expected.shape()[0]) + " expected outputs)");
    auto inputs = model.input_names();
    auto outputs = model.output_names();
    if (inputs.empty() || outputs.empty())
        throw Error("verification " + tag + ": the model has no graph input or output");
    const std::string& in_name = inputs[0];
    const std::string& out_name = outputs[0];
    auto in_shape = model.shape(in_name);
    bool exact = model.datatype(out_name).is_integer();

    say("Running verification for " + tag);
    Executor executor(model, registry);
    const std::int64_t n = input.shape()[0];
    for (std::int64_t b = 0; b < n; ++b) {
        Tensor x = sample_of(input, b, n);
        if (in_shape && x.shape() != *in_shape) {
            say("Verification input has shape " + shape_to_string(x.shape()) +
                " while model expects " + shape_to_string(*in_shape));
            say("Attempting to force model shape on verification input");
            x = x.reshaped(*in_shape);
        }
        int elem = model.elem_type(in_name);
        if (elem != 0) x = x.cast(element_type_from_onnx(elem, "input '" + in_name + "'"));
        Tensor produced = executor.run({{in_name, x}}).at(out_name);
        Tensor want = sample_of(expected, b, n);
        if (produced.shape() != want.shape() && produced.size() == want.size())
            produced = produced.reshaped(want.shape());
        Comparison c =
            exact ? compare_tensors(want, produced, 0.0, 0.0)
                  : compare_tensors(want, produced, kVerifyAbsTolerance, kVerifyRelTolerance);
        report.success &= c.equal;
        report.files.emplace_back(fs::path("verification_output") /
                                      ("verify_" + tag + "_" + std::to_string(b) +
                                       (c.equal ? "_SUCCESS" : "_FAIL") + ".npy"),
                                  std::move(produced));
        if (!c.equal)
            say("Verification for " + tag + " sample " + std::to_string(b) + ": " + c.summary);
    }
    say("Verification for " + tag + " : " + (report.success ? "SUCCESS" : "FAIL"));
    return report;
}

VerificationReport run_parent_verification(const Model& parent, const Model& child,
                                           const Tensor& input, const Tensor& expected,
                                           const std::string& tag) {
    KernelRegistry registry = default_kernel_registry();
    substitute_partition_child(registry, std::make_shared<const Model>(child));
    return run_verification(parent, input, expected, tag, registry);
}

bool verify_model(const Model& model, const Tensor& input, const Tensor& expected,
                  const std::string& tag, const fs::path& output_dir, const LineSink& log) {
    VerificationReport report = run_verification(model, input, expected, tag);
    for (const auto& [relative, tensor] : report.files)
        write_npy(output_dir / relative, tensor);
    for (const auto& line : report.log_lines) {
        if (log)
            log(line);
        else
            std::cout << line << "\n";
    }
    return report.success;
}

TestDataSet read_test_data_set(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw Error(dir.string() + ": not a test data directory");
    TestDataSet set;
    for (int i = 0;; ++i) {
        fs::path p = dir / ("input_" + std::to_string(i) + ".pb");
        if (!fs::exists(p, ec)) break;
        set.inputs.push_back(read_tensor_proto(p));
    }
    for (int i = 0;; ++i) {
        fs::path p = dir / ("output_" + std::to_string(i) + ".pb");
        if (!fs::exists(p, ec)) break;
        set.outputs.push_back(read_tensor_proto(p));
    }
    if (set.inputs.empty() && set.outputs.empty())
        throw Error(dir.string() + ": no input_*.pb or output_*.pb files");
    return set;
}

} // namespace finn
