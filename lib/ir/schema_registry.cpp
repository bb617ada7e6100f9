#include "schema_registry.h"

#include "finn/ir/custom_op_schemas.h"

#include <map>
#include <mutex>
#include <onnx/defs/operator_sets.h>
#include <string>
#include <unordered_map>

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

// ONNX's OpSchemaRegistry::Schema lookup: the newest version not above the maximum.
const onnx::OpSchema* newest_up_to(const std::map<int, onnx::OpSchema>& versions,
                                   int max_inclusive_version) {
    auto it = versions.upper_bound(max_inclusive_version);
    if (it == versions.begin()) return nullptr;
    return &std::prev(it)->second;
}

class LazySchemaRegistry final : public onnx::ISchemaRegistry {
public:
    const onnx::OpSchema* GetSchema(const std::string& key, const int max_inclusive_version,
                                    const std::string& domain) const override {
        const onnx::OpSchema* custom = nullptr;
        if (registered_custom_schema(domain, key, max_inclusive_version, custom)) return custom;
        if (domain != onnx::ONNX_DOMAIN)
            return onnx::OpSchemaRegistry::Schema(key, max_inclusive_version, domain);
        std::lock_guard<std::mutex> lock(mutex_);
        auto built = standard_.find(key);
        if (built == standard_.end()) built = standard_.emplace(key, build(key)).first;
        return newest_up_to(built->second, max_inclusive_version);
    }

private:
    // All versions of one standard operator, finalized as ONNX's registry finalizes them.
    static std::map<int, onnx::OpSchema> build(const std::string& op_type) {
        std::map<int, onnx::OpSchema> versions;
        for (const auto& c : kStandardSchemas)
            if (op_type == c.op_type) {
                onnx::OpSchema schema = c.factory();
                schema.Finalize();
                versions.emplace(c.since_version, std::move(schema));
            }
        return versions;
    }

    mutable std::mutex mutex_;
    mutable std::unordered_map<std::string, std::map<int, onnx::OpSchema>> standard_;
};

} // namespace

const onnx::ISchemaRegistry* lazy_schema_registry() {
    static const LazySchemaRegistry registry;
    return &registry;
}

} // namespace finn
