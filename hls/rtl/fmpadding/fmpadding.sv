// FINN's FMPadding: zero padding around an NHWC feature map, streamed in FINN's order (rows, then
// columns, then the CHANNELS/SIMD words of a pixel).
//
// Parameters (node attributes):
//   IMG_H, IMG_W                            ImgDim [H, W]
//   PAD_TOP, PAD_LEFT, PAD_BOTTOM, PAD_RIGHT Padding [top, left, bottom, right]
//   CHANNELS, SIMD                          NumChannels, SIMD (SIMD divides CHANNELS)
//   BITS                                    bitwidth(inputDataType); padding words are all zero,
//                                           so the type must hold 0 (not BIPOLAR)
// Streams: in0_V carries IMG_H*IMG_W*CHANNELS/SIMD words of SIMD elements, out_V the padded map's
// (IMG_H+PAD_TOP+PAD_BOTTOM)*(IMG_W+PAD_LEFT+PAD_RIGHT)*CHANNELS/SIMD words.
//
// One output word per cycle: a counter walks the padded map; inside the image the input word
// passes through, outside a zero word is sent. FINN's estimate (C/SIMD)*H'*W' cycles per frame.
module fmpadding #(
    parameter int  IMG_H      = 4,
    parameter int  IMG_W      = 4,
    parameter int  PAD_TOP    = 1,
    parameter int  PAD_LEFT   = 1,
    parameter int  PAD_BOTTOM = 1,
    parameter int  PAD_RIGHT  = 1,
    parameter int  CHANNELS   = 1,
    parameter int  SIMD       = 1,
    parameter int  BITS       = 8,
    localparam int WIDTH      = SIMD * BITS,
    localparam int AXI_WIDTH  = (WIDTH + 7) / 8 * 8
) (
    input  logic                 ap_clk,
    input  logic                 ap_rst_n,

    input  logic [AXI_WIDTH-1:0] in0_V_TDATA,
    input  logic                 in0_V_TVALID,
    output logic                 in0_V_TREADY,

    output logic [AXI_WIDTH-1:0] out_V_TDATA,
    output logic                 out_V_TVALID,
    input  logic                 out_V_TREADY
);
    localparam int FOLD  = CHANNELS / SIMD;
    localparam int OUT_H = IMG_H + PAD_TOP + PAD_BOTTOM;
    localparam int OUT_W = IMG_W + PAD_LEFT + PAD_RIGHT;
    localparam int FOLD_BITS = FOLD > 1 ? $clog2(FOLD) : 1;
    localparam int ROW_BITS  = $clog2(OUT_H + 1);
    localparam int COL_BITS  = $clog2(OUT_W + 1);

    if (SIMD < 1 || CHANNELS % SIMD != 0 || IMG_H < 1 || IMG_W < 1 || PAD_TOP < 0 || PAD_LEFT < 0
        || PAD_BOTTOM < 0 || PAD_RIGHT < 0) begin : g_bad_parameters
        $error("fmpadding: needs SIMD to divide CHANNELS, a non-empty image and pads >= 0");
    end

    logic [FOLD_BITS-1:0] fold;
    logic [ROW_BITS-1:0]  row;
    logic [COL_BITS-1:0]  col;
    logic in_image, slice_ready, slice_valid, advance;

    // With a zero top or left pad the lower bound is always met.
    /* verilator lint_off UNSIGNED */
    assign in_image = row >= ROW_BITS'(PAD_TOP) && row < ROW_BITS'(PAD_TOP + IMG_H)
                    && col >= COL_BITS'(PAD_LEFT) && col < COL_BITS'(PAD_LEFT + IMG_W);
    /* verilator lint_on UNSIGNED */
    // A frame starts with its first input word: the padding before it is not sent ahead, so a
    // stream of N frames gives exactly N padded frames.
    logic started;
    assign slice_valid  = in_image ? in0_V_TVALID : started || in0_V_TVALID;
    assign in0_V_TREADY = in_image && slice_ready;
    assign advance      = slice_valid && slice_ready;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            fold    <= '0;
            row     <= '0;
            col     <= '0;
            started <= 1'b0;
        end else if (advance) begin
            started <= !(fold == FOLD_BITS'(FOLD - 1) && col == COL_BITS'(OUT_W - 1)
                         && row == ROW_BITS'(OUT_H - 1));
            if (fold != FOLD_BITS'(FOLD - 1)) begin
                fold <= fold + 1'b1;
            end else begin
                fold <= '0;
                if (col != COL_BITS'(OUT_W - 1)) begin
                    col <= col + 1'b1;
                end else begin
                    col <= '0;
                    row <= row == ROW_BITS'(OUT_H - 1) ? '0 : row + 1'b1;
                end
            end
        end
    end

    logic [WIDTH-1:0] out_word;
    axis_skid_buffer #(.WIDTH(WIDTH)) output_buffer (
        .ap_clk, .ap_rst_n,
        .s_axis_tdata(in_image ? in0_V_TDATA[WIDTH-1:0] : '0), .s_axis_tvalid(slice_valid),
        .s_axis_tready(slice_ready),
        .m_axis_tdata(out_word), .m_axis_tvalid(out_V_TVALID), .m_axis_tready(out_V_TREADY));
    assign out_V_TDATA = AXI_WIDTH'(out_word);

    // Input padding bits are ignored.
    if (AXI_WIDTH > WIDTH) begin : g_padding
        /* verilator lint_off UNUSEDSIGNAL */
        logic [AXI_WIDTH-WIDTH-1:0] ignored_padding;
        /* verilator lint_on UNUSEDSIGNAL */
        assign ignored_padding = in0_V_TDATA[AXI_WIDTH-1:WIDTH];
    end
endmodule
