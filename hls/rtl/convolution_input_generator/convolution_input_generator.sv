// FINN's ConvolutionInputGenerator (sliding window generator): the windows of an NHWC feature map
// in Im2Col order, 1-D and 2-D, any kernel, stride and dilation per axis.
//
// Parameters (node attributes):
//   IFM_H, IFM_W             IFMDim [H, W] (a 1-D map is 1 x W or H x 1)
//   KERNEL_H, KERNEL_W       ConvKernelDim
//   STRIDE_H, STRIDE_W       Stride
//   DILATION_H, DILATION_W   Dilation
//   CHANNELS, SIMD           IFMChannels, SIMD (SIMD divides CHANNELS)
//   BITS                     bitwidth(inputDataType)
//   PARALLEL_WINDOW          parallel_window: one output word holds a whole window (needs
//                            SIMD = CHANNELS)
//   RAM_STYLE                ram_style of the window buffer ("auto", "block", "distributed",
//                            "ultra"; the parallel window keeps its buffer in registers)
// `depthwise` needs no parameter: tensors between nodes are always in the normal order (see
// lib/include/finn/hw/layer_definition.h), so a depthwise generator emits the same Im2Col order.
//
// Streams: in0_V carries IFM_H*IFM_W*CHANNELS/SIMD words of SIMD elements (pixel by pixel); out_V
// the windows in the order (oy, ox, ky, kx, channel fold), one word of SIMD elements per
// (ky, kx, fold), or with PARALLEL_WINDOW one word of KERNEL_H*KERNEL_W*SIMD elements per window
// (element (ky*KERNEL_W + kx)*SIMD + s).
//
// Default: the input words go into a circular buffer (a RAM with one write and one synchronous
// read port, SPAN words plus the step to the next row's first window) at their index within the
// frame. An output counter walks the windows and reads the word each output needs as soon as it
// has arrived; the input may run ahead of the current window's first word by the buffer's depth.
// So a frame takes about the time until the first window is complete (SPAN words) plus one cycle
// per output word or per input word, whichever is more per row: FINN's RTL estimate, less the
// part of the fill that overlaps with output. The next frame's words enter once the last window
// of a frame has been read.
//
// Parallel window: the last SPAN words sit in a register shift chain; a word that completes a
// window sends that window at once, so a frame takes one cycle per input word.
module convolution_input_generator #(
    parameter int  IFM_H           = 6,
    parameter int  IFM_W           = 6,
    parameter int  KERNEL_H        = 3,
    parameter int  KERNEL_W        = 3,
    parameter int  STRIDE_H        = 1,
    parameter int  STRIDE_W        = 1,
    parameter int  DILATION_H      = 1,
    parameter int  DILATION_W      = 1,
    parameter int  CHANNELS        = 1,
    parameter int  SIMD            = 1,
    parameter int  BITS            = 8,
    parameter int  PARALLEL_WINDOW = 0,
    parameter      RAM_STYLE       = "distributed",  // untyped: Yosys 0.23 has no parameter string
    localparam int KERNEL        = KERNEL_H * KERNEL_W,
    localparam int UNIT_BITS     = SIMD * BITS,
    localparam int OUT_BITS      = (PARALLEL_WINDOW != 0 ? KERNEL : 1) * UNIT_BITS,
    localparam int AXI_IN_WIDTH  = (UNIT_BITS + 7) / 8 * 8,
    localparam int AXI_OUT_WIDTH = (OUT_BITS + 7) / 8 * 8
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
    localparam int FOLD  = CHANNELS / SIMD;
    localparam int OFM_H = (IFM_H - DILATION_H * (KERNEL_H - 1) - 1) / STRIDE_H + 1;
    localparam int OFM_W = (IFM_W - DILATION_W * (KERNEL_W - 1) - 1) / STRIDE_W + 1;
    // Words from a window's first to its last input word, inclusive.
    localparam int SPAN  = ((KERNEL_H - 1) * DILATION_H * IFM_W + (KERNEL_W - 1) * DILATION_W + 1)
                           * FOLD;

    if (SIMD < 1 || CHANNELS % SIMD != 0 || KERNEL_H < 1 || KERNEL_W < 1 || STRIDE_H < 1
        || STRIDE_W < 1 || DILATION_H < 1 || DILATION_W < 1
        || IFM_H < DILATION_H * (KERNEL_H - 1) + 1 || IFM_W < DILATION_W * (KERNEL_W - 1) + 1)
    begin : g_bad_parameters
        $error("convolution_input_generator: needs SIMD to divide CHANNELS, kernel, stride and dilation >= 1 and the dilated kernel inside the image");
    end
    if (PARALLEL_WINDOW != 0 && SIMD != CHANNELS) begin : g_bad_parallel
        $error("convolution_input_generator: PARALLEL_WINDOW needs SIMD = CHANNELS");
    end

    logic [OUT_BITS-1:0] slice_data;
    logic                slice_valid, slice_ready;

    if (PARALLEL_WINDOW == 0) begin : g_buffered
        localparam int ROW_JUMP   = STRIDE_H * IFM_W - (OFM_W - 1) * STRIDE_W;
        // Room for the window, the step to the next row's first window and one more step, so the
        // input need not wait for the output at a row change.
        localparam int DEPTH      = SPAN + (ROW_JUMP + STRIDE_W) * FOLD;
        localparam int ADDR_BITS  = $clog2(DEPTH);
        // The window steps as address increments modulo DEPTH.
        localparam int STEP_W     = (STRIDE_W * FOLD) % DEPTH;
        localparam int STEP_H     = (STRIDE_H * IFM_W * FOLD) % DEPTH;
        localparam int TOTAL_IN   = IFM_H * IFM_W * FOLD;
        localparam int INDEX_BITS = $clog2(TOTAL_IN + DEPTH + 1);
        localparam int FOLD_BITS  = FOLD > 1 ? $clog2(FOLD) : 1;
        localparam int KX_BITS    = KERNEL_W > 1 ? $clog2(KERNEL_W) : 1;
        localparam int KY_BITS    = KERNEL_H > 1 ? $clog2(KERNEL_H) : 1;
        localparam int OX_BITS    = OFM_W > 1 ? $clog2(OFM_W) : 1;
        localparam int OY_BITS    = OFM_H > 1 ? $clog2(OFM_H) : 1;

        // Input side: words of this frame received so far.
        logic [INDEX_BITS-1:0] received;
        // Output side: the position (oy, ox, ky, kx, fold) and the input index it needs,
        // window_base + row_offset + col_offset + fold.
        logic [FOLD_BITS-1:0]  fold;
        logic [KX_BITS-1:0]    kx;
        logic [KY_BITS-1:0]    ky;
        logic [OX_BITS-1:0]    ox;
        logic [OY_BITS-1:0]    oy;
        logic [INDEX_BITS-1:0] row_base, window_base, row_offset, col_offset, needed;
        logic                  output_done;  // every window of the frame has been read
        logic                  push, issue, last_issue, read_valid;

        assign needed = window_base + row_offset + col_offset + INDEX_BITS'(fold);
        // A word may overwrite the slot of one DEPTH words older, which no window needs any more
        // once the current window starts after it.
        assign in0_V_TREADY = received != INDEX_BITS'(TOTAL_IN)
                              && (output_done || received < window_base + INDEX_BITS'(DEPTH));
        assign push  = in0_V_TVALID && in0_V_TREADY;
        assign issue = !output_done && needed < received && (!read_valid || slice_ready);
        assign last_issue = issue && fold == FOLD_BITS'(FOLD - 1) && kx == KX_BITS'(KERNEL_W - 1)
                            && ky == KY_BITS'(KERNEL_H - 1) && ox == OX_BITS'(OFM_W - 1)
                            && oy == OY_BITS'(OFM_H - 1);

        always_ff @(posedge ap_clk) begin
            if (!ap_rst_n) begin
                received    <= '0;
                output_done <= 1'b0;
                read_valid  <= 1'b0;
                fold        <= '0;
                kx          <= '0;
                ky          <= '0;
                ox          <= '0;
                oy          <= '0;
                row_base    <= '0;
                window_base <= '0;
                row_offset  <= '0;
                col_offset  <= '0;
            end else begin
                // The frame is complete when its last window has been read and all its words
                // have arrived: the next one starts at index 0.
                if (received == INDEX_BITS'(TOTAL_IN) && (output_done || last_issue)) begin
                    received    <= '0;
                    output_done <= 1'b0;
                end else if (push) begin
                    received <= received + 1'b1;
                end
                if (issue) read_valid <= 1'b1;
                else if (slice_ready) read_valid <= 1'b0;
                if (issue) begin
                    if (fold != FOLD_BITS'(FOLD - 1)) begin
                        fold <= fold + 1'b1;
                    end else begin
                        fold <= '0;
                        if (kx != KX_BITS'(KERNEL_W - 1)) begin
                            kx         <= kx + 1'b1;
                            col_offset <= col_offset + INDEX_BITS'(DILATION_W * FOLD);
                        end else begin
                            kx         <= '0;
                            col_offset <= '0;
                            if (ky != KY_BITS'(KERNEL_H - 1)) begin
                                ky         <= ky + 1'b1;
                                row_offset <= row_offset + INDEX_BITS'(DILATION_H * IFM_W * FOLD);
                            end else begin
                                ky         <= '0;
                                row_offset <= '0;
                                if (ox != OX_BITS'(OFM_W - 1)) begin
                                    ox          <= ox + 1'b1;
                                    window_base <= window_base + INDEX_BITS'(STRIDE_W * FOLD);
                                end else begin
                                    ox <= '0;
                                    if (oy != OY_BITS'(OFM_H - 1)) begin
                                        oy          <= oy + 1'b1;
                                        row_base    <= row_base + INDEX_BITS'(STRIDE_H * IFM_W * FOLD);
                                        window_base <= row_base + INDEX_BITS'(STRIDE_H * IFM_W * FOLD);
                                    end else begin
                                        oy          <= '0;
                                        row_base    <= '0;
                                        window_base <= '0;
                                        if (received != INDEX_BITS'(TOTAL_IN))
                                            output_done <= 1'b1;
                                    end
                                end
                            end
                        end
                    end
                end
            end
        end

        // The buffer: written at the word's index modulo DEPTH, read at the index an output needs
        // modulo DEPTH; a word is read at the earliest one cycle after it was written. The
        // addresses follow the indices: write_addr = received, window_addr = window_base,
        // row_addr = row_base (modulo DEPTH); the offsets within a window stay below SPAN < DEPTH.
        logic [ADDR_BITS-1:0] write_addr, read_addr, window_addr, row_addr;
        logic [ADDR_BITS:0]   read_sum, window_next, row_next;
        assign read_sum    = {1'b0, window_addr} + (ADDR_BITS + 1)'(row_offset + col_offset)
                             + (ADDR_BITS + 1)'(fold);
        assign read_addr   = read_sum >= (ADDR_BITS + 1)'(DEPTH)
                             ? ADDR_BITS'(read_sum - (ADDR_BITS + 1)'(DEPTH)) : ADDR_BITS'(read_sum);
        assign window_next = {1'b0, window_addr} + (ADDR_BITS + 1)'(STEP_W);
        assign row_next    = {1'b0, row_addr} + (ADDR_BITS + 1)'(STEP_H);
        function automatic [ADDR_BITS-1:0] wrap(input [ADDR_BITS:0] sum);
            wrap = sum >= (ADDR_BITS + 1)'(DEPTH) ? ADDR_BITS'(sum - (ADDR_BITS + 1)'(DEPTH))
                                                  : ADDR_BITS'(sum);
        endfunction

        always_ff @(posedge ap_clk) begin
            if (!ap_rst_n) begin
                write_addr  <= '0;
                window_addr <= '0;
                row_addr    <= '0;
            end else begin
                if (received == INDEX_BITS'(TOTAL_IN) && (output_done || last_issue))
                    write_addr <= '0;
                else if (push)
                    write_addr <= write_addr == ADDR_BITS'(DEPTH - 1) ? '0 : write_addr + 1'b1;
                if (issue && fold == FOLD_BITS'(FOLD - 1) && kx == KX_BITS'(KERNEL_W - 1)
                    && ky == KY_BITS'(KERNEL_H - 1)) begin
                    if (ox != OX_BITS'(OFM_W - 1)) begin
                        window_addr <= wrap(window_next);
                    end else if (oy != OY_BITS'(OFM_H - 1)) begin
                        row_addr    <= wrap(row_next);
                        window_addr <= wrap(row_next);
                    end else begin
                        row_addr    <= '0;
                        window_addr <= '0;
                    end
                end
            end
        end
        /* verilator lint_off WIDTH */
        if (RAM_STYLE == "block") begin : g_block
            (* ram_style = "block" *) logic [UNIT_BITS-1:0] ram[DEPTH];
            always_ff @(posedge ap_clk) begin
                if (push) ram[write_addr] <= in0_V_TDATA[UNIT_BITS-1:0];
                if (issue) slice_data <= ram[read_addr];
            end
        end else if (RAM_STYLE == "distributed") begin : g_distributed
            (* ram_style = "distributed" *) logic [UNIT_BITS-1:0] ram[DEPTH];
            always_ff @(posedge ap_clk) begin
                if (push) ram[write_addr] <= in0_V_TDATA[UNIT_BITS-1:0];
                if (issue) slice_data <= ram[read_addr];
            end
        end else if (RAM_STYLE == "ultra") begin : g_ultra
            (* ram_style = "ultra" *) logic [UNIT_BITS-1:0] ram[DEPTH];
            always_ff @(posedge ap_clk) begin
                if (push) ram[write_addr] <= in0_V_TDATA[UNIT_BITS-1:0];
                if (issue) slice_data <= ram[read_addr];
            end
        end else begin : g_auto
        /* verilator lint_on WIDTH */
            logic [UNIT_BITS-1:0] ram[DEPTH];
            always_ff @(posedge ap_clk) begin
                if (push) ram[write_addr] <= in0_V_TDATA[UNIT_BITS-1:0];
                if (issue) slice_data <= ram[read_addr];
            end
        end
        assign slice_valid = read_valid;
    end else begin : g_parallel
        localparam int COL_BITS   = $clog2(IFM_W + 1);
        localparam int ROW_BITS   = $clog2(IFM_H + 1);
        localparam int CHAIN      = SPAN > 1 ? SPAN - 1 : 1;

        // Where the next word lands: its column and row, and for each axis the words left until
        // the next window position (phase) and the windows passed so far.
        logic [COL_BITS-1:0] col, col_phase, col_windows;
        logic [ROW_BITS-1:0] row, row_phase, row_windows;
        logic                hit, push, row_end;
        logic [UNIT_BITS-1:0] chain[CHAIN];  // chain[0] is the newest word before this one

        assign hit = col_phase == '0 && col_windows < COL_BITS'(OFM_W)
                     && row_phase == '0 && row_windows < ROW_BITS'(OFM_H);
        assign in0_V_TREADY = !hit || slice_ready;
        assign push    = in0_V_TVALID && in0_V_TREADY;
        assign row_end = col == COL_BITS'(IFM_W - 1);
        assign slice_valid = in0_V_TVALID && hit;

        always_ff @(posedge ap_clk) begin
            if (!ap_rst_n) begin
                col         <= '0;
                col_phase   <= COL_BITS'((KERNEL_W - 1) * DILATION_W);
                col_windows <= '0;
                row         <= '0;
                row_phase   <= ROW_BITS'((KERNEL_H - 1) * DILATION_H);
                row_windows <= '0;
            end else if (push) begin
                if (row_end) begin
                    col         <= '0;
                    col_phase   <= COL_BITS'((KERNEL_W - 1) * DILATION_W);
                    col_windows <= '0;
                    if (row == ROW_BITS'(IFM_H - 1)) begin
                        row         <= '0;
                        row_phase   <= ROW_BITS'((KERNEL_H - 1) * DILATION_H);
                        row_windows <= '0;
                    end else begin
                        row <= row + 1'b1;
                        if (row_phase == '0) begin
                            row_phase   <= ROW_BITS'(STRIDE_H - 1);
                            row_windows <= row_windows + 1'b1;
                        end else begin
                            row_phase <= row_phase - 1'b1;
                        end
                    end
                end else begin
                    col <= col + 1'b1;
                    if (col_phase == '0) begin
                        col_phase   <= COL_BITS'(STRIDE_W - 1);
                        col_windows <= col_windows + 1'b1;
                    end else begin
                        col_phase <= col_phase - 1'b1;
                    end
                end
            end
        end

        always_ff @(posedge ap_clk) begin
            if (push) begin
                chain[0] <= in0_V_TDATA[UNIT_BITS-1:0];
                for (int i = 1; i < CHAIN; i++) chain[i] <= chain[i-1];
            end
        end

        // Window element (ky, kx) is the word (KERNEL_H-1-ky)*DILATION_H*IFM_W
        // + (KERNEL_W-1-kx)*DILATION_W before the incoming one.
        for (genvar ky = 0; ky < KERNEL_H; ky++) begin : g_row
            for (genvar kx = 0; kx < KERNEL_W; kx++) begin : g_col
                localparam int AGE = (KERNEL_H - 1 - ky) * DILATION_H * IFM_W
                                     + (KERNEL_W - 1 - kx) * DILATION_W;
                if (AGE == 0) begin : g_incoming
                    assign slice_data[(ky*KERNEL_W + kx)*UNIT_BITS +: UNIT_BITS] =
                        in0_V_TDATA[UNIT_BITS-1:0];
                end else begin : g_stored
                    assign slice_data[(ky*KERNEL_W + kx)*UNIT_BITS +: UNIT_BITS] = chain[AGE-1];
                end
            end
        end
        /* verilator lint_off UNUSEDSIGNAL */
        logic unused_ram_style;
        /* verilator lint_on UNUSEDSIGNAL */
        assign unused_ram_style = RAM_STYLE == "";
    end

    logic [OUT_BITS-1:0] out_word;
    axis_skid_buffer #(.WIDTH(OUT_BITS)) output_buffer (
        .ap_clk, .ap_rst_n,
        .s_axis_tdata(slice_data), .s_axis_tvalid(slice_valid), .s_axis_tready(slice_ready),
        .m_axis_tdata(out_word), .m_axis_tvalid(out_V_TVALID), .m_axis_tready(out_V_TREADY));
    assign out_V_TDATA = AXI_OUT_WIDTH'(out_word);

    // Input padding bits are ignored.
    if (AXI_IN_WIDTH > UNIT_BITS) begin : g_padding
        /* verilator lint_off UNUSEDSIGNAL */
        logic [AXI_IN_WIDTH-UNIT_BITS-1:0] ignored_padding;
        /* verilator lint_on UNUSEDSIGNAL */
        assign ignored_padding = in0_V_TDATA[AXI_IN_WIDTH-1:UNIT_BITS];
    end
endmodule
