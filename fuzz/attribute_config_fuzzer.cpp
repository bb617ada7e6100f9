// Fuzzes the folding-config parser (AttributeConfig, as JSON and as YAML) and applies every config
// it accepts to a small fixed hardware graph (Thresholding -> MVAU -> LabelSelect), so that value
// typing and folding checks in ApplyConfig see fuzzed values too.
#include "finn/config/attribute_config.h"
#include "finn/core/error.h"
#include "finn/initialize.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/ir/model.h"
#include "finn/transform/dataflow.h"
#include "fuzz_input.h"

#include <vector>

namespace {

finn::Node hw(finn::Model& m, const std::string& op, const std::vector<std::string>& ins,
              const std::string& out, const std::string& name) {
    finn::Node n = m.add_node(op, ins, {out}, name, finn::domains::kFpgaDataflow);
    n.set_attr_string("backend", "fpgadataflow");
    return n;
}

finn::Model make_hw_graph() {
    finn::Model m;
    m.graph().add_input()->set_name("in");
    m.set_shape("in", {1, 8});
    m.graph().add_output()->set_name("out");
    m.set_shape("out", {1, 1});
    m.set_initializer("T", finn::Tensor::from_floats({8, 1}, std::vector<float>(8, 0.0f)));
    finn::Node th = hw(m, "Thresholding", {"in", "T"}, "a", "Thresholding_0");
    th.set_attr_int("NumChannels", 8);
    th.set_attr_int("PE", 1);
    th.set_attr_int("numSteps", 1);
    th.set_attr_string("inputDataType", "UINT8");
    th.set_attr_string("outputDataType", "BIPOLAR");
    m.set_initializer("W", finn::Tensor::from_floats({8, 4}, std::vector<float>(32, 1.0f)));
    finn::Node mv = hw(m, "MVAU", {"a", "W"}, "b", "MVAU_0");
    mv.set_attr_int("MW", 8);
    mv.set_attr_int("MH", 4);
    mv.set_attr_int("SIMD", 1);
    mv.set_attr_int("PE", 1);
    mv.set_attr_string("inputDataType", "BIPOLAR");
    mv.set_attr_string("weightDataType", "BIPOLAR");
    mv.set_attr_string("outputDataType", "INT32");
    mv.set_attr_int("noActivation", 1);
    mv.set_attr_ints("numInputVectors", {1});
    finn::Node ls = hw(m, "LabelSelect", {"b"}, "out", "LabelSelect_0");
    ls.set_attr_int("Labels", 4);
    ls.set_attr_int("PE", 1);
    ls.set_attr_int("K", 1);
    ls.set_attr_string("inputDataType", "INT32");
    ls.set_attr_string("outputDataType", "UINT8");
    return m;
}

void run(std::string_view text, bool yaml, const finn::Model& graph) {
    try {
        finn::AttributeConfig config = finn::AttributeConfig::parse(text, yaml, "fuzz");
        (void)config.to_json().dump();
        finn::Model model = graph; // ApplyConfig edits it
        finn::ApplyConfig(std::move(config), [](const std::string&) {}).run(model);
    } catch (const finn::Error&) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool initialized = (finn::initialize(), true);
    (void)initialized;
    static const finn::Model graph = make_hw_graph();
    const std::string_view text = finn::fuzz::as_text(data, size);
    run(text, false, graph);
    run(text, true, graph);
    return 0;
}
