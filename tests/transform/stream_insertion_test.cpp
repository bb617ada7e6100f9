// InsertDWC and InsertFIFO (spec/finn-ops.md §6.2-6.3) on folded dataflow partitions: FINN's TFC
// folder with its folding config, and the zoo's CNV-w1a1 folded by SetFolding. Expected
// converters and FIFOs are derived here from the layers' stream widths and FIFO depth attributes
// (edge by edge, before the pass runs), never read back from the pass; the models must still
// compute the same output with the inserted nodes.
#include "../test_support.h"
#include "finn/config/attribute_config.h"
#include "finn/core/error.h"
#include "finn/core/npy.h"
#include "finn/exec/executor.h"
#include "finn/exec/verification.h"
#include "finn/hw/registry.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/transform/convert_to_hw.h"
#include "finn/transform/dataflow.h"
#include "finn/transform/folding.h"
#include "finn/transform/qonnx_to_finn.h"
#include "finn/transform/stream_insertion.h"
#include "finn/transform/streamline.h"
#include "finn/transform/tidy_up.h"
#include "finn/zoo/zoo.h"

#include <gtest/gtest.h>
#include <map>

namespace finn {
namespace {

const char* kPart = "xc7z020clg400-1";

struct Net {
    Model model;
    Tensor input; // batched input of the child
};

Tensor run(const Model& model, const Tensor& input) {
    return Executor(model)
        .run_batched({{model.input_names()[0], input}})
        .at(model.output_names()[0]);
}

Model front_end(Model model) {
    qonnx_to_finn_step_pipeline().run(model);
    tidy_up_step_pipeline().run(model);
    streamline_step_pipeline().run(model);
    convert_to_hw_step_pipeline(false).run(model);
    return std::move(create_dataflow_partition(model).child);
}

// FINN's TFC folder through the estimate flow: specialize config, folding config, bit widths.
std::optional<Net> finn_tfc() {
    auto shared = testing::shared_dir();
    if (!shared) return std::nullopt;
    const auto dir = *shared / "models/finn/tfc_w1a1";
    Model child = front_end(Model::load(dir / "model.onnx"));
    ApplyConfig(AttributeConfig::load(dir / "specialize_layers_config.json")).run(child);
    SpecializeLayers(kPart).run(child);
    ApplyConfig(AttributeConfig::load(dir / "folding_config.json")).run(child);
    MinimizeWeightBitWidth().run(child);
    MinimizeAccumulatorWidth().run(child);
    InferDataTypes().run(child);
    AnnotateCycles().run(child);
    return Net{std::move(child), read_npy(dir / "input.npy").reshaped({4, 784})};
}

// A zoo net folded by SetFolding for `target` cycles per frame.
Net zoo_net(const std::string& name, std::int64_t target) {
    Model child = front_end(make_zoo_model(name, 1));
    SpecializeLayers(kPart).run(child);
    SetFolding(target, 36, true).run(child);
    MinimizeWeightBitWidth().run(child);
    MinimizeAccumulatorWidth().run(child);
    InferDataTypes().run(child);
    Tensor input = make_zoo_input(child, 2);
    return {std::move(child), std::move(input)};
}

bool is_hw(const Node& n) {
    return is_fpgadataflow_domain(n.domain()) && is_dataflow_node(n);
}

bool is_variant_of(const Node& n, const std::string& op) {
    return n.op_type() == op || n.op_type().rfind(op + "_", 0) == 0;
}

// One stream between two hardware nodes, described by its endpoints' layers.
struct Edge {
    std::string producer, consumer, tensor;
    std::int64_t out_width, in_width;
    Shape producer_folded, consumer_folded;
    Shape normal; // the tensor's recorded shape
    std::string datatype;
    std::int64_t depth; // max(outFIFODepths[out], inFIFODepths[in])
};

std::vector<Edge> hw_edges(Model& model) {
    std::vector<Edge> edges;
    for (int i = 0; i < model.node_count(); ++i) {
        Node p = model.node(i);
        if (!is_hw(p)) continue;
        auto from = hw::require_layer(model, p);
        for (int out = 0; out < p.output_count(); ++out) {
            for (Node c : model.consumers(p.output(out))) {
                if (!is_hw(c)) continue;
                auto to = hw::require_layer(model, c);
                int in = 0;
                while (c.input(in) != p.output(out))
                    ++in;
                // The tensor holds the elements the producer streams (the rank may differ:
                // a 1x1 map in front of an FC layer).
                const Shape normal = *model.shape(p.output(out));
                EXPECT_EQ(hw::product(normal), hw::product(from->normal_output_shape(out)))
                    << p.name();
                edges.push_back({p.name(), c.name(), p.output(out), from->outstream_width(out),
                                 to->instream_width(in), from->folded_output_shape(out),
                                 to->folded_input_shape(in), normal,
                                 from->output_datatype(out).name(),
                                 std::max(from->get_ints("outFIFODepths")[out],
                                          to->get_ints("inFIFODepths")[in])});
            }
        }
    }
    return edges;
}

std::vector<Node> nodes_of(Model& model, const std::string& op) {
    std::vector<Node> result;
    for (Node n : model.nodes())
        if (is_variant_of(n, op)) result.push_back(n);
    return result;
}

// Every edge streams words of one width (and one folded size) on both sides.
void expect_widths_match(Model& model) {
    for (const Edge& e : hw_edges(model)) {
        EXPECT_EQ(e.out_width, e.in_width) << e.producer << " -> " << e.consumer;
        EXPECT_EQ(e.producer_folded.back(), e.consumer_folded.back())
            << e.producer << " -> " << e.consumer;
    }
}

// The converters InsertDWC must add: one per edge whose innermost folded dimensions differ,
// reading that edge's tensor, with FINN's attributes.
void expect_converters(Model& model, const std::vector<Edge>& before) {
    std::map<std::string, Edge> wanted;
    for (const Edge& e : before)
        if (e.producer_folded.back() != e.consumer_folded.back()) wanted.emplace(e.tensor, e);
    std::vector<Node> dwcs = nodes_of(model, "StreamingDataWidthConverter");
    ASSERT_EQ(dwcs.size(), wanted.size());
    for (Node dwc : dwcs) {
        SCOPED_TRACE(dwc.name());
        ASSERT_TRUE(wanted.count(dwc.input(0)));
        const Edge& e = wanted.at(dwc.input(0));
        EXPECT_EQ(dwc.domain(), domains::kFpgaDataflow);
        EXPECT_EQ(dwc.attr_string("backend"), "fpgadataflow");
        EXPECT_EQ(dwc.attr_ints("shape"), e.normal);
        EXPECT_EQ(dwc.attr_int("inWidth"), e.out_width);
        EXPECT_EQ(dwc.attr_int("outWidth"), e.in_width);
        EXPECT_EQ(dwc.attr_string("dataType"), e.datatype);
        EXPECT_EQ(model.shape(dwc.output(0)), e.normal);
        EXPECT_EQ(model.datatype(dwc.output(0)).name(), e.datatype);
        // Right behind its producer (FINN's node order), feeding the edge's consumer.
        EXPECT_EQ(model.index_of(dwc), model.index_of(*model.producer(dwc.input(0))) + 1);
        auto readers = model.consumers(dwc.output(0));
        ASSERT_EQ(readers.size(), 1u);
        EXPECT_EQ(readers[0].name(), e.consumer);
    }
}

// SpecializeLayers picks FINN's variants for the inserted nodes.
void expect_specialized_variants(Model& model) {
    SpecializeLayers(kPart).run(model);
    for (Node n : model.nodes()) {
        if (is_variant_of(n, "StreamingDataWidthConverter")) {
            const std::int64_t in = n.attr_int("inWidth"), out = n.attr_int("outWidth");
            EXPECT_EQ(n.op_type(), in % out == 0 || out % in == 0
                                       ? "StreamingDataWidthConverter_rtl"
                                       : "StreamingDataWidthConverter_hls");
        }
        if (is_variant_of(n, "StreamingFIFO")) {
            EXPECT_EQ(n.op_type(), "StreamingFIFO_rtl");
        }
    }
}

void expect_same_output(const Model& model, const Net& net, const Tensor& reference) {
    Comparison c = compare_tensors(reference, run(model, net.input), 0, 0);
    EXPECT_TRUE(c.equal) << c.summary;
}

// --- InsertDWC ----------------------------------------------------------------------------------

void check_insert_dwc(const Net& net, std::size_t min_converters) {
    Model model = net.model;
    const Tensor reference = run(model, net.input);
    const std::vector<Edge> before = hw_edges(model);
    const int nodes_before = model.node_count();
    const bool changed = InsertDWC().run(model);
    expect_converters(model, before);
    const auto dwcs = nodes_of(model, "StreamingDataWidthConverter").size();
    EXPECT_GE(dwcs, min_converters);
    EXPECT_EQ(changed, dwcs > 0);
    EXPECT_EQ(model.node_count(), nodes_before + static_cast<int>(dwcs));
    expect_widths_match(model);
    EXPECT_NO_THROW(model.validate_structure("after InsertDWC"));
    expect_same_output(model, net, reference);
    // Idempotent: every edge already matches.
    EXPECT_FALSE(InsertDWC().run(model));
    EXPECT_EQ(model.node_count(), nodes_before + static_cast<int>(dwcs));
    expect_specialized_variants(model);
    expect_same_output(model, net, reference);
}

TEST(InsertDWC, FinnTfcFoldingConfig) {
    auto tfc = finn_tfc();
    if (!tfc) GTEST_SKIP() << "../shared (FINN_SHARED_DIR) not available";
    // MVAU_hls_0 streams PE 16 x 1 bit out, MVAU_hls_1 reads SIMD 8 x 1 bit; MVAU_hls_2 (PE 8)
    // to MVAU_hls_3 (SIMD 1, its config entry misspelt): two converters at least.
    check_insert_dwc(*tfc, 2);
    Model model = tfc->model;
    InsertDWC().run(model);
    Node dwc = *model.consumers(model.node_by_name("MVAU_hls_0")->output(0)).begin();
    EXPECT_EQ(dwc.op_type(), "StreamingDataWidthConverter");
    EXPECT_EQ(dwc.attr_int("inWidth"), 16);
    EXPECT_EQ(dwc.attr_int("outWidth"), 8);
}

TEST(InsertDWC, ZooCnvFoldedBySetFolding) {
    for (std::int64_t target : {50000, 5000}) {
        SCOPED_TRACE("target " + std::to_string(target));
        check_insert_dwc(zoo_net("cnv_w1a1", target), 1);
    }
}

TEST(InsertDWC, ZooResidualNet) {
    check_insert_dwc(zoo_net("residualfc_w4a4", 5000), 0);
}

// Widths that do not divide one another (49 and 16 bits) get the HLS converter.
TEST(InsertDWC, NonDivisibleWidthsBecomeHls) {
    auto tfc = finn_tfc();
    if (!tfc) GTEST_SKIP() << "../shared (FINN_SHARED_DIR) not available";
    Model model = tfc->model;
    model.node_by_name("MVAU_hls_0")->set_attr_int("SIMD", 16);
    ASSERT_TRUE(InsertDWC().run(model));
    Node dwc = *model.consumers(model.node_by_name("Thresholding_rtl_0")->output(0)).begin();
    EXPECT_EQ(dwc.attr_int("inWidth"), 49);
    EXPECT_EQ(dwc.attr_int("outWidth"), 16);
    SpecializeLayers(kPart).run(model);
    dwc = *model.consumers(model.node_by_name("Thresholding_rtl_0")->output(0)).begin();
    EXPECT_EQ(dwc.op_type(), "StreamingDataWidthConverter_hls");
    expect_same_output(model, *tfc, run(tfc->model, tfc->input));
}

// Matching widths everywhere: nothing to insert.
TEST(InsertDWC, MatchingWidthsInsertNothing) {
    auto tfc = finn_tfc();
    if (!tfc) GTEST_SKIP() << "../shared (FINN_SHARED_DIR) not available";
    Model model = tfc->model;
    model.node_by_name("MVAU_hls_0")->set_attr_int("PE", 8);
    model.node_by_name("MVAU_hls_3")->set_attr_int("SIMD", 8);
    model.node_by_name("MVAU_hls_3")->set_attr_int("PE", 1);
    const std::string before = model.serialize();
    EXPECT_FALSE(InsertDWC().run(model));
    EXPECT_EQ(model.serialize(), before);
}

// An output read by two hardware nodes cannot be stitched: an error naming the node.
TEST(InsertDWC, FanOutIsAnError) {
    auto tfc = finn_tfc();
    if (!tfc) GTEST_SKIP() << "../shared (FINN_SHARED_DIR) not available";
    Model model = tfc->model;
    Node m0 = *model.node_by_name("MVAU_hls_0");
    model.add_node("StreamingFIFO", {m0.output(0)}, {"copy"}, "Extra_0", domains::kFpgaDataflow);
    try {
        InsertDWC().run(model);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("MVAU_hls_0"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("fan-out"), std::string::npos) << e.what();
    }
}

// --- InsertFIFO ---------------------------------------------------------------------------------

// FINN's defaults: every node's FIFO depths are 2, so nothing is created, with FINN's warnings
// for the graph input and output.
TEST(InsertFIFO, DefaultDepthsCreateNothing) {
    auto tfc = finn_tfc();
    if (!tfc) GTEST_SKIP() << "../shared (FINN_SHARED_DIR) not available";
    Model model = tfc->model;
    InsertDWC().run(model);
    const std::string before = model.serialize();
    InsertFIFO fifo;
    EXPECT_FALSE(fifo.run(model));
    EXPECT_EQ(model.serialize(), before);
    ASSERT_EQ(fifo.warnings().size(), 2u);
    EXPECT_NE(fifo.warnings()[0].find("Input FIFO for " + model.input_names()[0] +
                                      " has depth 2 and won't be created"),
              std::string::npos)
        << fifo.warnings()[0];
    EXPECT_NE(fifo.warnings()[1].find("Output FIFO for " + model.output_names()[0]),
              std::string::npos)
        << fifo.warnings()[1];
}

// create_shallow_fifos: a FIFO on every edge and at the input and output, with FINN's attributes.
void check_shallow_fifos(const Net& net) {
    Model model = net.model;
    const Tensor reference = run(model, net.input);
    InsertDWC().run(model);
    const std::vector<Edge> edges = hw_edges(model);
    const int nodes_before = model.node_count();
    const std::string in = model.input_names()[0], out = model.output_names()[0];
    auto first = hw::require_layer(model, model.consumers(in)[0]);
    const Shape in_folded = first->folded_input_shape(0);
    auto last = hw::require_layer(model, *model.producer(out));
    const Shape out_folded = last->folded_output_shape(0);

    EXPECT_TRUE(InsertFIFO(true).run(model));
    std::vector<Node> fifos = nodes_of(model, "StreamingFIFO");
    ASSERT_EQ(fifos.size(), edges.size() + 2);
    EXPECT_EQ(model.node_count(), nodes_before + static_cast<int>(edges.size()) + 2);
    std::map<std::string, Edge> by_tensor;
    for (const Edge& e : edges)
        by_tensor.emplace(e.tensor, e);
    for (Node f : fifos) {
        SCOPED_TRACE(f.name());
        EXPECT_EQ(f.domain(), domains::kFpgaDataflow);
        EXPECT_EQ(f.attr_int("depth"), 2);
        EXPECT_EQ(f.attr_string("impl_style"), "rtl");
        EXPECT_EQ(f.attr_string("ram_style"), "auto");
        if (f.input(0) == in) {
            EXPECT_EQ(model.index_of(f), 0);
            EXPECT_EQ(f.attr_ints("folded_shape"), in_folded);
            continue;
        }
        if (f.output(0) == out) {
            EXPECT_EQ(model.index_of(f), model.node_count() - 1);
            EXPECT_EQ(f.attr_ints("folded_shape"), out_folded);
            continue;
        }
        ASSERT_TRUE(by_tensor.count(f.input(0)));
        const Edge& e = by_tensor.at(f.input(0));
        EXPECT_EQ(f.attr_ints("folded_shape"), e.producer_folded);
        EXPECT_EQ(f.attr_ints("normal_shape"), e.normal);
        EXPECT_EQ(f.attr_string("dataType"), e.datatype);
        EXPECT_EQ(model.shape(f.output(0)), e.normal);
        EXPECT_EQ(model.datatype(f.output(0)).name(), e.datatype);
        EXPECT_EQ(model.consumers(f.output(0))[0].name(), e.consumer);
    }
    expect_widths_match(model);
    EXPECT_NO_THROW(model.validate_structure("after InsertFIFO"));
    expect_same_output(model, net, reference);
    // Idempotent: every edge and both ends have their FIFO.
    const std::string settled = model.serialize();
    EXPECT_FALSE(InsertFIFO(true).run(model));
    EXPECT_FALSE(InsertDWC().run(model));
    EXPECT_EQ(model.serialize(), settled);
    expect_specialized_variants(model);
    expect_same_output(model, net, reference);
}

TEST(InsertFIFO, ShallowFifosOnFinnTfc) {
    auto tfc = finn_tfc();
    if (!tfc) GTEST_SKIP() << "../shared (FINN_SHARED_DIR) not available";
    check_shallow_fifos(*tfc);
}

TEST(InsertFIFO, ShallowFifosOnZooCnv) {
    check_shallow_fifos(zoo_net("cnv_w1a1", 5000));
}

// A residual net: DuplicateStreams has two outputs, AddStreams two input streams (each with its
// own inFIFODepths entry).
TEST(InsertFIFO, ShallowFifosOnResidualNet) {
    Net net = zoo_net("residualfc_w4a4", 5000);
    ASSERT_FALSE(nodes_of(net.model, "DuplicateStreams").empty());
    ASSERT_FALSE(nodes_of(net.model, "AddStreams").empty());
    check_shallow_fifos(net);
}

// Depth = max of both sides; deep FIFOs beyond max_qsrl_depth are Vivado FIFOs with the given
// ram_style, except at the graph's ends; shallow edges stay without FIFO; the I/O FIFOs come
// only once the edges are done (one run does both).
TEST(InsertFIFO, DepthRulesOnFinnTfc) {
    auto tfc = finn_tfc();
    if (!tfc) GTEST_SKIP() << "../shared (FINN_SHARED_DIR) not available";
    Model model = tfc->model;
    const Tensor reference = run(model, tfc->input);
    InsertDWC().run(model);
    model.node_by_name("MVAU_hls_1")->set_attr_ints("outFIFODepths", {300});
    model.node_by_name("MVAU_hls_2")->set_attr_ints("inFIFODepths", {40});
    model.node_by_name("MVAU_hls_2")->set_attr_ints("outFIFODepths", {17});
    model.node_by_name("Thresholding_rtl_0")->set_attr_ints("inFIFODepths", {1000});
    model.node_by_name("LabelSelect_hls_0")->set_attr_ints("outFIFODepths", {64});
    std::map<std::pair<std::string, std::string>, std::int64_t> wanted;
    for (const Edge& e : hw_edges(model))
        if (e.depth > 2) wanted[{e.producer, e.consumer}] = e.depth;
    ASSERT_EQ(wanted.size(), 2u); // MVAU_hls_1 -> MVAU_hls_2 (300), MVAU_hls_2 -> next (17)

    EXPECT_TRUE(InsertFIFO(false, 256, "block").run(model));
    std::vector<Node> fifos = nodes_of(model, "StreamingFIFO");
    ASSERT_EQ(fifos.size(), 4u);
    for (Node f : fifos) {
        SCOPED_TRACE(f.name());
        const std::int64_t depth = f.attr_int("depth");
        EXPECT_EQ(f.attr_string("ram_style"), "block");
        if (f.input(0) == model.input_names()[0]) {
            EXPECT_EQ(depth, 1000);
            EXPECT_EQ(f.attr_string("impl_style"), "rtl");
        } else if (f.output(0) == model.output_names()[0]) {
            EXPECT_EQ(depth, 64);
            EXPECT_EQ(f.attr_string("impl_style"), "rtl");
        } else {
            const std::string p = model.producer(f.input(0))->name();
            const std::string c = model.consumers(f.output(0))[0].name();
            ASSERT_TRUE(wanted.count({p, c})) << p << " -> " << c;
            EXPECT_EQ(depth, wanted.at({p, c}));
            EXPECT_EQ(f.attr_string("impl_style"), depth > 256 ? "vivado" : "rtl");
        }
    }
    expect_same_output(model, *tfc, reference);
    EXPECT_FALSE(InsertFIFO(false, 256, "block").run(model));
    EXPECT_EQ(nodes_of(model, "StreamingFIFO").size(), 4u);
}

// Streams of different widths cannot share a FIFO: InsertDWC must come first.
TEST(InsertFIFO, MismatchedFoldedShapesAreAnError) {
    auto tfc = finn_tfc();
    if (!tfc) GTEST_SKIP() << "../shared (FINN_SHARED_DIR) not available";
    Model model = tfc->model;
    try {
        InsertFIFO(true).run(model);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("insert width converters first"), std::string::npos)
            << e.what();
    }
}

// The pass works on the dataflow partition: a non-hardware node at the graph's end is an error
// before anything changes.
TEST(InsertFIFO, NonHardwareEndIsAnErrorAndChangesNothing) {
    auto tfc = finn_tfc();
    if (!tfc) GTEST_SKIP() << "../shared (FINN_SHARED_DIR) not available";
    Model model = tfc->model;
    InsertDWC().run(model);
    const std::string out = model.output_names()[0];
    Node last = *model.producer(out);
    last.set_output(0, "pre_relu");
    model.add_node("Relu", {"pre_relu"}, {out}, "Relu_0");
    model.node_by_name("MVAU_hls_1")->set_attr_ints("outFIFODepths", {8});
    const std::string before = model.serialize();
    try {
        InsertFIFO(false).run(model);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("Relu_0"), std::string::npos) << e.what();
    }
    EXPECT_EQ(model.serialize(), before);
}

} // namespace
} // namespace finn
