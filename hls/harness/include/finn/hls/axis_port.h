// Binds the harness to the signals of one Verilated AXI-Stream port. Verilator stores a port of
// up to 8/16/32/64 bits as CData/SData/IData/QData and a wider one as VlWide<N> (32-bit words);
// TdataSignal hides which, so one harness serves every width.
#pragma once

#include "finn/hls/packed_word.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <verilated.h>

namespace finn::hls {

class TdataSignal {
public:
    TdataSignal(CData& signal) : scalar_(&signal), scalar_bits_(8) {}
    TdataSignal(SData& signal) : scalar_(&signal), scalar_bits_(16) {}
    TdataSignal(IData& signal) : scalar_(&signal), scalar_bits_(32) {}
    TdataSignal(QData& signal) : scalar_(&signal), scalar_bits_(64) {}
    template <std::size_t Words>
    TdataSignal(VlWide<Words>& signal) : wide_(signal.data()), wide_words_(Words) {}

    // Bits of `word` beyond the signal are dropped; signal bits beyond `word` are set to zero.
    void write(const PackedWord& word) const {
        if (wide_ != nullptr) {
            for (std::size_t i = 0; i < wide_words_; ++i)
                wide_[i] = static_cast<EData>(word.bits(static_cast<unsigned>(32 * i), 32));
            return;
        }
        const std::uint64_t value = word.bits(0, scalar_bits_);
        switch (scalar_bits_) {
        case 8:
            *static_cast<CData*>(scalar_) = static_cast<CData>(value);
            break;
        case 16:
            *static_cast<SData*>(scalar_) = static_cast<SData>(value);
            break;
        case 32:
            *static_cast<IData*>(scalar_) = static_cast<IData>(value);
            break;
        default:
            *static_cast<QData*>(scalar_) = value;
            break;
        }
    }

    // The low `width` bits of the signal (the stream's padded width).
    PackedWord read(unsigned width) const {
        PackedWord word(width);
        if (wide_ != nullptr) {
            for (unsigned offset = 0; offset < width; offset += 32)
                word.set_bits(offset, std::min(32u, width - offset), wide_[offset / 32]);
            return word;
        }
        std::uint64_t value = 0;
        switch (scalar_bits_) {
        case 8:
            value = *static_cast<const CData*>(scalar_);
            break;
        case 16:
            value = *static_cast<const SData*>(scalar_);
            break;
        case 32:
            value = *static_cast<const IData*>(scalar_);
            break;
        default:
            value = *static_cast<const QData*>(scalar_);
            break;
        }
        if (width > 0) word.set_bits(0, std::min(64u, width), value);
        return word;
    }

private:
    void* scalar_ = nullptr;
    unsigned scalar_bits_ = 0;
    EData* wide_ = nullptr;
    std::size_t wide_words_ = 0;
};

// One AXI-Stream port of a Verilated model: its name (for messages) and its three signals.
struct AxisPort {
    std::string name;
    TdataSignal tdata;
    CData* tvalid;
    CData* tready;
};

// The clock and the synchronous active-low reset every Finn component has.
struct ClockReset {
    CData* clk;
    CData* rst_n;
};

} // namespace finn::hls

// FINN_AXIS_PORT(top, in0_V) binds top.in0_V_TDATA, top.in0_V_TVALID and top.in0_V_TREADY.
#define FINN_AXIS_PORT(model, prefix)                                                              \
    ::finn::hls::AxisPort {                                                                        \
#prefix, ::finn::hls::TdataSignal((model).prefix##_TDATA), &(model).prefix##_TVALID,       \
            &(model).prefix##_TREADY                                                               \
    }

// FINN_AXIS_PORT_LOWER(top, s_axis_0) binds top.s_axis_0_tdata, top.s_axis_0_tvalid and
// top.s_axis_0_tready (the signal names of FINN's stitched IP).
#define FINN_AXIS_PORT_LOWER(model, prefix)                                                        \
    ::finn::hls::AxisPort {                                                                        \
#prefix, ::finn::hls::TdataSignal((model).prefix##_tdata), &(model).prefix##_tvalid,       \
            &(model).prefix##_tready                                                               \
    }

// FINN_CLOCK_RESET(top) binds top.ap_clk and top.ap_rst_n.
#define FINN_CLOCK_RESET(model)                                                                    \
    ::finn::hls::ClockReset {                                                                      \
        &(model).ap_clk, &(model).ap_rst_n                                                         \
    }
