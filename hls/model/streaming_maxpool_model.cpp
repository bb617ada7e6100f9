#include "finn/hls/streaming_maxpool_model.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace finn::hls {

unsigned StreamingMaxPoolParams::out_height() const {
    return ceil_mode ? (height + kernel_h - 1) / kernel_h : height / kernel_h;
}

unsigned StreamingMaxPoolParams::out_width() const {
    return ceil_mode ? (width + kernel_w - 1) / kernel_w : width / kernel_w;
}

StreamingMaxPoolModel::StreamingMaxPoolModel(StreamingMaxPoolParams params) : p_(params) {
    if (p_.pe == 0 || p_.channels % p_.pe != 0)
        throw std::invalid_argument("StreamingMaxPool: PE " + std::to_string(p_.pe) +
                                    " does not divide " + std::to_string(p_.channels) +
                                    " channels");
    if (p_.kernel_h == 0 || p_.kernel_w == 0 || p_.out_height() == 0 || p_.out_width() == 0)
        throw std::invalid_argument("StreamingMaxPool: kernel " + std::to_string(p_.kernel_h) +
                                    "x" + std::to_string(p_.kernel_w) + " does not fit the image " +
                                    std::to_string(p_.height) + "x" + std::to_string(p_.width));
}

WordStream StreamingMaxPoolModel::run(const WordStream& input) const {
    const std::size_t c = p_.channels, h = p_.height, w = p_.width;
    const std::size_t frame = h * w * c / p_.pe;
    if (input.size() % frame != 0)
        throw std::invalid_argument("StreamingMaxPool: " + std::to_string(input.size()) +
                                    " words are not whole frames of " + std::to_string(frame));
    const auto x = unpack_elements(input, p_.type, p_.pe);
    const std::size_t oh = p_.out_height(), ow = p_.out_width();
    std::vector<std::int64_t> out;
    for (std::size_t start = 0; start < x.size(); start += h * w * c)
        for (std::size_t oy = 0; oy < oh; ++oy)
            for (std::size_t ox = 0; ox < ow; ++ox)
                for (std::size_t ch = 0; ch < c; ++ch) {
                    std::int64_t best = std::numeric_limits<std::int64_t>::min();
                    for (std::size_t y = oy * p_.kernel_h; y < std::min(h, (oy + 1) * p_.kernel_h);
                         ++y)
                        for (std::size_t xx = ox * p_.kernel_w;
                             xx < std::min(w, (ox + 1) * p_.kernel_w); ++xx)
                            best = std::max(best, x[start + (y * w + xx) * c + ch]);
                    out.push_back(best);
                }
    return pack_elements(out, p_.type, p_.pe);
}

} // namespace finn::hls
