// FINN's MVAU (MatrixVectorActivation): y = x @ W for each input vector of MW elements, MH
// outputs, folded over PE output lanes and SIMD input lanes; optionally followed by the
// MultiThreshold activation. The compute core is mvau_core.sv; this top picks the weights' source.
//
// Parameters (node attributes):
//   MW, MH, PE, SIMD               (MW % SIMD == 0, MH % PE == 0)
//   IN_BITS/IN_SIGNED/IN_BIPOLAR   inputDataType (BIPOLAR: 1 bit, 1 is +1, 0 is -1)
//   W_BITS/W_SIGNED/W_BIPOLAR      weightDataType
//   XNOR                           binaryXnorMode: BINARY operands, acc = #{i : x_i == w_i}. A
//                                  BIPOLAR x BIPOLAR product is counted the same way, as FINN's
//                                  reference does: acc = (x . w + MW) / 2.
//   NO_ACTIVATION                  1: the output is the accumulator (OUT_BITS = accDataType's
//                                  bits, wider ones sign-extend); 0: ACT_VAL + #{s : acc >= T},
//                                  low OUT_BITS bits (a BIPOLAR output is that bit, ACT_VAL 0)
//   STEPS, THRESH_BITS/THRESH_SIGNED  the thresholds (their type is accDataType)
//   SHARED_THRESHOLDS              1 when T has one row for every output channel
//   WEIGHT_FILE, THRESH_FILE       $readmemh images, see hls/README.md ("Memory files")
//   RAM_STYLE, RAM_STYLE_THRESHOLDS  ram_style, ram_style_thresholds
//   MEM_MODE                       mem_mode, where the weights come from:
//     "internal_embedded"   a ROM read in step with the core (WEIGHT_FILE)
//     "internal_decoupled"  a memory_streamer of WEIGHT_FILE feeding the core a weight stream
//     "external"            the stream in1_V: one word per tile, MH/PE * MW/SIMD words per input
//                           vector in tile order, each laid out as a WEIGHT_FILE word
//                           (PE*SIMD*W_BITS bits, padded to a multiple of 8)
//   RES_TYPE                       resType "auto" | "lut" | "dsp" (see mvau_core.sv)
//   DEPTHWISE                      1: FINN's VVAU, MW = kernel size, MH = channels (vvau.sv)
// in1_V exists in every mode so that one port list serves all; outside "external" it is ignored
// and in1_V_TREADY stays 0.
//
// One tile per cycle in every mode when not back-pressured: MH/PE * MW/SIMD cycles per vector
// plus about 3 cycles of latency (4 with a weight stream).
module mvau #(
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
    parameter      WEIGHT_FILE       = "",
    parameter      THRESH_FILE       = "",
    parameter      RAM_STYLE         = "auto",
    parameter      RAM_STYLE_THRESHOLDS = "auto",
    parameter      MEM_MODE          = "internal_embedded",
    parameter      RES_TYPE          = "auto",
    parameter int  DEPTHWISE         = 0,
    localparam int IN_WIDTH      = SIMD * IN_BITS * (DEPTHWISE != 0 ? PE : 1),
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
    localparam int TILES     = (MW / SIMD) * (MH / PE);
    localparam int TILE_BITS = TILES > 1 ? $clog2(TILES) : 1;

    logic                 weight_valid, weight_read;
    logic [TILE_BITS-1:0] weight_tile;
    logic [W_WIDTH-1:0]   weight_data;

    mvau_core #(
        .MW(MW), .MH(MH), .PE(PE), .SIMD(SIMD),
        .IN_BITS(IN_BITS), .IN_SIGNED(IN_SIGNED), .IN_BIPOLAR(IN_BIPOLAR),
        .W_BITS(W_BITS), .W_SIGNED(W_SIGNED), .W_BIPOLAR(W_BIPOLAR), .XNOR(XNOR),
        .NO_ACTIVATION(NO_ACTIVATION), .STEPS(STEPS), .THRESH_BITS(THRESH_BITS),
        .THRESH_SIGNED(THRESH_SIGNED), .SHARED_THRESHOLDS(SHARED_THRESHOLDS), .ACT_VAL(ACT_VAL),
        .OUT_BITS(OUT_BITS), .THRESH_FILE(THRESH_FILE),
        .RAM_STYLE_THRESHOLDS(RAM_STYLE_THRESHOLDS), .RES_TYPE(RES_TYPE),
        .DEPTHWISE(DEPTHWISE)
    ) core (
        .ap_clk, .ap_rst_n,
        .in0_V_TDATA, .in0_V_TVALID, .in0_V_TREADY,
        .weight_valid, .weight_read, .weight_tile, .weight_data,
        .out_V_TDATA, .out_V_TVALID, .out_V_TREADY);

    // An untyped string parameter is as wide as its value: comparing it with another literal is
    // a width mismatch.
    /* verilator lint_off WIDTH */
    if (MEM_MODE != "internal_embedded" && MEM_MODE != "internal_decoupled"
        && MEM_MODE != "external") begin : g_bad_mem_mode
        $error("mvau: MEM_MODE must be internal_embedded, internal_decoupled or external");
    end
    if (RES_TYPE != "auto" && RES_TYPE != "lut" && RES_TYPE != "dsp") begin : g_bad_res_type
        $error("mvau: RES_TYPE must be auto, lut or dsp");
    end
    if (MEM_MODE == "internal_embedded") begin : g_embedded
    /* verilator lint_on WIDTH */
        // The ROM's read register is the core's weight word.
        assign weight_valid = 1'b1;
        rom_sync #(.WIDTH(W_WIDTH), .DEPTH(TILES), .INIT_FILE(WEIGHT_FILE), .RAM_STYLE(RAM_STYLE))
            weights (.ap_clk, .enable(weight_read), .address(weight_tile), .data(weight_data));
        assign in1_V_TREADY = 1'b0;
        /* verilator lint_off UNUSEDSIGNAL */
        logic [AXI_W_WIDTH:0] unused_in1;
        /* verilator lint_on UNUSEDSIGNAL */
        assign unused_in1 = {in1_V_TDATA, in1_V_TVALID};
    end else begin : g_stream
        // A weight stream: the word of each issued tile is registered for the core.
        logic [W_WIDTH-1:0] stream_data;
        logic               stream_valid;
        always_ff @(posedge ap_clk) if (weight_read) weight_data <= stream_data;
        assign weight_valid = stream_valid;
        /* verilator lint_off UNUSEDSIGNAL */
        logic [TILE_BITS-1:0] unused_tile;
        /* verilator lint_on UNUSEDSIGNAL */
        assign unused_tile = weight_tile;

        /* verilator lint_off WIDTH */
        if (MEM_MODE == "external") begin : g_external
        /* verilator lint_on WIDTH */
            assign stream_data  = in1_V_TDATA[W_WIDTH-1:0];
            assign stream_valid = in1_V_TVALID;
            assign in1_V_TREADY = weight_read;
            if (AXI_W_WIDTH > W_WIDTH) begin : g_padding
                /* verilator lint_off UNUSEDSIGNAL */
                logic [AXI_W_WIDTH-W_WIDTH-1:0] ignored_padding;
                /* verilator lint_on UNUSEDSIGNAL */
                assign ignored_padding = in1_V_TDATA[AXI_W_WIDTH-1:W_WIDTH];
            end
        end else begin : g_decoupled
            // "internal_decoupled" (other values are refused above).
            memory_streamer #(.WIDTH(W_WIDTH), .DEPTH(TILES), .INIT_FILE(WEIGHT_FILE),
                              .RAM_STYLE(RAM_STYLE))
                streamer (.ap_clk, .ap_rst_n, .m_axis_tdata(stream_data),
                          .m_axis_tvalid(stream_valid), .m_axis_tready(weight_read));
            assign in1_V_TREADY = 1'b0;
            /* verilator lint_off UNUSEDSIGNAL */
            logic [AXI_W_WIDTH:0] unused_in1;
            /* verilator lint_on UNUSEDSIGNAL */
            assign unused_in1 = {in1_V_TDATA, in1_V_TVALID};
        end
    end
endmodule
