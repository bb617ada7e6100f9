// Board tables of FINN main (finn/util/basic.py): the board name in `board` selects the FPGA
// part (per shell flow), the default Vitis platform for Alveo cards and the AXI HP port width
// used by the Zynq shell.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace finn {

struct ZynqBoard {
    std::string_view name;
    std::string_view part;
    int axi_hp_width_bits;
    // Vivado board_part used by the Zynq shell tcl; empty where FINN has none (ZCU111).
    std::string_view vivado_board_part;
};

struct AlveoBoard {
    std::string_view name;
    std::string_view part;
    std::string_view default_platform;
};

std::span<const ZynqBoard> zynq_boards();
std::span<const AlveoBoard> alveo_boards();

// nullptr when the board is not in the table (names are case-sensitive, as in FINN).
const ZynqBoard* find_zynq_board(std::string_view board);
const AlveoBoard* find_alveo_board(std::string_view board);

// Throwing look-ups; the error names the board and lists the known ones.
std::string zynq_part(std::string_view board);
std::string alveo_part(std::string_view board);
std::string alveo_default_platform(std::string_view board);
int axi_hp_width_bits(std::string_view board);

// Facts about FPGA part names.
// True for Versal parts (xcvc, xcve, xcvp, xcvm, xqvc, xqvm, xqrvc).
bool is_versal_part(const std::string& fpga_part);
// The DSP block of a part: DSP58 (Versal), DSP48E1 (7-series) or DSP48E2 (UltraScale and later);
// a name too short to be a part is an error.
std::string dsp_block_of_part(const std::string& fpga_part);

} // namespace finn
