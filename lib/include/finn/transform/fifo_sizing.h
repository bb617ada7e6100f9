// The passes step_set_fifo_depths sizes and tidies the FIFOs with (spec/finn-ops.md §6.4), after
// InsertDWC and InsertFIFO (stream_insertion.h) have put them in:
// - RemoveShallowFIFOs, SplitLargeFIFOs, CapConvolutionFIFODepths: FINN's passes of those names;
// - FINN's InsertAndSetFIFODepths (strategy largefifo_rtlsim) as two halves around the stitched
//   design's simulation, which Finn runs elsewhere (finn/hwgen/fifo_occupancy.h):
//   insert_monitored_fifos puts in tensor-sized FIFOs that record their peak occupancy, and
//   set_fifo_depths_from_occupancy sizes them from the occupancies the simulation observed.
#pragma once

#include "finn/transform/transformation.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace finn {

// FINN's RemoveShallowFIFOs(shallow_threshold): every StreamingFIFO whose depth is <=
// `shallow_threshold` is bypassed and removed, except one reading a graph input (FINN: "never
// the first node"). Its reader then reads the FIFO's input; a FIFO writing a graph output gives
// that output to its producer. A FIFO read by several nodes is an error.
class RemoveShallowFIFOs : public Transformation {
public:
    explicit RemoveShallowFIFOs(std::int64_t shallow_threshold = 0)
        : shallow_threshold_(shallow_threshold) {}
    std::string_view name() const override { return "RemoveShallowFIFOs"; }
    bool run(Model& model) override;

private:
    std::int64_t shallow_threshold_;
};

// How SplitLargeFIFOs splits a FIFO of `depth` words: (depth, impl_style) per piece. A depth <=
// max_qsrl_depth stays one rtl FIFO; a deeper one is cut into chunks of at most max_vivado_depth
// (the Vivado AXI-Stream FIFO's limit), and every chunk deeper than max_qsrl_depth into powers of
// two, largest first (8196 -> 8192 + 4); pieces <= max_qsrl_depth are rtl, the others vivado.
std::vector<std::pair<std::int64_t, std::string>>
fifo_split_configs(std::int64_t depth, std::int64_t max_qsrl_depth = 256,
                   std::int64_t max_vivado_depth = 32768);

// FINN's SplitLargeFIFOs: every StreamingFIFO whose fifo_split_configs has several pieces becomes
// a chain of FIFOs of those depths and styles (same stream, same ram_style), in its place; then
// GiveUniqueNodeNames and GiveReadableTensorNames when anything changed.
class SplitLargeFIFOs : public Transformation {
public:
    explicit SplitLargeFIFOs(std::int64_t max_qsrl_depth = 256,
                             std::int64_t max_vivado_depth = 32768)
        : max_qsrl_depth_(max_qsrl_depth), max_vivado_depth_(max_vivado_depth) {}
    std::string_view name() const override { return "SplitLargeFIFOs"; }
    bool run(Model& model) override;

private:
    std::int64_t max_qsrl_depth_, max_vivado_depth_;
};

// FINN's optimize_depth: the depth a FIFO gets for an observed peak occupancy. Shift-register
// FIFOs gain nothing below 32 words, so <= 2 -> 2, <= 32 -> 32, anything larger as observed.
std::int64_t optimize_fifo_depth(std::int64_t occupancy);

// FINN's CapConvolutionFIFODepths: a FIFO from a ConvolutionInputGenerator to an MVAU is at most
// one output row of the generator (which buffers a row itself): depth := min(depth,
// optimize_fifo_depth(W * fold)), W and fold the FIFO's folded shape [1, H, W, fold, SIMD];
// impl_style vivado (ram_style auto) when the new depth is > max_qsrl_depth, else rtl.
class CapConvolutionFIFODepths : public Transformation {
public:
    explicit CapConvolutionFIFODepths(std::int64_t max_qsrl_depth = 256)
        : max_qsrl_depth_(max_qsrl_depth) {}
    std::string_view name() const override { return "CapConvolutionFIFODepths"; }
    bool run(Model& model) override;

private:
    std::int64_t max_qsrl_depth_;
};

// What insert_monitored_fifos changed that set_fifo_depths_from_occupancy must undo.
struct FifoMonitoring {
    // MVAU/VVAU nodes switched from mem_mode external to internal_decoupled, by name.
    std::vector<std::string> decoupled_nodes;
};

