#include "finn/hls/transfer_model.h"

#include "module_models.h"

#include <stdexcept>

namespace finn::hls {

namespace {

struct ModuleModel {
    const char* module;
    Transfers (*run)(const TransferRun&);
    bool (*modelled)(const ModuleParameters&);
};

constexpr ModuleModel kModels[] = {
#define FINN_TRANSFER_MODEL(module, modelled)                                                      \
    {#module, &transfers::module##_transfers, &transfers::modelled},
#include "transfer_models.def"
#undef FINN_TRANSFER_MODEL
};

const ModuleModel* find_model(const std::string& module) {
    for (const ModuleModel& m : kModels)
        if (module == m.module) return &m;
    return nullptr;
}

} // namespace

bool has_transfer_model(const std::string& module, const ModuleParameters& parameters) {
    const ModuleModel* model = find_model(module);
    return model && model->modelled(parameters);
}

Transfers model_transfers(const std::string& module, const TransferRun& run) {
    if (!has_transfer_model(module, run.parameters))
        throw std::invalid_argument("no transaction model of module " + module +
                                    " with these parameters");
    return find_model(module)->run(run);
}

} // namespace finn::hls
