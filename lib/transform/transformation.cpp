#include "finn/transform/transformation.h"

#include "finn/core/error.h"

namespace finn {

void Transformation::warn(const std::string& message) {
    warnings_.push_back(message);
    if (diagnostics_) diagnostics_(message);
}

bool run_to_fixpoint(Transformation& t, Model& model, int max_iterations) {
    bool changed = false;
    for (int i = 0; i < max_iterations; ++i) {
        if (!t.run(model)) return changed;
        changed = true;
    }
    throw Error("transformation " + std::string(t.name()) + " did not settle after " +
                std::to_string(max_iterations) + " rounds");
}

Pipeline& Pipeline::add(std::unique_ptr<Transformation> t, bool to_fixpoint) {
    entries_.push_back({std::shared_ptr<Transformation>(std::move(t)), to_fixpoint});
    return *this;
}

Pipeline& Pipeline::add(const std::string& name, bool to_fixpoint) {
    return add(transformation_registry().create(name), to_fixpoint);
}

bool Pipeline::run(Model& model, const std::function<void(const std::string&)>& trace) const {
    bool changed = false;
    for (const auto& entry : entries_) {
        if (trace) trace("Applying " + std::string(entry.transformation->name()));
        if (diagnostics_) entry.transformation->set_diagnostics(diagnostics_);
        changed |= entry.to_fixpoint ? run_to_fixpoint(*entry.transformation, model)
                                     : entry.transformation->run(model);
    }
    return changed;
}

} // namespace finn
