// The bad-input corpus: broken models, configurations, folding configs, .npy files and command
// misuse, each given to the tool that reads it. Every case must end with exit code 1 (2 for
// usage errors), exactly one line on stderr naming the file, key or node and what was expected,
// and no file created or changed (the build log aside, which records the failure as FINN's does).
//
// The corpus is generated here rather than committed, so every case documents how it is broken.
// FINN_CORPUS_TOOLS_DIR points the tests at other builds of the tools (the sanitizer build).
#include "../build/build_test_support.h"

#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <onnx/onnx_pb.h>

namespace finn::testing {
namespace {

namespace fs = std::filesystem;

// The tools under test: this build's, or those of FINN_CORPUS_TOOLS_DIR (a build tree).
std::string tool(const std::string& name) {
    const char* dir = std::getenv("FINN_CORPUS_TOOLS_DIR");
    if (dir && *dir) {
        fs::path root = dir;
        return (name == "finn" ? root / "tools/finn" : root / "steps" / name).string();
    }
    return name == "finn" ? finn_cli() : (fs::path(FINN_STEP_DIR) / name).string();
}

void write(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
}

// --- models -------------------------------------------------------------------------------------

onnx::ValueInfoProto value_info(const std::string& name, std::vector<std::int64_t> shape) {
    onnx::ValueInfoProto v;
    v.set_name(name);
    auto* type = v.mutable_type()->mutable_tensor_type();
    type->set_elem_type(onnx::TensorProto::FLOAT);
    for (auto d : shape)
        type->mutable_shape()->add_dim()->set_dim_value(d);
    return v;
}

onnx::ModelProto model_proto() {
    onnx::ModelProto m;
    m.set_ir_version(8);
    auto* opset = m.add_opset_import();
    opset->set_domain("");
    opset->set_version(13);
    m.mutable_graph()->set_name("g");
    return m;
}

onnx::NodeProto* add_node(onnx::ModelProto& m, const std::string& op, std::vector<std::string> in,
                          std::vector<std::string> out, const std::string& name = "") {
    auto* n = m.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? op + "_0" : name);
    for (auto& i : in)
        n->add_input(i);
    for (auto& o : out)
        n->add_output(o);
    return n;
}

void add_float_initializer(onnx::ModelProto& m, const std::string& name,
                           std::vector<std::int64_t> dims) {
    auto* t = m.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    std::int64_t count = 1;
    for (auto d : dims) {
        t->add_dims(d);
        count *= d;
    }
    for (std::int64_t i = 0; i < count; ++i)
        t->add_float_data(1.0f);
}

// Relu on (1, 4): a small valid model the broken ones start from.
onnx::ModelProto relu_model() {
    onnx::ModelProto m = model_proto();
    *m.mutable_graph()->add_input() = value_info("x", {1, 4});
    *m.mutable_graph()->add_output() = value_info("y", {1, 4});
    add_node(m, "Relu", {"x"}, {"y"});
    return m;
}

std::string bytes_of(const onnx::ModelProto& m) {
    return m.SerializeAsString();
}

void annotate(onnx::ModelProto& m, const std::string& tensor, const std::string& datatype) {
    auto* a = m.mutable_graph()->add_quantization_annotation();
    a->set_tensor_name(tensor);
    auto* e = a->add_quant_parameter_tensor_names();
    e->set_key("finn_datatype");
    e->set_value(datatype);
}

// --- .npy ---------------------------------------------------------------------------------------

std::string npy(const std::string& header_dict, const std::string& data) {
    std::string header = header_dict;
    while ((10 + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    std::string out = std::string("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>(header.size() >> 8);
    return out + header + data;
}

std::string floats(std::size_t count) {
    return std::string(count * 4, '\0');
}

// --- the corpus ---------------------------------------------------------------------------------

struct Case {
    std::string name;
    // Writes the case's files into the folder and returns the command line (tools quoted).
    std::function<std::string(const fs::path&)> setup;
    int exit_code;
    // Text the one-line message must contain (file, key or node, and what was expected).
    std::string fragment;
};

std::string q(const fs::path& p) {
    return shell_quote(p.string());
}
std::string finn(const std::string& args) {
    return shell_quote(tool("finn")) + " " + args;
}
std::string step(const std::string& name, const std::string& args) {
    return shell_quote(tool("finn-step-" + name)) + " " + args;
}

// A bad model given to `finn inspect`.
Case inspect_case(std::string name, std::string bytes, std::string fragment) {
    return {name,
            [bytes](const fs::path& d) {
                write(d / "bad.onnx", bytes);
                return finn("inspect " + q(d / "bad.onnx"));
            },
            1, fragment};
}

// A bad model given to the tidy-up step (shape inference, checker, graph order).
Case step_model_case(std::string name, onnx::ModelProto model, std::string fragment) {
    std::string bytes = bytes_of(model);
    return {name,
            [bytes](const fs::path& d) {
                write(d / "bad.onnx", bytes);
                return step("tidy-up", "--in " + q(d / "bad.onnx") + " --out " + q(d / "out.onnx") +
                                           " --output-dir " + q(d / "od"));
            },
            1, fragment};
}

// A bad model run by `finn exec` on a valid input.
Case exec_model_case(std::string name, onnx::ModelProto model, std::string fragment) {
    std::string bytes = bytes_of(model);
    return {name,
            [bytes](const fs::path& d) {
                write(d / "bad.onnx", bytes);
                write(
                    d / "x.npy",
                    npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 4), }", floats(4)));
                return finn("exec " + q(d / "bad.onnx") + " --input " + q(d / "x.npy") +
                            " --output " + q(d / "y.npy"));
            },
            1, fragment};
}

// A bad build configuration given to `finn config`.
Case config_case(std::string name, std::string file, std::string text, std::string fragment) {
    return {name,
            [file, text](const fs::path& d) {
                write(d / file, text);
                return finn("config " + q(d / file));
            },
            1, fragment};
}

const char* kValidConfig = R"({"output_dir": "out", "synth_clk_period_ns": 10.0,
  "generate_outputs": ["estimate_reports"]})";

// A FINN build folder with one thing wrong, given to `finn build_dataflow`.
Case folder_case(std::string name, std::string config, bool with_model, std::string fragment) {
    return {name,
            [config, with_model](const fs::path& d) {
                if (!config.empty()) write(d / "dataflow_build_config.json", config);
                if (with_model) write(d / "model.onnx", bytes_of(relu_model()));
                return finn("build_dataflow " + q(d));
            },
            1, fragment};
}

// A bad .npy given to `finn exec` on the Relu model.
Case npy_case(std::string name, std::string bytes, std::string fragment) {
    return {name,
            [bytes](const fs::path& d) {
                write(d / "model.onnx", bytes_of(relu_model()));
                write(d / "x.npy", bytes);
                return finn("exec " + q(d / "model.onnx") + " --input " + q(d / "x.npy") +
                            " --output " + q(d / "y.npy"));
            },
            1, fragment};
}

// A bad specialize-layers config (the ApplyConfig format) for the specialize step on a hardware
// graph from the zoo.
Case specialize_config_case(std::string name, std::string text, std::string fragment);

std::vector<Case> corpus() {
    std::vector<Case> cases;
    const std::string relu = bytes_of(relu_model());

    // Models that are not models.
    cases.push_back(inspect_case("model_truncated", relu.substr(0, relu.size() / 2),
                                 "bad.onnx: not an ONNX model"));
    cases.push_back(inspect_case("model_wrong_magic", "GIF89a\x01\x02\x03 not onnx at all",
                                 "bad.onnx: not an ONNX model"));
    cases.push_back(inspect_case("model_json_text", "{\"graph\": {}}", "bad.onnx"));
    cases.push_back(inspect_case("model_empty_file", "", "bad.onnx"));
    cases.push_back({"model_is_a_directory",
                     [](const fs::path& d) {
                         fs::create_directories(d / "dir.onnx");
                         return finn("inspect " + q(d / "dir.onnx"));
                     },
                     1, "dir.onnx: is a directory"});
    cases.push_back({"model_missing",
                     [](const fs::path& d) { return finn("inspect " + q(d / "absent.onnx")); }, 1,
                     "absent.onnx: cannot open file"});

    // Graphs that are broken.
    {
        onnx::ModelProto m = relu_model();
        add_node(m, "Add", {"y", "nowhere"}, {"z"}, "Add_0");
        cases.push_back(exec_model_case("model_undefined_tensor", m, "nowhere"));
    }
    {
        onnx::ModelProto m = model_proto();
        *m.mutable_graph()->add_input() = value_info("x", {1, 4});
        *m.mutable_graph()->add_output() = value_info("b", {1, 4});
        add_node(m, "Add", {"x", "b"}, {"a"}, "Add_0");
        add_node(m, "Relu", {"a"}, {"b"}, "Relu_0");
        cases.push_back(step_model_case("model_cyclic_graph", m, "cycle"));
    }
    {
        onnx::ModelProto m = relu_model();
        m.mutable_graph()->mutable_node(0)->set_op_type("FrobnicateNd");
        cases.push_back(exec_model_case("model_unknown_op", m, "FrobnicateNd"));
    }
    {
        onnx::ModelProto m = relu_model();
        m.mutable_graph()->mutable_node(0)->set_domain("com.example.unknown");
        cases.push_back(exec_model_case("model_unknown_domain", m, "com.example.unknown"));
    }
    {
        onnx::ModelProto m = relu_model();
        annotate(m, "x", "INT99X");
        cases.push_back(step_model_case("model_bad_datatype_annotation", m, "INT99X"));
    }
    {
        onnx::ModelProto m = model_proto();
        *m.mutable_graph()->add_input() = value_info("x", {1, 4});
        *m.mutable_graph()->add_output() = value_info("y", {1, 3});
        add_float_initializer(m, "W", {5, 3});
        add_node(m, "MatMul", {"x", "W"}, {"y"});
        cases.push_back(step_model_case("model_shape_contradiction", m, "MatMul"));
    }
    {
        onnx::ModelProto m = relu_model();
        add_node(m, "Relu", {"x"}, {"y"}, "Relu_1");
        cases.push_back(step_model_case("model_tensor_written_twice", m, "y"));
    }
    {
        onnx::ModelProto m = model_proto();
        *m.mutable_graph()->add_input() = value_info("x", {1, 4});
        *m.mutable_graph()->add_output() = value_info("y", {1, 4});
        auto* t = m.mutable_graph()->add_initializer();
        t->set_name("b");
        t->set_data_type(onnx::TensorProto::FLOAT);
        t->add_dims(4);
        t->set_raw_data(std::string(7, '\0')); // 7 bytes for 4 floats
        add_node(m, "Add", {"x", "b"}, {"y"});
        cases.push_back(exec_model_case("model_initializer_size_mismatch", m, "b"));
    }
    {
        onnx::ModelProto m = relu_model();
        m.mutable_graph()->clear_output();
        cases.push_back(step_model_case("model_without_outputs", m, "output"));
    }
    {
        onnx::ModelProto m = relu_model();
        m.clear_opset_import();
        cases.push_back(step_model_case("model_without_opset", m, "opset"));
    }

    // Build configurations.
    cases.push_back(config_case("config_json_syntax", "c.json", "{\"output_dir\": \"out\",",
                                "c.json: invalid JSON"));
    cases.push_back(config_case("config_yaml_syntax", "c.yaml", "output_dir: [out\n", "c.yaml"));
    cases.push_back(config_case("config_unknown_key", "c.json",
                                R"({"output_dir": "o", "synth_clk_period_ns": 10,
                                    "generate_outputs": [], "target_fsp": 5})",
                                "unknown key 'target_fsp'; did you mean 'target_fps'?"));
    cases.push_back(
        config_case("config_wrong_type", "c.json",
                    R"({"output_dir": "o", "synth_clk_period_ns": "fast", "generate_outputs": []})",
                    "key 'synth_clk_period_ns' has type string, expected number"));
    cases.push_back(
        config_case("config_negative_clock", "c.json",
                    R"({"output_dir": "o", "synth_clk_period_ns": -10, "generate_outputs": []})",
                    "key 'synth_clk_period_ns' must be positive"));
    cases.push_back(config_case("config_zero_target_fps", "c.yaml",
                                "output_dir: o\nsynth_clk_period_ns: 10\ngenerate_outputs: []\n"
                                "target_fps: 0\n",
                                "key 'target_fps' must be positive"));
    cases.push_back(config_case("config_unknown_board", "c.json",
                                R"({"output_dir": "o", "synth_clk_period_ns": 10,
                                    "generate_outputs": [], "board": "Pynq-Z7"})",
                                "unknown board 'Pynq-Z7'"));
    cases.push_back(config_case("config_bad_enum", "c.json",
                                R"({"output_dir": "o", "synth_clk_period_ns": 10,
                                    "generate_outputs": [], "shell_flow_type": "VIVADO_ZYNQ"})",
                                "shell_flow_type"));
    cases.push_back(config_case("config_outputs_not_a_list", "c.json",
                                R"({"output_dir": "o", "synth_clk_period_ns": 10,
                                    "generate_outputs": "bitfile"})",
                                "generate_outputs"));
    cases.push_back(config_case("config_unknown_output", "c.json",
                                R"({"output_dir": "o", "synth_clk_period_ns": 10,
                                    "generate_outputs": ["bitstream"]})",
                                "bitstream"));
    cases.push_back(config_case("config_missing_required", "c.yaml",
                                "synth_clk_period_ns: 10\ngenerate_outputs: []\n",
                                "missing required key 'output_dir'"));
    cases.push_back(config_case("config_top_level_array", "c.json", "[1, 2]", "c.json"));
    cases.push_back(
        config_case("config_null_required", "c.json",
                    R"({"output_dir": null, "synth_clk_period_ns": 10, "generate_outputs": []})",
                    "output_dir"));
    cases.push_back(config_case("config_unknown_verify_step", "c.json",
                                R"({"output_dir": "o", "synth_clk_period_ns": 10,
                                    "generate_outputs": [], "verify_steps": ["cppsim"]})",
                                "cppsim"));
    cases.push_back(config_case("config_steps_not_a_list", "c.json",
                                R"({"output_dir": "o", "synth_clk_period_ns": 10,
                                    "generate_outputs": [], "steps": 3})",
                                "steps"));
    cases.push_back(config_case("config_empty_file", "c.json", "", "c.json"));
    cases.push_back(config_case("config_fraction_for_integer", "c.json",
                                R"({"output_dir": "o", "synth_clk_period_ns": 10,
                                    "generate_outputs": [], "mvau_wwidth_max": 3.5})",
                                "mvau_wwidth_max"));
    cases.push_back(config_case("config_integer_overflow", "c.json",
                                R"({"output_dir": "o", "synth_clk_period_ns": 10,
                                    "generate_outputs": [], "target_fps": 1e30})",
                                "target_fps"));
    cases.push_back(config_case("config_yaml_duplicate_key", "c.yaml",
                                "output_dir: o\nsynth_clk_period_ns: 10\nsynth_clk_period_ns: 5\n"
                                "generate_outputs: []\n",
                                "synth_clk_period_ns"));

    cases.push_back(config_case("config_json_duplicate_key", "c.json",
                                R"({"output_dir": "o", "synth_clk_period_ns": 10,
                                    "generate_outputs": [], "target_fps": 5, "target_fps": 6})",
                                "key 'target_fps' appears twice"));

    // FINN build folders.
    cases.push_back(folder_case("folder_without_model", kValidConfig, false, "ONNX not found"));
    cases.push_back(folder_case("folder_without_config", "", true, "Build config not found"));
    cases.push_back(folder_case("folder_unknown_step",
                                R"({"output_dir": "out", "synth_clk_period_ns": 10.0,
                                    "generate_outputs": [], "steps": ["step_tidy_up",
                                    "step_make_coffee"]})",
                                true, "unknown step 'step_make_coffee'"));
    cases.push_back(folder_case("folder_unknown_stop_step",
                                R"({"output_dir": "out", "synth_clk_period_ns": 10.0,
                                    "generate_outputs": [], "stop_step": "step_end"})",
                                true, "stop_step 'step_end'"));
    cases.push_back(folder_case("folder_start_at_first_step",
                                R"({"output_dir": "out", "synth_clk_period_ns": 10.0,
                                    "generate_outputs": [], "start_step": "step_qonnx_to_finn"})",
                                true, "start_step 'step_qonnx_to_finn' is the first step"));
    cases.push_back(folder_case("folder_missing_folding_config",
                                R"({"output_dir": "out", "synth_clk_period_ns": 10.0,
                                    "generate_outputs": [], "folding_config_file": "fold.json"})",
                                true, "folding_config_file"));
    cases.push_back({"folder_is_a_file",
                     [](const fs::path& d) {
                         write(d / "file", "x");
                         return finn("build_dataflow " + q(d / "file"));
                     },
                     1, "Directory not found"});

    // Specialize / folding configs (the ApplyConfig format).
    cases.push_back(specialize_config_case("apply_config_json_syntax", "{\"Defaults\": {",
                                           "spec.json: invalid JSON"));
    cases.push_back(
        specialize_config_case("apply_config_unknown_attribute",
                               R"({"Defaults": {}, "MVAU_0": {"preferred_impl_stlye": "hls"}})",
                               "has no attribute 'preferred_impl_stlye'"));
    cases.push_back(specialize_config_case(
        "apply_config_illegal_value",
        R"({"Defaults": {}, "MVAU_0": {"preferred_impl_style": "vhdl"}})",
        "MVAU_0 (MVAU, finn.custom_op.fpgadataflow): attribute 'preferred_impl_style'"));
    cases.push_back(specialize_config_case("apply_config_illegal_pe",
                                           R"({"Defaults": {}, "MVAU_1": {"PE": 7}})",
                                           "'PE' = 7 is not a legal folding value"));
    cases.push_back(specialize_config_case(
        "apply_config_wrong_type", R"({"Defaults": {}, "MVAU_1": {"PE": "eight"}})", "MVAU_1"));
    cases.push_back(specialize_config_case("apply_config_node_not_object",
                                           R"({"Defaults": {}, "MVAU_1": 4})", "MVAU_1"));
    cases.push_back(specialize_config_case("apply_config_bad_defaults",
                                           R"({"Defaults": {"PE": 4}})", "Defaults"));
    cases.push_back(specialize_config_case("apply_config_top_level_array", "[]", "spec.json"));
    cases.push_back(specialize_config_case("apply_config_illegal_ram_style",
                                           R"({"Defaults": {}, "MVAU_1": {"ram_style": "fast"}})",
                                           "ram_style"));

    // .npy inputs.
    cases.push_back(npy_case(
        "npy_wrong_shape",
        npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 5), }", floats(5)), "(1, 4)"));
    cases.push_back(npy_case(
        "npy_wrong_dtype",
        npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1, 4), }", floats(8)), "x.npy"));
    cases.push_back(npy_case(
        "npy_truncated",
        npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 4), }", floats(3)), "x.npy"));
    cases.push_back(npy_case(
        "npy_fortran_order",
        npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 4), }", floats(4)), "fortran"));
    cases.push_back(npy_case("npy_bad_magic", "NUMPY\x01\x00 this is not a numpy file", "x.npy"));
    cases.push_back(npy_case("npy_header_not_a_dict", npy("['descr', '<f4']", floats(4)), "x.npy"));
    cases.push_back(npy_case(
        "npy_negative_dimension",
        npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, -4), }", floats(4)), "x.npy"));
    cases.push_back(npy_case("npy_huge_shape",
                             npy("{'descr': '<f4', 'fortran_order': False, 'shape': "
                                 "(4000000000, 4000000000), }",
                                 floats(4)),
                             "x.npy"));

    // Command-line misuse: exit code 2.
    auto usage = [&](std::string name, std::string command, std::string fragment) {
        cases.push_back({name, [command](const fs::path&) { return command; }, 2, fragment});
    };
    usage("cli_no_command", finn(""), "usage");
    usage("cli_unknown_command", finn("frobnicate"), "unknown command 'frobnicate'");
    usage("cli_inspect_without_model", finn("inspect"), "missing model");
    usage("cli_inspect_two_models", finn("inspect a.onnx b.onnx"), "more than one model");
    usage("cli_exec_unknown_option", finn("exec m.onnx --inputs x.npy"), "--inputs");
    usage("cli_zoo_without_output", finn("zoo tfc_w1a1"), "-o");
    usage("cli_build_dataflow_without_folder", finn("build_dataflow"), "missing the build folder");
    usage("cli_step_without_in", step("tidy-up", "--out x.onnx"), "missing required argument --in");
    usage("cli_step_unknown_argument", step("tidy-up", "--in a --out b --frob"),
          "unknown argument '--frob'");
    usage("cli_step_bad_index", step("tidy-up", "--in a --out b --index 3of4"), "--index");
    cases.push_back({"cli_zoo_unknown_model",
                     [](const fs::path& d) { return finn("zoo resnet9000 -o " + q(d / "m.onnx")); },
                     1, "unknown zoo model 'resnet9000'"});
    return cases;
}

