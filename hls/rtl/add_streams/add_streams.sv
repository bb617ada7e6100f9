// FINN's AddStreams: the element-wise sum of two streams of PE elements per word.
//
// Parameters (node attributes): CHANNELS = NumChannels, PE, IN_BITS/IN_SIGNED = inputDataType
// (both inputs), OUT_BITS = the output type's bits (FINN: one more than the input's; a narrower
// one truncates, a wider one extends).
// A word pair is taken when both inputs are valid and the output's skid buffer accepts (its
// tready is registered: no path from out_V_TREADY to the inputs' tready). One word per cycle:
// NumChannels/PE cycles per vector plus 1 cycle of latency.
module add_streams #(
    parameter int  CHANNELS = 1,
    parameter int  PE       = 1,
    parameter int  IN_BITS  = 4,
    parameter int  IN_SIGNED = 1,
    parameter int  OUT_BITS = 5,
    localparam int IN_WIDTH      = PE * IN_BITS,
    localparam int OUT_WIDTH     = PE * OUT_BITS,
    localparam int AXI_IN_WIDTH  = (IN_WIDTH + 7) / 8 * 8,
    localparam int AXI_OUT_WIDTH = (OUT_WIDTH + 7) / 8 * 8
) (
    input  logic                     ap_clk,
    input  logic                     ap_rst_n,

    input  logic [AXI_IN_WIDTH-1:0]  in0_V_TDATA,
    input  logic                     in0_V_TVALID,
    output logic                     in0_V_TREADY,

    input  logic [AXI_IN_WIDTH-1:0]  in1_V_TDATA,
    input  logic                     in1_V_TVALID,
    output logic                     in1_V_TREADY,

    output logic [AXI_OUT_WIDTH-1:0] out_V_TDATA,
    output logic                     out_V_TVALID,
    input  logic                     out_V_TREADY
);
    // The sum of two IN_BITS values fits SUM_BITS signed bits.
    localparam int SUM_BITS = IN_BITS + 2;
    if (PE < 1 || CHANNELS % PE != 0) begin : g_bad_pe
        $error("add_streams: PE must divide CHANNELS");
    end

    logic accept, take;
    assign take         = in0_V_TVALID && in1_V_TVALID && accept;
    assign in0_V_TREADY = take;
    assign in1_V_TREADY = take;

    logic [PE*SUM_BITS-1:0] sum;
    for (genvar p = 0; p < PE; p++) begin : g_lane
        logic [IN_BITS-1:0]         a, b;
        logic signed [SUM_BITS-1:0] s;
        assign a = in0_V_TDATA[p*IN_BITS +: IN_BITS];
        assign b = in1_V_TDATA[p*IN_BITS +: IN_BITS];
        if (IN_SIGNED != 0) begin : g_signed
            assign s = SUM_BITS'(signed'(a)) + SUM_BITS'(signed'(b));
        end else begin : g_unsigned
            assign s = SUM_BITS'(a) + SUM_BITS'(b);
        end
        assign sum[p*SUM_BITS +: SUM_BITS] = s;
    end

    axis_lane_output #(.LANES(PE), .VALUE_BITS(SUM_BITS), .VALUE_SIGNED(1), .OUT_BITS(OUT_BITS))
        output_stage (
            .ap_clk, .ap_rst_n,
            .values(sum), .valid(take), .ready(accept),
            .out_V_TDATA, .out_V_TVALID, .out_V_TREADY);

    // Padding bits are ignored on input (FINN's convention).
    if (AXI_IN_WIDTH > IN_WIDTH) begin : g_padding
        /* verilator lint_off UNUSEDSIGNAL */
        logic [2*(AXI_IN_WIDTH-IN_WIDTH)-1:0] ignored_padding;
        /* verilator lint_on UNUSEDSIGNAL */
        assign ignored_padding = {in0_V_TDATA[AXI_IN_WIDTH-1:IN_WIDTH],
                                  in1_V_TDATA[AXI_IN_WIDTH-1:IN_WIDTH]};
    end
endmodule
