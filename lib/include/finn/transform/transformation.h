// Transformations: the passes that steps are made of (MLIR's pass manager is the model).
//
// A Transformation is a small named class with one run(Model&) that reports whether it changed
// the model and sends its warnings to a diagnostics sink. Local rewrites are RewritePatterns —
// match one node and its neighbours, rewrite them — applied to a fixpoint by one worklist driver
// (apply_patterns_greedily) instead of every transformation looping over the graph by itself. A
// Pipeline runs transformations in order and carries the sink; the named pipelines are what the
// step tools run. Every transformation is registered by name (transformation_registry()).
#pragma once

#include "finn/ir/model.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace finn {

// Receives one warning line (FINN's warnings.warn; a step writes it to its build log).
using DiagnosticSink = std::function<void(const std::string&)>;

class Transformation {
public:
    virtual ~Transformation() = default;
    // FINN's/qonnx's name for the transformation, e.g. "GiveUniqueNodeNames".
    virtual std::string_view name() const = 0;
    // Applies the transformation once over the whole model; returns true if anything changed.
    virtual bool run(Model& model) = 0;

    // Where the warnings go; a Pipeline with a sink sets it on every transformation it runs.
    void set_diagnostics(DiagnosticSink sink) { diagnostics_ = std::move(sink); }
    // The warnings emitted so far (passes that report per run clear them when a run starts), in
    // order; each also went to the sink.
    const std::vector<std::string>& warnings() const { return warnings_; }

protected:
    void warn(const std::string& message);
    void clear_warnings() { warnings_.clear(); }
    // A sink that warns through this transformation: for the transformations and patterns it
    // runs inside itself.
    DiagnosticSink forward_warnings() {
        return [this](const std::string& message) { warn(message); };
    }

private:
    DiagnosticSink diagnostics_;
    std::vector<std::string> warnings_;
};

// Runs `t` until it reports no change; throws finn::Error naming it if that takes more than
// `max_iterations` rounds (a transformation that never settles is a bug, not a hang).
bool run_to_fixpoint(Transformation& t, Model& model, int max_iterations = 1000);

class RewritePattern {
public:
    virtual ~RewritePattern() = default;
    virtual std::string_view name() const = 0;
    // Looks at `node` (and its neighbours); rewrites and returns true, or returns false and leaves
    // the model untouched. Node handles are invalid after a rewrite that adds or removes nodes.
    virtual bool match_and_rewrite(Model& model, Node node) = 0;
};

// Rewrites until no pattern applies anywhere, always at the first node in graph order that a
// pattern matches (the patterns tried in order) — the result of restarting at node 0 after every
// rewrite, without retrying the nodes a rewrite cannot have affected (see rewrite_driver.cpp).
// Returns true if anything was rewritten. Throws finn::Error naming the patterns if more than
// `max_rewrites` rewrites happen (patterns that undo each other).
bool apply_patterns_greedily(Model& model,
                             const std::vector<std::unique_ptr<RewritePattern>>& patterns,
                             int max_rewrites = 100000);

// A Transformation made of patterns applied greedily.
class PatternTransformation : public Transformation {
public:
    PatternTransformation(std::string name, std::vector<std::unique_ptr<RewritePattern>> patterns)
        : name_(std::move(name)), patterns_(std::move(patterns)) {}
    std::string_view name() const override { return name_; }
    bool run(Model& model) override { return apply_patterns_greedily(model, patterns_); }

private:
    std::string name_;
    std::vector<std::unique_ptr<RewritePattern>> patterns_;
};

// Transformations by name, for pipelines and for users' own step tools (MLIR's pass registry).
class TransformationRegistry {
public:
    using Factory = std::function<std::unique_ptr<Transformation>()>;
    void add(const std::string& name, Factory factory);
    // Throws finn::Error listing the known names when `name` is unknown.
    std::unique_ptr<Transformation> create(const std::string& name) const;
    bool contains(const std::string& name) const { return factories_.count(name) != 0; }
    std::vector<std::string> names() const;

private:
    std::map<std::string, Factory> factories_;
};

// Every transformation of Finn, each under its FINN name, from the one list in
// transform/transformation_registry.cpp (explicit: a static library drops self-registering
// globals). Transformations that take parameters are registered with FINN's defaults.
const TransformationRegistry& transformation_registry();

// An ordered list of transformations, each run once (or to its fixpoint when asked).
class Pipeline {
public:
    Pipeline() = default;
    // Every transformation the pipeline runs sends its warnings to `diagnostics`.
    explicit Pipeline(DiagnosticSink diagnostics) : diagnostics_(std::move(diagnostics)) {}
    Pipeline& add(std::unique_ptr<Transformation> t, bool to_fixpoint = false);
    // By registered name.
    Pipeline& add(const std::string& name, bool to_fixpoint = false);
    // Runs every transformation in order; returns true if any changed the model. `trace`, when
    // given, receives "Applying <name>" lines (the step's build log).
    bool run(Model& model, const std::function<void(const std::string&)>& trace = {}) const;

private:
    struct Entry {
        std::shared_ptr<Transformation> transformation;
        bool to_fixpoint;
    };
    std::vector<Entry> entries_;
    DiagnosticSink diagnostics_;
};

} // namespace finn
