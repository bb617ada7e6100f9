// FINN's StreamingMaxPool: max pooling with stride = kernel over an image of HEIGHT x WIDTH
// pixels, each pixel CHANNELS/PE words of PE elements. An output pixel (oy, ox) is the max of
// rows oy*KH .. oy*KH+KH-1 and columns ox*KW .. ox*KW+KW-1, per channel. Without CEIL_MODE the
// output has HEIGHT/KH x WIDTH/KW pixels and trailing rows/columns are dropped; with CEIL_MODE
// it has ceil(HEIGHT/KH) x ceil(WIDTH/KW), a last partial window taking the max of what it
// covers (FINN allows this for 1D images; this module for any).
//
// Parameters (node attributes):
//   HEIGHT, WIDTH    ImgDim       KH, KW     PoolDim       CEIL_MODE   CeilMode
//   CHANNELS, PE     NumChannels and PE: a 2D image carries whole pixels (FINN's folded shape
//                    [1, H, W, 1, C]: PE = CHANNELS), a 1D image CHANNELS/PE words per pixel
//   BITS, SIGNED     dataType (BIPOLAR is the bit 1 for +1: the unsigned max)
// Schedule, FINN's: the input rows of one row of windows update a row buffer of the OW output
// pixels (one input word per cycle); after the window row's last word, the buffer's
// OW*CHANNELS/PE words are emitted while the input waits. Cycles per frame:
// (HEIGHT*WIDTH + OH*OW) * CHANNELS/PE. For a 2D image with HEIGHT % KH = WIDTH % KW = 0 that is
// FINN's estimate D*D*(1 + 1/(k*k)); for 1D it is FINN's OD*(C/PE)*(k+1) when D % k = 0. When k
// does not divide D FINN's 1D formula counts OD*k input pixels where D are read (CeilMode: more
// than are read, floor: fewer), so measured and estimated cycles differ by the trailing pixels
// (streaming_maxpool.cpp says so next to the estimate).
module streaming_maxpool #(
    parameter int  HEIGHT    = 4,
    parameter int  WIDTH     = 4,
    parameter int  KH        = 2,
    parameter int  KW        = 2,
    parameter int  CEIL_MODE = 0,
    parameter int  CHANNELS  = 1,
    parameter int  PE        = 1,
    parameter int  BITS      = 8,
    parameter int  SIGNED    = 1,
    localparam int DATA_WIDTH = PE * BITS,
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
    localparam int OH        = CEIL_MODE != 0 ? (HEIGHT + KH - 1) / KH : HEIGHT / KH;
    localparam int OW        = CEIL_MODE != 0 ? (WIDTH + KW - 1) / KW : WIDTH / KW;
    localparam int FOLDS     = CHANNELS / PE;
    localparam int ENTRIES   = OW * FOLDS;
    localparam int FOLD_BITS = FOLDS > 1 ? $clog2(FOLDS) : 1;
    localparam int ROW_BITS  = HEIGHT > 1 ? $clog2(HEIGHT) : 1;
    localparam int COL_BITS  = WIDTH > 1 ? $clog2(WIDTH) : 1;
    localparam int KY_BITS   = KH > 1 ? $clog2(KH) : 1;
    localparam int KX_BITS   = KW > 1 ? $clog2(KW) : 1;
    localparam int OY_BITS   = $clog2(OH + 1);
    localparam int OX_BITS   = $clog2(OW + 1);
    localparam int ADDR_BITS = ENTRIES > 1 ? $clog2(ENTRIES) : 1;

    if (PE < 1 || CHANNELS % PE != 0 || KH < 1 || KW < 1 || OH < 1 || OW < 1)
    begin : g_bad_parameters
        $error("streaming_maxpool: needs PE to divide CHANNELS, a kernel no larger than the image");
    end

    logic [DATA_WIDTH-1:0] maxima [ENTRIES];
    logic [FOLD_BITS-1:0]  fold;
    logic [ROW_BITS-1:0]   row;
    logic [COL_BITS-1:0]   col;
    logic [KY_BITS-1:0]    ky;
    logic [KX_BITS-1:0]    kx;
    logic [OY_BITS-1:0]    oy;
    logic [OX_BITS-1:0]    ox;
    logic [ADDR_BITS-1:0]  base, address, emit_address;
    logic                  emitting, take, slice_ready, last_fold, last_col, last_row, used, first;

    assign last_fold    = fold == FOLD_BITS'(FOLDS - 1);
    assign last_col     = col == COL_BITS'(WIDTH - 1);
    assign last_row     = row == ROW_BITS'(HEIGHT - 1);
    // Pixels past the last whole window (floor mode) are read and dropped.
    assign used         = oy < OY_BITS'(OH) && ox < OX_BITS'(OW);
    assign first        = ky == '0 && kx == '0;
    assign address      = base + ADDR_BITS'(fold);
    assign in0_V_TREADY = !emitting;
    assign take         = in0_V_TVALID && !emitting;

    // The word's maxima with the window's values so far (none at the window's first pixel).
    // The window's running maximum per lane with the taken word: a function evaluated where the
    // memory is written, so a simulator computes it only when a word arrives (hls/README.md).
    function automatic logic [DATA_WIDTH-1:0] updated(input logic [DATA_WIDTH-1:0] word,
                                                      input logic [DATA_WIDTH-1:0] maximum,
                                                      input logic                  restart);
        logic [BITS-1:0] x, m;
        for (int p = 0; p < PE; p++) begin
            x = word[p*BITS +: BITS];
            m = maximum[p*BITS +: BITS];
            updated[p*BITS +: BITS] =
                restart || (SIGNED != 0 ? $signed(x) > $signed(m) : x > m) ? x : m;
        end
    endfunction
    always_ff @(posedge ap_clk)
        if (take && used)
            maxima[address] <= updated(in0_V_TDATA[DATA_WIDTH-1:0], maxima[address], first);

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            fold         <= '0;
            row          <= '0;
            col          <= '0;
            ky           <= '0;
            kx           <= '0;
            oy           <= '0;
            ox           <= '0;
            base         <= '0;
            emit_address <= '0;
            emitting     <= 1'b0;
        end else if (take) begin
            fold <= last_fold ? '0 : fold + 1'b1;
            if (last_fold) begin
                // Next column: kx counts within the window, ox the windows, base = ox * FOLDS.
                if (last_col) begin
                    col  <= '0;
                    kx   <= '0;
                    ox   <= '0;
                    base <= '0;
                end else begin
                    col <= col + 1'b1;
                    if (kx == KX_BITS'(KW - 1)) begin
                        kx   <= '0;
                        ox   <= ox + 1'b1;
                        base <= base + ADDR_BITS'(FOLDS);
                    end else begin
                        kx <= kx + 1'b1;
                    end
                end
                if (last_col) begin
                    // Next row; a finished row of windows is emitted first.
                    if (oy < OY_BITS'(OH) && (ky == KY_BITS'(KH - 1) || last_row))
                        emitting <= 1'b1;
                    if (last_row) begin
                        row <= '0;
                        ky  <= '0;
                        oy  <= '0;
                    end else begin
                        row <= row + 1'b1;
                        if (ky == KY_BITS'(KH - 1)) begin
                            ky <= '0;
                            oy <= oy + 1'b1;
                        end else begin
                            ky <= ky + 1'b1;
                        end
                    end
                end
            end
        end else if (emitting && slice_ready) begin
            emit_address <= emit_address == ADDR_BITS'(ENTRIES - 1) ? '0 : emit_address + 1'b1;
            if (emit_address == ADDR_BITS'(ENTRIES - 1)) emitting <= 1'b0;
        end
    end

    logic [DATA_WIDTH-1:0] out_data;
    axis_skid_buffer #(.WIDTH(DATA_WIDTH)) output_buffer (
        .ap_clk, .ap_rst_n,
        .s_axis_tdata(maxima[emit_address]), .s_axis_tvalid(emitting),
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
