// The compute core of FINN's MVAU, shared by every mem_mode (mvau.sv picks the weight source):
// y = x @ W for each input vector of MW elements, MH outputs, folded over PE output lanes and
// SIMD input lanes; optionally followed by the MultiThreshold activation. Parameters as mvau.sv's
// (see there), plus RES_TYPE.
//
// Weights come through a read port, one word per tile in tile order (nf*SF + sf, the WEIGHT_FILE
// layout): the core raises weight_read in the cycle a tile issues (weight_tile is its index, for
// a memory) and expects the tile's word on weight_data in the next cycle, held until the next
// read: a synchronous ROM read (internal_embedded) or a register loaded from a weight stream
// (internal_decoupled, external). A tile only issues when weight_valid says its word is there.
//
// Fold order as FINN's: per vector, for nf < MH/PE, for sf < MW/SIMD; input word sf is taken
// from the stream while nf == 0 and replayed from a buffer afterwards. One tile per cycle:
//   issue (counters, input select, weight read; a fold's thresholds with its last tile)
//   -> accumulate (and, with a fold's last tile, the activation) -> skid buffer,
// under one stall enable that only depends on registers.
//
// RES_TYPE (resType) "auto" | "lut" | "dsp" picks how the products of integer operands are built:
//   "dsp"   a `*` with Xilinx's use_dsp = "yes" on the product (Vivado maps it to a DSP slice),
//   "lut"   shift-and-add of the weight's bits, no multiply operator and use_dsp = "no", so no
//           synthesis tool (Yosys included, which ignores use_dsp for products) uses a DSP,
//   "auto"  a plain `*`: the tool decides (Yosys' synth_xilinx maps it to DSP48 slices).
// Popcount forms (XNOR, BIPOLAR x BIPOLAR) and BIPOLAR operands (+-x) use no multiplier at all.
//
// DEPTHWISE = 1 is FINN's VVAU (vvau.sv): MW is the kernel size k, MH the channel count C, and
// output channel c only sees input channel c. The input arrives in Im2Col's order (k, C), the
// order of every tensor between nodes: an input word holds SIMD*PE consecutive elements, element
// s*PE + p being kernel position sf*SIMD + s of channel nf*PE + p (SIMD > 1 needs PE = C), and
// every tile reads a new word. So the folds run sf outer, nf inner (tile sf*NF + nf), and the
// NF partial sums wait in a small accumulator memory between kernel positions; the last kernel
// fold emits the NF output words one per cycle.
module mvau_core #(
    parameter int  MW                = 4,
    parameter int  MH                = 4,
    parameter int  PE                = 1,
    parameter int  SIMD              = 1,
    parameter int  IN_BITS           = 4,
    parameter int  IN_SIGNED         = 1,
    parameter int  IN_BIPOLAR        = 0,
    parameter int  W_BITS            = 4,
    parameter int  W_SIGNED          = 1,
    parameter int  W_BIPOLAR         = 0,
    parameter int  XNOR              = 0,
    parameter int  NO_ACTIVATION     = 1,
    parameter int  STEPS             = 1,
    parameter int  THRESH_BITS       = 16,
    parameter int  THRESH_SIGNED     = 1,
    parameter int  SHARED_THRESHOLDS = 0,
    parameter int  ACT_VAL           = 0,
    parameter int  OUT_BITS          = 16,
    parameter      THRESH_FILE       = "",
    parameter      RAM_STYLE_THRESHOLDS = "auto",
    parameter      RES_TYPE          = "auto",
    parameter int  DEPTHWISE         = 0,
    localparam int IN_WIDTH      = SIMD * IN_BITS * (DEPTHWISE != 0 ? PE : 1),
    localparam int OUT_WIDTH     = PE * OUT_BITS,
    localparam int AXI_IN_WIDTH  = (IN_WIDTH + 7) / 8 * 8,
    localparam int AXI_OUT_WIDTH = (OUT_WIDTH + 7) / 8 * 8,
    localparam int W_WIDTH       = PE * SIMD * W_BITS,
    localparam int TILES         = (MW / SIMD) * (MH / PE),
    localparam int TILE_BITS     = TILES > 1 ? $clog2(TILES) : 1
) (
    input  logic                     ap_clk,
    input  logic                     ap_rst_n,

    input  logic [AXI_IN_WIDTH-1:0]  in0_V_TDATA,
    input  logic                     in0_V_TVALID,
    output logic                     in0_V_TREADY,

    input  logic                     weight_valid,
    output logic                     weight_read,
    output logic [TILE_BITS-1:0]     weight_tile,
    input  logic [W_WIDTH-1:0]       weight_data,

    output logic [AXI_OUT_WIDTH-1:0] out_V_TDATA,
    output logic                     out_V_TVALID,
    input  logic                     out_V_TREADY
);
    localparam int SF         = MW / SIMD;
    localparam int NF         = MH / PE;
    localparam int SF_BITS    = SF > 1 ? $clog2(SF) : 1;
    localparam int NF_BITS    = NF > 1 ? $clog2(NF) : 1;
    localparam int POPCOUNT   = XNOR != 0 || (IN_BIPOLAR != 0 && W_BIPOLAR != 0) ? 1 : 0;
    // Every product fits PROD_BITS signed bits, every sum of MW of them ACC_BITS.
    localparam int PROD_BITS  = IN_BITS + W_BITS + 2;
    localparam int ACC_BITS   = PROD_BITS + $clog2(MW + 1);

    // --- issue: one tile (nf, sf) per enabled cycle ----------------------------------------------
    logic                 enable, skid_ready, issue;
    logic [SF_BITS-1:0]   sf;
    logic [NF_BITS-1:0]   nf;
    logic [TILE_BITS-1:0] tile;
    logic                 first_pass;    // the input word comes from the stream (nf == 0)
    logic                 valid_a, first_a, last_a;
    logic [IN_WIDTH-1:0]  x_a;
    logic [W_WIDTH-1:0]   w_a;
    logic [NF_BITS-1:0]   nf_a;
    logic                 valid_b;

    assign first_pass   = DEPTHWISE != 0 || nf == '0;
    assign enable       = !valid_b || skid_ready;
    assign issue        = enable && (!first_pass || in0_V_TVALID) && weight_valid;
    assign in0_V_TREADY = enable && first_pass && weight_valid;
    assign weight_read  = issue;
    assign weight_tile  = tile;
    assign w_a          = weight_data;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            sf      <= '0;
            nf      <= '0;
            tile    <= '0;
            valid_a <= 1'b0;
        end else if (enable) begin
            valid_a <= issue;
            if (issue) begin
                if (DEPTHWISE != 0) begin
                    // sf outer, nf inner: the input's (k, C) order.
                    if (nf == NF_BITS'(NF - 1)) begin
                        nf <= '0;
                        sf <= sf == SF_BITS'(SF - 1) ? '0 : sf + 1'b1;
                    end else begin
                        nf <= nf + 1'b1;
                    end
                end else if (sf == SF_BITS'(SF - 1)) begin
                    sf <= '0;
                    nf <= nf == NF_BITS'(NF - 1) ? '0 : nf + 1'b1;
                end else begin
                    sf <= sf + 1'b1;
                end
                tile <= tile == TILE_BITS'(TILES - 1) ? '0 : tile + 1'b1;
            end
        end
    end

    // The input buffer holds one vector for the later neuron folds (LUT RAM, read asynchronously);
    // depthwise, every tile has its own word.
    always_ff @(posedge ap_clk) begin
        if (issue) begin
            first_a <= sf == '0;
            last_a  <= sf == SF_BITS'(SF - 1);
            nf_a    <= nf;
        end
    end
    if (DEPTHWISE != 0) begin : g_no_buffer
        always_ff @(posedge ap_clk) if (issue) x_a <= in0_V_TDATA[IN_WIDTH-1:0];
    end else begin : g_buffer
        logic [IN_WIDTH-1:0] input_buffer[SF];
        always_ff @(posedge ap_clk) begin
            if (issue) begin
                if (first_pass) input_buffer[sf] <= in0_V_TDATA[IN_WIDTH-1:0];
                x_a <= first_pass ? in0_V_TDATA[IN_WIDTH-1:0] : input_buffer[sf];
            end
        end
    end

    // --- accumulate: PE dot products of SIMD terms each ------------------------------------------
    // The sums are functions evaluated where the accumulator loads, not continuous logic: the
    // hardware is the same, but a simulator (Verilator evaluates all continuous logic on every
    // clock edge) computes them only for a tile, so idle layers cost almost nothing to simulate.
    if (POPCOUNT != 0 && (IN_BITS != 1 || W_BITS != 1)) begin : g_bad_popcount
        $error("mvau: XNOR and BIPOLAR x BIPOLAR need IN_BITS = W_BITS = 1");
    end
    // An untyped string parameter is as wide as its value: comparing it with another literal is a
    // width mismatch.
    /* verilator lint_off WIDTH */
    localparam int DSP_PRODUCTS = RES_TYPE == "dsp" && POPCOUNT == 0 ? 1 : 0;
    localparam int LUT_PRODUCTS = RES_TYPE == "lut" ? 1 : 0;
    /* verilator lint_on WIDTH */

    // Element s of lane p's input: depthwise, lane p sees every PE-th element of the word (only
    // then is p used).
    /* verilator lint_off UNUSEDSIGNAL */
    function automatic logic [IN_BITS-1:0] x_element(input logic [IN_WIDTH-1:0] x, input int p,
                                                     input int s);
    /* verilator lint_on UNUSEDSIGNAL */
        x_element = x[(DEPTHWISE != 0 ? s*PE + p : s)*IN_BITS +: IN_BITS];
    endfunction

    // One product as a signed PROD_BITS value. Operands become signed values one bit wider
    // (unsigned ones zero-extended); a BIPOLAR bit b means +1 or -1. "lut" builds the product by
    // shift-and-add of the weight's bits (bit k adds xe << k, the sign bit subtracts), so no
    // synthesis tool finds a multiplier to put on a DSP.
    function automatic logic signed [PROD_BITS-1:0] product(input logic [IN_BITS-1:0] x,
                                                            input logic [W_BITS-1:0] w);
        logic signed [IN_BITS:0] xe;
        logic signed [W_BITS:0]  we;
        xe = IN_BIPOLAR != 0 ? (x[0] ? (IN_BITS+1)'(1) : '1)
                             : {IN_SIGNED != 0 ? x[IN_BITS-1] : 1'b0, x};
        we = W_BIPOLAR != 0 ? (w[0] ? (W_BITS+1)'(1) : '1)
                            : {W_SIGNED != 0 ? w[W_BITS-1] : 1'b0, w};
        if (LUT_PRODUCTS != 0) begin
            product = '0;
            for (int k = 0; k < W_BITS; k++)
                if (we[k]) product = product + (PROD_BITS'(xe) <<< k);
            if (we[W_BITS]) product = product - (PROD_BITS'(xe) <<< W_BITS);
        end else begin
            product = PROD_BITS'(xe) * PROD_BITS'(we);
        end
    endfunction

    // The tile's PE dot products. Popcount forms count the bits that agree (XNOR, or a +1 product
    // of two BIPOLAR values) in one expression: a popcount tree in synthesis, one instruction per
    // word in Verilator.
    function automatic logic [PE*ACC_BITS-1:0] tile_sums(input logic [IN_WIDTH-1:0] x,
                                                         input logic [W_WIDTH-1:0]  w);
        logic [SIMD-1:0]     x_lane;
        logic [ACC_BITS-1:0] sum;
        for (int p = 0; p < PE; p++) begin
            if (POPCOUNT != 0) begin
                if (DEPTHWISE != 0)
                    for (int s = 0; s < SIMD; s++) x_lane[s] = x[s*PE + p];
                else
                    x_lane = x[SIMD-1:0];
                sum = ACC_BITS'($countones(~(x_lane ^ w[p*SIMD +: SIMD])));
            end else begin
                sum = '0;
                for (int s = 0; s < SIMD; s++)
                    sum = sum + ACC_BITS'(product(x_element(x, p, s),
                                                  w[(p*SIMD + s)*W_BITS +: W_BITS]));
            end
            tile_sums[p*ACC_BITS +: ACC_BITS] = sum;
        end
    endfunction

    // resType "dsp": every product a signal of its own with Xilinx's use_dsp = "yes" (Vivado puts
    // it on a DSP slice), summed as continuous logic.
    logic [PE*ACC_BITS-1:0] dsp_sums;
    if (DSP_PRODUCTS != 0) begin : g_dsp
        for (genvar p = 0; p < PE; p++) begin : g_pe
            logic [SIMD*PROD_BITS-1:0] products;
            for (genvar s = 0; s < SIMD; s++) begin : g_simd
                (* use_dsp = "yes" *) logic signed [PROD_BITS-1:0] full;
                assign full = product(x_element(x_a, p, s), w_a[(p*SIMD + s)*W_BITS +: W_BITS]);
                assign products[s*PROD_BITS +: PROD_BITS] = full;
            end
            always_comb begin
                dsp_sums[p*ACC_BITS +: ACC_BITS] = '0;
                for (int s = 0; s < SIMD; s++)
                    dsp_sums[p*ACC_BITS +: ACC_BITS] = dsp_sums[p*ACC_BITS +: ACC_BITS]
                        + ACC_BITS'($signed(products[s*PROD_BITS +: PROD_BITS]));
            end
        end
    end else begin : g_no_dsp
        assign dsp_sums = '0;
    end

    // --- activation ------------------------------------------------------------------------------
    // Per lane the accumulator, or ACT_VAL + the threshold count, of which the output keeps the
    // low OUT_BITS bits (at most 32; a wider output type extends bit 31).
    localparam int RESULT_BITS = NO_ACTIVATION != 0 ? ACC_BITS : (OUT_BITS < 32 ? OUT_BITS : 32);
    localparam int ROWS        = SHARED_THRESHOLDS != 0 ? 1 : NF;
    localparam int ROW_LANES   = SHARED_THRESHOLDS != 0 ? 1 : PE;
    localparam int ROW_WIDTH   = ROW_LANES * STEPS * THRESH_BITS;
    localparam int ADDR_BITS   = ROWS > 1 ? $clog2(ROWS) : 1;
    // One signed width holds a sum and a threshold exactly (an unsigned threshold gains a bit).
    localparam int CMP_BITS    = (ACC_BITS > THRESH_BITS ? ACC_BITS : THRESH_BITS) + 1;

    // FINN's MultiThreshold per lane: ACT_VAL + #{s : sum >= T[s]}. A count, not a search, so the
    // thresholds need no order.
    function automatic logic [PE*RESULT_BITS-1:0] activate(input logic [PE*ACC_BITS-1:0] sums,
                                                           input logic [ROW_WIDTH-1:0]   row);
        logic signed [CMP_BITS-1:0]    value, threshold;
        logic        [THRESH_BITS-1:0] t;
        int                            count;
        for (int p = 0; p < PE; p++) begin
            value = CMP_BITS'($signed(sums[p*ACC_BITS +: ACC_BITS]));
            count = ACT_VAL;
            for (int s = 0; s < STEPS; s++) begin
                t = row[((SHARED_THRESHOLDS != 0 ? 0 : p)*STEPS + s)*THRESH_BITS +: THRESH_BITS];
                threshold = THRESH_SIGNED != 0 ? CMP_BITS'($signed(t)) : CMP_BITS'({1'b0, t});
                if (value >= threshold) count = count + 1;
            end
            activate[p*RESULT_BITS +: RESULT_BITS] = RESULT_BITS'(count);
        end
    endfunction

    // The thresholds of fold nf are read when its last tile issues, so they are there when that
    // tile's sums arrive one enabled cycle later.
    logic [ROW_WIDTH-1:0] row;
    if (NO_ACTIVATION != 0) begin : g_no_thresholds
        assign row = '0;
    end else begin : g_thresholds
        logic [ADDR_BITS-1:0] row_address;
        if (SHARED_THRESHOLDS != 0) begin : g_shared
            assign row_address = '0;
        end else begin : g_per_channel
            assign row_address = ADDR_BITS'(nf);
        end
        rom_sync #(.WIDTH(ROW_WIDTH), .DEPTH(ROWS), .INIT_FILE(THRESH_FILE),
                   .RAM_STYLE(RAM_STYLE_THRESHOLDS))
            thresholds (.ap_clk, .enable(issue && sf == SF_BITS'(SF - 1)), .address(row_address),
                        .data(row));
    end

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) valid_b <= 1'b0;
        else if (enable) valid_b <= valid_a && last_a;
    end
    // The sum so far of the tile's fold: the accumulator register, or depthwise the fold's row of
    // the accumulator memory (LUT RAM, read asynchronously), since the folds interleave. The
    // activation is registered with the fold's last sums.
    logic [PE*ACC_BITS-1:0]    acc, partial;
    logic [PE*ACC_BITS-1:0]    partial_rows[NF];
    logic [PE*RESULT_BITS-1:0] activation, result;
    assign partial = DEPTHWISE != 0 ? partial_rows[nf_a] : acc;
    always_ff @(posedge ap_clk) begin : accumulate
        logic [PE*ACC_BITS-1:0] sums;
        if (enable && valid_a) begin
            sums = DSP_PRODUCTS != 0 ? dsp_sums : tile_sums(x_a, w_a);
            for (int p = 0; p < PE; p++)
                sums[p*ACC_BITS +: ACC_BITS] = (first_a ? '0 : partial[p*ACC_BITS +: ACC_BITS])
                                               + sums[p*ACC_BITS +: ACC_BITS];
            acc <= sums;
            if (DEPTHWISE != 0) partial_rows[nf_a] <= sums;
            if (NO_ACTIVATION == 0 && last_a) activation <= activate(sums, row);
        end
    end
    assign result = NO_ACTIVATION != 0 ? (PE*RESULT_BITS)'(acc) : activation;

    axis_lane_output #(.LANES(PE), .VALUE_BITS(RESULT_BITS), .VALUE_SIGNED(1), .OUT_BITS(OUT_BITS))
        output_stage (
            .ap_clk, .ap_rst_n,
            .values(result), .valid(valid_b), .ready(skid_ready),
            .out_V_TDATA, .out_V_TVALID, .out_V_TREADY);

    // Padding bits are ignored on input (FINN's convention).
    if (AXI_IN_WIDTH > IN_WIDTH) begin : g_padding
        /* verilator lint_off UNUSEDSIGNAL */
        logic [AXI_IN_WIDTH-IN_WIDTH-1:0] ignored_padding;
        /* verilator lint_on UNUSEDSIGNAL */
        assign ignored_padding = in0_V_TDATA[AXI_IN_WIDTH-1:IN_WIDTH];
    end
endmodule
