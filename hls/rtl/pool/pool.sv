// FINN's Pool: max or QuantAvgPool sum over the windows a depthwise sliding-window generator
// emits. A window is K = kh*kw elements of each of CHANNELS channels in Im2Col order (window
// element i of channel c at i*CHANNELS + c, the order of every tensor between Finn's nodes, see
// layer_definition.h), folded into words of PE elements: K*CHANNELS/PE words per output pixel,
// CHANNELS/PE output words of PE results.
//
// Parameters (node attributes):
//   CHANNELS, PE     Channels, PE (CHANNELS % PE == 0)          K   prod(KernelSize)
//   FUNCTION         Function: "MaxPool" or "QuantAvgPool"
//   IN_BITS, IN_SIGNED, IN_BIPOLAR   InputDataType (BIPOLAR: the bit b is 2b-1; its max is the
//                    bits' max, so only the sum reads it)
//   OUT_BITS         bitwidth(OutputDataType): the result's low OUT_BITS bits are emitted
//   SHIFT            QuantAvgPool: the window sum is shifted right arithmetically by SHIFT
//                    (max(0, bitlength((2^ibits - 1) * K) - obits), as FINN's QuantAvgPool2d)
// The window's running results live in a CHANNELS/PE-deep array (distributed RAM) of exact
// IN_BITS + clog2(K) + 1 bit values; the words of the window's last element are combined and
// emitted in the same cycle, so the layer takes one word per cycle: K*CHANNELS/PE cycles per
// output pixel, FINN's estimate.
module pool #(
    parameter int  CHANNELS   = 1,
    parameter int  PE         = 1,
    parameter int  K          = 4,
    parameter      FUNCTION   = "MaxPool",
    parameter int  IN_BITS    = 8,
    parameter int  IN_SIGNED  = 1,
    parameter int  IN_BIPOLAR = 0,
    parameter int  OUT_BITS   = 8,
    parameter int  SHIFT      = 0,
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
    // String parameters compare at the width of the longer literal (Verilator warns WIDTH).
    /* verilator lint_off WIDTH */
    localparam int AVERAGE   = FUNCTION == "QuantAvgPool" ? 1 : 0;
    localparam int FOLDS     = CHANNELS / PE;
    localparam int FOLD_BITS = FOLDS > 1 ? $clog2(FOLDS) : 1;
    localparam int K_BITS    = K > 1 ? $clog2(K) : 1;
    localparam int ACC_BITS  = IN_BITS + K_BITS + 1;

    if (FUNCTION != "MaxPool" && FUNCTION != "QuantAvgPool") begin : g_bad_function
        $error("pool: FUNCTION must be \"MaxPool\" or \"QuantAvgPool\"");
    end
    /* verilator lint_on WIDTH */
    if (PE < 1 || CHANNELS % PE != 0 || K < 1 || SHIFT < 0 || SHIFT >= ACC_BITS)
    begin : g_bad_parameters
        $error("pool: needs PE to divide CHANNELS, K >= 1 and 0 <= SHIFT < IN_BITS + clog2(K) + 1");
    end

    logic [PE*ACC_BITS-1:0] partial [FOLDS];
    logic [FOLD_BITS-1:0]   fold;
    logic [K_BITS-1:0]      element;
    logic                   first, last, take, slice_ready;

    assign first        = element == '0;
    assign last         = element == K_BITS'(K - 1);
    // Only a window's last element produces output, so only it waits for room downstream.
    assign in0_V_TREADY = !last || slice_ready;
    assign take         = in0_V_TVALID && in0_V_TREADY;

    logic [PE*ACC_BITS-1:0] combined;
    logic [PE*ACC_BITS-1:0] result;   // per lane, fitted to OUT_BITS by the output stage
    for (genvar p = 0; p < PE; p++) begin : g_lane
        logic [IN_BITS-1:0]         x;
        logic signed [ACC_BITS-1:0] value, previous, next;
        assign x = in0_V_TDATA[p*IN_BITS +: IN_BITS];
        if (IN_BIPOLAR != 0 && AVERAGE != 0) begin : g_bipolar
            assign value = x[0] ? ACC_BITS'(1) : {ACC_BITS{1'b1}};
        end else begin : g_integer
            assign value = ACC_BITS'($signed({IN_SIGNED != 0 && x[IN_BITS-1], x}));
        end
        assign previous = partial[fold][p*ACC_BITS +: ACC_BITS];
        if (AVERAGE != 0) begin : g_sum
            // Only the low OUT_BITS bits leave (the output type's wrap, as FINN's ap_int), sign-
            // extended when OUT_BITS is wider.
            assign next = first ? value : previous + value;
            assign result[p*ACC_BITS +: ACC_BITS] = next >>> SHIFT;
        end else begin : g_max
            assign next = first || value > previous ? value : previous;
            assign result[p*ACC_BITS +: ACC_BITS] = next;
        end
        assign combined[p*ACC_BITS +: ACC_BITS] = next;
    end

    always_ff @(posedge ap_clk) if (take && !last) partial[fold] <= combined;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            fold    <= '0;
            element <= '0;
        end else if (take) begin
            fold <= fold == FOLD_BITS'(FOLDS - 1) ? '0 : fold + 1'b1;
            if (fold == FOLD_BITS'(FOLDS - 1)) element <= last ? '0 : element + 1'b1;
        end
    end

    axis_lane_output #(.LANES(PE), .VALUE_BITS(ACC_BITS), .VALUE_SIGNED(1), .OUT_BITS(OUT_BITS))
        output_stage (
            .ap_clk, .ap_rst_n,
            .values(result), .valid(in0_V_TVALID && last), .ready(slice_ready),
            .out_V_TDATA, .out_V_TVALID, .out_V_TREADY);

    // Padding bits are ignored.
    if (AXI_IN_WIDTH > IN_WIDTH) begin : g_padding
        /* verilator lint_off UNUSEDSIGNAL */
        logic [AXI_IN_WIDTH-IN_WIDTH-1:0] ignored_padding;
        /* verilator lint_on UNUSEDSIGNAL */
        assign ignored_padding = in0_V_TDATA[AXI_IN_WIDTH-1:IN_WIDTH];
    end
endmodule
