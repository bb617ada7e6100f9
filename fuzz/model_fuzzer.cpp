// Fuzzes the ONNX model loader: parse, structure validation, then ONNX shape inference with the
// FINN/QONNX schemas. finn::Error is the expected outcome for bad bytes; anything else escaping
// (or a sanitizer report) is a finding.
#include "finn/core/error.h"
#include "finn/initialize.h"
#include "finn/ir/model.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool initialized = (finn::initialize(), true);
    (void)initialized;
    try {
        finn::Model model = finn::Model::parse(finn::fuzz::as_text(data, size), "fuzz");
        // Steps validate first, so shape inference only ever sees structurally valid graphs.
        model.validate_structure("fuzz");
        model.infer_shapes();
    } catch (const finn::Error&) {
    }
    return 0;
}
