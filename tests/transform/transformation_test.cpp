// The pass framework: patterns to a fixpoint (in the order restarting at node 0 gives, without
// retrying settled nodes), guards against passes that never settle, the registry, pipelines and
// their diagnostics sink.
#include "finn/core/error.h"
#include "finn/transform/transformation.h"

#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <set>

namespace finn {
namespace {

// Bypasses an Identity node whose output is not a graph output.
class BypassIdentity : public RewritePattern {
public:
    std::string_view name() const override { return "BypassIdentity"; }
    bool match_and_rewrite(Model& model, Node node) override {
        if (node.op_type() != "Identity") return false;
        auto outputs = model.output_names();
        if (std::find(outputs.begin(), outputs.end(), node.output(0)) != outputs.end())
            return false;
        std::string in = node.input(0), out = node.output(0);
        for (auto& consumer : model.consumers(out))
            for (int i = 0; i < consumer.input_count(); ++i)
                if (consumer.input(i) == out) consumer.set_input(i, in);
        model.remove_node(model.index_of(node));
        return true;
    }
};

// Renames a node back and forth forever.
class Flip : public Transformation {
public:
    std::string_view name() const override { return "Flip"; }
    bool run(Model& model) override {
        Node n = model.node(0);
        n.set_name(n.name() == "a" ? "b" : "a");
        return true;
    }
};

Model identity_chain(int length) {
    Model model;
    model.graph().add_input()->set_name("x");
    model.graph().add_output()->set_name("y");
    std::string prev = "x";
    for (int i = 0; i < length; ++i) {
        std::string out = "t" + std::to_string(i);
        model.add_node("Identity", {prev}, {out}, "Identity_" + std::to_string(i));
        prev = out;
    }
    model.add_node("Relu", {prev}, {"y"}, "Relu_0");
    return model;
}

TEST(Transformation, PatternsRunToAFixpoint) {
    Model model = identity_chain(5);
    std::vector<std::unique_ptr<RewritePattern>> patterns;
    patterns.push_back(std::make_unique<BypassIdentity>());
    PatternTransformation t("RemoveIdentities", std::move(patterns));
    EXPECT_TRUE(t.run(model));
    ASSERT_EQ(model.node_count(), 1);
    EXPECT_EQ(model.node(0).input(0), "x");
    EXPECT_FALSE(t.run(model)) << "a second run must report no change";
}

TEST(Transformation, NonSettlingTransformationIsAnError) {
    Model model = identity_chain(0);
    model.node(0).set_name("a");
    Flip flip;
    try {
        run_to_fixpoint(flip, model, 10);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("Flip did not settle"), std::string::npos);
    }
}

TEST(Transformation, RegistryAndPipeline) {
    TransformationRegistry registry;
    registry.add("Flip", [] { return std::make_unique<Flip>(); });
    EXPECT_TRUE(registry.contains("Flip"));
    EXPECT_EQ(registry.names(), std::vector<std::string>{"Flip"});
    try {
        registry.create("Flop");
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "unknown transformation 'Flop'; known: Flip");
    }
    Model model = identity_chain(0);
    model.node(0).set_name("a");
    Pipeline pipeline;
    pipeline.add(registry.create("Flip")).add(registry.create("Flip"));
    std::vector<std::string> trace;
    EXPECT_TRUE(pipeline.run(model, [&](const std::string& line) { trace.push_back(line); }));
    EXPECT_EQ(model.node(0).name(), "a");
    EXPECT_EQ(trace, (std::vector<std::string>{"Applying Flip", "Applying Flip"}));
}

// Turns every Neg into an Abs (recording where it rewrote).
class NegToAbs : public RewritePattern {
public:
    explicit NegToAbs(std::vector<std::string>& log) : log_(log) {}
    std::string_view name() const override { return "NegToAbs"; }
    bool match_and_rewrite(Model&, Node node) override {
        if (!node.is_standard_op("Neg")) return false;
        log_.push_back(node.name());
        node.set_op_type("Abs");
        return true;
    }

private:
    std::vector<std::string>& log_;
};

// Turns a Relu whose only reader is an Abs into a Sigmoid: it matches only once its neighbour
// has been rewritten.
class ReluBeforeAbsToSigmoid : public RewritePattern {
public:
    explicit ReluBeforeAbsToSigmoid(std::vector<std::string>& log) : log_(log) {}
    std::string_view name() const override { return "ReluBeforeAbsToSigmoid"; }
    bool match_and_rewrite(Model& model, Node node) override {
        if (!node.is_standard_op("Relu")) return false;
        auto reader = model.single_consumer(node);
        if (!reader || !reader->is_standard_op("Abs")) return false;
        log_.push_back(node.name());
        node.set_op_type("Sigmoid");
        return true;
    }

private:
    std::vector<std::string>& log_;
};