// The first half of FINN's InsertAndSetFIFODepths on a dataflow partition of specialized
// hardware nodes without FIFOs (else an error naming the node): every node's inFIFODepths and
// outFIFODepths := the size of its folded stream (prod(folded shape[:-1])); an MVAU/VVAU with
// mem_mode external is switched to internal_decoupled (warned about), so the simulated design has
// one data input; then InsertDWC, InsertFIFO(create_shallow_fifos), SpecializeLayers(fpga_part),
// GiveUniqueNodeNames, GiveReadableTensorNames; every FIFO is rtl with depth_monitor = 1.
FifoMonitoring insert_monitored_fifos(Model& model, const std::string& fpga_part,
                                      DiagnosticSink warn = {});

struct FifoDepthOptions {
    std::int64_t max_qsrl_depth = 256;     // deeper FIFOs are Vivado FIFOs
    std::string vivado_ram_style = "auto"; // their ram_style (large_fifo_mem_style)
    bool swg_exception = false;            // CapConvolutionFIFODepths (default_swg_exception)
};

// The second half, given each FIFO's peak occupancy by node name (every FIFO must have one):
// depth := optimize_fifo_depth(occupancy), depth_monitor := 0; impl_style vivado with
// vivado_ram_style when depth > max_qsrl_depth and the FIFO does not read a graph input or write
// a graph output, else rtl; the mem_mode switch undone; CapConvolutionFIFODepths when
// swg_exception; RemoveShallowFIFOs; every other node's inFIFODepths/outFIFODepths := the depths
// of the FIFOs beside its streams (0 where there is none).
void set_fifo_depths_from_occupancy(Model& model,
                                    const std::map<std::string, std::int64_t>& occupancy,
                                    const FifoMonitoring& monitoring,
                                    const FifoDepthOptions& options = {});

// --- strategy characterize (FINN's DeriveCharacteristic + DeriveFIFOSizes) ---------------------

// A node's transfer characteristic over two periods, per stream: entry t is how many words the
// stream has transferred by cycle t (FINN's io_chrc_in / io_chrc_out).
struct IoCharacteristic {
    std::vector<std::vector<std::int64_t>> inputs, outputs;
};

// FINN's accumulation: `transfers` holds 1/0 per cycle of one period (shorter: zero-padded; longer
// than `period` is an error), repeated twice and summed: c[0] = x[0], c[t] = c[t-1] + x[t mod
// period] for t < 2 * period.
std::vector<std::int64_t> accumulate_characteristic(const std::vector<std::int64_t>& transfers,
                                                    std::int64_t period);

// The FIFO a producer's output needs in front of a consumer's input, from their characteristics
// (2 * period entries each): the smallest shift s in [0, period) for which the producer is
// ahead, producer[s + i] >= consumer[i] for i < period - s (period - 1 if none), then the largest
// producer[s + i] - consumer[i] over i < period.
std::int64_t fifo_depth_between(const std::vector<std::int64_t>& producer,
                                const std::vector<std::int64_t>& consumer, std::int64_t period);

// A fork that joins again (DuplicateStreams ... AddStreams, a residual block): each node's
// characteristic is measured alone, with input always there, so it cannot show that the join
// waits for the longer branch while the fork keeps writing into the shorter one (the bypass); a
// bypass FIFO sized from the characteristics deadlocks the design. FINN copies characteristics
// along the bypass by hand (manual_bypass); Finn gives every branch with fewer compute nodes than
// the longest one a FIFO of one frame of its stream (outFIFODepths of the fork): the longer
// branch cannot hold back more than a frame, so the design never deadlocks there.
void size_fork_bypasses(Model& model);

// FINN's DeriveFIFOSizes over a partition without FIFOs, given every node's characteristic by
// name: a node with an outFIFODepths entry > 2 keeps its depths; otherwise outFIFODepths :=
// fifo_depth_between(its first output's characteristic, the reader's first input's) per output
// (io_fifo_depth where no node reads it), and every input that is a graph input gets an
// inFIFODepths entry of at least io_fifo_depth. InsertFIFO then puts the FIFOs in.
// Then size_fork_bypasses (Finn's rule where FINN needs manual_bypass characteristics).
void derive_fifo_sizes(Model& model, const std::map<std::string, IoCharacteristic>& characteristics,
                       std::int64_t period, std::int64_t io_fifo_depth = 32);

} // namespace finn
