#include "finn/hls/duplicate_streams_model.h"

#include <stdexcept>

namespace finn::hls {

DuplicateStreamsModel::DuplicateStreamsModel(unsigned outputs) : outputs_(outputs) {
    if (outputs_ < 1) throw std::invalid_argument("DuplicateStreams: at least one output stream");
}

std::vector<WordStream> DuplicateStreamsModel::run(const WordStream& input) const {
    return std::vector<WordStream>(outputs_, input);
}

} // namespace finn::hls
