// Bit-field copies between stream words (private to hls/model).
#pragma once

#include "finn/hls/packed_word.h"

#include <algorithm>

namespace finn::hls::detail {

// Copies bits [from, from+count) of `source` to [to, to+count) of `target`.
inline void copy_bits(PackedWord& target, unsigned to, const PackedWord& source, unsigned from,
                      unsigned count) {
    for (unsigned done = 0; done < count; done += 64) {
        const unsigned n = std::min(64u, count - done);
        target.set_bits(to + done, n, source.bits(from + done, n));
    }
}

} // namespace finn::hls::detail
