// The passes that make a dataflow partition stitchable, which step_set_fifo_depths starts with
// (spec/finn-ops.md §6.2-6.4): InsertDWC puts a width converter where two hardware layers'
// streams differ in width, InsertFIFO puts FIFOs on the edges (and at the graph's input and
// output) as the layers' inFIFODepths/outFIFODepths ask.
//
// Both insert FINN's abstract nodes (domain finn.custom_op.fpgadataflow, backend fpgadataflow):
// SpecializeLayers then picks the variant as FINN does (DWC: rtl when one width divides the other,
// else hls; FIFO: rtl). New nodes are named like GiveUniqueNodeNames names them (FINN leaves them
// unnamed until the step renames every node); new tensors get deterministic fresh names (FINN's
// are random) with their shape and finn_datatype recorded.
#pragma once

#include "finn/transform/transformation.h"

#include <cstdint>
#include <optional>
#include <string>

namespace finn {

// FINN's InsertDWC. For every fpgadataflow node (not a DWC, not an IODMA) and each of its outputs
// read by such a node: when the producer's folded output and the consumer's folded input (at the
// input the tensor enters) differ in their innermost dimension, a StreamingDataWidthConverter with
// shape = producer's normal output shape, inWidth = producer's output stream width, outWidth =
// consumer's input stream width, dataType = producer's output datatype. An output read by more
// than one node is an error (FINN: "cannot be stitched"). Where FINN takes the consumer's stream
// width of input 0 whatever input the tensor enters (wrong only for an external-weight MVAU fed
// by a hardware node), Finn takes the input's own width.
class InsertDWC : public Transformation {
public:
    std::string_view name() const override { return "InsertDWC"; }
    bool run(Model& model) override;
};

// FINN's InsertFIFO(create_shallow_fifos, max_qsrl_depth, vivado_ram_style):
// - every edge between fpgadataflow nodes (neither a StreamingFIFO) gets a StreamingFIFO of depth
//   max(producer outFIFODepths[out], consumer inFIFODepths[in]) when that depth is > 2 or
//   create_shallow_fifos; folded_shape, normal_shape and dataType from the producer's output;
//   impl_style "rtl" when max_qsrl_depth is unset or depth <= max_qsrl_depth, else "vivado";
//   ram_style = vivado_ram_style. The two folded shapes must agree in innermost dimension and
//   size (else an error: run InsertDWC first). An output read by several nodes is warned about
//   and only its first reader gets the FIFO, as in FINN.
// - when no edge needed a FIFO (FINN adds them in the round after the edges, since its
//   transformations repeat until nothing changes, so the outcome is the same): a FIFO in front of
//   the first reader of every graph input (depth inFIFODepths, its folded input shape) and behind
//   the producer of every graph output (outFIFODepths), unless that node is a StreamingFIFO or an
//   IODMA, and only when depth > 2 or create_shallow_fifos (else FINN's warning); always rtl.
// Returns true when any FIFO was inserted, so a second run changes nothing.
class InsertFIFO : public Transformation {
public:
    explicit InsertFIFO(bool create_shallow_fifos = false,
                        std::optional<std::int64_t> max_qsrl_depth = std::nullopt,
                        std::string vivado_ram_style = "auto", DiagnosticSink warn = {})
        : create_shallow_fifos_(create_shallow_fifos), max_qsrl_depth_(max_qsrl_depth),
          vivado_ram_style_(std::move(vivado_ram_style)) {
        set_diagnostics(std::move(warn));
    }
    std::string_view name() const override { return "InsertFIFO"; }
    bool run(Model& model) override;

private:
    bool insert_edge_fifos(Model& model);
    bool insert_io_fifos(Model& model);
    bool create_shallow_fifos_;
    std::optional<std::int64_t> max_qsrl_depth_;
    std::string vivado_ram_style_;
};

} // namespace finn
