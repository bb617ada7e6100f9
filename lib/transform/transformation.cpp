#include "finn/transform/transformation.h"

#include "finn/core/error.h"

namespace finn {

bool run_to_fixpoint(Transformation& t, Model& model, int max_iterations) {
    bool changed = false;
    for (int i = 0; i < max_iterations; ++i) {
        if (!t.run(model)) return changed;
        changed = true;
    }
    throw Error("transformation " + std::string(t.name()) + " did not settle after " +
                std::to_string(max_iterations) + " rounds");
}

bool apply_patterns_greedily(Model& model,
                             const std::vector<std::unique_ptr<RewritePattern>>& patterns,
                             int max_rewrites) {
    int rewrites = 0;
    bool progress = true;
    while (progress) {
        progress = false;
        // Restart from the first node after every rewrite: handles may be stale.
        for (int i = 0; i < model.node_count() && !progress; ++i) {
            for (const auto& pattern : patterns) {
                if (!pattern->match_and_rewrite(model, model.node(i))) continue;
                if (++rewrites > max_rewrites) {
                    std::string names;
                    for (const auto& p : patterns)
                        names += (names.empty() ? "" : ", ") + std::string(p->name());
                    throw Error("rewrite patterns (" + names + ") did not settle after " +
                                std::to_string(max_rewrites) + " rewrites");
                }
                progress = true;
                break;
            }
        }
    }
    return rewrites > 0;
}

void TransformationRegistry::add(const std::string& name, Factory factory) {
    factories_[name] = std::move(factory);
}

std::unique_ptr<Transformation> TransformationRegistry::create(const std::string& name) const {
    auto it = factories_.find(name);
    if (it == factories_.end()) {
        std::string known;
        for (const auto& [n, f] : factories_)
            known += (known.empty() ? "" : ", ") + n;
        throw Error("unknown transformation '" + name + "'; known: " + known);
    }
    return it->second();
}

std::vector<std::string> TransformationRegistry::names() const {
    std::vector<std::string> result;
    for (const auto& [n, f] : factories_)
        result.push_back(n);
    return result;
}

Pipeline& Pipeline::add(std::unique_ptr<Transformation> t, bool to_fixpoint) {
    entries_.push_back({std::shared_ptr<Transformation>(std::move(t)), to_fixpoint});
    return *this;
}

bool Pipeline::run(Model& model, const std::function<void(const std::string&)>& trace) const {
    bool changed = false;
    for (const auto& entry : entries_) {
        if (trace) trace("Applying " + std::string(entry.transformation->name()));
        changed |= entry.to_fixpoint ? run_to_fixpoint(*entry.transformation, model)
                                     : entry.transformation->run(model);
    }
    return changed;
}

} // namespace finn
