// Bit-accurate model of FINN's DuplicateStreams (hls/rtl/duplicate_streams/duplicate_streams.sv):
// every output stream carries the input's words.
#pragma once

#include "finn/hls/packed_word.h"

#include <vector>

namespace finn::hls {

class DuplicateStreamsModel {
public:
    // Throws std::invalid_argument for fewer than one output.
    explicit DuplicateStreamsModel(unsigned outputs);
    std::vector<WordStream> run(const WordStream& input) const;

private:
    unsigned outputs_;
};

} // namespace finn::hls