TEST(Transformation, DriverRevisitsANodeAfterItsNeighbourWasRewritten) {
    Model model;
    model.graph().add_input()->set_name("x");
    model.graph().add_output()->set_name("y");
    model.add_node("Relu", {"x"}, {"t"}, "Relu_0");
    model.add_node("Neg", {"t"}, {"y"}, "Neg_0");
    std::vector<std::string> log;
    std::vector<std::unique_ptr<RewritePattern>> patterns;
    patterns.push_back(std::make_unique<ReluBeforeAbsToSigmoid>(log));
    patterns.push_back(std::make_unique<NegToAbs>(log));
    EXPECT_TRUE(apply_patterns_greedily(model, patterns));
    // Relu_0 failed first (its reader was a Neg), and matched after Neg_0 became an Abs.
    EXPECT_EQ(log, (std::vector<std::string>{"Neg_0", "Relu_0"}));
    EXPECT_EQ(model.node(0).op_type(), "Sigmoid");
    EXPECT_EQ(model.node(1).op_type(), "Abs");
}

TEST(Transformation, DriverRevisitsANodeAfterItsNeighbourWasRewrittenInALargeGraph) {
    // Large enough that the driver tracks what each rewrite changed instead of retrying all.
    Model model;
    model.graph().add_input()->set_name("x");
    model.graph().add_output()->set_name("y");
    std::string prev = "x";
    for (int i = 0; i < 600; ++i) {
        model.add_node("Sigmoid", {prev}, {"s" + std::to_string(i)},
                       "Sigmoid_" + std::to_string(i));
        prev = "s" + std::to_string(i);
    }
    model.add_node("Relu", {prev}, {"t"}, "Relu_0");
    model.add_node("Neg", {"t"}, {"y"}, "Neg_0");
    std::vector<std::string> log;
    std::vector<std::unique_ptr<RewritePattern>> patterns;
    patterns.push_back(std::make_unique<ReluBeforeAbsToSigmoid>(log));
    patterns.push_back(std::make_unique<NegToAbs>(log));
    EXPECT_TRUE(apply_patterns_greedily(model, patterns));
    EXPECT_EQ(log, (std::vector<std::string>{"Neg_0", "Relu_0"}));
    EXPECT_EQ(model.node(600).op_type(), "Sigmoid");
    EXPECT_EQ(model.node(601).op_type(), "Abs");
}

// BypassIdentity, counting the nodes it looks at.
class CountingBypassIdentity : public BypassIdentity {
public:
    explicit CountingBypassIdentity(int& attempts) : attempts_(attempts) {}
    bool match_and_rewrite(Model& model, Node node) override {
        ++attempts_;
        return BypassIdentity::match_and_rewrite(model, node);
    }

private:
    int& attempts_;
};

TEST(Transformation, DriverDoesNotRetryNodesFarFromARewrite) {
    // 580 Relus, then 20 Identities: restarting at node 0 after each of the 20 rewrites would
    // look at the Relus 20 times (over 11000 attempts).
    Model model;
    model.graph().add_input()->set_name("x");
    model.graph().add_output()->set_name("y");
    std::string prev = "x";
    for (int i = 0; i < 600; ++i) {
        const std::string out = i == 599 ? "y" : "t" + std::to_string(i);
        model.add_node(i < 580 ? "Relu" : "Identity", {prev}, {out}, "n" + std::to_string(i));
        prev = out;
    }
    int attempts = 0;
    std::vector<std::unique_ptr<RewritePattern>> patterns;
    patterns.push_back(std::make_unique<CountingBypassIdentity>(attempts));
    EXPECT_TRUE(apply_patterns_greedily(model, patterns));
    EXPECT_EQ(model.node_count(), 581); // the last Identity writes the graph output
    // Two full scans (before the first rewrite, and after it: the driver's first snapshot is
    // taken then), then only each rewrite's neighbourhood.
    EXPECT_LT(attempts, 1500);
}

TEST(Transformation, PipelineSendsEveryWarningToItsSink) {
    Model model = identity_chain(0); // one node, Relu_0
    std::vector<std::string> received;
    Pipeline pipeline([&](const std::string& line) { received.push_back(line); });
    pipeline.add("ApplyConfig"); // by name: an empty configuration, so Relu_0 has no entry
    pipeline.run(model);
    EXPECT_EQ(received, std::vector<std::string>{"No HW configuration for nodes: Relu_0"});
}

// Every transformation a public header declares (a `name()` returning its FINN name) can be
// created by that name from the registry.
TEST(Transformation, RegistryNamesEveryTransformation) {
    const std::filesystem::path dir =
        std::filesystem::path(FINN_SOURCE_DIR) / "lib" / "include" / "finn" / "transform";
    const std::regex declared(R"re(name\(\) const override \{ return "([A-Za-z0-9]+)"; \})re");
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(entry.path());
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        for (std::sregex_iterator it(text.begin(), text.end(), declared), end; it != end; ++it)
            names.insert((*it)[1]);
    }
    for (const char* name : {"AnnotateCycles", "SetFolding", "ApplyConfig",
                             "MinimizeWeightBitWidth", "MinimizeAccumulatorWidth", "Streamline"})
        EXPECT_TRUE(names.count(name)) << name << " not found in the headers";
    const TransformationRegistry& registry = transformation_registry();
    for (const auto& name : names) {
        ASSERT_TRUE(registry.contains(name)) << name;
        EXPECT_EQ(registry.create(name)->name(), name);
    }
}

} // namespace
} // namespace finn
