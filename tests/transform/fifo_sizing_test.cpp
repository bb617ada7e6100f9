// The FIFO sizing passes of step_set_fifo_depths (spec/finn-ops.md §6.4) on zoo nets folded by
// SetFolding, with the FIFOs InsertDWC and InsertFIFO put in: SplitLargeFIFOs, RemoveShallowFIFOs,
// CapConvolutionFIFODepths and the two halves of InsertAndSetFIFODepths, driven with synthetic
// occupancies (the simulation is another component's). Expectations are derived from the
// models' attributes before each pass; every model must still compute what it computed.
#include "finn/core/error.h"
#include "finn/exec/executor.h"
#include "finn/exec/verification.h"
#include "finn/hw/registry.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/convert_to_hw.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/fifo_sizing.h"
#include "finn/transform/folding.h"
#include "finn/transform/qonnx_to_finn.h"
#include "finn/transform/stream_insertion.h"
#include "finn/transform/streamline.h"
#include "finn/transform/tidy_up.h"
#include "finn/zoo/zoo.h"

#include <gtest/gtest.h>
#include <map>
#include <numeric>
#include <set>

namespace finn {
namespace {

const char* kPart = "xc7z020clg400-1";

struct Net {
    Model model;
    Tensor input;
};

Tensor run(const Model& model, const Tensor& input) {
    return Executor(model)
        .run_batched({{model.input_names()[0], input}})
        .at(model.output_names()[0]);
}

void expect_same_output(const Model& model, const Net& net, const Tensor& reference) {
    Comparison c = compare_tensors(reference, run(model, net.input), 0, 0);
    EXPECT_TRUE(c.equal) << c.summary;
}

// A zoo net's dataflow partition folded by SetFolding for `target` cycles per frame.
Net folded_zoo_net(const std::string& name, std::int64_t target) {
    Model model = make_zoo_model(name, 1);
    qonnx_to_finn_step_pipeline().run(model);
    tidy_up_step_pipeline().run(model);
    streamline_step_pipeline().run(model);
    convert_to_hw_step_pipeline(false).run(model);
    Model child = std::move(create_dataflow_partition(model).child);
    SpecializeLayers(kPart).run(child);
    SetFolding(target, 36, true).run(child);
    MinimizeWeightBitWidth().run(child);
    MinimizeAccumulatorWidth().run(child);
    InferDataTypes().run(child);
    Tensor input = make_zoo_input(child, 1);
    return {std::move(child), std::move(input)};
}

// step_set_fifo_depths without auto sizing: a FIFO on every stream.
Model with_fifos(Model model) {
    InsertDWC().run(model);
    InsertFIFO(true).run(model);
    SpecializeLayers(kPart).run(model);
    GiveUniqueNodeNames().run(model);
    GiveReadableTensorNames().run(model);
    return model;
}

bool is_fifo(const Node& n) {
    return n.op_type().rfind("StreamingFIFO", 0) == 0;
}

std::vector<Node> fifos(Model& model) {
    std::vector<Node> result;
    for (Node n : model.nodes())
        if (is_fifo(n)) result.push_back(n);
    return result;
}

std::int64_t words(const Shape& folded) {
    return std::accumulate(folded.begin(), folded.end() - 1, std::int64_t{1}, std::multiplies<>());
}

bool power_of_two(std::int64_t x) {
    return x > 0 && (x & (x - 1)) == 0;
}

// --- SplitLargeFIFOs ----------------------------------------------------------------------------

TEST(FifoSplitConfigs, PiecesAddUpAndDeepPiecesArePowersOfTwo) {
    // FINN's own example (spec): 8196 -> 8192 + 4.
    using Pieces = std::vector<std::pair<std::int64_t, std::string>>;
    EXPECT_EQ(fifo_split_configs(8196), (Pieces{{8192, "vivado"}, {4, "rtl"}}));
    EXPECT_EQ(fifo_split_configs(256), (Pieces{{256, "rtl"}}));
    EXPECT_EQ(fifo_split_configs(1024), (Pieces{{1024, "vivado"}}));
    for (std::int64_t depth : {1, 257, 300, 4097, 32768, 32769, 70001, 100000}) {
        SCOPED_TRACE(depth);
        const auto pieces = fifo_split_configs(depth);
        std::int64_t sum = 0;
        for (const auto& [d, style] : pieces) {
            sum += d;
            EXPECT_LE(d, 32768);
            EXPECT_EQ(style, d <= 256 ? "rtl" : "vivado");
            if (d > 256) {
                EXPECT_TRUE(power_of_two(d)) << d;
            }
        }
        EXPECT_EQ(sum, depth);
        // Largest first: whole chunks, then the powers of two of the rest.
        for (std::size_t k = 1; k < pieces.size(); ++k)
            EXPECT_LE(pieces[k].first, pieces[k - 1].first);
    }
}

TEST(SplitLargeFIFOs, ChainReplacesDeepFifoAndComputesTheSame) {
    Net net = folded_zoo_net("tfc_w1a1", 20000);
    Model model = with_fifos(net.model);
    const Tensor reference = run(net.model, net.input);
    std::vector<Node> before = fifos(model);
    ASSERT_GE(before.size(), 3u);
    const std::string deep = before[1].name(), deep_in = before[1].input(0);
    const Shape folded = before[1].attr_ints("folded_shape");
    before[1].set_attr_int("depth", 8196);
    before[1].set_attr_string("ram_style", "block");
    const int nodes = model.node_count();
    ASSERT_TRUE(SplitLargeFIFOs().run(model));
    EXPECT_EQ(model.node_count(), nodes + 1);
    // The producer of the deep FIFO's input now feeds a chain 8192 (vivado) -> 4 (rtl).
    std::vector<Node> chain;
    for (auto readers = model.consumers(deep_in); readers.size() == 1 && is_fifo(readers[0]);
         readers = model.consumers(readers[0].output(0)))
        chain.push_back(readers[0]);
    ASSERT_EQ(chain.size(), 2u);
    EXPECT_EQ(chain[0].attr_int("depth"), 8192);
    EXPECT_EQ(chain[0].attr_string("impl_style"), "vivado");
    EXPECT_EQ(chain[1].attr_int("depth"), 4);
    EXPECT_EQ(chain[1].attr_string("impl_style"), "rtl");
    for (Node piece : chain) {
        EXPECT_EQ(piece.attr_string("ram_style"), "block");
        EXPECT_EQ(piece.attr_ints("folded_shape"), folded);
        EXPECT_EQ(piece.op_type(), "StreamingFIFO_rtl");
    }
    std::set<std::string> names;
    for (Node n : model.nodes())
        EXPECT_TRUE(names.insert(n.name()).second) << n.name();
    EXPECT_NO_THROW(model.validate_structure("after SplitLargeFIFOs"));
    expect_same_output(model, net, reference);
    EXPECT_FALSE(SplitLargeFIFOs().run(model));
}

// --- RemoveShallowFIFOs -------------------------------------------------------------------------

TEST(RemoveShallowFIFOs, RemovesDepthZeroFifosButNeverTheFirst) {
    Net net = folded_zoo_net("tfc_w1a1", 20000);
    Model model = with_fifos(net.model);
    const Tensor reference = run(net.model, net.input);
    std::vector<Node> all = fifos(model);
    ASSERT_GE(all.size(), 3u);
    // The graph's first FIFO, one in the middle and the last (writing the graph output).
    ASSERT_FALSE(model.producer(all.front().input(0)));
    ASSERT_TRUE(model.is_graph_output(all.back().output(0)));
    const std::string first = all.front().name(), middle = all[1].name(), last = all.back().name();
    const std::string middle_in = all[1].input(0);
    for (Node n : {all.front(), all[1], all.back()})
        n.set_attr_int("depth", 0);
    const std::string kept_deep = all[2].name(); // depth 2 from InsertFIFO: above the threshold
    const int nodes = model.node_count();
    EXPECT_TRUE(RemoveShallowFIFOs().run(model));
    EXPECT_EQ(model.node_count(), nodes - 2);
    EXPECT_TRUE(model.node_by_name(first));
    EXPECT_FALSE(model.node_by_name(middle));
    EXPECT_FALSE(model.node_by_name(last));
    if (kept_deep != last) {
        EXPECT_TRUE(model.node_by_name(kept_deep));
    }
    // The middle FIFO's reader reads what the FIFO read; the graph output has a producer.
    EXPECT_EQ(model.consumers(middle_in).size(), 1u);
    EXPECT_FALSE(is_fifo(model.consumers(middle_in)[0]));
    EXPECT_TRUE(model.producer(model.output_names()[0]));
    EXPECT_NO_THROW(model.validate_structure("after RemoveShallowFIFOs"));
    expect_same_output(model, net, reference);
    EXPECT_FALSE(RemoveShallowFIFOs().run(model));
}

// --- InsertAndSetFIFODepths ---------------------------------------------------------------------

// Occupancies spanning every rule of optimize_depth, FIFO by FIFO in graph order.
std::map<std::string, std::int64_t> synthetic_occupancy(Model& model) {
    const std::int64_t samples[] = {1, 2, 3, 32, 33, 256, 257, 5000};
    std::map<std::string, std::int64_t> occupancy;
    std::size_t k = 0;
    for (Node n : fifos(model))
        occupancy[n.name()] = samples[k++ % std::size(samples)];
    return occupancy;
}

TEST(OptimizeFifoDepth, FinnRule) {
    for (std::int64_t occupancy = 0; occupancy < 300; ++occupancy)
        EXPECT_EQ(optimize_fifo_depth(occupancy),
                  occupancy <= 2 ? 2 : (occupancy <= 32 ? 32 : occupancy))
            << occupancy;
}

TEST(InsertAndSetFIFODepths, MonitoredFifosAreTensorSized) {
    Net net = folded_zoo_net("tfc_w1a1", 20000);
    Model model = net.model;
    Node mvau = *model.node_by_name("MVAU_hls_1");
    mvau.set_attr_string("mem_mode", "external");
    std::vector<std::string> warnings;
    const FifoMonitoring monitoring =
        insert_monitored_fifos(model, kPart, [&](const std::string& w) { warnings.push_back(w); });
    EXPECT_EQ(monitoring.decoupled_nodes, std::vector<std::string>{"MVAU_hls_1"});
    EXPECT_EQ(model.node_by_name("MVAU_hls_1")->attr_string("mem_mode"), "internal_decoupled");
    EXPECT_NE(std::find(warnings.begin(), warnings.end(),
                        "Changed mem_mode from external to internal_decoupled for MVAU_hls_1"),
              warnings.end());
    // Every stream between layers and at the graph's ends has one FIFO, a frame deep.
    int streams = 1; // the graph input
    for (Node n : net.model.nodes())
        streams += n.output_count();
    std::vector<Node> all = fifos(model);
    int converters = 0;
    for (Node n : model.nodes())
        converters += n.op_type().rfind("StreamingDataWidthConverter", 0) == 0;
    EXPECT_EQ(static_cast<int>(all.size()), streams + converters);
    for (Node fifo : all) {
        SCOPED_TRACE(fifo.name());
        EXPECT_EQ(fifo.op_type(), "StreamingFIFO_rtl");
        EXPECT_EQ(fifo.attr_int("depth_monitor"), 1);
        EXPECT_EQ(fifo.attr_string("impl_style"), "rtl");
        EXPECT_EQ(fifo.attr_int("depth"), words(fifo.attr_ints("folded_shape")));
    }
    // A second partition with a FIFO already is refused.
    EXPECT_THROW(insert_monitored_fifos(model, kPart), Error);
}

Model sized(const Net& net, const FifoDepthOptions& options,
            std::map<std::string, std::int64_t>* occupancy_out = nullptr) {
    Model model = net.model;
    model.node_by_name("MVAU_hls_1")->set_attr_string("mem_mode", "external");
    const FifoMonitoring monitoring = insert_monitored_fifos(model, kPart);
    const auto occupancy = synthetic_occupancy(model);
    if (occupancy_out) *occupancy_out = occupancy;
    set_fifo_depths_from_occupancy(model, occupancy, monitoring, options);
    return model;
}

TEST(InsertAndSetFIFODepths, DepthsFromOccupancy) {
    Net net = folded_zoo_net("tfc_w1a1", 20000);
    const Tensor reference = run(net.model, net.input);
    std::map<std::string, std::int64_t> occupancy;
    Model model = sized(net, {.max_qsrl_depth = 256, .vivado_ram_style = "ultra"}, &occupancy);
    std::vector<Node> all = fifos(model);
    ASSERT_EQ(all.size(), occupancy.size());
    const std::vector<std::string> inputs = model.input_names();
    for (Node fifo : all) {
        SCOPED_TRACE(fifo.name());
        const std::int64_t seen = occupancy.at(fifo.name());
        const std::int64_t depth = seen <= 2 ? 2 : (seen <= 32 ? 32 : seen);
        EXPECT_EQ(fifo.attr_int("depth"), depth);
        EXPECT_EQ(fifo.attr_int("depth_monitor"), 0);
        const bool top = fifo.input(0) == inputs[0] || model.is_graph_output(fifo.output(0));
        const bool vivado = depth > 256 && !top;
        EXPECT_EQ(fifo.attr_string("impl_style"), vivado ? "vivado" : "rtl");
        if (vivado) {
            EXPECT_EQ(fifo.attr_string("ram_style"), "ultra");
        }
    }
    // The switch to internal_decoupled is undone; every layer names the FIFOs beside it.
    EXPECT_EQ(model.node_by_name("MVAU_hls_1")->attr_string("mem_mode"), "external");
    for (Node n : model.nodes()) {
        if (is_fifo(n)) continue;
        SCOPED_TRACE(n.name());
        std::vector<std::int64_t> in, out;
        for (const auto& t : n.inputs())
            if (auto p = model.producer(t)) in.push_back(is_fifo(*p) ? p->attr_int("depth") : 0);
        for (const auto& t : n.outputs()) {
            auto readers = model.consumers(t);
            out.push_back(readers.size() == 1 && is_fifo(readers[0]) ? readers[0].attr_int("depth")
                                                                     : 0);
        }
        EXPECT_EQ(n.attr_ints("inFIFODepths"), in);
        EXPECT_EQ(n.attr_ints("outFIFODepths"), out);
    }
    expect_same_output(model, net, reference);
    // Deterministic: the same occupancies give the same bytes.
    EXPECT_EQ(sized(net, {.max_qsrl_depth = 256, .vivado_ram_style = "ultra"}).serialize(),
              model.serialize());
}

TEST(InsertAndSetFIFODepths, EveryFifoNeedsItsOccupancy) {
    Net net = folded_zoo_net("tfc_w1a1", 20000);
    Model model = net.model;
    const FifoMonitoring monitoring = insert_monitored_fifos(model, kPart);
    auto occupancy = synthetic_occupancy(model);
    Model missing = model;
    auto fewer = occupancy;
    fewer.erase(fewer.begin());
    EXPECT_THROW(set_fifo_depths_from_occupancy(missing, fewer, monitoring), Error);
    auto more = occupancy;
    more["StreamingFIFO_rtl_999"] = 4;
    EXPECT_THROW(set_fifo_depths_from_occupancy(model, more, monitoring), Error);
}

// CapConvolutionFIFODepths (default_swg_exception): the FIFO from a sliding-window generator to
// its MVAU holds at most one output row of the generator.
TEST(InsertAndSetFIFODepths, SwgExceptionCapsConvolutionFifos) {
    Net net = folded_zoo_net("lenet_w4a4", 200000);
    Model model = net.model;
    const FifoMonitoring monitoring = insert_monitored_fifos(model, kPart);
    std::map<std::string, std::int64_t> occupancy;
    for (Node n : fifos(model))
        occupancy[n.name()] = 100000;
    set_fifo_depths_from_occupancy(model, occupancy, monitoring,
                                   {.max_qsrl_depth = 256, .swg_exception = true});
    int capped = 0;
    for (Node fifo : fifos(model)) {
        SCOPED_TRACE(fifo.name());
        auto producer = model.producer(fifo.input(0));
        auto readers = model.consumers(fifo.output(0));
        const bool conv = producer &&
                          producer->op_type().rfind("ConvolutionInputGenerator", 0) == 0 &&
                          readers.size() == 1 && readers[0].op_type().rfind("MVAU", 0) == 0;
        if (!conv) {
            EXPECT_EQ(fifo.attr_int("depth"), 100000);
            continue;
        }
        ++capped;
        const Shape f = fifo.attr_ints("folded_shape");
        ASSERT_EQ(f.size(), 5u);
        const std::int64_t row = optimize_fifo_depth(f[2] * f[3]);
        EXPECT_EQ(fifo.attr_int("depth"), row);
        EXPECT_EQ(fifo.attr_string("impl_style"), row > 256 ? "vivado" : "rtl");
    }
    EXPECT_GE(capped, 1);
}

// --- DeriveFIFOSizes (strategy characterize) ----------------------------------------------------

// Per-cycle transfers: one word every `every` cycles from cycle `start`, `words` in all.
std::vector<std::int64_t> transfers(std::int64_t period, std::int64_t words, std::int64_t every,
                                    std::int64_t start = 0) {
    std::vector<std::int64_t> x(static_cast<std::size_t>(period), 0);
    for (std::int64_t w = 0; w < words; ++w)
        x.at(static_cast<std::size_t>(start + w * every)) = 1;
    return x;
}

TEST(DeriveFifoSizes, AccumulatesOverTwoPeriods) {
    const std::vector<std::int64_t> x = {1, 0, 1};
    const auto c = accumulate_characteristic(x, 5);
    ASSERT_EQ(c.size(), 10u);
    // Zero-padded to the period, then repeated: 1 0 1 0 0 | 1 0 1 0 0.
    EXPECT_EQ(c, (std::vector<std::int64_t>{1, 1, 2, 2, 2, 3, 3, 4, 4, 4}));
    EXPECT_THROW(accumulate_characteristic({1, 1, 1, 1, 1, 1}, 5), Error);
}

TEST(DeriveFifoSizes, DepthBetweenProducerAndConsumer) {
    const std::int64_t period = 40;
    auto acc = [&](const std::vector<std::int64_t>& x) {
        return accumulate_characteristic(x, period);
    };
    // The same pace on both sides: nothing waits.
    EXPECT_EQ(
        fifo_depth_between(acc(transfers(period, 8, 2)), acc(transfers(period, 8, 2)), period), 0);
    // A burst of 8 words into a reader taking one every 4 cycles: when the burst ends (cycle 7)
    // the reader has taken 2 (cycles 0 and 4), so 6 wait.
    EXPECT_EQ(
        fifo_depth_between(acc(transfers(period, 8, 1)), acc(transfers(period, 8, 4)), period), 6);
    // A reader that would take 8 words at once from a producer sending one every 4 cycles starts
    // when the producer's 8th word is due (shift 21: words 6, 7, 8 at cycles 21, 25, 28 meet
    // reads 6, 7, 8); FINN's depth then counts the producer's second period against the
    // reader's first: at i = 39 the producer has sent 8 + 6 words, the reader taken 8.
    EXPECT_EQ(
        fifo_depth_between(acc(transfers(period, 8, 4)), acc(transfers(period, 8, 1)), period), 6);
    EXPECT_THROW(fifo_depth_between({1, 2}, {1, 2, 3, 4}, 2), Error);
}

TEST(DeriveFifoSizes, SetsLayerDepthsForInsertFIFO) {
    Net net = folded_zoo_net("tfc_w1a1", 20000);
    Model model = net.model;
    InsertDWC().run(model);
    SpecializeLayers(kPart).run(model);
    GiveUniqueNodeNames().run(model);
    const std::int64_t period = 64;
    // Every layer reads in a burst and writes one word every 3 cycles, except the first, which
    // writes in a burst (so its reader is where a FIFO is needed).
    std::map<std::string, IoCharacteristic> chrc;
    int index = 0;
    for (Node n : model.nodes()) {
        IoCharacteristic c;
        c.inputs.push_back(accumulate_characteristic(transfers(period, 10, 1), period));
        c.outputs.push_back(
            accumulate_characteristic(transfers(period, 10, index == 0 ? 1 : 3), period));
        chrc[n.name()] = c;
        ++index;
    }
    // A node sized already keeps its depths.
    Node last = model.nodes().back();
    last.set_attr_ints("outFIFODepths", {7});
    std::map<std::string, IoCharacteristic> missing = chrc;
    missing.erase(model.nodes()[1].name());
    Model unchanged = model;
    EXPECT_THROW(derive_fifo_sizes(unchanged, missing, period), Error);

    derive_fifo_sizes(model, chrc, period);
    const std::vector<Node> nodes = model.nodes();
    for (std::size_t k = 0; k + 1 < nodes.size(); ++k) {
        SCOPED_TRACE(nodes[k].name());
        const std::int64_t expected = fifo_depth_between(
            chrc.at(nodes[k].name()).outputs[0], chrc.at(nodes[k + 1].name()).inputs[0], period);
        EXPECT_EQ(nodes[k].attr_ints("outFIFODepths"), std::vector<std::int64_t>{expected});
    }
    EXPECT_EQ(nodes.back().attr_ints("outFIFODepths"), std::vector<std::int64_t>{7});
    // The first layer writes in a burst into a reader taking a burst: no words wait.
    EXPECT_EQ(nodes[0].attr_ints("outFIFODepths")[0], 0);
    EXPECT_GE(nodes[0].attr_ints("inFIFODepths")[0], 32); // behind the graph input
    // InsertFIFO then puts in the FIFOs these depths ask for.
    const Tensor reference = run(net.model, net.input);
    InsertFIFO().run(model);
    for (Node fifo : fifos(model)) {
        auto producer = model.producer(fifo.input(0));
        if (!producer) {
            EXPECT_GE(fifo.attr_int("depth"), 32);
            continue;
        }
        auto readers = model.consumers(fifo.output(0));
        const std::int64_t wanted =
            readers.empty() ? 0 : hw::require_layer(model, readers[0])->get_ints("inFIFODepths")[0];
        EXPECT_EQ(fifo.attr_int("depth"),
                  std::max(producer->attr_ints("outFIFODepths")[0], wanted));
    }
    expect_same_output(model, net, reference);
}

} // namespace
} // namespace finn
