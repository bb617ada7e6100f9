#include "finn/config/boards.h"

#include "finn/core/error.h"

#include <array>

namespace finn {
namespace {

constexpr std::array<ZynqBoard, 10> kZynqBoards{{
    {"Ultra96", "xczu3eg-sbva484-1-e", 128, "avnet.com:ultra96v1:part0:1.2"},
    {"Ultra96-V2", "xczu3eg-sbva484-1-i", 128, "avnet.com:ultra96v2:part0:1.2"},
    {"Pynq-Z1", "xc7z020clg400-1", 64, "www.digilentinc.com:pynq-z1:part0:1.0"},
    {"Pynq-Z2", "xc7z020clg400-1", 64, "tul.com.tw:pynq-z2:part0:1.0"},
    {"ZCU102", "xczu9eg-ffvb1156-2-e", 128, "xilinx.com:zcu102:part0:3.3"},
    {"ZCU104", "xczu7ev-ffvc1156-2-e", 128, "xilinx.com:zcu104:part0:1.1"},
    {"ZCU111", "xczu28dr-ffvg1517-2-e", 128, ""},
    {"RFSoC2x2", "xczu28dr-ffvg1517-2-e", 128, "xilinx.com:rfsoc2x2:part0:1.1"},
    {"RFSoC4x2", "xczu48dr-ffvg1517-2-e", 128, "realdigital.org:rfsoc4x2:part0:1.0"},
    {"KV260_SOM", "xck26-sfvc784-2LV-c", 128, "xilinx.com:kv260_som:part0:1.3"},
}};

constexpr std::array<AlveoBoard, 5> kAlveoBoards{{
    {"U50", "xcu50-fsvh2104-2L-e", "xilinx_u50_gen3x16_xdma_5_202210_1"},
    {"U200", "xcu200-fsgd2104-2-e", "xilinx_u200_gen3x16_xdma_2_202110_1"},
    {"U250", "xcu250-figd2104-2L-e", "xilinx_u250_gen3x16_xdma_2_1_202010_1"},
    {"U280", "xcu280-fsvh2892-2L-e", "xilinx_u280_gen3x16_xdma_1_202211_1"},
    {"U55C", "xcu55c-fsvh2892-2L-e", "xilinx_u55c_gen3x16_xdma_3_202210_1"},
}};

template <class Board> std::string known_names(std::span<const Board> boards) {
    std::string names;
    for (const Board& b : boards) {
        if (!names.empty()) names += ", ";
        names += b.name;
    }
    return names;
}

template <class Board>
const Board* find_board(std::span<const Board> boards, std::string_view name) {
    for (const Board& b : boards)
        if (b.name == name) return &b;
    return nullptr;
}

const ZynqBoard& zynq_or_throw(std::string_view board, std::string_view what) {
    if (const ZynqBoard* b = find_zynq_board(board)) return *b;
    throw Error("Couldn't resolve " + std::string(what) + " for board '" + std::string(board) +
                "': not a vivado_zynq board (known: " + known_names(zynq_boards()) + ")");
}

const AlveoBoard& alveo_or_throw(std::string_view board, std::string_view what) {
    if (const AlveoBoard* b = find_alveo_board(board)) return *b;
    throw Error("Couldn't resolve " + std::string(what) + " for board '" + std::string(board) +
                "': not a vitis_alveo board (known: " + known_names(alveo_boards()) + ")");
}

} // namespace

std::span<const ZynqBoard> zynq_boards() {
    return kZynqBoards;
}
std::span<const AlveoBoard> alveo_boards() {
    return kAlveoBoards;
}

const ZynqBoard* find_zynq_board(std::string_view board) {
    return find_board(zynq_boards(), board);
}
const AlveoBoard* find_alveo_board(std::string_view board) {
    return find_board(alveo_boards(), board);
}

std::string zynq_part(std::string_view board) {
    return std::string(zynq_or_throw(board, "fpga_part").part);
}
std::string alveo_part(std::string_view board) {
    return std::string(alveo_or_throw(board, "fpga_part").part);
}
std::string alveo_default_platform(std::string_view board) {
    return std::string(alveo_or_throw(board, "vitis_platform").default_platform);
}
int axi_hp_width_bits(std::string_view board) {
    return zynq_or_throw(board, "AXI HP width").axi_hp_width_bits;
}

bool is_versal_part(const std::string& part) {
    const std::string p4 = part.substr(0, 4);
    return p4 == "xcvc" || p4 == "xcve" || p4 == "xcvp" || p4 == "xcvm" || p4 == "xqvc" ||
           p4 == "xqvm" || part.substr(0, 5) == "xqrvc";
}

std::string dsp_block_of_part(const std::string& part) {
    if (is_versal_part(part)) return "DSP58";
    if (part.size() < 3) throw Error("'" + part + "' is not an FPGA part name");
    return part[2] == '7' ? "DSP48E1" : "DSP48E2";
}

} // namespace finn
