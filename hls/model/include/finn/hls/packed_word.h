// One stream word of any width, as a sequence of 64-bit limbs (limb 0 holds bits 0..63). This is
// the unit that crosses an AXI-Stream interface: the C++ models and the Verilator harness both
// speak it, so nothing on the stream path depends on libfinn. Words of up to 128 bits keep their
// limbs inline: the harness makes one word per transfer, and a heap allocation each would cost
// about as much as a small layer's simulated cycle.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace finn::hls {

class PackedWord {
public:
    PackedWord() = default;
    // An all-zero word of `width` bits.
    explicit PackedWord(unsigned width);

    unsigned width() const { return width_; }

    // Bits [offset, offset+count) as an unsigned integer; count <= 64; bits past width() read 0.
    std::uint64_t bits(unsigned offset, unsigned count) const;
    // Writes the low `count` bits of `value` at [offset, offset+count); throws past width().
    void set_bits(unsigned offset, unsigned count, std::uint64_t value);
    bool bit(unsigned index) const { return bits(index, 1) != 0; }

    // Same width and same bits.
    bool operator==(const PackedWord& other) const = default;

    // Hexadecimal, most significant digit first, width()/4 digits rounded up (as FINN prints).
    std::string to_hex() const;

private:
    static constexpr unsigned kInlineLimbs = 2;
    std::uint64_t* limbs() { return wide_.empty() ? inline_.data() : wide_.data(); }
    const std::uint64_t* limbs() const { return wide_.empty() ? inline_.data() : wide_.data(); }
    unsigned limb_count() const { return (width_ + 63) / 64; }

    unsigned width_ = 0;
    // Unused limbs stay zero, so the defaulted == compares values.
    std::array<std::uint64_t, kInlineLimbs> inline_{};
    std::vector<std::uint64_t> wide_; // only for words wider than kInlineLimbs limbs
};

using WordStream = std::vector<PackedWord>;

// Rounds a stream width up to whole bytes, as FINN pads AXI-Stream tdata.
constexpr unsigned padded_width(unsigned width) {
    return (width + 7) / 8 * 8;
}

} // namespace finn::hls
