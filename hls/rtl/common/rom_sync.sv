// Read-only parameter memory (weights, thresholds) loaded from a $readmemh file: one hex word per
// line, line i is address i. The read is synchronous with an enable, so the memory maps to block
// RAM as well as to LUTs, and a stalled pipeline keeps its word.
//   RAM_STYLE  "auto" | "block" | "distributed" | "ultra": the node's ram_style, given to
//              synthesis as Xilinx's rom_style (block, distributed) or ram_style (ultra)
module rom_sync #(
    parameter int  WIDTH     = 8,
    parameter int  DEPTH     = 1,
    parameter      INIT_FILE = "",
    parameter      RAM_STYLE = "auto",
    localparam int ADDR_BITS = DEPTH > 1 ? $clog2(DEPTH) : 1
) (
    input  logic                 ap_clk,
    input  logic                 enable,
    input  logic [ADDR_BITS-1:0] address,
    output logic [WIDTH-1:0]     data
);
    // An untyped string parameter is as wide as its value, so comparing it with other literals is
    // a width mismatch.
    /* verilator lint_off WIDTH */
    if (RAM_STYLE == "block") begin : g_block
        (* rom_style = "block" *) logic [WIDTH-1:0] rom[DEPTH];
        initial $readmemh(INIT_FILE, rom);
        always_ff @(posedge ap_clk) if (enable) data <= rom[address];
    end else if (RAM_STYLE == "distributed") begin : g_distributed
`ifdef YOSYS
        // Yosys 0.23 finds no LUT-RAM mapping for a memory without a write port when told to
        // use one; left alone it builds the same ROM from LUTs.
        logic [WIDTH-1:0] rom[DEPTH];
`else
        (* rom_style = "distributed" *) logic [WIDTH-1:0] rom[DEPTH];
`endif
        initial $readmemh(INIT_FILE, rom);
        always_ff @(posedge ap_clk) if (enable) data <= rom[address];
    end else if (RAM_STYLE == "ultra") begin : g_ultra
        (* ram_style = "ultra" *) logic [WIDTH-1:0] rom[DEPTH];
        initial $readmemh(INIT_FILE, rom);
        always_ff @(posedge ap_clk) if (enable) data <= rom[address];
    end else begin : g_auto
    /* verilator lint_on WIDTH */
        logic [WIDTH-1:0] rom[DEPTH];
        initial $readmemh(INIT_FILE, rom);
        always_ff @(posedge ap_clk) if (enable) data <= rom[address];
    end
endmodule
