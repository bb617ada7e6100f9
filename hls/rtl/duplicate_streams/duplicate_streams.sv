// FINN's DuplicateStreams: every input word goes to each of OUTPUTS output streams.
//
// Parameters (node attributes): WIDTH = PE * bitwidth(inputDataType) (the word, unpadded),
// OUTPUTS = NumOutputStreams (at least 1).
// A module cannot name a variable number of ports, so the outputs share one bus of each signal:
// output j is out_V_TDATA[j*AXI_WIDTH +: AXI_WIDTH], out_V_TVALID[j], out_V_TREADY[j]; the node
// wrapper step_hw_codegen writes names them out0_V, out1_V, ... as FINN does.
//
// Each output has a skid buffer; a word is taken when every buffer can accept it (their tready is
// registered, so no consumer's tready reaches in0_V_TREADY combinationally). One word per cycle
// while no output stalls: NumChannels/PE cycles per vector plus 1 cycle of latency.
module duplicate_streams #(
    parameter int  WIDTH     = 8,
    parameter int  OUTPUTS   = 2,
    localparam int AXI_WIDTH = (WIDTH + 7) / 8 * 8
) (
    input  logic                         ap_clk,
    input  logic                         ap_rst_n,

    input  logic [AXI_WIDTH-1:0]         in0_V_TDATA,
    input  logic                         in0_V_TVALID,
    output logic                         in0_V_TREADY,

    output logic [OUTPUTS*AXI_WIDTH-1:0] out_V_TDATA,
    output logic [OUTPUTS-1:0]           out_V_TVALID,
    input  logic [OUTPUTS-1:0]           out_V_TREADY
);
    if (OUTPUTS < 1) begin : g_bad_outputs
        $error("duplicate_streams: OUTPUTS must be at least 1");
    end

    logic [OUTPUTS-1:0] accept;
    assign in0_V_TREADY = &accept;

    for (genvar j = 0; j < OUTPUTS; j++) begin : g_output
        logic [WIDTH-1:0] data;
        axis_skid_buffer #(.WIDTH(WIDTH)) buffer (
            .ap_clk, .ap_rst_n,
            .s_axis_tdata(in0_V_TDATA[WIDTH-1:0]), .s_axis_tvalid(in0_V_TVALID && in0_V_TREADY),
            .s_axis_tready(accept[j]),
            .m_axis_tdata(data), .m_axis_tvalid(out_V_TVALID[j]),
            .m_axis_tready(out_V_TREADY[j]));
        // Padding bits are zero by FINN's convention: ignored on input, zero on output.
        assign out_V_TDATA[j*AXI_WIDTH +: AXI_WIDTH] = AXI_WIDTH'(data);
    end
    if (AXI_WIDTH > WIDTH) begin : g_padding
        /* verilator lint_off UNUSEDSIGNAL */
        logic [AXI_WIDTH-WIDTH-1:0] ignored_padding;
        /* verilator lint_on UNUSEDSIGNAL */
        assign ignored_padding = in0_V_TDATA[AXI_WIDTH-1:WIDTH];
    end
endmodule
