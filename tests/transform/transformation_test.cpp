// The pass framework: patterns to a fixpoint, guards against passes that never settle, the
// registry and pipelines.
#include "finn/core/error.h"
#include "finn/transform/transformation.h"

#include <gtest/gtest.h>

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

} // namespace
} // namespace finn
