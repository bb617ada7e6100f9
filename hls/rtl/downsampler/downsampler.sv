// FINN's DownSampler: the input of a strided 1x1 convolution. Of an image of HEIGHT x WIDTH
// pixels it keeps the pixels whose row and column are multiples of STRIDE (pixel 0 included), so
// each axis of D pixels becomes (D - 1) / STRIDE + 1; a pixel is CHANNELS/SIMD words of SIMD
// elements, passed on unchanged. Frames follow each other without a gap (numInputVectors).
//
// Parameters (node attributes):
//   HEIGHT, WIDTH   the image: ImgDim x ImgDim, or with is1D a column (ImgDim x 1,
//                   is1D_unitx = 1) or a row (1 x ImgDim)
//   CHANNELS, SIMD  NumChannels, SIMD (CHANNELS % SIMD == 0)
//   STRIDE          Stride
//   BITS            bitwidth(inputDataType): the elements are only moved, never interpreted
// One input word per cycle whether it is kept or dropped: C/SIMD * HEIGHT * WIDTH cycles per
// frame, FINN's estimate. Kept words go through a skid buffer (no path from out_V_TREADY to
// in0_V_TREADY).
module downsampler #(
    parameter int  HEIGHT   = 4,
    parameter int  WIDTH    = 4,
    parameter int  CHANNELS = 1,
    parameter int  SIMD     = 1,
    parameter int  STRIDE   = 2,
    parameter int  BITS     = 8,
    localparam int DATA_WIDTH = SIMD * BITS,
    localparam int AXI_WIDTH  = (DATA_WIDTH + 7) / 8 * 8
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
    localparam int FOLDS     = CHANNELS / SIMD;
    localparam int FOLD_BITS = FOLDS > 1 ? $clog2(FOLDS) : 1;
    localparam int ROW_BITS  = HEIGHT > 1 ? $clog2(HEIGHT) : 1;
    localparam int COL_BITS  = WIDTH > 1 ? $clog2(WIDTH) : 1;
    localparam int PHASE_BITS = STRIDE > 1 ? $clog2(STRIDE) : 1;

    if (SIMD < 1 || CHANNELS % SIMD != 0 || STRIDE < 1 || HEIGHT < 1 || WIDTH < 1)
    begin : g_bad_parameters
        $error("downsampler: needs SIMD to divide CHANNELS, STRIDE >= 1, HEIGHT, WIDTH >= 1");
    end

    // Position of the next input word; the phases count rows and columns modulo STRIDE, so
    // "kept" needs no division.
    logic [FOLD_BITS-1:0]  fold;
    logic [ROW_BITS-1:0]   row;
    logic [COL_BITS-1:0]   col;
    logic [PHASE_BITS-1:0] row_phase, col_phase;
    logic                  last_fold, last_col, kept, slice_ready, take;

    assign last_fold    = fold == FOLD_BITS'(FOLDS - 1);
    assign last_col     = col == COL_BITS'(WIDTH - 1);
    assign kept         = row_phase == '0 && col_phase == '0;
    // A dropped word needs no room downstream.
    assign in0_V_TREADY = slice_ready || !kept;
    assign take         = in0_V_TVALID && in0_V_TREADY;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            fold      <= '0;
            row       <= '0;
            col       <= '0;
            row_phase <= '0;
            col_phase <= '0;
        end else if (take) begin
            fold <= last_fold ? '0 : fold + 1'b1;
            if (last_fold) begin
                col       <= last_col ? '0 : col + 1'b1;
                col_phase <= last_col || col_phase == PHASE_BITS'(STRIDE - 1)
                             ? '0 : col_phase + 1'b1;
                if (last_col) begin
                    row       <= row == ROW_BITS'(HEIGHT - 1) ? '0 : row + 1'b1;
                    row_phase <= row == ROW_BITS'(HEIGHT - 1)
                                 || row_phase == PHASE_BITS'(STRIDE - 1) ? '0 : row_phase + 1'b1;
                end
            end
        end
    end

    logic [DATA_WIDTH-1:0] out_data;
    axis_skid_buffer #(.WIDTH(DATA_WIDTH)) output_buffer (
        .ap_clk, .ap_rst_n,
        .s_axis_tdata(in0_V_TDATA[DATA_WIDTH-1:0]), .s_axis_tvalid(in0_V_TVALID && kept),
        .s_axis_tready(slice_ready),
        .m_axis_tdata(out_data), .m_axis_tvalid(out_V_TVALID), .m_axis_tready(out_V_TREADY));
    assign out_V_TDATA = AXI_WIDTH'(out_data);

    // Padding bits are ignored.
    if (AXI_WIDTH > DATA_WIDTH) begin : g_padding
        /* verilator lint_off UNUSEDSIGNAL */
        logic [AXI_WIDTH-DATA_WIDTH-1:0] ignored_padding;
        /* verilator lint_on UNUSEDSIGNAL */
        assign ignored_padding = in0_V_TDATA[AXI_WIDTH-1:DATA_WIDTH];
    end
endmodule
