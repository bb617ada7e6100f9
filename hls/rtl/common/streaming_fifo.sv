// FINN's StreamingFIFO layer: FINN's port names (ap_clk, ap_rst_n, in0_V_*, out_V_*, and the
// depth monitor outputs count and maxcount), tdata padded to a multiple of 8 bits.
//   DEPTH     node attribute `depth` (words; any value >= 1)
//   WIDTH     stream width = folded_shape[-1] * bitwidth(dataType), before padding
//   RAM_STYLE node attribute `ram_style` (auto, block, distributed, ultra), for deep FIFOs
//   SHIFT_REGISTER_MAX_DEPTH  depths up to this use shift-register storage, deeper ones a RAM
//   WORD_STORAGE  how the shift register is written (axis_fifo_shift_register.sv): bit chains for
//                 synthesis, whole words in Verilator
module streaming_fifo #(
    parameter int    DEPTH     = 2,
    parameter int    WIDTH     = 8,
    parameter        RAM_STYLE = "auto",  // untyped: Yosys 0.23 has no parameter string
    parameter int    SHIFT_REGISTER_MAX_DEPTH = 32,
`ifdef VERILATOR
    parameter int    WORD_STORAGE = 1,
`else
    parameter int    WORD_STORAGE = 0,
`endif
    localparam int   AXI_WIDTH  = (WIDTH + 7) / 8 * 8,
    localparam int   COUNT_BITS = $clog2(DEPTH + 1)
) (
    input  logic                  ap_clk,
    input  logic                  ap_rst_n,

    input  logic [AXI_WIDTH-1:0]  in0_V_TDATA,
    input  logic                  in0_V_TVALID,
    output logic                  in0_V_TREADY,

    output logic [AXI_WIDTH-1:0]  out_V_TDATA,
    output logic                  out_V_TVALID,
    input  logic                  out_V_TREADY,

    output logic [COUNT_BITS-1:0] count,
    output logic [COUNT_BITS-1:0] maxcount
);
    logic [WIDTH-1:0] stored_data;

    // The RAM FIFO needs three words to keep its registered tready at full rate.
    if (DEPTH > SHIFT_REGISTER_MAX_DEPTH && DEPTH >= 3) begin : g_ram
        axis_fifo_ram #(.WIDTH(WIDTH), .DEPTH(DEPTH), .RAM_STYLE(RAM_STYLE)) fifo (
            .ap_clk, .ap_rst_n,
            .s_axis_tdata(in0_V_TDATA[WIDTH-1:0]), .s_axis_tvalid(in0_V_TVALID),
            .s_axis_tready(in0_V_TREADY),
            .m_axis_tdata(stored_data), .m_axis_tvalid(out_V_TVALID),
            .m_axis_tready(out_V_TREADY),
            .count);
    end else begin : g_shift_register
        axis_fifo_shift_register #(.WIDTH(WIDTH), .DEPTH(DEPTH), .WORD_STORAGE(WORD_STORAGE))
            fifo (
            .ap_clk, .ap_rst_n,
            .s_axis_tdata(in0_V_TDATA[WIDTH-1:0]), .s_axis_tvalid(in0_V_TVALID),
            .s_axis_tready(in0_V_TREADY),
            .m_axis_tdata(stored_data), .m_axis_tvalid(out_V_TVALID),
            .m_axis_tready(out_V_TREADY),
            .count);
    end

    // Padding bits are zero by FINN's convention: not stored, driven as zero.
    assign out_V_TDATA = AXI_WIDTH'(stored_data);
    if (AXI_WIDTH > WIDTH) begin : g_padding
        /* verilator lint_off UNUSEDSIGNAL */
        logic [AXI_WIDTH-WIDTH-1:0] ignored_padding;
        /* verilator lint_on UNUSEDSIGNAL */
        assign ignored_padding = in0_V_TDATA[AXI_WIDTH-1:WIDTH];
    end

    // Depth monitor: the highest occupancy seen since reset (FIFO sizing reads it).
    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) maxcount <= '0;
        else if (count > maxcount) maxcount <= count;
    end
endmodule
