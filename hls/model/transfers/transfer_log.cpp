#include "transfer_log.h"

#include <stdexcept>

namespace finn::hls::transfers {

std::int64_t ParameterReader::integer(const std::string& name) const {
    const std::string& value = text(name);
    std::size_t used = 0;
    std::int64_t number = 0;
    try {
        number = std::stoll(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != value.size())
        throw std::invalid_argument(module_ + ": parameter " + name + " = '" + value +
                                    "' is not an integer");
    return number;
}

const std::string& ParameterReader::text(const std::string& name) const {
    for (const auto& [key, value] : parameters_)
        if (key == name) return value;
    throw std::invalid_argument(module_ + ": parameter " + name + " is missing");
}

TransferLog::TransferLog(const std::string& module, const TransferRun& run, std::size_t inputs,
                         std::size_t outputs)
    : period_(run.period), words_(run.input_words), taken_(inputs, 0) {
    if (run.input_words.size() != inputs)
        throw std::invalid_argument(module + ": " + std::to_string(run.input_words.size()) +
                                    " input word counts given, the module has " +
                                    std::to_string(inputs) + " input streams");
    transfers_.inputs.assign(inputs, std::vector<std::int64_t>(period_, 0));
    transfers_.outputs.assign(outputs, std::vector<std::int64_t>(period_, 0));
}

void TransferLog::take(std::size_t i, std::size_t t) {
    if (!offers(i) || t >= period_)
        throw std::logic_error("transfer model: input " + std::to_string(i) +
                               " taken without a word in cycle " + std::to_string(t));
    ++taken_[i];
    transfers_.inputs[i][t] = 1;
}

void TransferLog::emit(std::size_t j, std::size_t t) {
    if (t < period_) transfers_.outputs[j][t] = 1;
}

Transfers lockstep_pipeline(const std::string& module, const TransferRun& run, std::size_t inputs,
                            std::size_t outputs, std::size_t latency) {
    TransferLog log(module, run, inputs, outputs);
    for (std::size_t t = 0; t < log.period(); ++t) {
        bool all = true;
        for (std::size_t i = 0; i < inputs; ++i)
            all = all && log.offers(i);
        if (!all) continue;
        for (std::size_t i = 0; i < inputs; ++i)
            log.take(i, t);
        for (std::size_t j = 0; j < outputs; ++j)
            log.emit(j, t + latency);
    }
    return std::move(log).result();
}

} // namespace finn::hls::transfers
