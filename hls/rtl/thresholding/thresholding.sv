// FINN's Thresholding layer (MultiThreshold on a stream), PE channels per word:
//   y = ACT_VAL + #{s : x >= T[c, s]}, emitted as the low OUT_BITS bits of y.
// A BIPOLAR output (-1/+1 in FINN's model, 2y-1) travels as the bit y, so it needs no special
// case: OUT_BITS = 1, ACT_VAL = 0. Thresholds need no order.
//
// Parameters (node attributes):
//   CHANNELS           NumChannels            PE            PE (CHANNELS % PE == 0)
//   STEPS              numSteps               ACT_VAL       ActVal
//   IN_BITS/IN_SIGNED  inputDataType          OUT_BITS      bitwidth(outputDataType)
//   THRESH_BITS/THRESH_SIGNED                 weightDataType (the thresholds' type)
//   SHARED_THRESHOLDS  1 when T has one row serving every channel
//   THRESH_FILE        $readmemh image, see hls/README.md ("Memory files"): without sharing,
//                      word c/PE holds channel c's row at bits [((c%PE)*STEPS+s)*THRESH_BITS +:
//                      THRESH_BITS]; shared, the one word holds the row at [s*THRESH_BITS +: ...]
//   RAM_STYLE          ram_style
// One word per cycle; input word -> registered input and thresholds -> compare -> skid buffer.
module thresholding #(
    parameter int  CHANNELS          = 1,
    parameter int  PE                = 1,
    parameter int  STEPS             = 1,
    parameter int  IN_BITS           = 8,
    parameter int  IN_SIGNED         = 1,
    parameter int  THRESH_BITS       = 8,
    parameter int  THRESH_SIGNED     = 1,
    parameter int  OUT_BITS          = 1,
    parameter int  ACT_VAL           = 0,
    parameter int  SHARED_THRESHOLDS = 0,
    parameter      THRESH_FILE       = "",
    parameter      RAM_STYLE         = "distributed",
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
    localparam int FOLDS     = CHANNELS / PE;
    localparam int ROWS      = SHARED_THRESHOLDS != 0 ? 1 : FOLDS;
    localparam int ROW_LANES = SHARED_THRESHOLDS != 0 ? 1 : PE;
    localparam int ROW_WIDTH = ROW_LANES * STEPS * THRESH_BITS;
    localparam int FOLD_BITS = FOLDS > 1 ? $clog2(FOLDS) : 1;
    localparam int ADDR_BITS = ROWS > 1 ? $clog2(ROWS) : 1;
    localparam int COUNT_BITS = $clog2(STEPS + 1);

    // Stage 1: the taken word and the thresholds of its channel fold, both registered.
    logic                 take, enable, skid_ready;
    logic                 valid_q;
    logic [IN_WIDTH-1:0]  data_q;
    logic [ROW_WIDTH-1:0] row_q;
    logic [FOLD_BITS-1:0] fold;

    assign enable       = !valid_q || skid_ready;
    assign in0_V_TREADY = enable;
    assign take         = in0_V_TVALID && enable;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            valid_q <= 1'b0;
            fold    <= '0;
        end else if (enable) begin
            valid_q <= in0_V_TVALID;
            if (in0_V_TVALID) fold <= fold == FOLD_BITS'(FOLDS - 1) ? '0 : fold + 1'b1;
        end
    end
    always_ff @(posedge ap_clk) if (take) data_q <= in0_V_TDATA[IN_WIDTH-1:0];

    logic [ADDR_BITS-1:0] row_address;
    if (SHARED_THRESHOLDS != 0) begin : g_shared_address
        assign row_address = '0;
        /* verilator lint_off UNUSEDSIGNAL */
        logic [FOLD_BITS-1:0] unused_fold;
        /* verilator lint_on UNUSEDSIGNAL */
        assign unused_fold = fold;
    end else begin : g_fold_address
        assign row_address = ADDR_BITS'(fold);
    end
    rom_sync #(.WIDTH(ROW_WIDTH), .DEPTH(ROWS), .INIT_FILE(THRESH_FILE), .RAM_STYLE(RAM_STYLE))
        thresholds (.ap_clk, .enable(take), .address(row_address), .data(row_q));

    // Stage 2: compare and count per lane (ACT_VAL + count as a 32-bit value), straight into the
    // output stage's skid buffer.
    logic [PE*32-1:0] result;
    for (genvar p = 0; p < PE; p++) begin : g_lane
        localparam int ROW_LANE = SHARED_THRESHOLDS != 0 ? 0 : p;
        logic [IN_BITS-1:0]    x;
        logic                  fill;
        logic [COUNT_BITS-1:0] count;
        assign x    = data_q[p*IN_BITS +: IN_BITS];
        assign fill = IN_SIGNED != 0 ? x[IN_BITS-1] : 1'b0;
        threshold_count #(.VALUE_BITS(IN_BITS + 1), .STEPS(STEPS), .THRESH_BITS(THRESH_BITS),
                          .THRESH_SIGNED(THRESH_SIGNED))
            counter (.value({fill, x}),
                     .thresholds(row_q[ROW_LANE*STEPS*THRESH_BITS +: STEPS*THRESH_BITS]),
                     .count);
        assign result[p*32 +: 32] = ACT_VAL + 32'(count);
    end

    axis_lane_output #(.LANES(PE), .VALUE_BITS(32), .VALUE_SIGNED(1), .OUT_BITS(OUT_BITS))
        output_stage (
            .ap_clk, .ap_rst_n,
            .values(result), .valid(valid_q), .ready(skid_ready),
            .out_V_TDATA, .out_V_TVALID, .out_V_TREADY);

    // Padding bits are ignored on input (FINN's convention).
    if (AXI_IN_WIDTH > IN_WIDTH) begin : g_padding
        /* verilator lint_off UNUSEDSIGNAL */
        logic [AXI_IN_WIDTH-IN_WIDTH-1:0] ignored_padding;
        /* verilator lint_on UNUSEDSIGNAL */
        assign ignored_padding = in0_V_TDATA[AXI_IN_WIDTH-1:IN_WIDTH];
    end
endmodule
