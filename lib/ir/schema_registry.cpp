#include "schema_registry.h"

#include "finn/ir/custom_op_schemas.h"

#include <map>
#include <memory>
#include <mutex>
#include <onnx/defs/operator_sets.h>
#include <string>
#include <utility>

namespace finn {

namespace {

using SchemaFactory = onnx::OpSchema (*)();

struct StandardSchemaClass {
    const char* op_type;
    int since_version;
    SchemaFactory factory;
};

// Every ai.onnx schema class of the linked ONNX, from its operator_sets.h (generated at configure
// time, so the list always matches the headers and library in use).
#define FINN_ONNX_SCHEMA(version, name)                                                            \
    {#name, version,                                                                               \
     &onnx::GetOpSchema<onnx::ONNX_OPERATOR_SET_SCHEMA_CLASS_NAME(Onnx, version, name)>},
const StandardSchemaClass kStandardSchemas[] = {
#include "finn_onnx_schema_list.inc"
};
#undef FINN_ONNX_SCHEMA

// The schema class ONNX's OpSchemaRegistry::Schema would answer with: the newest version of the
// operator not above the maximum, or nullptr.
const StandardSchemaClass* newest_up_to(const std::string& op_type, int max_inclusive_version) {
    const StandardSchemaClass* newest = nullptr;
    for (const auto& c : kStandardSchemas)
        if (c.since_version <= max_inclusive_version && op_type == c.op_type &&
            (!newest || c.since_version > newest->since_version))
            newest = &c;
    return newest;
}

class LazySchemaRegistry final : public onnx::ISchemaRegistry {
public:
    const onnx::OpSchema* GetSchema(const std::string& key, const int max_inclusive_version,
                                    const std::string& domain) const override {
        const onnx::OpSchema* custom = nullptr;
        if (custom_schema(domain, key, max_inclusive_version, custom)) return custom;
        if (domain != onnx::ONNX_DOMAIN)
            return onnx::OpSchemaRegistry::Schema(key, max_inclusive_version, domain);
        std::lock_guard<std::mutex> lock(mutex_);
        // Shape inference asks once per node; the list of schema classes is searched once per
        // (operator, version), and only the version asked for is built, finalized as ONNX's
        // registry finalizes it.
        auto [answer, first_time] = answers_.try_emplace({key, max_inclusive_version}, nullptr);
        if (first_time)
            if (const StandardSchemaClass* c = newest_up_to(key, max_inclusive_version)) {
                auto& schema = built_[c];
                if (!schema) {
                    schema = std::make_unique<onnx::OpSchema>(c->factory());
                    schema->Finalize();
                }
                answer->second = schema.get();
            }
        return answer->second;
    }

private:
    mutable std::mutex mutex_;
    mutable std::map<std::pair<std::string, int>, const onnx::OpSchema*> answers_;
    mutable std::map<const StandardSchemaClass*, std::unique_ptr<onnx::OpSchema>> built_;
};

} // namespace

const onnx::ISchemaRegistry* lazy_schema_registry() {
    static const LazySchemaRegistry registry;
    return &registry;
}

} // namespace finn