// The hardware graph the ApplyConfig cases work on: the zoo's TFC through convert_to_hw and the
// partition (node names MVAU_0 .. before specialization).
const std::string& tfc_hw_graph() {
    static const std::string bytes = [] {
        ScratchDir dir;
        std::string model = (dir / "m.onnx").string();
        run_command(finn("zoo tfc_w1a1 -o " + shell_quote(model)));
        std::string prev = model;
        for (const char* name : {"qonnx-to-finn", "tidy-up", "streamline", "convert-to-hw",
                                 "create-dataflow-partition"}) {
            std::string out = (dir / (std::string(name) + ".onnx")).string();
            CommandResult r =
                run_command(step(name, "--in " + shell_quote(prev) + " --out " + shell_quote(out) +
                                           " --output-dir " + shell_quote((dir / "od").string())));
            if (r.exit_code != 0) return std::string();
            prev = out;
        }
        std::ifstream in(prev, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }();
    return bytes;
}

Case specialize_config_case(std::string name, std::string text, std::string fragment) {
    return {name,
            [text](const fs::path& d) {
                write(d / "hw.onnx", tfc_hw_graph());
                write(d / "spec.json", text);
                write(d / "config.json",
                      R"({"fpga_part": "xc7z020clg400-1", "specialize_layers_config_file": )" +
                          nlohmann::json((d / "spec.json").string()).dump() + "}");
                return step("specialize-layers", "--in " + q(d / "hw.onnx") + " --out " +
                                                     q(d / "out.onnx") + " --config " +
                                                     q(d / "config.json") + " --output-dir " +
                                                     q(d / "od"));
            },
            1, fragment};
}

// Every file under `dir` with its bytes, except build_dataflow.log (and the folder made for it).
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_directory() || entry.path().filename() == "build_dataflow.log") continue;
        files[fs::relative(entry.path(), dir).string()] = read_bytes(entry.path());
    }
    return files;
}

