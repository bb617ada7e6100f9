// The output stage of a layer whose output word is LANES values of OUT_BITS bits: each lane's
// VALUE_BITS-bit result is fitted to the output type (its low OUT_BITS bits; a wider output type
// extends it, by its sign bit when VALUE_SIGNED = 1, by zeros otherwise), goes through a skid
// buffer (registered tdata/tvalid and tready, one word per cycle) and leaves as out_V_TDATA with
// the padding bits up to the next byte zero, FINN's convention.
// Only the bits a lane keeps are buffered: a wider output type is extended after the buffer.
module axis_lane_output #(
    parameter int  LANES         = 1,
    parameter int  VALUE_BITS    = 8,
    parameter int  VALUE_SIGNED  = 1,
    parameter int  OUT_BITS      = 8,
    localparam int OUT_WIDTH     = LANES * OUT_BITS,
    localparam int AXI_OUT_WIDTH = (OUT_WIDTH + 7) / 8 * 8
) (
    input  logic                        ap_clk,
    input  logic                        ap_rst_n,

    input  logic [LANES*VALUE_BITS-1:0] values,
    input  logic                        valid,
    output logic                        ready,

    output logic [AXI_OUT_WIDTH-1:0]    out_V_TDATA,
    output logic                        out_V_TVALID,
    input  logic                        out_V_TREADY
);
    localparam int KEPT_BITS = VALUE_BITS < OUT_BITS ? VALUE_BITS : OUT_BITS;

    logic [LANES*KEPT_BITS-1:0] kept, buffered;
    for (genvar p = 0; p < LANES; p++) begin : g_keep
        logic [VALUE_BITS-1:0] v;
        assign v = values[p*VALUE_BITS +: VALUE_BITS];
        assign kept[p*KEPT_BITS +: KEPT_BITS] = v[KEPT_BITS-1:0];
        if (VALUE_BITS > KEPT_BITS) begin : g_unused
            /* verilator lint_off UNUSEDSIGNAL */
            logic [VALUE_BITS-KEPT_BITS-1:0] unused_high;
            /* verilator lint_on UNUSEDSIGNAL */
            assign unused_high = v[VALUE_BITS-1:KEPT_BITS];
        end
    end

    axis_skid_buffer #(.WIDTH(LANES * KEPT_BITS)) output_buffer (
        .ap_clk, .ap_rst_n,
        .s_axis_tdata(kept), .s_axis_tvalid(valid), .s_axis_tready(ready),
        .m_axis_tdata(buffered), .m_axis_tvalid(out_V_TVALID), .m_axis_tready(out_V_TREADY));

    logic [OUT_WIDTH-1:0] out_data;
    for (genvar p = 0; p < LANES; p++) begin : g_fit
        logic [KEPT_BITS-1:0] b;
        assign b = buffered[p*KEPT_BITS +: KEPT_BITS];
        if (OUT_BITS > KEPT_BITS) begin : g_extend
            assign out_data[p*OUT_BITS +: OUT_BITS] =
                {{(OUT_BITS - KEPT_BITS){VALUE_SIGNED != 0 ? b[KEPT_BITS-1] : 1'b0}}, b};
        end else begin : g_fits
            assign out_data[p*OUT_BITS +: OUT_BITS] = b;
        end
    end
    assign out_V_TDATA = AXI_OUT_WIDTH'(out_data);
endmodule
