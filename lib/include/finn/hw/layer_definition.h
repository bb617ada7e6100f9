// The one definition of a FINN hardware layer: everything Finn knows about the op, in one place
// (the idea of MLIR's declarative op definitions). Each layer's file in lib/hw/ builds its
// definition, lib/hw/layer_list.def lists the layers (one line each), and everything else — ONNX
// schema registration, executor kernels, SpecializeLayers, InferDataTypes, SetFolding, ApplyConfig,
// final_hw_config.json, the estimate reports — iterates over layer_definitions().
//
// Per-node behaviour that depends on attribute values (folding, shapes, stream widths, cycles,
// resources, op counts) is a virtual method of the layer's HwLayer class, which `make` builds.
#pragma once

#include "finn/exec/kernel.h"
#include "finn/hw/hw_layer.h"
#include "finn/ir/custom_op_schemas.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace finn::hls {
class PackedWord; // finn/hls/packed_word.h (Finn::hls_model), for the stream slots
} // namespace finn::hls

namespace finn::hw {

// What SpecializeLayers knows when it picks a node's variant (FINN's _determine_impl_style).
// What a layer's hardware is made of (hw_codegen): a parameterized SystemVerilog module of hls/,
// its parameter values in order, and the memory images it reads (file name -> contents).
struct HardwareModule {
    std::string module;
    std::vector<std::pair<std::string, std::string>> parameters;
    std::vector<std::pair<std::string, std::string>> memory_files;
    // Outputs beyond the streams that the node's wrapper brings out (name, width): a FIFO's depth
    // monitor `maxcount`, which FIFO sizing reads in the stitched design.
    std::vector<std::pair<std::string, std::int64_t>> monitor_outputs = {};
};

struct LayerDefinition;
struct ImplRequest {
    const LayerDefinition& layer;
    Model& model;
    const Node& node;
    const std::string& op;        // the abstract op, e.g. "MVAU"
    const std::string& fpga_part; // may be empty
    const std::string& preferred; // preferred_impl_style: "", "hls" or "rtl"
    const std::string& label;     // the node's name for warnings
    const std::function<void(std::string)>& warn;
};

struct LayerDefinition {
    // FINN's abstract op name (finn.custom_op.fpgadataflow), e.g. "MVAU".
    std::string op;
    // Older FINN spellings of the abstract op ("MatrixVectorActivation", "StreamingFCLayer_Batch").
    std::vector<std::string> legacy_names;
    int min_inputs = 1, max_inputs = 1, min_outputs = 1, max_outputs = 1;
    // Streams into the layer (one inFIFODepths entry each).
    int stream_inputs = 1;
    // FINN's implementation variants: <op>_hls in .hls, <op>_rtl in .rtl.
    bool has_hls = false, has_rtl = false;
    std::string doc;
    // ONNX shape inference of the node's outputs.
    ShapeInferenceFn infer_shapes;
    // The op's own attributes (FINN's names, types, defaults, allowed values) for one variant,
    // without HWCustomOp's common ones (hw_common_attributes()).
    std::function<std::vector<AttrDecl>(Impl)> attributes;
    // The layer's class; null for ops Finn declares but does not model yet (IODMA, TLastMarker).
    std::function<std::unique_ptr<HwLayer>(Model&, Node, Impl)> make;
    // FINN's infer_node_datatype: annotates the outputs' datatypes and records the input datatype
    // in the node's attributes; returns true when an attribute changed. Null: FINN infers nothing.
    std::function<bool(Model&, Node&)> infer_datatypes;
    // The reference ("python" exec mode) execution. Every layer computes on its normal (unfolded,
    // channels-last) shape: folding, memory and FIFO settings never change a result. Values are
    // integers in float32 containers, as in FINN; sums are exact (accumulated in double).
    // One convention goes beyond FINN's per-node Python code: tensors between nodes are always in
    // the normal order. A depthwise ConvolutionInputGenerator emits the Im2Col order (ky, kx, c),
    // and VVAU and Pool read that order whatever their producer is (FINN's VVAU re-orders its
    // input unless the producer is an abstract SWG, because its specialised SWGs emit the hardware
    // order (C/SIMD, k, SIMD)); with one order everywhere, FIFOs or width converters in between
    // change nothing.
    KernelFn execute;
    // FINN's variant choice where it depends on more than which variants exist; returns "hls" or
    // "rtl". Null: generic_impl_style.
    std::function<std::string(const ImplRequest&)> choose_impl;
    // What SpecializeLayers does to a node of an old file beyond renaming it, given the op type the
    // node had (a legacy name says what today's attributes say). Null: nothing.
    std::function<void(Node&, const std::string& old_op_type)> upgrade_legacy;

    // --- the hardware slots, filled in by the hardware library (code generation, cppsim); null
    // while a layer has no hardware yet. rtlsim needs no slot: the Verilator harness runs any
    // generated module on the layer's streams.
    // hw_codegen: the module and memory images of a node, from its layer object.
    std::function<HardwareModule(const HwLayer&)> generate_hardware;
    // cppsim: the bit-accurate model of the folded hardware, run by the executor in exec_mode
    // "cppsim" on the same tensors as `execute`.
    KernelFn cppsim;
    // rtlsim with mem_mode external: the words of the weight stream in1_V, from the weights among
    // the executor's inputs, for `in0_words` words on in0_V (the weight image once per vector).
    std::function<std::vector<hls::PackedWord>(const HwLayer&, const KernelContext&,
                                               std::size_t in0_words)>
        weight_stream;
};

// Every layer Finn defines, in layer_list.def order.
const std::vector<LayerDefinition>& layer_definitions();
// The definition of an abstract op or one of its legacy names, or nullptr.
const LayerDefinition* find_layer_definition(const std::string& op_or_legacy_name);
// The same, also for a variant's name (`<op>_hls`, `<op>_rtl`; whether the layer has that variant
// is not checked).
const LayerDefinition* find_definition_of_op_type(const std::string& op_type);

// HWCustomOp's attributes, which every hardware op has (spec/finn-ops.md §3.0).
std::vector<AttrDecl> hw_common_attributes(const LayerDefinition& layer);

// FINN's default choice among the variants that exist: rtl first without a preference, the
// preferred one when it exists, else the other with FINN's warning.
std::string generic_impl_style(const ImplRequest& request);

// Adds every layer's reference execution under all its op names (abstract, variants, legacy), and
// its cppsim model as the kernel of exec_mode "cppsim".
void register_hardware_kernels(KernelRegistry& registry);

// Registers every layer's ops (abstract, variants, legacy names) as custom ops of the IR and its
// reference execution as executor kernels. Called once at start-up by finn::initialize().
void register_hardware_dialect();

// Builds a definition's `make` for a layer class with the constructor (Model&, Node, Impl).
template <class Layer> auto make_of() {
    return [](Model& model, Node node, Impl impl) -> std::unique_ptr<HwLayer> {
        return std::make_unique<Layer>(model, node, impl);
    };
}

} // namespace finn::hw
