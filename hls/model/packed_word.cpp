#include "finn/hls/packed_word.h"

#include <algorithm>
#include <stdexcept>

namespace finn::hls {

namespace {
constexpr unsigned kLimbBits = 64;

std::uint64_t low_mask(unsigned count) {
    return count >= kLimbBits ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1;
}
} // namespace

PackedWord::PackedWord(unsigned width) : width_(width) {
    if (limb_count() > kInlineLimbs) wide_.assign(limb_count(), 0);
}

std::uint64_t PackedWord::bits(unsigned offset, unsigned count) const {
    if (count > kLimbBits) throw std::invalid_argument("PackedWord::bits: more than 64 bits");
    std::uint64_t result = 0;
    // At most two limbs contribute; read each bit range limb by limb.
    for (unsigned done = 0; done < count;) {
        const unsigned position = offset + done;
        const unsigned limb = position / kLimbBits;
        if (limb >= limb_count()) break;
        const unsigned shift = position % kLimbBits;
        const unsigned take = std::min(count - done, kLimbBits - shift);
        result |= ((limbs()[limb] >> shift) & low_mask(take)) << done;
        done += take;
    }
    return result & low_mask(count);
}

void PackedWord::set_bits(unsigned offset, unsigned count, std::uint64_t value) {
    if (count > kLimbBits) throw std::invalid_argument("PackedWord::set_bits: more than 64 bits");
    if (offset + count > width_)
        throw std::out_of_range("PackedWord::set_bits: bits " + std::to_string(offset) + ".." +
                                std::to_string(offset + count) + " outside a " +
                                std::to_string(width_) + "-bit word");
    value &= low_mask(count);
    for (unsigned done = 0; done < count;) {
        const unsigned position = offset + done;
        const unsigned limb = position / kLimbBits;
        const unsigned shift = position % kLimbBits;
        const unsigned take = std::min(count - done, kLimbBits - shift);
        const std::uint64_t field = low_mask(take) << shift;
        std::uint64_t& target = limbs()[limb];
        target = (target & ~field) | (((value >> done) << shift) & field);
        done += take;
    }
}

std::string PackedWord::to_hex() const {
    static const char* digits = "0123456789abcdef";
    const unsigned nibbles = width_ == 0 ? 1 : (width_ + 3) / 4;
    std::string text(nibbles, '0');
    for (unsigned i = 0; i < nibbles; ++i)
        text[nibbles - 1 - i] = digits[bits(4 * i, 4)];
    return text;
}

} // namespace finn::hls
