// The hardware of the pooling and subsampling layers at node level: generate_hardware gives each
// node's module and parameters (the node folder passes `verilator --lint-only -Wall`), and a node's
// folder built as step_hw_ipgen builds it runs in exec_mode "rtlsim" equal to its reference
// execution and to exec_mode "cppsim" (Verilator and make needed, else skipped).
#include "finn/exec/executor.h"
#include "finn/hw/layer_definition.h"
#include "finn/hw/registry.h"
#include "finn/hw/rtlsim.h"
#include "finn/hwgen/node_codegen.h"
#include "finn/hwgen/verilator.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/ir/tensor_proto.h"
#include "finn/util/file_io.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <random>

namespace finn {
namespace {

namespace fs = std::filesystem;

// A one-node model reading graph input "x" of `shape`, its attributes set by `attributes`.
Model one_node(const std::string& op, const Shape& shape,
               const std::function<void(Node&)>& attributes) {
    Model model = testing::dataflow_model(domains::kFpgaDataflowHls, shape);
    Node n = model.add_node(op, {"x"}, {"y"}, op + "_0", domains::kFpgaDataflowHls);
    n.set_attr_string("backend", "fpgadataflow");
    attributes(n);
    return model;
}

hwgen::NodeFiles generate(Model& model) {
    auto layer = hw::require_layer(model, model.node(0));
    return hwgen::generate_node_files(*layer,
                                      *hw::find_definition_of_op_type(model.node(0).op_type()));
}

std::string wrapper_of(const hwgen::NodeFiles& files) {
    for (const auto& [path, bytes] : files.files)
        if (path == files.top + ".sv") return bytes;
    ADD_FAILURE() << "no wrapper";
    return {};
}

Tensor random_input(std::mt19937_64& rng, const Shape& shape, std::int64_t lo, std::int64_t hi) {
    std::int64_t count = 1;
    for (std::int64_t d : shape)
        count *= d;
    std::vector<float> values(static_cast<std::size_t>(count));
    for (auto& v : values)
        v = static_cast<float>(std::uniform_int_distribution<std::int64_t>(lo, hi)(rng));
    return Tensor::from_floats(shape, values);
}

Tensor run(Model model, const std::string& exec_mode, const Tensor& x) {
    model.node(0).set_attr_string("exec_mode", exec_mode);
    Executor executor(model);
    return executor.run({{"x", x}}).at("y");
}

struct NodeCase {
    std::string op;
    Shape shape;
    std::function<void(Node&)> attributes;
    std::int64_t lo, hi; // the input's value range
    std::string module;
    std::vector<std::string> parameters; // expected in the wrapper
};

std::vector<NodeCase> node_cases() {
    return {
        {"StreamingMaxPool_hls",
         {1, 1, 9, 4},
         [](Node& n) {
             n.set_attr_ints("ImgDim", {1, 9});
             n.set_attr_ints("PoolDim", {1, 2});
             n.set_attr_int("NumChannels", 4);
             n.set_attr_int("PE", 2);
             n.set_attr_int("CeilMode", 1);
             n.set_attr_string("dataType", "INT4");
         },
         -8,
         7,
         "streaming_maxpool",
         {".HEIGHT(1)", ".WIDTH(9)", ".KW(2)", ".CEIL_MODE(1)", ".PE(2)", ".BITS(4)",
          ".SIGNED(1)"}},
        {"Pool_hls",
         {1, 2, 2, 9 * 4},
         [](Node& n) {
             n.set_attr_int("Channels", 4);
             n.set_attr_int("PE", 2);
             n.set_attr_ints("KernelSize", {3, 3});
             n.set_attr_string("Function", "QuantAvgPool");
             n.set_attr_ints("OutImgDims", {2, 2});
             n.set_attr_string("InputDataType", "UINT4");
             n.set_attr_string("OutputDataType", "UINT4");
         },
         0,
         15,
         "pool",
         {".K(9)", ".FUNCTION(\"QuantAvgPool\")", ".SHIFT(4)", ".OUT_BITS(4)"}},
        {"DownSampler_hls",
         {1, 5, 5, 6},
         [](Node& n) {
             n.set_attr_int("ImgDim", 5);
             n.set_attr_int("NumChannels", 6);
             n.set_attr_int("SIMD", 3);
             n.set_attr_int("Stride", 2);
             n.set_attr_string("inputDataType", "UINT3");
         },
         0,
         7,
         "downsampler",
         {".HEIGHT(5)", ".WIDTH(5)", ".SIMD(3)", ".STRIDE(2)", ".BITS(3)"}},
        {"GlobalAccPool_hls",
         {1, 3, 2, 4},
         [](Node& n) {
             n.set_attr_int("NumChannels", 4);
             n.set_attr_int("PE", 2);
             n.set_attr_string("inputDataType", "INT4");
             n.set_attr_ints("numInputVectors", {1, 3, 2});
         },
         -8,
         7,
         "global_acc_pool",
         {".PIXELS(6)", ".PE(2)", ".IN_BITS(4)", ".OUT_BITS(7)"}},
    };
}

TEST(PoolLayersHardware, ModulesAndParametersFromTheNodes) {
    const bool lint = testing::verilator_available();
    testing::ScratchDir dir;
    for (const NodeCase& c : node_cases()) {
        SCOPED_TRACE(c.op);
        Model model = one_node(c.op, c.shape, c.attributes);
        const auto files = generate(model);
        const std::string wrapper = wrapper_of(files);
        EXPECT_NE(wrapper.find(c.module + " #("), std::string::npos) << wrapper;
        for (const std::string& parameter : c.parameters)
            EXPECT_NE(wrapper.find(parameter), std::string::npos) << parameter << "\n" << wrapper;
        bool has_own_source = false;
        for (const std::string& source : files.rtl_sources)
            has_own_source |= source == "rtl/" + c.module + "/" + c.module + ".sv";
        EXPECT_TRUE(has_own_source);
        if (!lint) continue;
        for (const auto& [path, bytes] : files.files)
            write_file_if_changed(dir / files.top / path, bytes);
        EXPECT_NO_THROW(
            hwgen::lint_node(hwgen::require_verilator("the test"), dir / files.top, files.top));
    }
}

// Each node's folder is compiled and linked against one shared rtlsim runtime as step_hw_ipgen
// does; its rtlsim output equals the reference execution and cppsim for random data.
TEST(PoolLayersHardware, NodeRtlsimEqualsReferenceAndCppsim) {
    FINN_REQUIRE_VERILATOR();
    const std::string verilator = hwgen::require_verilator("the test");
    testing::ScratchDir dir;
    hw::set_generated_hardware_root(dir.path());
    const fs::path runtime = dir / hwgen::kRtlsimRuntimeFolder;
    hwgen::build_rtlsim_runtime(verilator, runtime);
    std::mt19937_64 rng(2024);
    for (const NodeCase& c : node_cases()) {
        SCOPED_TRACE(c.op);
        Model model = one_node(c.op, c.shape, c.attributes);
        const auto files = generate(model);
        const fs::path node_dir = dir / hwgen::kHardwareFolder / files.top;
        for (const auto& [path, bytes] : files.files)
            write_file_if_changed(node_dir / path, bytes);
        hwgen::compile_node_rtlsim(verilator, node_dir, files.top);
        hwgen::link_node_rtlsim(node_dir, files.top, runtime / hwgen::kRtlsimRuntimeLibrary);
        model.node(0).set_attr_string("ipgen_path",
                                      std::string(hwgen::kHardwareFolder) + "/" + files.top);
        for (int round = 0; round < 3; ++round) {
            const Tensor x = random_input(rng, c.shape, c.lo, c.hi);
            const Tensor reference = run(model, "", x);
            const Tensor rtlsim = run(model, "rtlsim", x);
            EXPECT_EQ(rtlsim.shape(), reference.shape());
            EXPECT_EQ(rtlsim.to_doubles(), reference.to_doubles());
            EXPECT_EQ(run(model, "cppsim", x).to_doubles(), reference.to_doubles());
        }
    }
    hw::set_generated_hardware_root(".");
}

} // namespace
} // namespace finn
