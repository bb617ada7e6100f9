// FINN's ChannelwiseOp: y = Func(p[c], x) for every element x of channel c, PE channels per word:
//   "add" p + x, "mul" p * x, "cmp_le" (p <= x), "cmp_ge" (p >= x) (1 or 0).
//
// Parameters (node attributes): CHANNELS = NumChannels, PE, FUNC = Func, IN_BITS/IN_SIGNED =
// inputDataType, P_BITS/P_SIGNED = paramDataType, OUT_BITS = the output type's bits (the result's
// low OUT_BITS bits; wider ones sign-extend), SHARED_PARAMS = 1 when one parameter serves every
// channel, PARAM_FILE (a $readmemh image, hls/README.md "Memory files"), RAM_STYLE = ram_style.
// Any other FUNC stops elaboration with a message.
//
// The channel fold counter addresses the parameter memory (a synchronous read, in step with the
// input word's register); the result goes through a skid buffer. One word per cycle:
// NumChannels/PE cycles per vector plus 2 cycles of latency.
module channelwise_op #(
    parameter int  CHANNELS      = 1,
    parameter int  PE            = 1,
    parameter      FUNC          = "add",
    parameter int  IN_BITS       = 4,
    parameter int  IN_SIGNED     = 1,
    parameter int  P_BITS        = 4,
    parameter int  P_SIGNED      = 1,
    parameter int  OUT_BITS      = 8,
    parameter int  SHARED_PARAMS = 0,
    parameter      PARAM_FILE    = "",
    parameter      RAM_STYLE     = "distributed",
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

    output logic [AXI_OUT_WIDTH-1:0] out_V_TDATA,
    output logic                     out_V_TVALID,
    input  logic                     out_V_TREADY
);
    localparam int NF        = CHANNELS / PE;
    localparam int NF_BITS   = NF > 1 ? $clog2(NF) : 1;
    localparam int ROWS      = SHARED_PARAMS != 0 ? 1 : NF;
    localparam int ROW_LANES = SHARED_PARAMS != 0 ? 1 : PE;
    localparam int ADDR_BITS = ROWS > 1 ? $clog2(ROWS) : 1;
    // Operands as signed values one bit wider; every result fits RES_BITS signed bits.
    localparam int RES_BITS  = IN_BITS + P_BITS + 2;
    // An untyped string parameter is as wide as its value: comparing it with another literal is
    // a width mismatch.
    /* verilator lint_off WIDTH */
    localparam int OP        = FUNC == "add" ? 0 : FUNC == "mul" ? 1 : FUNC == "cmp_le" ? 2
                             : FUNC == "cmp_ge" ? 3 : -1;
    /* verilator lint_on WIDTH */
    if (OP < 0) begin : g_bad_func
        $error("channelwise_op: FUNC must be add, mul, cmp_le or cmp_ge");
    end
    if (PE < 1 || CHANNELS % PE != 0) begin : g_bad_pe
        $error("channelwise_op: PE must divide CHANNELS");
    end

    // --- stage a: the input word and its channels' parameters -------------------------------------
    logic                          enable, skid_ready, take, valid_a;
    logic [NF_BITS-1:0]            nf;
    logic [IN_WIDTH-1:0]           x_a;
    logic [ROW_LANES*P_BITS-1:0]   params;
    assign enable       = !valid_a || skid_ready;
    assign take         = enable && in0_V_TVALID;
    assign in0_V_TREADY = enable;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            nf      <= '0;
            valid_a <= 1'b0;
        end else if (enable) begin
            valid_a <= in0_V_TVALID;
            if (in0_V_TVALID) nf <= nf == NF_BITS'(NF - 1) ? '0 : nf + 1'b1;
        end
    end
    always_ff @(posedge ap_clk) if (take) x_a <= in0_V_TDATA[IN_WIDTH-1:0];

    logic [ADDR_BITS-1:0] address;
    if (SHARED_PARAMS != 0) begin : g_shared
        assign address = '0;
    end else begin : g_per_channel
        assign address = ADDR_BITS'(nf);
    end
    rom_sync #(.WIDTH(ROW_LANES * P_BITS), .DEPTH(ROWS), .INIT_FILE(PARAM_FILE),
               .RAM_STYLE(RAM_STYLE))
        parameters (.ap_clk, .enable(take), .address, .data(params));

    // --- the operation per lane ------------------------------------------------------------------
    logic [PE*RES_BITS-1:0] result;
    for (genvar p = 0; p < PE; p++) begin : g_lane
        localparam int ROW_LANE = SHARED_PARAMS != 0 ? 0 : p;
        logic [IN_BITS-1:0]         x;
        logic [P_BITS-1:0]          w;
        logic signed [IN_BITS:0]    xe;
        logic signed [P_BITS:0]     we;
        logic signed [RES_BITS-1:0] y;
        assign result[p*RES_BITS +: RES_BITS] = y;
        assign x  = x_a[p*IN_BITS +: IN_BITS];
        assign w  = params[ROW_LANE*P_BITS +: P_BITS];
        assign xe = {IN_SIGNED != 0 ? x[IN_BITS-1] : 1'b0, x};
        assign we = {P_SIGNED != 0 ? w[P_BITS-1] : 1'b0, w};
        if (OP == 0) begin : g_add
            assign y = RES_BITS'(xe) + RES_BITS'(we);
        end else if (OP == 1) begin : g_mul
            assign y = RES_BITS'(xe) * RES_BITS'(we);
        end else if (OP == 2) begin : g_cmp_le
            assign y = RES_BITS'(RES_BITS'(we) <= RES_BITS'(xe));
        end else begin : g_cmp_ge
            assign y = RES_BITS'(RES_BITS'(we) >= RES_BITS'(xe));
        end
    end

    axis_lane_output #(.LANES(PE), .VALUE_BITS(RES_BITS), .VALUE_SIGNED(1), .OUT_BITS(OUT_BITS))
        output_stage (
            .ap_clk, .ap_rst_n,
            .values(result), .valid(valid_a), .ready(skid_ready),
            .out_V_TDATA, .out_V_TVALID, .out_V_TREADY);

    // Padding bits are ignored on input (FINN's convention).
    if (AXI_IN_WIDTH > IN_WIDTH) begin : g_padding
        /* verilator lint_off UNUSEDSIGNAL */
        logic [AXI_IN_WIDTH-IN_WIDTH-1:0] ignored_padding;
        /* verilator lint_on UNUSEDSIGNAL */
        assign ignored_padding = in0_V_TDATA[AXI_IN_WIDTH-1:IN_WIDTH];
    end
endmodule
