#include "finn/hls/threshold_table.h"

#include <stdexcept>
#include <string>

namespace finn::hls {

unsigned ThresholdTable::count(std::int64_t value, unsigned channel) const {
    const std::int64_t* row =
        values.data() + static_cast<std::size_t>(shared() ? 0 : channel) * steps;
    unsigned n = 0;
    for (unsigned s = 0; s < steps; ++s)
        n += value >= row[s] ? 1 : 0;
    return n;
}

void ThresholdTable::check(unsigned channels) const {
    if (rows != 1 && rows != channels)
        throw std::invalid_argument("thresholds: " + std::to_string(rows) +
                                    " rows, expected 1 or " + std::to_string(channels));
    if (steps == 0 || values.size() != static_cast<std::size_t>(rows) * steps)
        throw std::invalid_argument("thresholds: " + std::to_string(values.size()) +
                                    " values for " + std::to_string(rows) + " rows of " +
                                    std::to_string(steps) + " steps");
    for (std::int64_t v : values)
        if (!type.allows(v))
            throw std::invalid_argument("thresholds: " + std::to_string(v) + " is not a " +
                                        type.name() + " value");
}

WordStream ThresholdTable::memory(unsigned channels, unsigned pe) const {
    const unsigned lanes = shared() ? 1 : pe;
    const unsigned words = shared() ? 1 : channels / pe;
    WordStream image;
    for (unsigned f = 0; f < words; ++f) {
        PackedWord word(lanes * steps * type.bits);
        for (unsigned p = 0; p < lanes; ++p)
            for (unsigned s = 0; s < steps; ++s)
                word.set_bits(
                    (p * steps + s) * type.bits, type.bits,
                    type.encode(values[static_cast<std::size_t>(f * lanes + p) * steps + s]));
        image.push_back(std::move(word));
    }
    return image;
}

} // namespace finn::hls
