// FINN's VVAU (VectorVectorActivation, depthwise convolution): for each pixel and channel c,
// acc = sum over the k = kh*kw kernel positions of x[i][c] * W[c][i], then the accumulator
// (NO_ACTIVATION = 1) or the MultiThreshold activation, exactly as the MVAU's (mvau.sv). It is
// the MVAU's hardware in its depthwise form (mvau #(.DEPTHWISE(1)), MW = KERNEL, MH = CHANNELS):
// the same products, accumulators, thresholds and weight sources.
//
// Parameters (node attributes): CHANNELS = Channels, KERNEL = kh*kw (Kernel), PE (divides
// CHANNELS), SIMD (divides KERNEL; SIMD > 1 needs PE = CHANNELS, as FINN's SetFolding sets it),
// the datatypes, thresholds, memory files, RAM styles, MEM_MODE and RES_TYPE as mvau.sv's (no
// XNOR: FINN's VVAU has no binaryXnorMode).
// Input stream: per pixel the Im2Col order (k, C) of every tensor between nodes (what the
// depthwise ConvolutionInputGenerator emits), KERNEL/SIMD * CHANNELS/PE words of SIMD*PE
// elements: word sf*(CHANNELS/PE) + nf holds kernel position sf*SIMD + s of channel nf*PE + p as
// element s*PE + p. Weights: one word per tile in that order, (p*SIMD + s)*W_BITS as the MVAU's
// (hls/README.md, "Memory files"), also the in1_V words in "external".
// One word per cycle: (CHANNELS/PE) * (KERNEL/SIMD) cycles per pixel (FINN's estimate) plus
// about 3 cycles of latency (4 with a weight stream).
module vvau #(
    parameter int  CHANNELS          = 4,
    parameter int  KERNEL            = 9,
    parameter int  PE                = 1,
    parameter int  SIMD              = 1,
    parameter int  IN_BITS           = 4,
    parameter int  IN_SIGNED         = 1,
    parameter int  IN_BIPOLAR        = 0,
    parameter int  W_BITS            = 4,
    parameter int  W_SIGNED          = 1,
    parameter int  W_BIPOLAR         = 0,
    parameter int  NO_ACTIVATION     = 1,
    parameter int  STEPS             = 1,
    parameter int  THRESH_BITS       = 16,
    parameter int  THRESH_SIGNED     = 1,
    parameter int  SHARED_THRESHOLDS = 0,
    parameter int  ACT_VAL           = 0,
    parameter int  OUT_BITS          = 16,
    parameter      WEIGHT_FILE       = "",
    parameter      THRESH_FILE       = "",
    parameter      RAM_STYLE         = "auto",
    parameter      RAM_STYLE_THRESHOLDS = "auto",
    parameter      MEM_MODE          = "internal_embedded",
    parameter      RES_TYPE          = "auto",
    localparam int IN_WIDTH      = PE * SIMD * IN_BITS,
    localparam int OUT_WIDTH     = PE * OUT_BITS,
    localparam int W_WIDTH       = PE * SIMD * W_BITS,
    localparam int AXI_IN_WIDTH  = (IN_WIDTH + 7) / 8 * 8,
    localparam int AXI_W_WIDTH   = (W_WIDTH + 7) / 8 * 8,
    localparam int AXI_OUT_WIDTH = (OUT_WIDTH + 7) / 8 * 8
) (
    input  logic                     ap_clk,
    input  logic                     ap_rst_n,

    input  logic [AXI_IN_WIDTH-1:0]  in0_V_TDATA,
    input  logic                     in0_V_TVALID,
    output logic                     in0_V_TREADY,

    input  logic [AXI_W_WIDTH-1:0]   in1_V_TDATA,
    input  logic                     in1_V_TVALID,
    output logic                     in1_V_TREADY,

    output logic [AXI_OUT_WIDTH-1:0] out_V_TDATA,
    output logic                     out_V_TVALID,
    input  logic                     out_V_TREADY
);
    if (PE < 1 || SIMD < 1 || CHANNELS % PE != 0 || KERNEL % SIMD != 0) begin : g_bad_folding
        $error("vvau: PE must divide CHANNELS and SIMD must divide KERNEL");
    end
    if (SIMD > 1 && PE != CHANNELS) begin : g_bad_simd
        // A word of SIMD*PE consecutive (k, C) elements is a tile only when PE spans C.
        $error("vvau: SIMD > 1 needs PE = CHANNELS (the input's (k, C) order)");
    end

    mvau #(
        .MW(KERNEL), .MH(CHANNELS), .PE(PE), .SIMD(SIMD),
        .IN_BITS(IN_BITS), .IN_SIGNED(IN_SIGNED), .IN_BIPOLAR(IN_BIPOLAR),
        .W_BITS(W_BITS), .W_SIGNED(W_SIGNED), .W_BIPOLAR(W_BIPOLAR), .XNOR(0),
        .NO_ACTIVATION(NO_ACTIVATION), .STEPS(STEPS), .THRESH_BITS(THRESH_BITS),
        .THRESH_SIGNED(THRESH_SIGNED), .SHARED_THRESHOLDS(SHARED_THRESHOLDS), .ACT_VAL(ACT_VAL),
        .OUT_BITS(OUT_BITS), .WEIGHT_FILE(WEIGHT_FILE), .THRESH_FILE(THRESH_FILE),
        .RAM_STYLE(RAM_STYLE), .RAM_STYLE_THRESHOLDS(RAM_STYLE_THRESHOLDS), .MEM_MODE(MEM_MODE),
        .RES_TYPE(RES_TYPE), .DEPTHWISE(1)
    ) depthwise (
        .ap_clk, .ap_rst_n,
        .in0_V_TDATA, .in0_V_TVALID, .in0_V_TREADY,
        .in1_V_TDATA, .in1_V_TVALID, .in1_V_TREADY,
        .out_V_TDATA, .out_V_TVALID, .out_V_TREADY);
endmodule
