// FINN's GlobalAccPool: per channel, the sum over all PIXELS pixels of a frame (H*W), emitted as
// one pixel of CHANNELS/PE words once the frame's last pixel is in.
//
// Parameters (node attributes):
//   PIXELS          H*W, the product of numInputVectors[1:]
//   CHANNELS, PE    NumChannels, PE (CHANNELS % PE == 0)
//   IN_BITS, IN_SIGNED, IN_BIPOLAR   inputDataType (BIPOLAR: the bit b is the value 2b-1)
//   OUT_BITS        bitwidth of the output datatype, which holds PIXELS times the input's extreme
//                   (the sums are exact in it)
// Schedule, FINN's: PIXELS*CHANNELS/PE cycles to accumulate (one input word per cycle), then
// CHANNELS/PE cycles to emit while the input waits: PIXELS*C/PE + C/PE cycles per frame, FINN's
// estimate. The accumulators are a CHANNELS/PE-deep array read asynchronously (distributed RAM).
module global_acc_pool #(
    parameter int  PIXELS     = 4,
    parameter int  CHANNELS   = 1,
    parameter int  PE         = 1,
    parameter int  IN_BITS    = 8,
    parameter int  IN_SIGNED  = 1,
    parameter int  IN_BIPOLAR = 0,
    parameter int  OUT_BITS   = 10,
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
    localparam int FOLDS      = CHANNELS / PE;
    localparam int FOLD_BITS  = FOLDS > 1 ? $clog2(FOLDS) : 1;
    localparam int PIXEL_BITS = PIXELS > 1 ? $clog2(PIXELS) : 1;

    if (PE < 1 || CHANNELS % PE != 0 || PIXELS < 1) begin : g_bad_parameters
        $error("global_acc_pool: needs PE to divide CHANNELS and PIXELS >= 1");
    end

    logic [OUT_WIDTH-1:0] sums [FOLDS];
    logic [FOLD_BITS-1:0]  fold;
    logic [PIXEL_BITS-1:0] pixel;
    logic                  emitting, last_fold, take, slice_ready;

    assign last_fold    = fold == FOLD_BITS'(FOLDS - 1);
    assign in0_V_TREADY = !emitting;
    assign take         = in0_V_TVALID && !emitting;

    // Each lane's element, extended to OUT_BITS, added to its running sum (restarted at pixel 0).
    logic [OUT_WIDTH-1:0] next_sums;
    for (genvar p = 0; p < PE; p++) begin : g_lane
        logic [IN_BITS-1:0]  element;
        logic [OUT_BITS-1:0] value, previous;
        assign element = in0_V_TDATA[p*IN_BITS +: IN_BITS];
        if (IN_BIPOLAR != 0) begin : g_bipolar
            assign value = element[0] ? OUT_BITS'(1) : {OUT_BITS{1'b1}};
        end else begin : g_integer
            assign value = OUT_BITS'($signed({IN_SIGNED != 0 && element[IN_BITS-1], element}));
        end
        assign previous = pixel == '0 ? '0 : sums[fold][p*OUT_BITS +: OUT_BITS];
        assign next_sums[p*OUT_BITS +: OUT_BITS] = previous + value;
    end

    always_ff @(posedge ap_clk) if (take) sums[fold] <= next_sums;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            fold     <= '0;
            pixel    <= '0;
            emitting <= 1'b0;
        end else if (take) begin
            fold <= last_fold ? '0 : fold + 1'b1;
            if (last_fold) begin
                pixel <= pixel == PIXEL_BITS'(PIXELS - 1) ? '0 : pixel + 1'b1;
                if (pixel == PIXEL_BITS'(PIXELS - 1)) emitting <= 1'b1;
            end
        end else if (emitting && slice_ready) begin
            // `fold` walks the sums once more, now as the emit address.
            fold <= last_fold ? '0 : fold + 1'b1;
            if (last_fold) emitting <= 1'b0;
        end
    end

    logic [OUT_WIDTH-1:0] out_data;
    axis_skid_buffer #(.WIDTH(OUT_WIDTH)) output_buffer (
        .ap_clk, .ap_rst_n,
        .s_axis_tdata(sums[fold]), .s_axis_tvalid(emitting), .s_axis_tready(slice_ready),
        .m_axis_tdata(out_data), .m_axis_tvalid(out_V_TVALID), .m_axis_tready(out_V_TREADY));
    assign out_V_TDATA = AXI_OUT_WIDTH'(out_data);

    // Padding bits are ignored.
    if (AXI_IN_WIDTH > IN_WIDTH) begin : g_padding
        /* verilator lint_off UNUSEDSIGNAL */
        logic [AXI_IN_WIDTH-IN_WIDTH-1:0] ignored_padding;
        /* verilator lint_on UNUSEDSIGNAL */
        assign ignored_padding = in0_V_TDATA[AXI_IN_WIDTH-1:IN_WIDTH];
    end
endmodule
