// cppsim (private to lib/hw/): runs a node through the bit-accurate C++ model of its folded
// hardware (hls/model, Finn::hls_model) on the same tensors as its reference execution. The
// conversion between tensors and stream words is written here once: a layer's file only builds
// its model's parameters from the node's attributes and initializers (with the same function its
// generate_hardware uses, see hardware_params.h).
//
// Each stream input i is packed following the layer's folded input shape i (innermost dimension =
// elements per word) and input datatype i (FINN's packing, spec finn-ops.md §4.3; BIPOLAR -1/+1
// travels as 0/1); the model turns words into words, and the words of each output j are unpacked
// following folded output shape j and output datatype j. Each result has the reference's shape
// (input 0's shape with the last dimension replaced by the normal output's, or the normal output
// shape for an input that holds flattened vectors) and the element type the graph declares for the
// output (float32 when it declares none), as the reference kernels return.
#pragma once

#include "finn/exec/kernel.h"
#include "finn/hls/element_packing.h"
#include "finn/hls/packed_word.h"
#include "finn/hls/threshold_table.h"
#include "finn/hw/hw_layer.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace finn::hw::cppsim {

// The model of a node with one stream in and one out: the words of input 0 in, of output 0 out.
using StreamModel = std::function<hls::WordStream(const HwLayer& layer, const KernelContext& ctx,
                                                  const hls::WordStream& input)>;
// The model of any node: the words of each stream input (the definition's stream_inputs: in0_V,
// in1_V, ...) in, the words of each output (out_V, or out0_V, out1_V, ...) out.
using StreamsModel = std::function<std::vector<hls::WordStream>(
    const HwLayer& layer, const KernelContext& ctx, const std::vector<hls::WordStream>& inputs)>;

// The element type of a stream of `type`; a datatype that is not an integer one throws
// finn::Error beginning with `what`. Shared by cppsim, node rtlsim and the stitched design's.
hls::ElementType stream_element_type(const DataType& type, const std::string& what);
// A tensor's values as integers of `type`, as packed into stream words; a value that is not one
// throws finn::Error beginning with `what` and naming the index.
std::vector<std::int64_t> stream_integers(const Tensor& tensor, const hls::ElementType& type,
                                          const std::string& what);

// Runs `model` on the node's stream input tensors packed into words and returns the unpacked
// output tensors: the conversion every execution of the folded hardware shares (cppsim here,
// rtlsim in node_rtlsim.cpp). `mode` prefixes the error messages.
std::vector<Tensor> run_on_streams(const KernelContext& ctx, const std::string& mode,
                                   const StreamsModel& model);

// A definition's `cppsim` kernel from its stream model.
KernelFn stream_kernel(StreamModel model);
KernelFn streams_kernel(StreamsModel model);

} // namespace finn::hw::cppsim
