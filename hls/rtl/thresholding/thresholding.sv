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
// One word per cycle; input word and read-ahead thresholds -> compare -> registered -> skid buffer.
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

    // Stage 1: the taken word's activations, registered. The thresholds of the next word's channel
    // fold are read ahead (from fold 0 during reset), so the compare needs no stage of its own.
    // The compare is a function evaluated where the register loads, not continuous logic: the
    // same hardware, but a simulator (Verilator evaluates all continuous logic on every clock
    // edge) computes it only for a word.
    localparam int RESULT_BITS = OUT_BITS < 32 ? OUT_BITS : 32;
    // One signed width holds an input and a threshold exactly (unsigned ones gain a zero bit).
    localparam int CMP_BITS = (IN_BITS > THRESH_BITS ? IN_BITS : THRESH_BITS) + 1;
    logic                      take, enable, skid_ready;
    logic                      valid_q;
    logic [PE*RESULT_BITS-1:0] result_q;
    logic [ROW_WIDTH-1:0]      row;
    logic [FOLD_BITS-1:0]      fold, next_fold;

    assign enable       = !valid_q || skid_ready;
    assign in0_V_TREADY = enable;
    assign take         = in0_V_TVALID && enable;
    assign next_fold    = fold == FOLD_BITS'(FOLDS - 1) ? '0 : fold + 1'b1;

    // FINN's MultiThreshold per lane: ACT_VAL + #{s : x >= T[c, s]}, the low RESULT_BITS bits (a
    // wider output type extends bit 31). A count, not a search, so the thresholds need no order.
    function automatic logic [PE*RESULT_BITS-1:0] activate(input logic [IN_WIDTH-1:0]  data,
                                                           input logic [ROW_WIDTH-1:0] thresholds);
        logic        [IN_BITS-1:0]     x;
        logic        [THRESH_BITS-1:0] t;
        logic signed [CMP_BITS-1:0]    value, threshold;
        int                            count;
        for (int p = 0; p < PE; p++) begin
            x     = data[p*IN_BITS +: IN_BITS];
            value = IN_SIGNED != 0 ? CMP_BITS'($signed(x)) : CMP_BITS'({1'b0, x});
            count = ACT_VAL;
            for (int s = 0; s < STEPS; s++) begin
                t = thresholds[((SHARED_THRESHOLDS != 0 ? 0 : p)*STEPS + s)*THRESH_BITS +: THRESH_BITS];
                threshold = THRESH_SIGNED != 0 ? CMP_BITS'($signed(t)) : CMP_BITS'({1'b0, t});
                if (value >= threshold) count = count + 1;
            end
            activate[p*RESULT_BITS +: RESULT_BITS] = RESULT_BITS'(count);
        end
    endfunction

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            valid_q <= 1'b0;
            fold    <= '0;
        end else if (enable) begin
            valid_q <= in0_V_TVALID;
            if (in0_V_TVALID) fold <= next_fold;
        end
    end
    always_ff @(posedge ap_clk) if (take) result_q <= activate(in0_V_TDATA[IN_WIDTH-1:0], row);

    logic [ADDR_BITS-1:0] row_address;
    if (SHARED_THRESHOLDS != 0) begin : g_shared_address
        assign row_address = '0;
        /* verilator lint_off UNUSEDSIGNAL */
        logic [FOLD_BITS-1:0] unused_fold;
        /* verilator lint_on UNUSEDSIGNAL */
        assign unused_fold = next_fold;
    end else begin : g_fold_address
        assign row_address = ap_rst_n ? ADDR_BITS'(next_fold) : '0;
    end
    rom_sync #(.WIDTH(ROW_WIDTH), .DEPTH(ROWS), .INIT_FILE(THRESH_FILE), .RAM_STYLE(RAM_STYLE))
        thresholds (.ap_clk, .enable(take || !ap_rst_n), .address(row_address), .data(row));

    axis_lane_output #(.LANES(PE), .VALUE_BITS(RESULT_BITS), .VALUE_SIGNED(1),
                       .OUT_BITS(OUT_BITS))
        output_stage (
            .ap_clk, .ap_rst_n,
            .values(result_q), .valid(valid_q), .ready(skid_ready),
            .out_V_TDATA, .out_V_TVALID, .out_V_TREADY);

    // Padding bits are ignored on input (FINN's convention).
    if (AXI_IN_WIDTH > IN_WIDTH) begin : g_padding
        /* verilator lint_off UNUSEDSIGNAL */
        logic [AXI_IN_WIDTH-IN_WIDTH-1:0] ignored_padding;
        /* verilator lint_on UNUSEDSIGNAL */
        assign ignored_padding = in0_V_TDATA[AXI_IN_WIDTH-1:IN_WIDTH];
    end
endmodule
