// FINN's StreamingDataWidthConverter layer (both of FINN's variants: any width ratio), with
// FINN's port names and tdata padded to a multiple of 8 bits.
//   IN_WIDTH   node attribute `inWidth` (bits, a multiple of the element bitwidth)
//   OUT_WIDTH  node attribute `outWidth`
module streaming_dwc #(
    parameter int  IN_WIDTH  = 8,
    parameter int  OUT_WIDTH = 8,
    localparam int AXI_IN_WIDTH  = (IN_WIDTH + 7) / 8 * 8,
    localparam int AXI_OUT_WIDTH = (OUT_WIDTH + 7) / 8 * 8
) (
    input  logic                     ap_clk,
    input  logic                     ap_rst_n,

    input  logic [AXI_IN_WIDTH-1:0]  in0_V_TDATA,
    input  logic                     in0_V_TVALID,
    output logic                     in0_V_TREADY,

    output logic [AXI_OUT_WIDTH-1:0] out_V_TDATA,
    output logic                     out_V_TVALID,
    input  logic                     out_V_TREADY
);
    logic [OUT_WIDTH-1:0] converted;

    axis_width_converter #(.IN_WIDTH(IN_WIDTH), .OUT_WIDTH(OUT_WIDTH)) converter (
        .ap_clk, .ap_rst_n,
        .s_axis_tdata(in0_V_TDATA[IN_WIDTH-1:0]), .s_axis_tvalid(in0_V_TVALID),
        .s_axis_tready(in0_V_TREADY),
        .m_axis_tdata(converted), .m_axis_tvalid(out_V_TVALID), .m_axis_tready(out_V_TREADY));

    // Padding bits are zero by FINN's convention: ignored on input, zero on output.
    assign out_V_TDATA = AXI_OUT_WIDTH'(converted);
    if (AXI_IN_WIDTH > IN_WIDTH) begin : g_padding
        /* verilator lint_off UNUSEDSIGNAL */
        logic [AXI_IN_WIDTH-IN_WIDTH-1:0] ignored_padding;
        /* verilator lint_on UNUSEDSIGNAL */
        assign ignored_padding = in0_V_TDATA[AXI_IN_WIDTH-1:IN_WIDTH];
    end
endmodule