// The names of the files that differ between two snapshots.
std::string changed_files(const std::map<std::string, std::string>& before,
                          const std::map<std::string, std::string>& after) {
    std::string names;
    for (const auto& [name, bytes] : after) {
        auto it = before.find(name);
        if (it == before.end() || it->second != bytes) names += " " + name;
    }
    for (const auto& [name, bytes] : before)
        if (!after.count(name)) names += " -" + name;
    return names;
}

class BadInputCorpus : public ::testing::TestWithParam<Case> {};

TEST_P(BadInputCorpus, FailsWithOneClearLineAndWritesNothing) {
    const Case& c = GetParam();
    ScratchDir dir;
    std::string command = c.setup(dir.path());
    if (c.name.rfind("apply_config", 0) == 0 && tfc_hw_graph().empty())
        FAIL() << "could not build the hardware graph the case needs";
    const auto before = snapshot(dir.path());
    CommandResult r = run_command(command);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.out << r.err;
    EXPECT_NE(r.err.find(c.fragment), std::string::npos)
        << "message does not contain '" << c.fragment << "': " << r.err;
    if (c.exit_code == 1) { // usage errors may print the usage text
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "not one line: " << r.err;
    }
    EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("Sanitizer"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("runtime error"), std::string::npos) << r.err;
    EXPECT_EQ(changed_files(before, snapshot(dir.path())), "") << "files created or changed";
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadInputCorpus, ::testing::ValuesIn(corpus()),
                         [](const auto& info) { return info.param.name; });

TEST(BadInputCorpusSize, HasAtLeastFiftyCases) {
    EXPECT_GE(corpus().size(), 50u);
}

} // namespace
} // namespace finn::testing
